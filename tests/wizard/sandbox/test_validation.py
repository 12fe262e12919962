"""Each rule Azure enforces, triggered and not triggered, through the real SDK clients."""

from __future__ import annotations

import re
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.containerservice import models as cm
from azure.mgmt.network import models as nm

from tests.wizard.sandbox.conftest import (
    LOCATION,
    Clients,
    byo_network,
    cluster_model,
    identity,
    nat_gateway,
    public_ip,
    rg,
    vnet,
)


def error_code(fn: Any, *args: Any, **kwargs: Any) -> str:
    """Run `fn`, expect an HttpResponseError, return its ARM error code."""
    with pytest.raises(HttpResponseError) as info:
        result = fn(*args, **kwargs)
        if hasattr(result, "result"):
            result.result()
    return str(info.value.error.code)


def ip_id(c: Clients, name: str, **kwargs: Any) -> str:
    return str(public_ip(c, name, **kwargs).id)


# -- NAT gateway --------------------------------------------------------------------------------
def test_basic_sku_ip_rejected_standard_accepted(clients: Clients) -> None:
    rg(clients)
    basic = ip_id(clients, "basic", sku="Basic", method="Static")
    assert error_code(nat_gateway, clients, ips=[basic]) == "NatGatewayCannotHaveBasicSkuPublicIp"
    assert nat_gateway(clients, ips=[ip_id(clients, "std")]).provisioning_state == "Succeeded"


def test_dynamic_ip_rejected(clients: Clients) -> None:
    rg(clients)
    dynamic = ip_id(clients, "dyn", sku="Basic", method="Dynamic")
    code = error_code(nat_gateway, clients, ips=[dynamic])
    assert code in ("NatGatewayPublicIpMustBeStatic", "NatGatewayCannotHaveBasicSkuPublicIp")
    assert (
        error_code(public_ip, clients, "stddyn", method="Dynamic")
        == "StandardSkuPublicIPAddressesMustBeStatic"
    )


@pytest.mark.parametrize(
    ("gw_zones", "ip_zones", "ok"),
    [
        (["1"], ["1"], True),
        (["1"], ["1", "2", "3"], True),
        (None, ["2"], True),
        (None, None, True),
        (["1"], ["2"], False),
        (["2"], None, False),
    ],
)
def test_zone_compatibility(
    clients: Clients, gw_zones: list[str] | None, ip_zones: list[str] | None, ok: bool
) -> None:
    rg(clients)
    ip = ip_id(clients, "ip", zones=ip_zones)
    if ok:
        assert nat_gateway(clients, ips=[ip], zones=gw_zones).provisioning_state == "Succeeded"
    else:
        assert (
            error_code(nat_gateway, clients, ips=[ip], zones=gw_zones)
            == "NatGatewayAndPublicIpZoneMismatch"
        )


def test_sixteen_addresses_counting_prefixes(clients: Clients) -> None:
    rg(clients)
    ips = [ip_id(clients, f"ip{i}") for i in range(13)]
    prefix = clients.network.public_ip_prefixes.begin_create_or_update(
        "rg1",
        "pfx",
        nm.PublicIPPrefix(
            location=LOCATION, sku=nm.PublicIPPrefixSku(name="Standard"), prefix_length=30
        ),
    ).result()
    assert (
        error_code(nat_gateway, clients, ips=ips, prefixes=[prefix.id])
        == "NatGatewayCannotHaveMoreThan16PublicIpAddresses"
    )  # 13 + 4 = 17
    ok = nat_gateway(clients, ips=ips[:12], prefixes=[prefix.id])  # 12 + 4 = 16
    assert len(ok.public_ip_addresses) == 12


@pytest.mark.parametrize(("idle", "ok"), [(4, True), (120, True), (3, False), (121, False)])
def test_idle_timeout_range(clients: Clients, idle: int, ok: bool) -> None:
    rg(clients)
    if ok:
        assert nat_gateway(clients, idle=idle).idle_timeout_in_minutes == idle
    else:
        assert error_code(nat_gateway, clients, idle=idle) == "NatGatewayInvalidIdleTimeout"


def test_standard_v2_rules(clients: Clients) -> None:
    rg(clients)
    assert (
        error_code(nat_gateway, clients, sku="StandardV2", zones=["1"])
        == "StandardV2NatGatewayCannotHaveZones"
    )
    std = ip_id(clients, "std")
    assert (
        error_code(nat_gateway, clients, sku="StandardV2", ips=[std])
        == "NatGatewaySkuMismatchWithPublicIp"
    )
    v2 = ip_id(clients, "v2", sku="StandardV2")
    assert nat_gateway(clients, sku="StandardV2", ips=[v2]).sku.name == "StandardV2"


