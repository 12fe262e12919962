"""`diagnose` end to end on the demo sandbox: the exhausting cluster, the healthy one, and the
exhausting one again after migrating with the recommended settings."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from wizard.cli.diagnose import EXIT_EXHAUSTING, EXIT_NO_DATA
from wizard.cli.main import main_group
from wizard.model import capacity
from wizard.sandbox import Sandbox
from wizard.sandbox.scenarios.traffic import DEMO_TRAFFIC


def run(*args: str) -> Result:
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def seeded_peak(cluster: str, nodes: int = 3) -> int:
    return DEMO_TRAFFIC[("demo-rg", cluster)].peak_flows_per_node * nodes


def test_the_exhausting_cluster_is_exhausting_and_gets_the_formulas_ip_count(
        demo: Sandbox) -> None:
    result = run("--sandbox", "diagnose", "demo-rg/lb-cluster", "--output", "json")
    assert result.exit_code == EXIT_EXHAUSTING, result.output
    payload = json.loads(result.stdout)
    diagnosis = payload["diagnosis"]
    assert diagnosis["verdict"] == "exhausting"
    assert diagnosis["exhausted_hours_utc"][:4] == sorted(
        DEMO_TRAFFIC[("demo-rg", "lb-cluster")].peak_hours)
    assert diagnosis["peak_concurrent_flows"] == seeded_peak("lb-cluster")
    advice = diagnosis["recommendation"]
    assert advice["outbound_type"] == "managed"
    expected = capacity.size(concurrent_flows=seeded_peak("lb-cluster")).recommended_ips
    assert advice["ip_count"] == expected == 2
    assert len(payload["series"]["times"]) == 7 * 24 * 4


def test_the_text_says_exhausting_and_how_to_migrate(demo: Sandbox) -> None:
    result = run("--sandbox", "diagnose", "demo-rg/lb-cluster")
    assert result.exit_code == EXIT_EXHAUSTING
    assert "Verdict: exhausting SNAT ports." in result.stdout
    assert "--to managed --set outbound.ip_count=2" in result.stdout


def test_the_healthy_cluster_exits_zero(demo: Sandbox) -> None:
    result = run("--sandbox", "diagnose", "demo-rg/byo-cluster", "--days", "2")
    assert result.exit_code == 0, result.output
    assert "Verdict: healthy." in result.stdout
    assert "aks-nat-wizard migrate" not in result.stdout


def test_migrating_with_the_recommendation_makes_it_healthy(demo: Sandbox) -> None:
    advice = json.loads(run("--sandbox", "diagnose", "demo-rg/lb-cluster", "--output",
                            "json").stdout)["diagnosis"]["recommendation"]
    sets = [arg for item in advice["sets"] for arg in ("--set", item)]
    migrated = run("--sandbox", "migrate", "demo-rg/lb-cluster", "--to",
                   advice["outbound_type"], *sets, "--yes")
    assert migrated.exit_code == 0, migrated.output
    after = run("--sandbox", "diagnose", "demo-rg/lb-cluster", "--output", "json")
    assert after.exit_code == 0, after.output
    diagnosis = json.loads(after.stdout)["diagnosis"]
    assert diagnosis["path"] == "nat_gateway"
    assert diagnosis["verdict"] == "healthy"
    assert diagnosis["peak_concurrent_flows"] == seeded_peak("lb-cluster")


def test_a_cluster_without_traffic_has_no_data(demo: Sandbox, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.delitem(DEMO_TRAFFIC, ("demo-rg", "byo-cluster"))
    result = run("--sandbox", "diagnose", "demo-rg/byo-cluster")
    assert result.exit_code == EXIT_NO_DATA
    assert "no SNAT data" in result.stdout


@pytest.mark.parametrize("reference", ["lb-cluster", "demo-rg/", "a/b/c"])
def test_a_bad_reference_is_one_line_and_exit_2(demo: Sandbox, reference: str) -> None:
    result = run("--sandbox", "diagnose", reference)
    assert result.exit_code == 2
    assert "RESOURCE_GROUP/CLUSTER" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_cluster_is_exit_2(demo: Sandbox) -> None:
    result = run("--sandbox", "diagnose", "demo-rg/nope")
    assert result.exit_code == 2
    assert "no cluster nope" in result.output


def test_days_out_of_range_is_exit_2_and_help_teaches_the_exit_codes(demo: Sandbox) -> None:
    result = run("--sandbox", "diagnose", "demo-rg/lb-cluster", "--days", "0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    shown = run("diagnose", "--help")
    assert shown.exit_code == 0
    assert "4    exhausting" in shown.stdout and "aks-nat-wizard diagnose" in shown.stdout
