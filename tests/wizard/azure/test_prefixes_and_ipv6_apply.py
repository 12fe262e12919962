"""Whole applies on the demo sandbox of the new address choices, through the real backend:
a new public IP prefix on a user-assigned StandardV2 gateway (and its rollback), your own
StandardV2 IP and prefix on AKS's managed gateway (preflight first), and a dual-stack cluster's
IPv6 egress; and the sandbox refusing what AKS refuses."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.network import models as nm

from wizard import plan as planner
from wizard.azure import preflight
from wizard.azure.backend import AzureBackend
from wizard.azure.discovery import Discovery
from wizard.azure.importer import import_cluster
from wizard.model.config import WizardConfig
from wizard.run.executor import Executor, rollback
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox
from wizard.sandbox.resources.managed_nat import owned_gateways
from wizard.sandbox.scenarios.seeds import DEMO_GROUP, DEMO_LOCATION


def apply(cfg: WizardConfig, backend: AzureBackend) -> str:
    built = planner.build(cfg, backend.subscription_id)
    report = preflight.run(cfg, built, backend)
    assert report.ok, [f.message for f in report.findings if f.severity == "error"]
    journal = Journal.create(built, cfg, "sandbox")
    result = Executor(backend, journal).apply(built)
    assert result.status == "succeeded", result
    return journal.run_id


def make_ip(backend: AzureBackend, name: str, sku: str = "StandardV2") -> str:
    body = nm.PublicIPAddress(location=DEMO_LOCATION, sku=nm.PublicIPAddressSku(name=sku),
                              public_ip_allocation_method="Static",
                              public_ip_address_version="IPv4", zones=["1", "2", "3"])
    ops = backend.client("network").public_ip_addresses
    return str(ops.begin_create_or_update(DEMO_GROUP, name, body).result().id)


def make_prefix(backend: AzureBackend, name: str, length: int, sku: str = "StandardV2") -> str:
    body = nm.PublicIPPrefix(location=DEMO_LOCATION, sku=nm.PublicIPPrefixSku(name=sku),
                             prefix_length=length, public_ip_address_version="IPv4",
                             zones=["1", "2", "3"])
    ops = backend.client("network").public_ip_prefixes
    return str(ops.begin_create_or_update(DEMO_GROUP, name, body).result().id)


def managed(group: str, **outbound: Any) -> WizardConfig:
    cluster = outbound.pop("cluster", {})
    return WizardConfig.model_validate({
        "cluster": {"resource_group": group, "location": DEMO_LOCATION, **cluster},
        "outbound": {"type": "managed", "sku": "StandardV2", **outbound}})


def managed_gateway(demo: Sandbox, backend: AzureBackend, group: str) -> dict[str, Any]:
    cluster_id = (f"/subscriptions/{backend.subscription_id}/resourceGroups/{group}/providers/"
                  "Microsoft.ContainerService/managedClusters/myNatCluster")
    with demo.store.transaction():
        gateways = owned_gateways(demo.emulator, cluster_id)
    assert len(gateways) == 1
    return gateways[0]


def test_a_new_prefix_on_a_standardv2_gateway_applies_and_rolls_back(
        demo: Sandbox, backend: AzureBackend) -> None:
    cfg = WizardConfig.model_validate({
        "cluster": {"resource_group": "prefix-rg", "location": DEMO_LOCATION},
        "outbound": {"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                     "ip_count": 4}})
    run_id = apply(cfg, backend)
    network = backend.client("network")
    prefix = network.public_ip_prefixes.get("prefix-rg", "myNatGateway-prefix")
    assert prefix.prefix_length == 30 and prefix.sku.name == "StandardV2"
    assert prefix.ip_prefix and prefix.ip_prefix.endswith("/30")
    gateway = network.nat_gateways.get("prefix-rg", "myNatGateway")
    assert [p.id.lower() for p in gateway.public_ip_prefixes] == [prefix.id.lower()]
    assert not gateway.public_ip_addresses
    assert rollback(run_id, backend).status == "rolled_back"
    with pytest.raises(HttpResponseError) as gone:
        network.public_ip_prefixes.get("prefix-rg", "myNatGateway-prefix")
    assert gone.value.status_code == 404


def test_your_own_ip_and_prefix_carry_a_managed_gateways_egress(
        demo: Sandbox, backend: AzureBackend) -> None:
    ip = make_ip(backend, "own-v2-ip")
    prefix = make_prefix(backend, "own-v2-block", 31)
    cfg = managed("own-rg", public_ip_ids=[ip], public_ip_prefix_ids=[prefix], ip_count=3)
    apply(cfg, backend)
    gateway = managed_gateway(demo, backend, "own-rg")
    props = gateway["properties"]
    assert [r["id"].lower() for r in props["publicIpAddresses"]] == [ip.lower()]
    assert [r["id"].lower() for r in props["publicIpPrefixes"]] == [prefix.lower()]
    assert gateway["sku"] == {"name": "StandardV2"}
    cluster = backend.client("containerservice").managed_clusters.get("own-rg", "myNatCluster")
    profile = cluster.network_profile.nat_gateway_profile
    assert profile.managed_outbound_ip_profile is None
    assert {r.id.lower() for r in profile.effective_outbound_i_ps} == {ip.lower(),
                                                                       prefix.lower()}
    # AKS made no IP of its own for it.
    assert not [r for r in backend.client("network").public_ip_addresses.list_all()
                if (r.tags or {}).get("owner", "").lower() == cluster.id.lower()]
    # Imported back, the cluster plans the same gateway profile (the prefix's size is checked by
    # preflight, which finds nothing to change).
    imported = import_cluster(Discovery(backend), "own-rg", "myNatCluster")
    again = planner.build(imported.config, backend.subscription_id)
    assert again.step("managed_cluster").body["properties"]["networkProfile"][
        "natGatewayProfile"] == planner.build(cfg, backend.subscription_id).step(
        "managed_cluster").body["properties"]["networkProfile"]["natGatewayProfile"]
    report = preflight.run(imported.config, again, backend)
    assert not [f for f in report.findings if f.code.startswith("preflight.public_ip")]


def test_preflight_checks_your_own_prefix_like_a_reused_ip(demo: Sandbox,
                                                           backend: AzureBackend) -> None:
    standard = make_prefix(backend, "old-block", 30, sku="Standard")
    wrong_sku = managed("check-rg", public_ip_prefix_ids=[standard], ip_count=4)
    report = preflight.run(wrong_sku, planner.build(wrong_sku, backend.subscription_id), backend)
    codes = {f.code: f for f in report.findings if f.severity == "error"}
    assert codes["preflight.public_ip_sku"].field == "outbound.public_ip_prefix_ids"
    assert "old-block has SKU Standard" in codes["preflight.public_ip_sku"].message

    v2 = make_prefix(backend, "v2-block", 29)
    too_few = managed("check-rg", public_ip_prefix_ids=[v2], ip_count=4)
    report = preflight.run(too_few, planner.build(too_few, backend.subscription_id), backend)
    sizes = [f for f in report.findings if f.code == "preflight.public_ip_prefix_size"]
    assert [f.field for f in sizes] == ["outbound.ip_count"]
    assert "hold 8 addresses" in sizes[0].message and "set outbound.ip_count = 8" in sizes[
        0].message

    missing = managed("check-rg", public_ip_prefix_ids=[v2.replace("v2-block", "nope")],
                      ip_count=2)
    report = preflight.run(missing, planner.build(missing, backend.subscription_id), backend)
    assert "preflight.public_ip_missing" in {f.code for f in report.findings}


def test_a_dual_stack_cluster_egresses_over_ipv6_too(demo: Sandbox,
                                                     backend: AzureBackend) -> None:
    cfg = managed("dual-rg", cluster={"dual_stack": True}, ip_count=1, ipv6_count=2)
    apply(cfg, backend)
    imported = import_cluster(Discovery(backend), "dual-rg", "myNatCluster").config
    assert imported.cluster.dual_stack and imported.outbound.ipv6_count == 2  # type: ignore[union-attr]
    props = managed_gateway(demo, backend, "dual-rg")["properties"]
    assert len(props["publicIpAddresses"]) == 1 and len(props["publicIpAddressesV6"]) == 2
    network = backend.client("network")
    versions = sorted(network.public_ip_addresses.get(
        ref["id"].split("/")[4], ref["id"].rsplit("/", 1)[-1]).public_ip_address_version
        for ref in [*props["publicIpAddresses"], *props["publicIpAddressesV6"]])
    assert versions == ["IPv4", "IPv6", "IPv6"]


@pytest.mark.parametrize(("network_profile", "says"), [
    ({"natGatewayProfile": {"sku": "StandardV2",
                            "managedOutboundIPProfile": {"count": 1, "countIPv6": 1}}},
     "countIPv6 needs a dual-stack cluster"),
    ({"ipFamilies": ["IPv4", "IPv6"]}, "needs networkPluginMode overlay"),
    ({"natGatewayProfile": {"sku": "StandardV2", "managedOutboundIPProfile": {"count": 1},
                            "outboundIPs": {"publicIPs": ["/x"]}}}, "cannot combine"),
    ({"ipFamilies": ["IPv6"], "networkPluginMode": "overlay"},
     "ipFamilies must be [IPv4] or [IPv4, IPv6]"),
])
def test_the_sandbox_refuses_what_aks_refuses(backend: AzureBackend,
                                              network_profile: dict[str, Any],
                                              says: str) -> None:
    resources = backend.client("resource").resource_groups
    resources.create_or_update("refuse-rg", {"location": DEMO_LOCATION})
    body = {"location": DEMO_LOCATION, "identity": {"type": "SystemAssigned"},
            "properties": {"dnsPrefix": "refuse", "agentPoolProfiles": [
                {"name": "nodepool1", "count": 1, "vmSize": "Standard_DS2_v2", "mode": "System"}],
                "networkProfile": {"networkPlugin": "azure",
                                   "outboundType": "managedNATGateway", **network_profile}}}
    clusters = backend.client("containerservice").managed_clusters
    with pytest.raises(HttpResponseError) as refused:
        clusters.begin_create_or_update("refuse-rg", "refused", body).result()
    assert refused.value.status_code == 400
    assert says in str(refused.value.message)


def test_a_user_assigned_dual_stack_cluster_egresses_over_both_families(
        demo: Sandbox, backend: AzureBackend) -> None:
    cfg = WizardConfig.model_validate({
        "cluster": {"resource_group": "ua-dual", "location": DEMO_LOCATION, "dual_stack": True},
        "outbound": {"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                     "ip_count": 2, "ipv6_count": 2}})
    apply(cfg, backend)
    network = backend.client("network")
    gateway = network.nat_gateways.get("ua-dual", "myNatGateway")
    assert [p.id.rsplit("/", 1)[-1] for p in gateway.public_ip_prefixes] == [
        "myNatGateway-prefix"]
    assert [p.id.rsplit("/", 1)[-1] for p in gateway.public_ip_prefixes_v6] == [
        "myNatGateway-prefix6"]
    v6 = network.public_ip_prefixes.get("ua-dual", "myNatGateway-prefix6")
    assert v6.public_ip_address_version == "IPv6" and v6.ip_prefix.endswith("/127")
    subnet = network.subnets.get("ua-dual", "myVnet", "myNatCluster")
    assert subnet.address_prefixes == ["10.0.0.0/22", "fd00:10::/64"]
    cluster = backend.client("containerservice").managed_clusters.get("ua-dual",
                                                                      "myNatCluster")
    assert cluster.network_profile.ip_families == ["IPv4", "IPv6"]
    # Imported back: the same gateway, subnet and VNet, the prefixes kept as existing ones.
    imported = import_cluster(Discovery(backend), "ua-dual", "myNatCluster")
    out = imported.config.outbound
    assert imported.config.cluster.dual_stack
    assert out.ip_count == 2 and out.public_ip_prefix_ids  # type: ignore[union-attr]
    before = planner.build(cfg, backend.subscription_id)
    after = planner.build(imported.config, backend.subscription_id)
    for key in ("virtual_network:myVnet", "subnet:myVnet/myNatCluster"):
        assert after.step(key).body == before.step(key).body
    gateway_v4 = after.step("nat_gateway:myNatGateway").body["properties"]
    assert gateway_v4["publicIpPrefixes"] == before.step(
        "nat_gateway:myNatGateway").body["properties"]["publicIpPrefixes"]


def test_the_sandbox_keeps_ipv6_addresses_to_standardv2_and_their_own_lists(
        backend: AzureBackend) -> None:
    network = backend.client("network")
    backend.client("resource").resource_groups.create_or_update(DEMO_GROUP + "-v6",
                                                                {"location": DEMO_LOCATION})
    group = DEMO_GROUP + "-v6"
    ip6 = network.public_ip_addresses.begin_create_or_update(group, "v6", nm.PublicIPAddress(
        location=DEMO_LOCATION, sku=nm.PublicIPAddressSku(name="StandardV2"),
        public_ip_allocation_method="Static", public_ip_address_version="IPv6")).result()
    assert ":" in ip6.ip_address
    wrong_list = {"location": DEMO_LOCATION, "sku": {"name": "StandardV2"},
                  "properties": {"publicIpAddresses": [{"id": ip6.id}]}}
    with pytest.raises(HttpResponseError) as refused:
        network.nat_gateways.begin_create_or_update(group, "gw1", wrong_list).result()
    assert "takes IPv4 addresses only" in str(refused.value.message)
    # A Standard IPv6 address (SKUs match) on a Standard gateway: refused for its family.
    standard6 = network.public_ip_addresses.begin_create_or_update(
        group, "v6std", nm.PublicIPAddress(
            location=DEMO_LOCATION, sku=nm.PublicIPAddressSku(name="Standard"),
            public_ip_allocation_method="Static", public_ip_address_version="IPv6")).result()
    on_standard = {"location": DEMO_LOCATION, "sku": {"name": "Standard"},
                   "properties": {"publicIpAddressesV6": [{"id": standard6.id}]}}
    with pytest.raises(HttpResponseError) as refused:
        network.nat_gateways.begin_create_or_update(group, "gw2", on_standard).result()
    assert refused.value.status_code == 400
    assert "Only a StandardV2 NAT gateway takes IPv6" in str(refused.value.message)


def test_the_ownership_model_of_a_managed_gateway_is_fixed(demo: Sandbox,
                                                          backend: AzureBackend) -> None:
    ip = make_ip(backend, "owned-ip")
    cfg = managed("owner-rg", public_ip_ids=[ip])
    apply(cfg, backend)
    clusters = backend.client("containerservice").managed_clusters
    body = planner.build(cfg, backend.subscription_id).step("managed_cluster").body
    profile = body["properties"]["networkProfile"]["natGatewayProfile"]
    profile.pop("outboundIPs")
    profile["managedOutboundIPProfile"] = {"count": 1}
    with pytest.raises(HttpResponseError) as refused:
        clusters.begin_create_or_update("owner-rg", "myNatCluster", body).result()
    assert "cannot be switched" in str(refused.value.message)


def test_a_dual_stack_cluster_needs_a_dual_stack_subnet(demo: Sandbox,
                                                        backend: AzureBackend) -> None:
    single = WizardConfig.model_validate({
        "cluster": {"resource_group": "v4-net", "location": DEMO_LOCATION},
        "outbound": {"type": "user_assigned", "sku": "StandardV2"}})
    apply(single, backend)  # an IPv4-only VNet, subnet and gateway
    cluster = planner.build(single, backend.subscription_id).step("managed_cluster").body
    network = cluster["properties"]["networkProfile"]
    network.update(ipFamilies=["IPv4", "IPv6"], networkPluginMode="overlay")
    clusters = backend.client("containerservice").managed_clusters
    with pytest.raises(HttpResponseError) as refused:
        clusters.begin_create_or_update("v4-net", "dual", cluster).result()
    assert "needs a dual-stack subnet" in str(refused.value.message)
