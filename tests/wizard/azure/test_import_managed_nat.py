"""A managed-NAT cluster built on the sandbox, read back: discovery sees AKS's own NAT gateway in
the node resource group, and the importer still calls the cluster `managed` (the gateway is
AKS's, not a user-assigned one) and reads its egress IPs."""

from __future__ import annotations

import copy
from typing import Any

from tests.wizard.sandbox_helpers import SECRETS, backend_for, config_for, plan_for
from wizard.azure.discovery import Discovery
from wizard.azure.importer import import_cluster
from wizard.model.config import ManagedOutbound
from wizard.run.executor import resolve
from wizard.sandbox import Sandbox
from wizard.sandbox.resources.managed_nat import MANAGED_NAT_GATEWAY_NAME


def build_managed(sandbox: Sandbox, ip_count: int, idle: int) -> dict[str, Any]:
    """Apply the managed-basic preset step by step; returns the cluster as Azure shows it."""
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for("managed-basic", outbound__ip_count=ip_count,
                                        outbound__idle_timeout_minutes=idle))
    created: dict[str, Any] = {}
    for step in plan.steps:
        created = backend.create(step, resolve(copy.deepcopy(step.body), {}, SECRETS),
                                 lambda _m: None)
    cluster = sandbox.get(str(created["id"]))
    assert cluster is not None
    return cluster


def test_discovery_and_the_importer_see_the_managed_gateway() -> None:
    sandbox = Sandbox(speed=0, faults="")
    cluster = build_managed(sandbox, ip_count=2, idle=12)
    node_rg = cluster["properties"]["nodeResourceGroup"]
    effective = [ref["id"] for ref in
                 cluster["properties"]["networkProfile"]["natGatewayProfile"]
                 ["effectiveOutboundIPs"]]
    discovery = Discovery(backend_for(sandbox))
    [gateway] = discovery.nat_gateways(node_rg)
    assert gateway.name == MANAGED_NAT_GATEWAY_NAME
    assert (gateway.resource_group.lower(), gateway.idle_timeout_minutes) == (node_rg.lower(), 12)
    assert [ip.lower() for ip in gateway.public_ip_ids] == [ip.lower() for ip in effective]
    assert gateway.id in [g.id for g in discovery.nat_gateways()]

    imported = import_cluster(discovery, "myResourceGroup", "myNatCluster")
    out = imported.config.outbound
    assert isinstance(out, ManagedOutbound)
    assert (out.ip_count, out.idle_timeout_minutes) == (2, 12)
    assert imported.network is None
    assert sorted(ip.id.lower() for ip in imported.egress_ips) == sorted(
        ip.lower() for ip in effective)
    assert all(ip.address and ip.nat_gateway_id and
               ip.nat_gateway_id.lower() == gateway.id.lower() for ip in imported.egress_ips)