def test_zone_cannot_change_and_multiple_zones(clients: Clients) -> None:
    rg(clients)
    nat_gateway(clients, zones=["1"])
    assert nat_gateway(clients, zones=["1"], idle=9).idle_timeout_in_minutes == 9
    assert (
        error_code(nat_gateway, clients, zones=["2"]) == "ResourceAvailabilityZonesCannotBeModified"
    )
    assert (
        error_code(nat_gateway, clients, "multi", zones=["1", "2"])
        == "NatGatewayCannotHaveMultipleZones"
    )


def test_ip_used_by_another_gateway(clients: Clients) -> None:
    rg(clients)
    ip = ip_id(clients, "ip")
    nat_gateway(clients, "gw1", ips=[ip])
    assert error_code(nat_gateway, clients, "gw2", ips=[ip]) == "PublicIPAddressInUse"


def test_missing_references(clients: Clients) -> None:
    rg(clients)
    missing = (
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/"
        "providers/Microsoft.Network/publicIPAddresses/ghost"
    )
    assert error_code(nat_gateway, clients, ips=[missing]) == "InvalidResourceReference"
    assert (
        error_code(vnet, clients, missing.replace("publicIPAddresses", "natGateways"))
        == "InvalidResourceReference"
    )


# -- names and subnets --------------------------------------------------------------------------
def test_invalid_names(clients: Clients) -> None:
    rg(clients)
    assert error_code(public_ip, clients, "-bad") == "InvalidResourceName"
    assert (
        error_code(
            clients.resources.resource_groups.create_or_update, "bad.", {"location": LOCATION}
        )
        == "InvalidResourceName"
    )
    assert public_ip(clients, "good_name.1").name == "good_name.1"


def test_subnet_prefix_rules(clients: Clients) -> None:
    rg(clients)
    vnet(clients)
    sn = clients.network.subnets
    assert (
        error_code(
            sn.begin_create_or_update,
            "rg1",
            "vnet1",
            "out",
            nm.Subnet(address_prefix="10.2.0.0/24"),
        )
        == "NetcfgSubnetRangeOutsideVnet"
    )
    assert (
        error_code(
            sn.begin_create_or_update,
            "rg1",
            "vnet1",
            "overlap",
            nm.Subnet(address_prefix="10.1.1.0/24"),
        )
        == "NetcfgSubnetRangesOverlap"
    )
    assert (
        sn.begin_create_or_update("rg1", "vnet1", "fine", nm.Subnet(address_prefix="10.1.4.0/24"))
        .result()
        .name
        == "fine"
    )


# -- deleting what is in use --------------------------------------------------------------------
def test_in_use_deletes_refused_until_detached(clients: Clients) -> None:
    rg(clients)
    ip = ip_id(clients, "ip")
    gw = nat_gateway(clients, ips=[ip])
    vnet(clients, str(gw.id))
    assert (
        error_code(clients.network.public_ip_addresses.begin_delete, "rg1", "ip")
        == "PublicIPAddressCannotBeDeleted"
    )
    assert (
        error_code(clients.network.nat_gateways.begin_delete, "rg1", "gw1")
        == "InUseNatGatewayCannotBeDeleted"
    )
    clients.network.subnets.begin_create_or_update(
        "rg1", "vnet1", "aks", nm.Subnet(address_prefix="10.1.0.0/22")
    ).result()
    clients.network.nat_gateways.begin_delete("rg1", "gw1").result()
    clients.network.public_ip_addresses.begin_delete("rg1", "ip").result()
    assert list(clients.network.nat_gateways.list("rg1")) == []


def test_subnet_in_use_by_cluster(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients)
    clients.aks.managed_clusters.begin_create_or_update(
        "rg1", "aks1", cluster_model("userAssignedNATGateway", subnet_id, ident.id)
    ).result()
    assert (
        error_code(clients.network.subnets.begin_delete, "rg1", "vnet1", "aks")
        == "InUseSubnetCannotBeDeleted"
    )
    assert (
        error_code(clients.network.virtual_networks.begin_delete, "rg1", "vnet1")
        == "InUseSubnetCannotBeDeleted"
    )
    clients.aks.managed_clusters.begin_delete("rg1", "aks1").result()
    clients.network.subnets.begin_delete("rg1", "vnet1", "aks").result()


# -- clusters -----------------------------------------------------------------------------------
def test_managed_nat_rejects_byo_subnet(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients)
    assert (
        error_code(
            clients.aks.managed_clusters.begin_create_or_update,
            "rg1",
            "aks1",
            cluster_model("managedNATGateway", subnet_id, ident.id),
        )
        == "InvalidParameter"
    )


