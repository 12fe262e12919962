"""What the plan sends for a new or existing public IP prefix, your own addresses on a managed
gateway, and a dual-stack cluster."""

from __future__ import annotations

from typing import Any

from wizard.model.capacity import PORTS_PER_IP
from wizard.model.config import WizardConfig
from wizard.plan import Plan, build

SUB = "9b1f3a44-6c2d-4e8f-8a1b-2c3d4e5f6a7b"
PREFIX = (f"/subscriptions/{SUB}/resourceGroups/egress/providers/Microsoft.Network/"
          "publicIPPrefixes/block")
IP = f"/subscriptions/{SUB}/resourceGroups/egress/providers/Microsoft.Network/publicIPAddresses/a"


def plan(outbound: dict[str, Any], **cluster: Any) -> Plan:
    return build(WizardConfig.model_validate({"cluster": cluster, "outbound": outbound}))


def network(built: Plan) -> dict[str, Any]:
    body = built.step("managed_cluster").body
    value: dict[str, Any] = body["properties"]["networkProfile"]
    return value


def test_a_new_prefix_replaces_the_ips_and_carries_their_snat_ports() -> None:
    built = plan({"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                  "ip_count": 8}, location="eastus2")
    assert not [s for s in built.steps if s.kind == "public_ip"]
    prefix = next(s for s in built.steps if s.kind == "public_ip_prefix")
    assert prefix.body["properties"] == {"prefixLength": 29, "publicIPAddressVersion": "IPv4"}
    assert prefix.body["sku"] == {"name": "StandardV2", "tier": "Regional"}
    assert prefix.body["zones"] == ["1", "2", "3"]  # zone-redundant where the region has zones
    assert prefix.snat_ports == 8 * PORTS_PER_IP == built.total_snat_ports
    gateway = built.step("nat_gateway:myNatGateway")
    assert gateway.body["properties"]["publicIpPrefixes"] == [{"id": prefix.resource_id}]
    assert "publicIpAddresses" not in gateway.body["properties"]
    assert prefix.key in gateway.depends_on
    assert "--public-ip-prefixes" in gateway.az and "--public-ip-addresses" not in gateway.az
    assert "--length" in prefix.az and prefix.az[prefix.az.index("--length") + 1] == "29"


def test_a_new_prefix_has_no_zone_in_a_region_without_zones() -> None:
    built = plan({"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                  "ip_count": 2}, location="westcentralus")
    prefix = next(s for s in built.steps if s.kind == "public_ip_prefix")
    assert "zones" not in prefix.body


def test_per_zone_gets_one_zonal_prefix_per_zone() -> None:
    built = plan({"type": "user_assigned", "sku": "Standard", "layout": "per_zone",
                  "zones": "1,2,3", "ip_prefix": True, "ip_count": 2}, location="eastus2")
    prefixes = [s for s in built.steps if s.kind == "public_ip_prefix"]
    assert [p.body["zones"] for p in prefixes] == [["1"], ["2"], ["3"]]
    for zone in "123":
        gateway = built.step(f"nat_gateway:myNatGateway-z{zone}")
        assert gateway.body["zones"] == [zone]
        assert gateway.body["properties"]["publicIpPrefixes"] == [
            {"id": built.step(f"public_ip_prefix:myNatGateway-z{zone}-prefix").resource_id}]
    assert built.total_snat_ports == 3 * 2 * PORTS_PER_IP


def test_existing_prefixes_are_referenced_not_created() -> None:
    built = plan({"type": "user_assigned", "sku": "StandardV2", "public_ip_ids": [IP],
                  "public_ip_prefix_ids": [PREFIX], "ip_count": 5})
    assert not [s for s in built.steps if s.kind in ("public_ip", "public_ip_prefix")]
    gateway = built.step("nat_gateway:myNatGateway")
    assert gateway.body["properties"]["publicIpAddresses"] == [{"id": IP}]
    assert gateway.body["properties"]["publicIpPrefixes"] == [{"id": PREFIX}]
    assert gateway.snat_ports == 5 * PORTS_PER_IP
    assert gateway.az[gateway.az.index("--public-ip-prefixes") + 1] == PREFIX
    assert "block (resource group egress)" in gateway.summary


def test_your_own_addresses_replace_the_managed_ip_profile() -> None:
    built = plan({"type": "managed", "sku": "StandardV2", "public_ip_ids": [IP],
                  "public_ip_prefix_ids": [PREFIX], "ip_count": 3})
    profile = network(built)["natGatewayProfile"]
    assert profile == {"outboundIPs": {"publicIPs": [IP]},
                       "outboundIPPrefixes": {"publicIPPrefixes": [PREFIX]},
                       "idleTimeoutInMinutes": 4, "sku": "StandardV2"}
    az = built.step("managed_cluster").az
    assert az[az.index("--nat-gateway-outbound-ips") + 1] == IP
    assert az[az.index("--nat-gateway-outbound-ip-prefixes") + 1] == PREFIX
    assert "--nat-gateway-managed-outbound-ip-count" not in az
    assert built.total_snat_ports == 3 * PORTS_PER_IP


def test_a_dual_stack_cluster_asks_for_ipv6_egress_on_the_overlay() -> None:
    built = plan({"type": "managed", "sku": "StandardV2", "ip_count": 2, "ipv6_count": 3},
                 dual_stack=True)
    net = network(built)
    assert net["ipFamilies"] == ["IPv4", "IPv6"]
    assert net["networkPluginMode"] == "overlay"
    assert net["natGatewayProfile"]["managedOutboundIPProfile"] == {"count": 2, "countIPv6": 3}
    az = built.step("managed_cluster").az
    assert az[az.index("--nat-gateway-managed-outbound-ipv6-count") + 1] == "3"
    assert az[az.index("--ip-families") + 1] == "IPv4,IPv6"
    assert "3 IPv6" in built.step("managed_cluster").summary


def test_kubenet_dual_stack_keeps_its_plugin_without_overlay() -> None:
    net = network(plan({"type": "managed", "sku": "StandardV2"}, dual_stack=True,
                       network_plugin="kubenet"))
    assert net["ipFamilies"] == ["IPv4", "IPv6"] and "networkPluginMode" not in net


def test_a_single_stack_cluster_sends_no_ip_families() -> None:
    net = network(plan({"type": "managed", "sku": "StandardV2"}))
    assert "ipFamilies" not in net and "countIPv6" not in net["natGatewayProfile"][
        "managedOutboundIPProfile"]


def test_a_user_assigned_dual_stack_network_carries_ipv6_all_the_way() -> None:
    built = plan({"type": "user_assigned", "sku": "StandardV2", "ip_count": 1,
                  "ipv6_count": 2}, dual_stack=True)
    vnet = next(s for s in built.steps if s.kind == "virtual_network")
    assert vnet.body["properties"]["addressSpace"]["addressPrefixes"] == [
        "10.0.0.0/16", "fd00:10::/48"]
    subnet = next(s for s in built.steps if s.kind == "subnet")
    assert subnet.body["properties"]["addressPrefixes"] == ["10.0.0.0/22", "fd00:10::/64"]
    assert "addressPrefix" not in subnet.body["properties"]
    v6 = [s for s in built.steps if s.kind == "public_ip"
          and s.body["properties"]["publicIPAddressVersion"] == "IPv6"]
    assert [s.name for s in v6] == ["myNatGateway-ip6-1", "myNatGateway-ip6-2"]
    assert all(s.snat_ports == 0 for s in v6)  # IPv6 SNAT is not the IPv4 sizing's figure
    gateway = built.step("nat_gateway:myNatGateway")
    assert gateway.body["properties"]["publicIpAddressesV6"] == [
        {"id": s.resource_id} for s in v6]
    assert list(gateway.az[gateway.az.index("--pip-addresses-v6") + 1:][:2]) == [
        s.name for s in v6]
    net = network(built)
    assert net["ipFamilies"] == ["IPv4", "IPv6"] and net["networkPluginMode"] == "overlay"
    assert net["serviceCidrs"] == [net["serviceCidr"], "fd12:3456:789a:1::/108"]
    az = built.step("managed_cluster").az
    assert "--service-cidr" not in az and "--service-cidrs" in az


def test_a_user_assigned_dual_stack_prefix_pair() -> None:
    built = plan({"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                  "ip_count": 2, "ipv6_count": 4}, dual_stack=True)
    prefixes = {s.name: s.body["properties"] for s in built.steps
                if s.kind == "public_ip_prefix"}
    assert prefixes == {
        "myNatGateway-prefix": {"prefixLength": 31, "publicIPAddressVersion": "IPv4"},
        "myNatGateway-prefix6": {"prefixLength": 126, "publicIPAddressVersion": "IPv6"}}
    gateway = built.step("nat_gateway:myNatGateway")
    assert len(gateway.body["properties"]["publicIpPrefixesV6"]) == 1
    assert built.total_snat_ports == 2 * PORTS_PER_IP
