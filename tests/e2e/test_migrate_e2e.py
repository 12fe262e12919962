"""Existing clusters end to end on the seeded sandbox: import, re-apply (nothing changes),
migrate to a managed and to a user-assigned NAT gateway, and the refused directions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from wizard import plan as planner
from wizard.azure.backend import AzureBackend
from wizard.azure.discovery import Discovery
from wizard.azure.importer import import_cluster
from wizard.cli.main import main_group
from wizard.model.config import WizardConfig
from wizard.plan import migration as migrate
from wizard.run.events import StepSucceeded
from wizard.run.executor import Executor
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox
from wizard.storage.presets import load

WRITES = {"PUT", "PATCH", "POST", "DELETE"}




def cli(*args: str) -> Result:
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def said(result: Result) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(result.output.split())


def cluster(sandbox: Sandbox, name: str) -> dict[str, Any]:
    found = sandbox.get(f"/subscriptions/{sandbox.subscription_id}/resourceGroups/demo-rg/"
                        f"providers/Microsoft.ContainerService/managedClusters/{name}")
    assert found is not None
    return found


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{e.method} {e.path}" for e in sandbox.request_log if e.method in WRITES]


@pytest.mark.parametrize("name", ["lb-cluster", "byo-cluster"])
def test_an_imported_cluster_applied_again_changes_nothing(demo: Sandbox, name: str) -> None:
    backend = AzureBackend.for_sandbox(demo)
    imported = import_cluster(Discovery(backend), "demo-rg", name)
    assert imported.config.outbound.type == "load_balancer"
    plan = planner.build(imported.config, backend.subscription_id)
    outcomes: dict[str, str] = {}
    executor = Executor(backend, Journal.create(plan, imported.config, "sandbox"),
                        on_event=lambda e: outcomes.update({e.key: e.outcome})
                        if isinstance(e, StepSucceeded) else None)
    assert executor.apply(plan).status == "succeeded"
    assert outcomes == {step.key: "exists" for step in plan.steps}
    assert writes(demo) == []


def test_import_command_writes_a_preset_that_plans_as_all_existing(demo: Sandbox,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "lb.toml"
    result = cli("import", "demo-rg/lb-cluster", "--sandbox", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert load(out).outbound.type == "load_balancer"
    again = cli("import", "demo-rg/lb-cluster", "--sandbox", "-o", str(out))
    assert again.exit_code == 2 and "--force" in said(again)
    planned = cli("plan", "--preset", str(out), "--preflight", "--sandbox", "--output", "json")
    assert planned.exit_code == 0, planned.output
    report = json.loads(planned.output)["preflight"]
    assert {s["status"] for s in report["steps"].values()} == {"exists"}
    assert writes(demo) == []


def test_import_json_lists_the_egress_ips(demo: Sandbox) -> None:
    result = cli("import", "demo-rg/byo-cluster", "--sandbox", "--output", "json")
    data = json.loads(result.output)
    assert data["outbound_type"] == "loadBalancer"
    assert data["config"]["outbound"]["vnet_subnet_id"].endswith("/subnets/aks-subnet")
    assert len(data["egress_ips"]) == 1 and data["egress_ips"][0]["address"]


def test_import_of_a_missing_cluster_is_a_clear_error(demo: Sandbox) -> None:
    result = cli("import", "demo-rg/nope", "--sandbox")
    assert result.exit_code == 2 and "there is no cluster nope" in said(result)
    assert cli("import", "just-a-name", "--sandbox").exit_code == 2


def test_migrate_load_balancer_to_managed_nat(demo: Sandbox) -> None:
    before = cluster(demo, "lb-cluster")
    old_ips = before["properties"]["networkProfile"]["loadBalancerProfile"][
        "effectiveOutboundIPs"]
    result = cli("migrate", "demo-rg/lb-cluster", "--to", "managed", "--sandbox", "--yes")
    assert result.exit_code == 0, result.output
    assert "from 30 minutes" in said(result) and "allow-lists" in said(result)
    after = cluster(demo, "lb-cluster")
    network = after["properties"]["networkProfile"]
    assert network["outboundType"] == "managedNATGateway"
    assert "loadBalancerProfile" not in network
    new_ips = network["natGatewayProfile"]["effectiveOutboundIPs"]
    assert new_ips and new_ips != old_ips
    assert after["properties"]["dnsPrefix"] == before["properties"]["dnsPrefix"]
    assert after["tags"]["env"] == "demo"  # the rest of the cluster was sent back unchanged
    puts = writes(demo)
    assert len(puts) == 2 and puts[0].startswith("PUT ") and "lb-cluster" in puts[0]
    # then the node image upgrade the outbound-type change needs (fact migrate.node-image)
    assert puts[1].startswith("POST ") and puts[1].endswith(
        "/agentPools/nodepool1/upgradeNodeImageVersion")
    # Now managed: going back to the load balancer is refused, before any write.
    demo.clear_request_log()
    back = cli("migrate", "demo-rg/lb-cluster", "--to", "load_balancer", "--sandbox", "--yes")
    assert back.exit_code == 2 and "not supported" in said(back).lower()
    assert writes(demo) == []


def test_migrate_byo_load_balancer_to_user_assigned_and_back(demo: Sandbox) -> None:
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox", "--yes",
                 "--set", "outbound.ip_count=2", "--set", "outbound.idle_timeout_minutes=10")
    assert result.exit_code == 0, result.output
    assert "New egress IPs" in said(result)
    network = cluster(demo, "byo-cluster")["properties"]["networkProfile"]
    assert network["outboundType"] == "userAssignedNATGateway"
    sub = demo.subscription_id
    net = f"/subscriptions/{sub}/resourceGroups/demo-rg/providers/Microsoft.Network"
    subnet = demo.get(f"{net}/virtualNetworks/demo-vnet/subnets/aks-subnet")
    assert subnet is not None
    assert subnet["properties"]["natGateway"]["id"].endswith("/natGateways/byo-cluster-natgw")
    gateway = demo.get(f"{net}/natGateways/byo-cluster-natgw")
    assert gateway is not None and gateway["properties"]["idleTimeoutInMinutes"] == 10
    assert len(gateway["properties"]["publicIpAddresses"]) == 2
    # The user-assigned pieces were written before the subnet, the subnet before the cluster.
    order = [w for w in writes(demo) if w.startswith("PUT")]
    first = {kind: next(i for i, w in enumerate(order) if kind in w)
             for kind in ("publicIPAddresses", "natGateways", "subnets", "managedClusters")}
    assert first["publicIPAddresses"] < first["natGateways"] < first["subnets"] < \
        first["managedClusters"]
    back = cli("migrate", "demo-rg/byo-cluster", "--to", "load_balancer", "--sandbox", "--yes")
    assert back.exit_code == 0, back.output
    network = cluster(demo, "byo-cluster")["properties"]["networkProfile"]
    assert network["outboundType"] == "loadBalancer"
    subnet = demo.get(f"{net}/virtualNetworks/demo-vnet/subnets/aks-subnet")
    assert subnet is not None and not subnet["properties"].get("natGateway")


def test_a_failed_migration_resumes_with_the_migration_plan(demo: Sandbox) -> None:
    demo.faults.add("managedClusters", "PUT", "failed_lro", count=1)
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox", "--yes")
    assert result.exit_code == 1, result.output
    text = said(result)
    assert "Resume with: aks-nat-wizard apply --resume" in text
    run_id = text.split("run id: ", 1)[1].split(".", 1)[0]
    assert cluster(demo, "byo-cluster")["properties"]["provisioningState"] == "Failed"
    assert Journal.load(run_id).allow_drift  # the confirmation given when it started
    listed = said(cli("runs"))
    assert f"{run_id}" in listed
    assert "migrate byo-cluster: loadBalancer -> userAssignedNATGateway, move egress (2/2)" \
        in listed
    # No --allow-drift: the run itself records that the user agreed to change the cluster.
    resumed = cli("apply", "--resume", run_id, "--sandbox", "--yes")
    assert resumed.exit_code == 0, resumed.output
    network = cluster(demo, "byo-cluster")["properties"]["networkProfile"]
    assert network["outboundType"] == "userAssignedNATGateway"
    assert cluster(demo, "byo-cluster")["properties"]["provisioningState"] == "Succeeded"
    assert Journal.load(run_id).status == "succeeded"


@pytest.mark.parametrize(("name", "target", "reason"), [
    ("lb-cluster", "user_assigned", "your own VNet"),
    ("byo-cluster", "managed", "VNet AKS creates"),
    ("lb-cluster", "load_balancer", "already uses"),
])
def test_unsupported_directions_are_refused_before_any_write(
        demo: Sandbox, name: str, target: str, reason: str) -> None:
    result = cli("migrate", f"demo-rg/{name}", "--to", target, "--sandbox", "--yes")
    assert result.exit_code == 2
    assert reason in said(result)
    assert writes(demo) == []


def test_refused_before_any_call_with_a_known_config() -> None:
    """From a config alone (the TUI path), the refusal needs no Azure at all."""
    current = WizardConfig.model_validate({"outbound": {"type": "load_balancer"}})
    with pytest.raises(migrate.MigrationRefused, match="your own VNet"):
        migrate.plan_migration(current, "user_assigned")


def test_migrate_without_yes_and_without_a_terminal_changes_nothing(demo: Sandbox) -> None:
    result = cli("migrate", "demo-rg/lb-cluster", "--to", "managed", "--sandbox")
    assert result.exit_code == 2 and "--yes" in said(result)
    assert writes(demo) == []


def test_dry_run_json_shows_the_migration(demo: Sandbox) -> None:
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox",
                 "--dry-run", "--output", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["migration"]
    assert [s["kind"] for s in data["plan"]["steps"]] == [
        "public_ip", "nat_gateway", "subnet", "managed_cluster", "node_image_upgrade"]
    assert data["old_egress"] and data["new_egress"]
    assert any(m.endswith("/subnets/aks-subnet") for m in data["modifies"])
    assert writes(demo) == []


def test_migrating_onto_an_existing_public_ip_keeps_its_address_and_needs_no_pause(
        demo: Sandbox) -> None:
    net = (f"/subscriptions/{demo.subscription_id}/resourceGroups/demo-rg/providers/"
           "Microsoft.Network")
    reserved = f"{net}/publicIPAddresses/reserved-egress-ip"
    address = (demo.get(reserved) or {})["properties"]["ipAddress"]
    dry = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox",
              "--set", f"outbound.public_ip_ids={reserved}", "--dry-run", "--output", "json")
    assert dry.exit_code == 0, dry.output
    migration = json.loads(dry.output)["migration"]
    assert [s["kind"] for s in migration["plan"]["steps"]] == [
        "nat_gateway", "subnet", "managed_cluster", "node_image_upgrade"]
    assert "existing public IPs you listed" in migration["notices"][0]
    assert "reserved-egress-ip" in migration["new_egress"][0]
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox",
                 "--set", f"outbound.public_ip_ids={reserved}", "--yes")
    assert result.exit_code == 0, result.output
    assert "add them to allow-lists now" not in result.output  # nothing new to allow-list
    gateway = demo.get(f"{net}/natGateways/byo-cluster-natgw")
    assert gateway is not None
    assert [ip["id"].lower() for ip in gateway["properties"]["publicIpAddresses"]] == [
        reserved.lower()]
    assert (demo.get(reserved) or {})["properties"]["ipAddress"] == address
    assert f"reserved-egress-ip {address}" in said(result)  # the egress read back afterwards


def test_an_existing_ip_held_by_another_gateway_is_refused_before_any_write(
        demo: Sandbox) -> None:
    held = (f"/subscriptions/{demo.subscription_id}/resourceGroups/demo-rg/providers/"
            "Microsoft.Network/publicIPAddresses/shared-natgw-ip1")
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox",
                 "--set", f"outbound.public_ip_ids={held}", "--yes")
    assert result.exit_code == 2, result.output
    assert "shared-natgw" in said(result)
    assert writes(demo) == []



def test_the_migration_as_an_az_script_changes_nothing_and_parses(demo: Sandbox,
                                                                 tmp_path: Path) -> None:
    import os
    import subprocess

    out = tmp_path / "to-user-assigned.sh"
    result = cli("migrate", "demo-rg/byo-cluster", "--to", "user_assigned", "--sandbox",
                 "--set", "outbound.ip_count=2", "--script", str(out))
    assert result.exit_code == 0, result.output
    script = out.read_text()
    assert os.access(out, os.X_OK)
    assert "az network nat gateway create" in script
    assert "--nat-gateway" in script and "--outbound-type userAssignedNATGateway" in script
    assert script.index("public-ip create") < script.index("nat gateway create") < \
        script.index("subnet update") < script.index("az aks update")
    assert subprocess.run(["bash", "-n", str(out)], check=False).returncode == 0
    assert writes(demo) == []
    printed = cli("migrate", "demo-rg/lb-cluster", "--to", "managed", "--sandbox",
                  "--script", "-")
    assert printed.exit_code == 0
    assert printed.stdout.startswith("#!") and "az aks update" in printed.stdout
    assert "Before you migrate" not in printed.stdout  # the rest went to stderr