def test_managed_nat_on_a_byo_subnet_answers_as_azure_does(clients: Clients) -> None:
    """docs/AZURE_FACTS.md sandbox.custom-vnet: code, subcode, target and message as reported
    in kubernetes-sigs/cluster-api-provider-azure#5429."""
    from azure.core.exceptions import HttpResponseError

    subnet_id, ident = byo_network(clients)
    with pytest.raises(HttpResponseError) as caught:
        clients.aks.managed_clusters.begin_create_or_update(
            "rg1", "aks1", cluster_model("managedNATGateway", subnet_id, ident.id)).result()
    error = caught.value.response.json()["error"]
    assert error["code"] == "InvalidParameter"
    assert error["subcode"] == "ManagedNATGatewayWithCustomVNetNotAllowed"
    assert error["target"] == "properties.vnetSubnetID"
    assert re.fullmatch(r"Outbound type is managedNATGateway but agent pool '\w+' is using "
                        r"custom VNet, which is not allowed\.", error["message"])


@pytest.mark.parametrize(("count", "ok"), [(1, True), (16, True), (0, False), (17, False)])
def test_managed_outbound_ip_count(clients: Clients, count: int, ok: bool) -> None:
    rg(clients)
    body = cluster_model(
        "managedNATGateway",
        nat_gateway_profile=cm.ManagedClusterNATGatewayProfile(
            managed_outbound_ip_profile=cm.ManagedClusterManagedOutboundIPProfile(count=count)
        ),
    )
    begin = clients.aks.managed_clusters.begin_create_or_update
    if ok:
        got = begin("rg1", "aks1", body).result()
        assert len(got.network_profile.nat_gateway_profile.effective_outbound_i_ps) == count
    else:
        assert error_code(begin, "rg1", "aks1", body) == "InvalidParameter"


def test_user_assigned_nat_needs_gateway_with_ips(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients, gateway=False)
    begin = clients.aks.managed_clusters.begin_create_or_update
    body = cluster_model("userAssignedNATGateway", subnet_id, ident.id)
    with pytest.raises(HttpResponseError) as info:
        begin("rg1", "aks1", body).result()
    assert "NAT gateway" in info.value.error.message
    empty = nat_gateway(clients, "empty")
    clients.network.subnets.begin_create_or_update(
        "rg1",
        "vnet1",
        "aks",
        nm.Subnet(address_prefix="10.1.0.0/22", nat_gateway=nm.SubResource(id=empty.id)),
    ).result()
    with pytest.raises(HttpResponseError) as info:
        begin("rg1", "aks1", body).result()
    assert "no public IP" in info.value.error.message
    full = nat_gateway(clients, "full", ips=[ip_id(clients, "ipx")])
    clients.network.subnets.begin_create_or_update(
        "rg1",
        "vnet1",
        "aks",
        nm.Subnet(address_prefix="10.1.0.0/22", nat_gateway=nm.SubResource(id=full.id)),
    ).result()
    assert begin("rg1", "aks1", body).result().provisioning_state == "Succeeded"


def test_identity_without_network_contributor_is_refused(clients: Clients) -> None:
    subnet_id, _ = byo_network(clients)
    stranger = identity(clients, "stranger")
    begin = clients.aks.managed_clusters.begin_create_or_update
    body = cluster_model("userAssignedNATGateway", subnet_id, stranger.id)
    assert error_code(begin, "rg1", "aks1", body) == "LinkedAuthorizationFailed"
    from tests.wizard.sandbox.conftest import grant

    vnet_id = subnet_id.rsplit("/subnets/", 1)[0]
    grant(clients, vnet_id, stranger.principal_id)  # the VNet scope covers the subnet
    assert begin("rg1", "aks1", body).result().provisioning_state == "Succeeded"


def test_role_assignment_rules(clients: Clients) -> None:
    from tests.wizard.sandbox.conftest import grant

    subnet_id, ident = byo_network(clients)
    assert error_code(grant, clients, subnet_id, ident.principal_id) == "RoleAssignmentExists"
    stranger = "12345678-1234-1234-1234-123456789012"
    unlooked = error_code(grant, clients, subnet_id, stranger, principal_type=None)
    assert unlooked == "PrincipalNotFound"
    # With principalType ARM skips the directory lookup and takes the assignment as sent.
    assert grant(clients, subnet_id, stranger).principal_type == "ServicePrincipal"


def windows_pool(disable: bool, name: str = "win1", subnet_id: str | None = None) -> cm.AgentPool:
    return cm.AgentPool(
        count=1,
        os_type="Windows",
        mode="User",
        vnet_subnet_id=subnet_id,
        windows_profile=cm.AgentPoolWindowsProfile(disable_outbound_nat=disable),
    )


