"""managedNATGateway: AKS's own NAT gateway in the node resource group, on the managed outbound
IPs, following the cluster's profile through updates and going with the cluster."""

from __future__ import annotations

from typing import Any

import pytest
from azure.mgmt.containerservice import models as cm

from tests.wizard.sandbox.conftest import Clients, call, cluster_model, rg
from wizard.sandbox.resources.managed_nat import (
    MANAGED_NAT_GATEWAY_NAME,
    gateway_id,
    sync_managed_gateway,
)

NODE_RG = "MC_rg1_aks1_westeurope"


def managed(count: int, idle: int) -> cm.ManagedCluster:
    profile = cm.ManagedClusterNATGatewayProfile(
        managed_outbound_ip_profile=cm.ManagedClusterManagedOutboundIPProfile(count=count),
        idle_timeout_in_minutes=idle)
    return cluster_model("managedNATGateway", nat_gateway_profile=profile)


def apply(clients: Clients, body: cm.ManagedCluster) -> cm.ManagedCluster:
    return clients.aks.managed_clusters.begin_create_or_update("rg1", "aks1", body).result()


def effective(cluster: cm.ManagedCluster) -> list[str]:
    return [ref.id for ref in cluster.network_profile.nat_gateway_profile.effective_outbound_i_ps]


def the_gateway(clients: Clients, group: str = NODE_RG) -> Any:
    return clients.network.nat_gateways.get(group, MANAGED_NAT_GATEWAY_NAME)


def test_the_gateway_is_made_in_the_node_resource_group_on_the_effective_ips(
        clients: Clients) -> None:
    rg(clients)
    cluster = apply(clients, managed(2, 10))
    gateway = the_gateway(clients)
    assert gateway.id.lower() == gateway_id(
        f"/subscriptions/{clients.sandbox.subscription_id}/resourceGroups/{NODE_RG}").lower()
    # No SKU asked: westeurope offers StandardV2, so that is what AKS builds (API 2026-06-01+).
    assert (gateway.sku.name, gateway.idle_timeout_in_minutes, gateway.location) == (
        "StandardV2", 10, "westeurope")
    assert gateway.provisioning_state == "Succeeded" and gateway.etag
    assert [ip.id for ip in gateway.public_ip_addresses] == effective(cluster)
    for ip_id in effective(cluster):
        ip = clients.network.public_ip_addresses.get(NODE_RG, ip_id.rsplit("/", 1)[-1])
        assert ip.nat_gateway.id == gateway.id and ip.sku.name == "StandardV2"
    listed = [g.id for g in clients.network.nat_gateways.list(NODE_RG)]
    assert listed == [gateway.id]
    assert gateway.id in [g.id for g in clients.network.nat_gateways.list_all()]
    assert [g.id for g in clients.network.nat_gateways.list("rg1")] == []


def test_a_named_node_resource_group_holds_it(clients: Clients) -> None:
    rg(clients)
    body = managed(1, 4)
    body.node_resource_group = "aks1-nodes"
    apply(clients, body)
    assert the_gateway(clients, "aks1-nodes").idle_timeout_in_minutes == 4


def test_an_update_changes_its_ips_and_idle_timeout(clients: Clients) -> None:
    rg(clients)
    first = effective(apply(clients, managed(2, 4)))
    etag = the_gateway(clients).etag
    grown = apply(clients, managed(3, 20))
    gateway = the_gateway(clients)
    assert gateway.idle_timeout_in_minutes == 20 and gateway.etag != etag
    assert [ip.id for ip in gateway.public_ip_addresses] == effective(grown)
    assert effective(grown)[:2] == first  # the IPs in use stay
    shrunk = apply(clients, managed(1, 20))
    gateway = the_gateway(clients)
    assert [ip.id for ip in gateway.public_ip_addresses] == effective(shrunk) == first[:1]
    for gone in effective(grown)[1:]:
        assert clients.sandbox.get(gone) is None
    same = the_gateway(clients).etag
    apply(clients, managed(1, 20))
    assert the_gateway(clients).etag == same  # nothing changed, nothing written


def test_moving_from_the_load_balancer_creates_it(clients: Clients) -> None:
    rg(clients)
    apply(clients, cluster_model("loadBalancer"))
    assert list(clients.network.nat_gateways.list(NODE_RG)) == []
    cluster = apply(clients, managed(2, 4))
    assert [ip.id for ip in the_gateway(clients).public_ip_addresses] == effective(cluster)


def test_it_goes_with_the_cluster(clients: Clients) -> None:
    rg(clients)
    cluster = apply(clients, managed(2, 4))
    clients.aks.managed_clusters.begin_delete("rg1", "aks1").result()
    gid = gateway_id(f"/subscriptions/{clients.sandbox.subscription_id}/resourceGroups/{NODE_RG}")
    assert clients.sandbox.get(gid) is None
    assert all(clients.sandbox.get(ip_id) is None for ip_id in effective(cluster))
    assert list(clients.network.nat_gateways.list_all()) == []


