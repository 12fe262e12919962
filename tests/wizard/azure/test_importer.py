"""Importing a cluster: ARM bodies to a config whose plan describes the cluster as it is."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from wizard import plan as planner
from wizard.azure.discovery import NatGateway, SubnetInfo, VirtualNetwork
from wizard.azure.importer import ClusterImportError, ExistingNetwork, egress_ip_ids, to_config
from wizard.model.config import LoadBalancerOutbound, ManagedOutbound, UserAssignedOutbound
from wizard.plan import drift

SUB = "11111111-2222-3333-4444-555555555555"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/demo-rg"
SUBNET_ID = f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/demo-vnet/subnets/aks"


def cluster_body(network: dict[str, Any], pool_extra: dict[str, Any] | None = None,
                 **extra: Any) -> dict[str, Any]:
    pool = {"name": "nodepool1", "mode": "System", "count": 3, "vmSize": "Standard_D4s_v5",
            "osType": "Linux", "type": "VirtualMachineScaleSets", "maxPods": 30,
            "availabilityZones": ["1", "2"], **(pool_extra or {})}
    return {
        "id": f"{RG_ID}/providers/Microsoft.ContainerService/managedClusters/web",
        "name": "web", "location": "eastus2", "tags": {"team": "web"},
        "identity": {"type": "SystemAssigned", "principalId": "abc"},
        "properties": {
            "provisioningState": "Succeeded", "kubernetesVersion": "1.33",
            "currentKubernetesVersion": "1.33.2", "dnsPrefix": "web-dns",
            "agentPoolProfiles": [pool],
            "networkProfile": {"networkPlugin": "azure", "loadBalancerSku": "Standard",
                               **network},
        },
        **extra,
    }


LB = {"outboundType": "loadBalancer",
      "loadBalancerProfile": {"managedOutboundIPs": {"count": 2}, "idleTimeoutInMinutes": 30,
                              "effectiveOutboundIPs": [{"id": "/mc/ip1"}]}}


def test_load_balancer_cluster_maps_every_setting() -> None:
    config, notes = to_config(cluster_body(LB), subscription_id=SUB)
    assert isinstance(config.outbound, LoadBalancerOutbound)
    assert config.outbound.ip_count == 2 and config.outbound.zones == ["1", "2"]
    assert config.outbound.vnet_subnet_id == ""
    c = config.cluster
    assert (c.resource_group, c.name, c.location, c.dns_prefix) == \
        ("demo-rg", "web", "eastus2", "web-dns")
    assert (c.kubernetes_version, c.node_count, c.node_vm_size, c.max_pods) == \
        ("1.33", 3, "Standard_D4s_v5", 30)
    assert c.subscription_id == SUB
    assert notes == []


@pytest.mark.parametrize("byo", [False, True])
def test_plan_of_an_imported_cluster_matches_the_cluster(byo: bool) -> None:
    """The executor's own compare finds nothing to change: apply would skip every step."""
    body = cluster_body(LB, {"vnetSubnetID": SUBNET_ID} if byo else None)
    config, _ = to_config(body, subscription_id=SUB)
    plan = planner.build(config, SUB)
    assert [s.kind for s in plan.steps] == ["resource_group", "managed_cluster"]
    cluster = plan.step("managed_cluster")
    assert cluster.resource_id.lower() == body["id"].lower()
    assert drift.compare(cluster.body, body) == []
    if byo:
        assert config.outbound.vnet_subnet_id == SUBNET_ID  # type: ignore[union-attr]
        assert cluster.body["properties"]["agentPoolProfiles"][0]["vnetSubnetID"] == SUBNET_ID


def test_a_changed_cluster_is_not_matched() -> None:
    body = cluster_body(LB)
    config, _ = to_config(body)
    changed = copy.deepcopy(body)
    changed["properties"]["agentPoolProfiles"][0]["count"] = 5
    assert drift.compare(planner.build(config).step("managed_cluster").body, changed)


def test_managed_nat_cluster() -> None:
    body = cluster_body({"outboundType": "managedNATGateway", "natGatewayProfile": {
        "managedOutboundIPProfile": {"count": 3}, "idleTimeoutInMinutes": 10}})
    config, _ = to_config(body)
    assert isinstance(config.outbound, ManagedOutbound)
    assert (config.outbound.ip_count, config.outbound.idle_timeout_minutes) == (3, 10)


