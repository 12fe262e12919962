"""`egress` on the demo sandbox, before and after a migration: the old and the new addresses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from wizard.azure.egress import covered
from wizard.cli.main import main_group
from wizard.sandbox import Sandbox


def run(*args: str) -> Result:
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def egress_json(reference: str) -> dict[str, Any]:
    result = run("--sandbox", "egress", reference, "--output", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_a_load_balancer_cluster_egresses_from_its_outbound_ip(demo: Sandbox) -> None:
    found = egress_json("demo-rg/lb-cluster")
    assert found["outbound_type"] == "loadBalancer"
    assert len(found["addresses"]) == 1
    address = found["addresses"][0]
    ip = demo.get(address["resource_id"])
    assert ip is not None
    assert address["cidr"] == f"{ip['properties']['ipAddress']}/32"
    assert found["cidrs"] == [address["cidr"]]


@pytest.mark.parametrize(("cluster", "target"), [("lb-cluster", "managed"),
                                                  ("byo-cluster", "user_assigned")])
def test_before_and_after_a_migration_the_addresses_change(demo: Sandbox, cluster: str,
                                                           target: str) -> None:
    before = egress_json(f"demo-rg/{cluster}")
    migrated = run("--sandbox", "migrate", f"demo-rg/{cluster}", "--to", target,
                   "--set", "outbound.ip_count=2", "--yes")
    assert migrated.exit_code == 0, migrated.output
    after = egress_json(f"demo-rg/{cluster}")
    assert len(after["addresses"]) == 2
    assert set(after["cidrs"]).isdisjoint(before["cidrs"])
    for item in after["addresses"]:
        assert demo.get(item["resource_id"]) is not None


def test_the_text_lists_each_address(demo: Sandbox) -> None:
    result = run("--sandbox", "egress", "demo-rg/byo-cluster")
    assert result.exit_code == 0
    assert "outbound type loadBalancer" in result.stdout
    assert "API server authorized IP ranges: none" in result.stdout


def test_an_unknown_cluster_is_exit_2(demo: Sandbox) -> None:
    result = run("--sandbox", "egress", "demo-rg/nope")
    assert result.exit_code == 2
    assert "no cluster nope" in result.output


def test_covered_by_authorized_ranges() -> None:
    assert covered("20.1.2.3/32", [])
    assert covered("20.1.2.3/32", ["20.1.2.0/24"])
    assert not covered("20.1.3.3/32", ["20.1.2.0/24", "not-a-range"])
    assert covered("20.1.2.16/28", ["20.1.2.0/24"])