def test_another_outbound_type_removes_it(clients: Clients) -> None:
    """AKS refuses managedNATGateway -> anything through the API (the sandbox too), so the
    reconciliation is driven directly: the cluster's gateway goes, other gateways stay."""
    rg(clients)
    apply(clients, managed(1, 4))
    emu = clients.sandbox.emulator
    sub = clients.sandbox.subscription_id
    cluster_id = f"/subscriptions/{sub}/resourceGroups/rg1/providers/Microsoft.ContainerService/" \
        "managedClusters/aks1"
    other = call(clients.sandbox, "PUT",
                 f"/subscriptions/{sub}/resourceGroups/rg1/providers/Microsoft.Network/"
                 "natGateways/mine", {"location": "westeurope"})
    assert other.status == 201
    stored = emu.store.get(cluster_id)
    assert stored is not None
    stored["properties"]["networkProfile"]["outboundType"] = "loadBalancer"
    with emu.store.transaction():
        sync_managed_gateway(emu, stored, f"/subscriptions/{sub}/resourceGroups/{NODE_RG}", [])
    assert [g.name for g in clients.network.nat_gateways.list_all()] == ["mine"]


def test_a_standard_v2_profile_makes_a_v2_gateway_on_v2_ips(clients: Clients) -> None:
    rg(clients)
    sub = clients.sandbox.subscription_id
    body = {"location": "westeurope", "identity": {"type": "SystemAssigned"}, "properties": {
        "agentPoolProfiles": [{"name": "system", "mode": "System", "count": 1}],
        "networkProfile": {"outboundType": "managedNATGateway", "natGatewayProfile": {
            "managedOutboundIPProfile": {"count": 2}, "sku": "StandardV2"}}}}
    path = f"/subscriptions/{sub}/resourceGroups/rg1/providers/Microsoft.ContainerService/" \
        "managedClusters/aks1"
    assert call(clients.sandbox, "PUT", path, body, "2026-08-01").status == 201
    gateway = the_gateway(clients)
    assert gateway.sku.name == "StandardV2" and len(gateway.public_ip_addresses) == 2
    for ref in gateway.public_ip_addresses:
        assert clients.sandbox.get(ref.id)["sku"]["name"] == "StandardV2"  # type: ignore[index]


def raw_cluster(clients: Clients, location: str, profile: dict[str, Any],
                name: str = "aks1") -> Any:
    body = {"location": location, "identity": {"type": "SystemAssigned"}, "properties": {
        "agentPoolProfiles": [{"name": "system", "mode": "System", "count": 1}],
        "networkProfile": {"outboundType": "managedNATGateway", "natGatewayProfile": profile}}}
    path = (f"/subscriptions/{clients.sandbox.subscription_id}/resourceGroups/rg1/providers/"
            f"Microsoft.ContainerService/managedClusters/{name}")
    return call(clients.sandbox, "PUT", path, body, "2026-08-01")


def test_an_omitted_sku_is_the_regions_default(clients: Clients) -> None:
    """docs/AZURE_FACTS.md sku.managed-default: StandardV2 where offered, else Standard."""
    rg(clients)
    assert raw_cluster(clients, "canadaeast", {}).status == 201
    assert the_gateway(clients, "MC_rg1_aks1_canadaeast").sku.name == "Standard"
    assert raw_cluster(clients, "eastus2", {}, "aks2").status == 201
    assert the_gateway(clients, "MC_rg1_aks2_eastus2").sku.name == "StandardV2"


@pytest.mark.parametrize(("location", "sku"), [("westeurope", "Standard"),
                                               ("canadaeast", "StandardV2")])
def test_an_explicit_sku_the_region_does_not_take_is_refused(
        clients: Clients, location: str, sku: str) -> None:
    """sku.managed-explicit: UnsupportedOutboundType, per the AKS announcement."""
    rg(clients)
    response = raw_cluster(clients, location, {"sku": sku})
    assert response.status == 400
    assert response.body["error"]["code"] == "UnsupportedOutboundType"


def test_standard_moves_to_standard_v2_and_never_back(clients: Clients) -> None:
    rg(clients)
    from wizard.sandbox.resources._lookup import CLUSTER as MANAGED_CLUSTER

    assert raw_cluster(clients, "westeurope", {"sku": "StandardV2"}).status == 201
    back = raw_cluster(clients, "westeurope", {"sku": "Standard"})
    assert back.status == 400 and back.body["error"]["code"] == "UnsupportedOutboundType"
    # An older Standard cluster (stored before the SKU existed) upgrades in place.
    stored = next(c for c in clients.sandbox.emulator.store.of_type(MANAGED_CLUSTER))
    with clients.sandbox.emulator.store.transaction():
        stored["properties"]["networkProfile"]["natGatewayProfile"].pop("sku")
        clients.sandbox.emulator.store.put(stored)
    assert raw_cluster(clients, "westeurope", {"sku": "StandardV2"}).status in (200, 201)
    assert the_gateway(clients).sku.name == "StandardV2"
