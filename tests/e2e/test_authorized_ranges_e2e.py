"""A cluster whose API server has authorized IP ranges gets the new egress IPs added before
egress moves (user-assigned), or a clear notice (managed): on the demo sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.sandbox_target import reach
from wizard.cli.main import main_group
from wizard.plan.authorized_ranges import STEP_KEY
from wizard.sandbox import Sandbox

PARTNER = "73.140.245.0/24"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    sandbox = reach(monkeypatch, Sandbox(speed=0, seed="demo"))
    for name in ("byo-cluster", "lb-cluster"):
        stored = sandbox.emulator.store.get(cluster_id(sandbox, name))
        assert stored is not None
        stored["properties"]["apiServerAccessProfile"] = {"authorizedIPRanges": [PARTNER]}
        sandbox.emulator.store.put(stored)
    return sandbox


def cluster_id(sandbox: Sandbox, name: str) -> str:
    return (f"/subscriptions/{sandbox.subscription_id}/resourceGroups/demo-rg/providers/"
            f"Microsoft.ContainerService/managedClusters/{name}")


def run(*args: str) -> Result:
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def test_the_new_ips_are_allowed_before_the_subnet_moves_egress(demo: Sandbox) -> None:
    dry = run("--sandbox", "migrate", "demo-rg/byo-cluster", "--to", "user_assigned",
              "--set", "outbound.ip_count=2", "--dry-run", "--output", "json")
    assert dry.exit_code == 0, dry.output
    keys = [step["key"] for step in json.loads(dry.stdout)["migration"]["plan"]["steps"]]
    assert keys.index(STEP_KEY) < keys.index("subnet:demo-vnet/aks-subnet")
    demo.clear_request_log()
    result = run("--sandbox", "migrate", "demo-rg/byo-cluster", "--to", "user_assigned",
                 "--set", "outbound.ip_count=2", "--yes")
    assert result.exit_code == 0, result.output
    puts = [e for e in demo.request_log if e.method == "PUT" and e.resource_type != "operations"]
    kinds = [e.path.lower().rsplit("/", 2)[-2] for e in puts]
    first_cluster = kinds.index("managedclusters")
    assert first_cluster < kinds.index("subnets")
    sent = puts[first_cluster].body
    assert sent["properties"]["networkProfile"]["outboundType"] == "loadBalancer"
    ranges = sent["properties"]["apiServerAccessProfile"]["authorizedIPRanges"]
    new = [demo.get(e.path)["properties"]["ipAddress"] for e in puts  # type: ignore[index]
           if e.path.lower().rsplit("/", 2)[-2] == "publicipaddresses"]
    assert len(new) == 2
    assert ranges[0] == PARTNER  # the ranges there were stay first
    assert sorted(ranges[1:]) == sorted(f"{ip}/32" for ip in new)  # IPs are made in parallel
    after = demo.get(cluster_id(demo, "byo-cluster"))
    assert after is not None
    assert after["properties"]["networkProfile"]["outboundType"] == "userAssignedNATGateway"
    assert after["properties"]["apiServerAccessProfile"]["authorizedIPRanges"] == ranges
    egress = json.loads(run("--sandbox", "egress", "demo-rg/byo-cluster", "--output",
                            "json").stdout)
    assert sorted(egress["cidrs"]) == sorted(f"{ip}/32" for ip in new)
    shown = run("--sandbox", "egress", "demo-rg/byo-cluster")
    assert shown.stdout.count(" yes ") + shown.stdout.count(" yes\n") >= 2


def test_a_cluster_without_ranges_gets_no_such_step(demo: Sandbox) -> None:
    stored = demo.emulator.store.get(cluster_id(demo, "byo-cluster"))
    assert stored is not None
    stored["properties"].pop("apiServerAccessProfile")
    demo.emulator.store.put(stored)
    dry = run("--sandbox", "migrate", "demo-rg/byo-cluster", "--to", "user_assigned",
              "--dry-run", "--output", "json")
    keys = [step["key"] for step in json.loads(dry.stdout)["migration"]["plan"]["steps"]]
    assert STEP_KEY not in keys


def test_managed_says_the_ips_cannot_be_allowed_first(demo: Sandbox) -> None:
    dry = run("--sandbox", "migrate", "demo-rg/lb-cluster", "--to", "managed", "--dry-run",
              "--output", "json")
    assert dry.exit_code == 0, dry.output
    notices = " ".join(json.loads(dry.stdout)["migration"]["notices"])
    assert "authorized IP range" in notices and "user_assigned" in notices


def test_the_az_script_allows_the_new_ips_before_the_subnet_and_passes_shellcheck(
        demo: Sandbox, tmp_path: Any) -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    result = run("--sandbox", "migrate", "demo-rg/byo-cluster", "--to", "user_assigned",
                 "--set", "outbound.ip_count=2", "--script", "-")
    assert result.exit_code == 0, result.output
    script = result.stdout
    allow = script.index("--api-server-authorized-ip-ranges")
    assert allow < script.index("az network vnet subnet update")
    line = script[allow:script.index("\n", allow)]
    assert PARTNER in line and line.count("_IPADDRESS}\"/32") == 2
    path = tmp_path / "migrate.sh"
    path.write_text(script)
    tool = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    checked = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
