"""A managed-NAT cluster through the executor, as the CLI drives it: the apply leaves AKS's NAT
gateway in the node resource group on the cluster's egress IPs, a re-apply with more IPs and a
longer idle timeout (drift allowed) updates that gateway, and the rollback takes it away with the
cluster. Sandbox at speed 0: the gateway follows the cluster's PUT."""

from __future__ import annotations

from tests.wizard.sandbox_helpers import SECRETS, backend_for, config_for, plan_for
from wizard.azure.discovery import Discovery, NatGateway
from wizard.model.config import WizardConfig
from wizard.run.executor import Executor, RunResult, rollback
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox

TARGET = "sandbox (test)"


def apply(sandbox: Sandbox, config: WizardConfig, allow_drift: bool = False) -> RunResult:
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    return Executor(backend_for(sandbox), journal, secrets=SECRETS,
                    allow_drift=allow_drift).apply(plan)


def gateways(sandbox: Sandbox) -> list[NatGateway]:
    return Discovery(backend_for(sandbox)).nat_gateways()


def egress(sandbox: Sandbox, config: WizardConfig) -> list[str]:
    cluster = sandbox.get(plan_for(sandbox, config).step("managed_cluster").resource_id)
    assert cluster is not None
    refs = cluster["properties"]["networkProfile"]["natGatewayProfile"]["effectiveOutboundIPs"]
    return [str(ref["id"]).lower() for ref in refs]


def test_apply_update_and_rollback_carry_the_managed_gateway() -> None:
    sandbox = Sandbox(speed=0, faults="")
    first = config_for("managed-basic", outbound__ip_count=2)
    created = apply(sandbox, first)
    assert created.status == "succeeded", created.failed
    [gateway] = gateways(sandbox)
    assert gateway.resource_group.lower() == "mc_myresourcegroup_mynatcluster_southcentralus"
    assert gateway.idle_timeout_minutes == 4
    assert [ip.lower() for ip in gateway.public_ip_ids] == egress(sandbox, first)

    bigger = config_for("managed-basic", outbound__ip_count=3, outbound__idle_timeout_minutes=30)
    updated = apply(sandbox, bigger, allow_drift=True)
    assert updated.status == "succeeded", updated.failed
    [gateway] = gateways(sandbox)
    assert gateway.idle_timeout_minutes == 30
    assert [ip.lower() for ip in gateway.public_ip_ids] == egress(sandbox, bigger)
    assert len(gateway.public_ip_ids) == 3

    undone = rollback(created.run_id, backend_for(sandbox), target=TARGET)
    assert undone.status == "rolled_back", undone.failed
    assert gateways(sandbox) == []
    assert not any("/natgateways/" in str(r["id"]).lower() or
                   "/publicipaddresses/" in str(r["id"]).lower() for r in sandbox.resources())