def windows_cluster(outbound: str) -> cm.ManagedCluster:
    body = cluster_model(outbound)
    body.windows_profile = cm.ManagedClusterWindowsProfile(
        admin_username="azureuser", admin_password="Sandbox-only-1234!"
    )
    return body


def test_windows_disable_outbound_nat_needs_nat_outbound(clients: Clients) -> None:
    rg(clients)
    aks = clients.aks
    aks.managed_clusters.begin_create_or_update(
        "rg1", "lb", windows_cluster("loadBalancer")
    ).result()
    assert (
        error_code(aks.agent_pools.begin_create_or_update, "rg1", "lb", "win1", windows_pool(True))
        == "InvalidParameter"
    )
    assert (
        aks.agent_pools.begin_create_or_update("rg1", "lb", "win2", windows_pool(False))
        .result()
        .os_type
        == "Windows"
    )
    aks.managed_clusters.begin_create_or_update(
        "rg1", "nat", windows_cluster("managedNATGateway")
    ).result()
    pool = aks.agent_pools.begin_create_or_update("rg1", "nat", "win1", windows_pool(True)).result()
    assert pool.windows_profile.disable_outbound_nat is True


def test_windows_pool_name_length_and_password_not_stored(clients: Clients) -> None:
    rg(clients)
    aks = clients.aks
    cluster = aks.managed_clusters.begin_create_or_update(
        "rg1", "nat", windows_cluster("managedNATGateway")
    ).result()
    assert cluster.windows_profile.admin_password is None
    assert (
        error_code(
            aks.agent_pools.begin_create_or_update, "rg1", "nat", "winpool", windows_pool(False)
        )
        == "InvalidParameter"
    )
    assert (
        aks.agent_pools.begin_create_or_update("rg1", "nat", "winpoo", windows_pool(False))
        .result()
        .name
        == "winpoo"
    )


@pytest.mark.parametrize(
    ("start", "target", "byo", "ok"),
    [
        ("loadBalancer", "managedNATGateway", False, True),
        ("managedNATGateway", "loadBalancer", False, False),
        ("loadBalancer", "userAssignedNATGateway", True, True),
        ("userAssignedNATGateway", "loadBalancer", True, True),
        ("userAssignedNATGateway", "userDefinedRouting", True, True),
        ("loadBalancer", "managedNATGateway", True, False),
    ],
)
def test_outbound_type_transitions(
    clients: Clients, start: str, target: str, byo: bool, ok: bool
) -> None:
    begin = clients.aks.managed_clusters.begin_create_or_update
    if byo:
        subnet_id, ident = byo_network(clients)
        first = cluster_model(start, subnet_id, ident.id)
        second = cluster_model(target, subnet_id, ident.id)
    else:
        rg(clients)
        first, second = cluster_model(start), cluster_model(target)
    begin("rg1", "aks1", first).result()
    if ok:
        assert begin("rg1", "aks1", second).result().network_profile.outbound_type == target
    else:
        assert error_code(begin, "rg1", "aks1", second) == "InvalidParameter"


def test_switch_to_managed_nat_replaces_outbound_ips(clients: Clients) -> None:
    rg(clients)
    begin = clients.aks.managed_clusters.begin_create_or_update
    lb = begin("rg1", "aks1", cluster_model("loadBalancer")).result()
    old_ip = lb.network_profile.load_balancer_profile.effective_outbound_i_ps[0].id
    nat = begin("rg1", "aks1", cluster_model("managedNATGateway")).result()
    new_ip = nat.network_profile.nat_gateway_profile.effective_outbound_i_ps[0].id
    assert new_ip != old_ip
    assert clients.sandbox.get(old_ip) is None and clients.sandbox.get(new_ip) is not None


def test_cluster_identity_must_exist(clients: Clients) -> None:
    subnet_id, ident = byo_network(clients)
    ghost = str(ident.id).replace("aks-id", "ghost")
    assert (
        error_code(
            clients.aks.managed_clusters.begin_create_or_update,
            "rg1",
            "aks1",
            cluster_model("userAssignedNATGateway", subnet_id, ghost),
        )
        == "InvalidResourceReference"
    )


def test_last_system_pool_cannot_be_deleted(clients: Clients) -> None:
    rg(clients)
    clients.aks.managed_clusters.begin_create_or_update(
        "rg1", "aks1", cluster_model("managedNATGateway")
    ).result()
    assert (
        error_code(clients.aks.agent_pools.begin_delete, "rg1", "aks1", "system")
        == "InvalidParameter"
    )
