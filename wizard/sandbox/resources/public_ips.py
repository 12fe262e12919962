"""Public IP addresses and prefixes: Standard SKU, static, zones fixed at creation.

The server fills `ipAddress` (a stable fake in 20.0.0.0/8), `resourceGuid`, and the
`natGateway` back-reference when a NAT gateway uses the address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.model.config import prefix_addresses
from wizard.model.names import NETWORK_CHILD
from wizard.sandbox.errors import bad_request
from wizard.sandbox.ids import fake_ip, fake_ipv6, stable_uuid
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceGroupScoped
from wizard.sandbox.resources._lookup import PUBLIC_IP, PUBLIC_IP_PREFIX, gateways_using

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

SKUS = ("Basic", "Standard", "StandardV2")


def check_zones_unchanged(body: Json, existing: Json | None) -> None:
    """Zones are fixed at creation for zonal network resources."""
    if existing is None:
        return
    before = sorted(str(z) for z in existing.get("zones") or [])
    after = sorted(str(z) for z in body.get("zones") or [])
    if before != after:
        raise bad_request(
            "ResourceAvailabilityZonesCannotBeModified",
            f"Resource {existing['id']} has an existing availability zone constraint "
            f"{before or 'none'} and the request has availability zone constraint "
            f"{after or 'none'}, which do not match. Zones cannot be added, removed or changed "
            "after creation.",
            target="zones",
        )


def _sku(body: Json) -> Json:
    sku = dict(body.get("sku") or {"name": "Standard"})
    name = str(sku.get("name", "Standard"))
    match = [s for s in SKUS if s.lower() == name.lower()]
    if not match:
        raise bad_request("InvalidParameter", f"Invalid SKU name '{name}'.", target="sku.name")
    sku["name"] = match[0]
    sku.setdefault("tier", "Regional")
    return sku


def _version(props: Json) -> str:
    """The address family of a public IP or prefix body (IPv4 unless it says IPv6)."""
    version = str(props.get("publicIPAddressVersion") or "IPv4")
    match = [v for v in ("IPv4", "IPv6") if v.lower() == version.lower()]
    if not match:
        raise bad_request("InvalidParameter", f"Invalid public IP address version '{version}'.",
                          target="properties.publicIPAddressVersion")
    props["publicIPAddressVersion"] = match[0]
    return match[0]


def _back_reference(emu: Emulator, out: Json, field: str) -> Json:
    users = gateways_using(emu, out["id"], field)
    if users:
        out.setdefault("properties", {})["natGateway"] = {"id": users[0]["id"]}
    return out


def _check_not_in_use(emu: Emulator, stored: Json, field: str, code: str) -> None:
    users = gateways_using(emu, stored["id"], field)
    if users:
        raise bad_request(
            code,
            f"{stored['type'].split('/')[-1]} {stored['id']} can not be deleted since it is "
            f"still allocated to resource {users[0]['id']}. In order to delete it, first remove "
            "it from the NAT gateway.",
        )


class PublicIPAddresses(ResourceGroupScoped):
    """`Microsoft.Network/publicIPAddresses`."""

    resource_type = "publicIPAddresses"
    arm_type = PUBLIC_IP
    template = RG_SCOPE + "/providers/Microsoft.Network/publicIPAddresses/{name}"
    lro = True
    etag = True
    name_rule = NETWORK_CHILD

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        out = self.base_body(body, existing)
        check_zones_unchanged(out, existing)
        out["sku"] = _sku(out)
        props = out["properties"]
        default_method = "Dynamic" if out["sku"]["name"] == "Basic" else "Static"
        method = str(props.get("publicIPAllocationMethod") or default_method).capitalize()
        if method not in ("Static", "Dynamic"):
            raise bad_request("InvalidParameter", f"Invalid allocation method '{method}'.")
        if method == "Dynamic" and out["sku"]["name"] != "Basic":
            raise bad_request(
                "StandardSkuPublicIPAddressesMustBeStatic",
                "Standard sku publicIp addresses must have the allocation method Static.",
                target="properties.publicIPAllocationMethod",
            )
        props["publicIPAllocationMethod"] = method
        version = _version(props)
        timeout = props.setdefault("idleTimeoutInMinutes", 4)
        if not isinstance(timeout, int) or not 4 <= timeout <= 30:
            raise bad_request(
                "PublicIPIdleTimeoutIsOutOfRange",
                f"IdleTimeoutInMinutes {timeout} is out of range 4-30.",
                target="properties.idleTimeoutInMinutes",
            )
        rid = self.resource_id(params)
        props.pop("natGateway", None)
        props.pop("ipConfiguration", None)
        attached = (existing or {}).get("properties", {}).get("ipConfiguration")
        if attached:
            # Read-only: set by the resource using the address (a load balancer frontend, a
            # NIC), which an update of the IP itself keeps.
            props["ipConfiguration"] = attached
        if method == "Static":
            props["ipAddress"] = fake_ip(rid) if version == "IPv4" else fake_ipv6(rid)
        else:
            props.pop("ipAddress", None)
        props["resourceGuid"] = stable_uuid(rid, "resourceGuid")
        return out

    def render(self, emu: Emulator, stored: Json) -> Json:
        out = _back_reference(emu, super().render(emu, stored), "publicIpAddresses")
        return _back_reference(emu, out, "publicIpAddressesV6")

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        _check_not_in_use(emu, stored, "publicIpAddresses", "PublicIPAddressCannotBeDeleted")
        _check_not_in_use(emu, stored, "publicIpAddressesV6", "PublicIPAddressCannotBeDeleted")


class PublicIPPrefixes(ResourceGroupScoped):
    """`Microsoft.Network/publicIPPrefixes`: a block of 2..16 addresses (/31../28)."""

    resource_type = "publicIPPrefixes"
    arm_type = PUBLIC_IP_PREFIX
    template = RG_SCOPE + "/providers/Microsoft.Network/publicIPPrefixes/{name}"
    lro = True
    etag = True
    name_rule = NETWORK_CHILD

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        out = self.base_body(body, existing)
        check_zones_unchanged(out, existing)
        out["sku"] = _sku(out)
        if out["sku"]["name"] == "Basic":
            raise bad_request("InvalidParameter", "Public IP prefixes need the Standard SKU.")
        props = out["properties"]
        length = props.get("prefixLength")
        version = _version(props)
        low, high = (28, 31) if version == "IPv4" else (124, 127)
        if not isinstance(length, int) or not low <= length <= high:
            # UNSOURCED: the code (the sizes are the NAT SKU doc's: a /28 IPv4 or /124 IPv6)
            raise bad_request(
                "PublicIpPrefixLengthOutOfRange",
                f"Prefix length {length} is invalid; {version} prefixes must be /{low} to "
                f"/{high}.",
                target="properties.prefixLength",
            )
        rid = self.resource_id(params)
        if version == "IPv4":
            first = fake_ip(rid).rsplit(".", 1)[0]
            props["ipPrefix"] = f"{first}.0/{length}"
        else:
            props["ipPrefix"] = f"{fake_ipv6(rid).rsplit('::', 1)[0]}::/{length}"
        props["resourceGuid"] = stable_uuid(rid, "resourceGuid")
        props.pop("natGateway", None)
        return out

    def render(self, emu: Emulator, stored: Json) -> Json:
        out = _back_reference(emu, super().render(emu, stored), "publicIpPrefixes")
        return _back_reference(emu, out, "publicIpPrefixesV6")

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        _check_not_in_use(emu, stored, "publicIpPrefixes", "PublicIPPrefixCannotBeDeleted")
        _check_not_in_use(emu, stored, "publicIpPrefixesV6", "PublicIPPrefixCannotBeDeleted")


def prefix_size(prefix: Json) -> int:
    """How many addresses a stored prefix holds."""
    return prefix_addresses(prefix.get("properties", {})) or 2