def test_user_assigned_cluster_reads_its_network() -> None:
    gateway_id = f"{RG_ID}/providers/Microsoft.Network/natGateways/gw"
    subnet = SubnetInfo(SUBNET_ID, "aks", "10.5.0.0/22", gateway_id)
    vnet = VirtualNetwork(SUBNET_ID.rsplit("/subnets", 1)[0], "demo-vnet", "demo-rg", "eastus2",
                          ("10.5.0.0/16",), (subnet,))
    gateway = NatGateway(gateway_id, "gw", "demo-rg", "eastus2", "Standard", ("1",), 10,
                         (f"{RG_ID}/providers/Microsoft.Network/publicIPAddresses/gw-ip1",),
                         (SUBNET_ID,))
    body = cluster_body({"outboundType": "userAssignedNATGateway"},
                        {"vnetSubnetID": SUBNET_ID, "availabilityZones": ["1"]},
                        identity={"type": "UserAssigned", "userAssignedIdentities": {
                            f"{RG_ID}/providers/Microsoft.ManagedIdentity/"
                            "userAssignedIdentities/web-id": {}}})
    config, notes = to_config(body, ExistingNetwork(vnet, subnet, gateway))
    out = config.outbound
    assert isinstance(out, UserAssignedOutbound)
    assert (out.vnet_name, out.subnet_name, out.subnet_prefix, out.vnet_address_space) == \
        ("demo-vnet", "aks", "10.5.0.0/22", "10.5.0.0/16")
    assert (out.nat_gateway_name, out.ip_count, out.idle_timeout_minutes, out.identity_name) == \
        ("gw", 1, 10, "web-id")
    assert notes == []
    with pytest.raises(ClusterImportError):
        to_config(body, None)


def test_what_the_model_cannot_say_is_noted() -> None:
    body = cluster_body(LB)
    body["properties"]["agentPoolProfiles"].append({"name": "batch", "mode": "User",
                                                    "osType": "Linux", "count": 2})
    _, notes = to_config(body)
    assert any("batch" in note for note in notes)


def test_unknown_outbound_type_is_refused() -> None:
    with pytest.raises(ClusterImportError, match="userDefinedRouting"):
        to_config(cluster_body({"outboundType": "userDefinedRouting"}))


def test_egress_ip_ids_come_from_effective_outbound_ips() -> None:
    assert egress_ip_ids(cluster_body(LB)) == ["/mc/ip1"]


@pytest.mark.parametrize(("ip_group", "ip_name", "reused"), [
    ("demo-rg", "gw-ip1", False),            # the wizard's own name: it plans the same IP
    ("demo-rg", "allow-listed-egress", True),
    ("network-rg", "gw-ip1", True),           # another group: the plan would make a new one
])
def test_a_gateway_on_ips_the_wizard_did_not_name_imports_them_as_reused(
        ip_group: str, ip_name: str, reused: bool) -> None:
    gateway_id = f"{RG_ID}/providers/Microsoft.Network/natGateways/gw"
    ip_id = (f"/subscriptions/{SUB}/resourceGroups/{ip_group}/providers/Microsoft.Network/"
             f"publicIPAddresses/{ip_name}")
    subnet = SubnetInfo(SUBNET_ID, "aks", "10.5.0.0/22", gateway_id)
    vnet = VirtualNetwork(SUBNET_ID.rsplit("/subnets", 1)[0], "demo-vnet", "demo-rg", "eastus2",
                          ("10.5.0.0/16",), (subnet,))
    gateway = NatGateway(gateway_id, "gw", "demo-rg", "eastus2", "Standard", (), 4, (ip_id,),
                         (SUBNET_ID,))
    body = cluster_body({"outboundType": "userAssignedNATGateway"}, {"vnetSubnetID": SUBNET_ID},
                        identity={"type": "UserAssigned", "userAssignedIdentities": {
                            f"{RG_ID}/providers/Microsoft.ManagedIdentity/"
                            "userAssignedIdentities/web-id": {}}})
    config, notes = to_config(body, ExistingNetwork(vnet, subnet, gateway), SUB)
    out = config.outbound
    assert isinstance(out, UserAssignedOutbound)
    assert out.public_ip_ids == ([ip_id] if reused else [])
    plan = planner.build(config, SUB)
    gateway_body = plan.step("nat_gateway:gw").body
    assert [ip["id"].lower() for ip in gateway_body["properties"]["publicIpAddresses"]] == \
        [ip_id.lower()]
    assert any("public_ip_ids" in note for note in notes) == reused


def test_a_service_cidr_the_plan_would_not_pick_is_noted() -> None:
    gateway_id = f"{RG_ID}/providers/Microsoft.Network/natGateways/gw"
    subnet = SubnetInfo(SUBNET_ID, "aks", "10.5.0.0/22", gateway_id)
    vnet = VirtualNetwork(SUBNET_ID.rsplit("/subnets", 1)[0], "demo-vnet", "demo-rg", "eastus2",
                          ("10.5.0.0/16",), (subnet,))
    gateway = NatGateway(gateway_id, "gw", "demo-rg", "eastus2", "Standard", (), 4,
                         (f"{RG_ID}/providers/Microsoft.Network/publicIPAddresses/gw-ip1",),
                         (SUBNET_ID,))
    identity = {"type": "UserAssigned", "userAssignedIdentities": {
        f"{RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-id": {}}}
    for cidr, noted in (("172.16.0.0/16", True), ("10.0.0.0/16", False), (None, False)):
        network = {"outboundType": "userAssignedNATGateway"}
        if cidr:
            network["serviceCidr"] = cidr
        body = cluster_body(network, {"vnetSubnetID": SUBNET_ID}, identity=identity)
        _, notes = to_config(body, ExistingNetwork(vnet, subnet, gateway))
        assert any("service CIDR is 172.16.0.0/16" in n for n in notes) == noted, cidr
