"""NAT gateways, validated like Azure validates them.

Rejected (docs/AZURE_FACTS.md: zones.standard-zonal, sku.v2-ips, snat.limits, nat.idle-timeout):
Basic or non-static public IPs;
a public IP in another zone than a zonal gateway (zone-redundant IPs are fine, a no-zone gateway
accepts any); more than 16 addresses counting prefixes; idle timeout outside 4-120; StandardV2
with zones or with non-StandardV2 IPs (and a StandardV2 IP on a Standard gateway); more than
one zone; a zone change after creation; an IP
in another region (InvalidResourceReference, as ARM answers it); an IP already allocated to
another gateway or to an ipConfiguration (PublicIPAddressInUse, Azure's message). IPs may be in
any resource group of the subscription. The `subnets` back-reference is computed when read, as
is each IP's `natGateway`.

The limits are documented; most error codes are not. Each code no source names is marked
`UNSOURCED` where it is raised (docs/AZURE_FACTS.md lists them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.model.names import NETWORK_CHILD
from wizard.sandbox.errors import bad_request
from wizard.sandbox.ids import stable_uuid
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceGroupScoped
from wizard.sandbox.resources._lookup import (
    NAT_GATEWAY,
    PUBLIC_IP,
    PUBLIC_IP_PREFIX,
    address_holder,
    address_in_use,
    refs,
    require_ref,
    same_region,
    subnets_using_gateway,
)
from wizard.sandbox.resources.public_ips import check_zones_unchanged, prefix_size

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

MAX_IPS = 16
ALL_ZONES = {"1", "2", "3"}


def _zone_ok(gateway_zones: list[str], ip_zones: list[str]) -> bool:
    """A zonal gateway takes IPs of its zone or zone-redundant ones; a no-zone one takes any."""
    if not gateway_zones:
        return True
    zone = gateway_zones[0]
    return ip_zones == [zone] or (len(ip_zones) > 1 and zone in ip_zones)


def _check_version(item: Json, version: str, sku_name: str, field: str) -> None:
    """IPv4 addresses in the IPv4 lists, IPv6 ones in the V6 lists, and IPv6 on StandardV2 only
    (fact sku.v2-limits)."""
    found = str((item.get("properties") or {}).get("publicIPAddressVersion") or "IPv4")
    if found != version:
        # UNSOURCED: the code (the lists' meaning is the network API's)
        raise bad_request("NatGatewayPublicIpVersionMismatch",
                          f"{item['id']} is {found}; properties.{field} takes {version} "
                          "addresses only.", target=f"properties.{field}")
    if version == "IPv6" and sku_name != "StandardV2":
        # UNSOURCED: the code (Standard NAT gateways have no IPv6: the NAT SKU doc)
        raise bad_request("NatGatewayIPv6RequiresStandardV2",
                          "Only a StandardV2 NAT gateway takes IPv6 public IPs or prefixes.",
                          target=f"properties.{field}")


class NatGateways(ResourceGroupScoped):
    """`Microsoft.Network/natGateways`."""

    resource_type = "natGateways"
    arm_type = NAT_GATEWAY
    template = RG_SCOPE + "/providers/Microsoft.Network/natGateways/{name}"
    lro = True
    etag = True
    name_rule = NETWORK_CHILD

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        rid = self.resource_id(params)
        out = self.base_body(body, existing)
        sku = dict(out.get("sku") or {"name": "Standard"})
        sku_name = {"standard": "Standard", "standardv2": "StandardV2"}.get(
            str(sku.get("name", "")).lower())
        if sku_name is None:
            raise bad_request("InvalidParameter", f"Invalid NAT gateway SKU {sku.get('name')!r}; "
                              "expected Standard or StandardV2.", target="sku.name")
        out["sku"] = {**sku, "name": sku_name}
        zones = [str(z) for z in out.get("zones") or []]
        if existing is not None:
            check_zones_unchanged(out, existing)
        if sku_name == "StandardV2" and zones:
            # UNSOURCED: code StandardV2NatGatewayCannotHaveZones (the rule is documented)
            raise bad_request("StandardV2NatGatewayCannotHaveZones",
                              "A StandardV2 NAT gateway is zone-redundant and takes no zones.",
                              target="zones")
        if len(zones) > 1:
            # UNSOURCED: code NatGatewayCannotHaveMultipleZones (the rule is documented)
            raise bad_request("NatGatewayCannotHaveMultipleZones",
                              f"A NAT gateway can be placed in one zone at most, got {zones}. "
                              "Use one NAT gateway per zone.", target="zones")
        props = out["properties"]
        timeout = props.setdefault("idleTimeoutInMinutes", 4)
        if not isinstance(timeout, int) or not 4 <= timeout <= 120:
            # UNSOURCED: code NatGatewayInvalidIdleTimeout (the rule is documented)
            raise bad_request("NatGatewayInvalidIdleTimeout",
                              f"The idle timeout of a NAT gateway must be within 4-120 minutes, "
                              f"got {timeout}.", target="properties.idleTimeoutInMinutes")
        for suffix, version in (("", "IPv4"), ("V6", "IPv6")):
            count = 0
            for field, arm_type in (("publicIpAddresses", PUBLIC_IP),
                                    ("publicIpPrefixes", PUBLIC_IP_PREFIX)):
                found: list[Json] = []
                for item_id in refs(props, field + suffix):
                    item = require_ref(emu, {"id": item_id}, arm_type, rid)
                    same_region(out, item, rid)
                    self._check_ip(emu, rid, sku_name, zones, item, field + suffix)
                    _check_version(item, version, sku_name, field + suffix)
                    found.append({"id": item["id"]})
                    count += prefix_size(item) if arm_type == PUBLIC_IP_PREFIX else 1
                if found or not suffix:
                    props[field + suffix] = found
                else:
                    props.pop(field + suffix, None)
            if count > MAX_IPS:
                # UNSOURCED: code NatGatewayCannotHaveMoreThan16PublicIpAddresses
                raise bad_request("NatGatewayCannotHaveMoreThan16PublicIpAddresses",
                                  f"A NAT gateway supports at most {MAX_IPS} public {version} "
                                  f"addresses (prefixes counted by size); {rid} would have "
                                  f"{count}.", target=f"properties.publicIpAddresses{suffix}")
        props.pop("subnets", None)
        props["resourceGuid"] = stable_uuid(rid, "resourceGuid")
        return out

    def _check_ip(self, emu: Emulator, rid: str, sku_name: str, zones: list[str], ip: Json,
                  field: str) -> None:
        ip_sku = str((ip.get("sku") or {}).get("name", "Standard"))
        if ip_sku == "Basic":
            # UNSOURCED: code NatGatewayCannotHaveBasicSkuPublicIp (the rule is documented)
            raise bad_request("NatGatewayCannotHaveBasicSkuPublicIp",
                              f"NAT gateway {rid} cannot use Basic SKU public IP {ip['id']}; "
                              "use a Standard SKU public IP.", target=f"properties.{field}")
        method = ip.get("properties", {}).get("publicIPAllocationMethod", "Static")
        if field == "publicIpAddresses" and method != "Static":
            # UNSOURCED: code NatGatewayPublicIpMustBeStatic (the rule is documented)
            raise bad_request("NatGatewayPublicIpMustBeStatic",
                              f"Public IP {ip['id']} uses {method} allocation; a NAT gateway "
                              "needs static public IPs.", target=f"properties.{field}")
        if (sku_name == "StandardV2") != (ip_sku == "StandardV2"):
            # UNSOURCED: code NatGatewaySkuMismatchWithPublicIp (the rule is documented)
            raise bad_request("NatGatewaySkuMismatchWithPublicIp",
                              f"NAT gateway SKU {sku_name} cannot use public IP {ip['id']} of "
                              f"SKU {ip_sku}: StandardV2 gateways need StandardV2 IPs and "
                              "Standard gateways need Standard IPs.", target=f"properties.{field}")
        ip_zones = sorted(str(z) for z in ip.get("zones") or [])
        if not _zone_ok(zones, ip_zones):
            # UNSOURCED: code NatGatewayAndPublicIpZoneMismatch (the rule is documented)
            raise bad_request("NatGatewayAndPublicIpZoneMismatch",
                              f"NAT gateway {rid} is in zone {zones[0]} but public IP {ip['id']} "
                              f"is in zones {ip_zones or 'none'}; use an IP in the same zone or "
                              "a zone-redundant one.", target=f"properties.{field}")
        holder = address_holder(emu, ip, rid)
        if holder:
            raise address_in_use(holder, ip, rid, f"properties.{field}")

    def render(self, emu: Emulator, stored: Json) -> Json:
        out = super().render(emu, stored)
        subnets = subnets_using_gateway(emu, stored["id"])
        if subnets:
            out["properties"]["subnets"] = [{"id": s["id"]} for s in subnets]
        return out

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        subnets = subnets_using_gateway(emu, stored["id"])
        if subnets:
            # UNSOURCED: code InUseNatGatewayCannotBeDeleted (the rule is documented)
            raise bad_request("InUseNatGatewayCannotBeDeleted",
                              f"NAT gateway {stored['id']} cannot be deleted because it is in "
                              f"use by subnet {subnets[0]['id']}. Remove it from the subnet first.")
