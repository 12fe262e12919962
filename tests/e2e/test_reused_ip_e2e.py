"""A user-assigned NAT gateway on a reserved public IP, in real processes on the demo sandbox:
apply uses the IP without creating one, and rollback removes everything the run made while the
IP stays, with its address, detached from the deleted gateway."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.apply_support import only_journal, read_state, run_cli, said
from wizard.run.executor import to_undo
from wizard.sandbox import SUBSCRIPTION_ID, Sandbox
from wizard.sandbox.scenarios.seeds import DEMO_GROUP, DEMO_LOCATION, DEMO_RESERVED_IP

RESERVED = (f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{DEMO_GROUP}/providers/"
            f"Microsoft.Network/publicIPAddresses/{DEMO_RESERVED_IP}")


def test_apply_on_a_reserved_ip_then_rollback_keeps_the_ip(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    Sandbox(speed=0, state_path=state, faults="", seed="demo")
    before = read_state(state)
    reserved = before.resources[RESERVED.lower()]
    assert "natGateway" not in reserved["properties"]

    applied = run_cli(home, state, "apply", "--preset", "user-assigned",
                      "--set", f"cluster.location={DEMO_LOCATION}", "--set", "outbound.zones=1",
                      "--set", "outbound.sku=Standard",
                      "--set", f"outbound.public_ip_ids={RESERVED}", "--yes", "--output", "json")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    payload = json.loads(applied.stdout)
    assert payload["status"] == "succeeded"
    assert not [step for step in payload["steps"] if step["kind"] == "public_ip"]
    gateway = next(step for step in payload["steps"] if step["kind"] == "nat_gateway")
    assert gateway["outcome"] == "created"

    during = read_state(state)
    used = during.resources[RESERVED.lower()]
    assert used["properties"]["natGateway"]["id"].lower() == gateway["resource_id"].lower()
    made = during.resources[gateway["resource_id"].lower()]
    assert [r["id"].lower() for r in made["properties"]["publicIpAddresses"]] == [
        RESERVED.lower()]
    # No public IP was created: the sandbox has the same IPs as before.
    ips = {rid for rid, r in during.resources.items()
           if r["type"] == "Microsoft.Network/publicIPAddresses"}
    assert ips == {rid for rid, r in before.resources.items()
                   if r["type"] == "Microsoft.Network/publicIPAddresses"}
    # The journal never lists the reused IP, so rollback has nothing of it to undo.
    journal = only_journal(home)
    assert RESERVED.lower() not in {r.resource_id.lower() for r in journal.steps.values()}
    assert all(r.kind != "public_ip" for r in journal.steps.values() if to_undo(r))

    undone = run_cli(home, state, "rollback", payload["run_id"], "--yes")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert "Rolled back" in said(undone.stdout)
    after = read_state(state)
    assert set(after.resources) == set(before.resources)
    kept = after.resources[RESERVED.lower()]
    assert kept["properties"]["ipAddress"] == reserved["properties"]["ipAddress"]
    assert kept.get("tags") == reserved.get("tags")
    assert "natGateway" not in kept["properties"]
