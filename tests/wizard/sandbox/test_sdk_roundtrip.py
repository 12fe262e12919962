"""Every resource type through the real SDK clients: create, get, list, delete, LRO shapes."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.containerservice import models as cm
from azure.mgmt.network import models as nm

from tests.wizard.sandbox.conftest import (
    LOCATION,
    Clients,
    byo_network,
    call,
    cluster_model,
    identity,
    nat_gateway,
    public_ip,
    rg,
    vnet,
)
from wizard.sandbox import Sandbox

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"


def test_resource_group_create_get_list_delete(clients: Clients) -> None:
    rc = clients.resources.resource_groups
    created = rc.create_or_update("My-RG", {"location": "West Europe", "tags": {"a": "b"}})
    assert created.id == f"{SUB}/resourceGroups/My-RG"
    assert created.location == "westeurope"
    assert rc.get("my-rg").tags == {"a": "b"}
    assert rc.check_existence("My-RG") is True
    assert [g.name for g in rc.list()] == ["My-RG"]
    rc.begin_delete("My-RG").result()
    assert rc.check_existence("My-RG") is False
    with pytest.raises(ResourceNotFoundError) as info:
        rc.get("My-RG")
    assert info.value.error.code == "ResourceGroupNotFound"


def test_public_ip_server_fields_and_lifecycle(clients: Clients) -> None:
    rg(clients)
    ip = public_ip(clients, zones=["1", "2", "3"])
    again = public_ip(clients, zones=["1", "2", "3"])
    assert ip.provisioning_state == "Succeeded"
    assert ip.ip_address and ip.ip_address.startswith("20.")
    assert ip.ip_address == again.ip_address  # stable, derived from the id
    assert ip.resource_guid and ip.etag
    assert ip.sku.name == "Standard" and ip.public_ip_address_version == "IPv4"
    listed = list(clients.network.public_ip_addresses.list("rg1"))
    assert [i.name for i in listed] == ["ip1"]
    clients.network.public_ip_addresses.begin_delete("rg1", "ip1").result()
    with pytest.raises(ResourceNotFoundError) as info:
        clients.network.public_ip_addresses.get("rg1", "ip1")
    assert info.value.error.code == "ResourceNotFound"


def test_nat_gateway_and_subnet_back_references(clients: Clients) -> None:
    rg(clients)
    ip = public_ip(clients, zones=["1"])
    gw = nat_gateway(clients, ips=[str(ip.id)], zones=["1"], idle=10)
    assert gw.idle_timeout_in_minutes == 10 and gw.zones == ["1"]
    assert gw.subnets is None
    net = vnet(clients, str(gw.id))
    subnet = net.subnets[0]
    assert subnet.nat_gateway.id == gw.id
    gw_after = clients.network.nat_gateways.get("rg1", "gw1")
    assert [s.id for s in gw_after.subnets] == [subnet.id]
    assert clients.network.public_ip_addresses.get("rg1", "ip1").nat_gateway.id == gw.id
    assert [g.name for g in clients.network.nat_gateways.list("rg1")] == ["gw1"]


def test_subnet_child_put_list_delete_and_inline_view(clients: Clients) -> None:
    rg(clients)
    vnet(clients)
    sn = clients.network.subnets
    child = sn.begin_create_or_update(
        "rg1", "vnet1", "extra", nm.Subnet(address_prefix="10.1.8.0/24")
    ).result()
    assert child.provisioning_state == "Succeeded"
    assert sorted(s.name for s in sn.list("rg1", "vnet1")) == ["aks", "extra"]
    inline = clients.network.virtual_networks.get("rg1", "vnet1").subnets
    assert sorted(s.name for s in inline) == ["aks", "extra"]
    sn.begin_delete("rg1", "vnet1", "extra").result()
    assert [s.name for s in sn.list("rg1", "vnet1")] == ["aks"]


def test_vnet_put_replaces_subnet_list(clients: Clients) -> None:
    rg(clients)
    vnet(clients)
    body = nm.VirtualNetwork(
        location=LOCATION,
        address_space=nm.AddressSpace(address_prefixes=["10.1.0.0/16"]),
        subnets=[nm.Subnet(name="other", address_prefix="10.1.4.0/24")],
    )
    clients.network.virtual_networks.begin_create_or_update("rg1", "vnet1", body).result()
    assert [s.name for s in clients.network.subnets.list("rg1", "vnet1")] == ["other"]


def test_identity_and_role_assignment(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients)
    assert ident.principal_id and ident.client_id and ident.tenant_id
    assert identity(clients).principal_id == ident.principal_id  # deterministic
    listed = list(clients.auth.role_assignments.list_for_scope(subnet_id))
    assert len(listed) == 1 and listed[0].principal_id == ident.principal_id
    assert listed[0].scope == subnet_id
    name = listed[0].name
    got = clients.auth.role_assignments.get(subnet_id, name)
    assert got.role_definition_id.endswith("4d97b98b-1d4f-4787-a291-c67834d212e7")
    clients.auth.role_assignments.delete(subnet_id, name)
    assert list(clients.auth.role_assignments.list_for_scope(subnet_id)) == []
    assert [i.name for i in clients.msi.user_assigned_identities.list_by_resource_group("rg1")] == [
        "aks-id"
    ]
    clients.msi.user_assigned_identities.delete("rg1", "aks-id")
    with pytest.raises(ResourceNotFoundError):
        clients.msi.user_assigned_identities.get("rg1", "aks-id")


def test_managed_nat_cluster_fills_server_fields(clients: Clients) -> None:
    rg(clients)
    body = cluster_model(
        "managedNATGateway",
        nat_gateway_profile=cm.ManagedClusterNATGatewayProfile(
            managed_outbound_ip_profile=cm.ManagedClusterManagedOutboundIPProfile(count=3),
            idle_timeout_in_minutes=8,
        ),
    )
    cluster = clients.aks.managed_clusters.begin_create_or_update("rg1", "aks1", body).result()
    assert cluster.provisioning_state == "Succeeded"
    assert cluster.node_resource_group == "MC_rg1_aks1_westeurope"
    assert cluster.fqdn.startswith("aks1-") and cluster.fqdn.endswith(".hcp.westeurope.azmk8s.io")
    np = cluster.network_profile
    assert np.load_balancer_sku == "standard"
    ips = np.nat_gateway_profile.effective_outbound_i_ps
    assert len(ips) == 3
    for ref in ips:
        assert "/resourceGroups/MC_rg1_aks1_westeurope/" in ref.id
        assert clients.sandbox.get(ref.id)["properties"]["ipAddress"].startswith("20.")
    assert cluster.identity.principal_id
    assert [p.name for p in cluster.agent_pool_profiles] == ["system"]
    assert [c.name for c in clients.aks.managed_clusters.list_by_resource_group("rg1")] == ["aks1"]
    clients.aks.managed_clusters.begin_delete("rg1", "aks1").result()
    assert clients.sandbox.get(ips[0].id) is None  # node resource group went with it
    assert not clients.resources.resource_groups.check_existence("MC_rg1_aks1_westeurope")


def test_load_balancer_cluster_defaults(clients: Clients) -> None:
    rg(clients)
    body = cluster_model("loadBalancer")
    body.network_profile.outbound_type = None
    cluster = clients.aks.managed_clusters.begin_create_or_update("rg1", "aks1", body).result()
    np = cluster.network_profile
    assert np.outbound_type == "loadBalancer"
    assert len(np.load_balancer_profile.effective_outbound_i_ps) == 1
    assert np.nat_gateway_profile is None


def test_user_assigned_nat_cluster_and_parallel_agent_pools(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients)
    body = cluster_model("userAssignedNATGateway", subnet_id, ident.id)
    cluster = clients.aks.managed_clusters.begin_create_or_update("rg1", "aks1", body).result()
    uai = cluster.identity.user_assigned_identities[ident.id]
    assert uai.principal_id == ident.principal_id
    pollers = [
        clients.aks.agent_pools.begin_create_or_update(
            "rg1", "aks1", name, cm.AgentPool(count=2, vnet_subnet_id=subnet_id)
        )
        for name in ("user1", "user2")
    ]
    assert [p.result().provisioning_state for p in pollers] == ["Succeeded", "Succeeded"]
    names = sorted(p.name for p in clients.aks.agent_pools.list("rg1", "aks1"))
    assert names == ["system", "user1", "user2"]
    inline = clients.aks.managed_clusters.get("rg1", "aks1").agent_pool_profiles
    assert sorted(p.name for p in inline) == names
    assert clients.aks.agent_pools.get("rg1", "aks1", "user1").mode == "User"
    clients.aks.agent_pools.begin_delete("rg1", "aks1", "user2").result()
    assert sorted(p.name for p in clients.aks.agent_pools.list("rg1", "aks1")) == [
        "system",
        "user1",
    ]


def test_resource_group_delete_cascades(clients: Clients) -> None:
    byo_network(clients)
    clients.resources.resource_groups.begin_delete("rg1").result()
    assert clients.sandbox.resources() == []


def test_deleting_missing_resources(clients: Clients) -> None:
    rg(clients)
    clients.network.nat_gateways.begin_delete("rg1", "nope").result()  # 204: nothing to do
    with pytest.raises(ResourceNotFoundError):
        clients.resources.resource_groups.begin_delete("nope").result()


def test_missing_resource_group_is_resource_group_not_found(clients: Clients) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        public_ip(clients, rg_name="absent")
    assert info.value.error.code == "ResourceGroupNotFound"


def test_paths_are_case_insensitive(sandbox: Sandbox) -> None:
    assert call(sandbox, "PUT", f"{SUB}/RESOURCEGROUPS/Rg1", {"location": "eastus"}).status == 201
    path = f"{SUB.upper()}/resourcegroups/RG1/PROVIDERS/microsoft.network/PUBLICIPADDRESSES/Ip1"
    created = call(sandbox, "PUT", path, {"location": "eastus"})
    assert created.status == 201
    assert created.body["id"] == (
        f"{SUB}/resourceGroups/RG1/providers/Microsoft.Network/publicIPAddresses/Ip1"
    )
    got = call(
        sandbox,
        "GET",
        f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/IP1",
    )
    assert got.status == 200 and got.body["name"] == "Ip1"
    assert sandbox.get(path.lower())["name"] == "Ip1"


def test_unknown_path_missing_api_version_and_auth(sandbox: Sandbox) -> None:
    unknown = call(sandbox, "GET", f"{SUB}/providers/Microsoft.Nope/things/x")
    assert unknown.status == 404 and unknown.body["error"]["code"] == "PathNotFound"
    missing = call(
        sandbox, "PUT", f"{SUB}/resourcegroups/x", {"location": "eastus"}, api_version=None
    )
    assert missing.status == 400
    assert missing.body["error"]["code"] == "MissingApiVersionParameter"
    from wizard.sandbox.http import Request

    anonymous = sandbox.emulator.handle(Request("GET", f"{SUB}/resourcegroups", {}, {}, None))
    assert anonymous.status == 401


def test_other_subscription_is_not_found(sandbox: Sandbox) -> None:
    resp = call(
        sandbox,
        "PUT",
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/x",
        {"location": "eastus"},
    )
    assert resp.status == 404 and resp.body["error"]["code"] == "SubscriptionNotFound"


def test_request_log_records_what_the_sdk_sent(clients: Clients) -> None:
    rg(clients)
    clients.sandbox.clear_request_log()
    body = nm.PublicIPAddress(
        location=LOCATION,
        sku=nm.PublicIPAddressSku(name="Standard"),
        public_ip_allocation_method="Static",
        zones=["2"],
    )
    clients.network.public_ip_addresses.begin_create_or_update("rg1", "ip9", body).result()
    puts = [r for r in clients.sandbox.request_log if r.method == "PUT"]
    assert len(puts) == 1
    assert puts[0].body == body.as_dict()
    assert puts[0].status == 201 and puts[0].resource_type == "publicIPAddresses"
    assert puts[0].api_version and puts[0].path.endswith("/publicIPAddresses/ip9")
    assert any(r.resource_type == "operations" for r in clients.sandbox.request_log)


def test_put_answers_lro_headers_and_in_progress_state(sandbox: Sandbox) -> None:
    call(sandbox, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    resp = call(
        sandbox,
        "PUT",
        f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/natGateways/gw",
        {"location": "eastus"},
    )
    assert resp.status == 201
    assert resp.body["properties"]["provisioningState"] == "Creating"
    assert resp.headers["Azure-AsyncOperation"].startswith("https://management.sandbox.invalid/")
    assert "Retry-After" not in resp.headers  # speed 0: due at once, nothing to wait for
    sync = call(
        sandbox,
        "PUT",
        f"{SUB}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/idx",
        {"location": "eastus"},
    )
    assert sync.status == 201 and "Azure-AsyncOperation" not in sync.headers


def test_failed_lro_via_sdk_raises_with_code(clients: Clients) -> None:
    rg(clients)
    clients.sandbox.faults.add("publicIPAddresses", "PUT", "failed_lro", 1, "AllocationFailed")
    with pytest.raises(HttpResponseError) as info:
        public_ip(clients)
    assert info.value.error.code == "AllocationFailed"
    assert clients.network.public_ip_addresses.get("rg1", "ip1").provisioning_state == "Failed"
    assert public_ip(clients).provisioning_state == "Succeeded"  # a retry succeeds


def test_failed_delete_lro(clients: Clients) -> None:
    rg(clients)
    public_ip(clients)
    clients.sandbox.faults.add("publicIPAddresses", "DELETE", "failed_lro")
    with pytest.raises(HttpResponseError) as info:
        clients.network.public_ip_addresses.begin_delete("rg1", "ip1").result()
    assert info.value.error.code == "SandboxInjectedFailure"
    assert (
        clients.sandbox.get(
            f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/ip1"
        )
        is not None
    )


def test_failed_cluster_lro(clients: Clients) -> None:
    rg(clients)
    clients.sandbox.faults.add("managedClusters", "PUT", "failed_lro")
    with pytest.raises(HttpResponseError) as info:
        clients.aks.managed_clusters.begin_create_or_update(
            "rg1", "aks1", cluster_model("managedNATGateway")
        ).result()
    assert info.value.error.code == "SandboxInjectedFailure"
