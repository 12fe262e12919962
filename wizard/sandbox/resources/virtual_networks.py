"""Virtual networks and subnets.

Subnets are stored as their own records (so the child PUT `/virtualNetworks/{v}/subnets/{s}` and
the inline `properties.subnets` of a VNet PUT write the same thing) and put back inline when a
VNet is read. Like Azure, a VNet PUT sets the subnet list exactly: subnets left out are deleted,
which fails with InUseSubnetCannotBeDeleted when a cluster's pool sits in one. Prefixes must lie
inside the VNet's address space and must not overlap.
"""

from __future__ import annotations

import copy
import ipaddress
import uuid
from typing import TYPE_CHECKING, Any

from wizard.model.names import NETWORK_CHILD
from wizard.model.names import VNET as VNET_NAME
from wizard.sandbox.errors import bad_request, not_found
from wizard.sandbox.ids import key, stable_uuid
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceGroupScoped, ResourceKind
from wizard.sandbox.resources._lookup import (
    NAT_GATEWAY,
    SUBNET,
    VNET,
    pools_using_subnet,
    require_ref,
)
from wizard.sandbox.router import fill_template

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
VNET_TEMPLATE = RG_SCOPE + "/providers/Microsoft.Network/virtualNetworks/{vnet}"
INLINE_KEY = "__inlineSubnets"


def _networks(values: Any, what: str) -> list[Network]:
    if not isinstance(values, list) or not values:
        raise bad_request("InvalidAddressPrefixFormat", f"{what} needs at least one CIDR prefix.")
    out: list[Network] = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(str(value), strict=True))
        except ValueError as err:
            raise bad_request("InvalidAddressPrefixFormat",
                              f"{what}: {value!r} is not a valid CIDR prefix ({err}).") from err
    return out


def _subnet_prefixes(props: Json, name: str) -> list[Network]:
    values = props.get("addressPrefixes") or (
        [props["addressPrefix"]] if props.get("addressPrefix") else [])
    return _networks(values, f"Subnet {name}")


def validate_subnet(
    emu: Emulator, vnet_id: str, space: list[Network], name: str, body: Json,
    siblings: dict[str, list[Network]],
) -> tuple[Json, list[Network]]:
    """Check one subnet body against the VNet and its siblings; return (stored props, prefixes)."""
    problem = NETWORK_CHILD.problem(name)
    if problem:
        raise bad_request("InvalidResourceName", problem)
    props = copy.deepcopy(body.get("properties") or {})
    prefixes = _subnet_prefixes(props, name)
    for net in prefixes:
        if not any(net.version == s.version and net.subnet_of(s) for s in space):  # type: ignore[arg-type]
            raise bad_request("NetcfgSubnetRangeOutsideVnet",
                              f"Subnet '{name}' is not valid because its IP address range {net} "
                              f"is outside the IP address range of virtual network {vnet_id}.")
        for other, other_nets in siblings.items():
            if key(other) != key(name) and any(net.overlaps(o) for o in other_nets):
                raise bad_request("NetcfgSubnetRangesOverlap",
                                  f"Subnet '{name}' is not valid because its IP address range "
                                  f"{net} overlaps with that of subnet '{other}'.")
    nat = props.get("natGateway")
    if nat is not None:
        gateway = require_ref(emu, nat, NAT_GATEWAY, f"{vnet_id}/subnets/{name}")
        props["natGateway"] = {"id": gateway["id"]}
    for read_only in ("provisioningState", "ipConfigurations"):
        props.pop(read_only, None)
    return props, prefixes


def _in_use_check(emu: Emulator, subnet: Json) -> None:
    pools = pools_using_subnet(emu, subnet["id"])
    if pools:
        raise bad_request("InUseSubnetCannotBeDeleted",
                          f"Subnet {subnet['name']} is in use by {pools[0]['id']} and cannot be "
                          "deleted. In order to delete the subnet, delete all the resources "
                          "within the subnet.")


def _subnets_of(emu: Emulator, vnet_id: str) -> list[Json]:
    return emu.store.children_of(SUBNET, vnet_id, "subnets")


class VirtualNetworks(ResourceGroupScoped):
    """`Microsoft.Network/virtualNetworks`."""

    resource_type = "virtualNetworks"
    arm_type = VNET
    template = RG_SCOPE + "/providers/Microsoft.Network/virtualNetworks/{name}"
    lro = True
    etag = True
    name_rule = VNET_NAME

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        rid = self.resource_id(params)
        out = self.base_body(body, existing)
        props = out["properties"]
        space = _networks((props.get("addressSpace") or {}).get("addressPrefixes"),
                          f"Virtual network {params['name']} addressSpace")
        inline = props.pop("subnets", None) or []
        if not isinstance(inline, list):
            raise bad_request("InvalidRequestFormat", "properties.subnets must be a list.")
        siblings: dict[str, list[Network]] = {}
        parsed: list[tuple[str, Json]] = []
        for item in inline:
            name = str((item or {}).get("name") or "")
            if not name:
                raise bad_request("InvalidRequestFormat", "Every inline subnet needs a name.")
            if key(name) in {key(n) for n in siblings}:
                raise bad_request("DuplicateResourceName", f"Subnet {name} appears twice.")
            siblings[name] = _subnet_prefixes(copy.deepcopy(item.get("properties") or {}), name)
        for item in inline:
            sub_props, _ = validate_subnet(emu, rid, space, item["name"], item, siblings)
            parsed.append((item["name"], sub_props))
        kept = {key(n) for n, _ in parsed}
        for subnet in _subnets_of(emu, rid):
            if key(subnet["name"]) not in kept:
                _in_use_check(emu, subnet)
        props["resourceGuid"] = stable_uuid(rid, "resourceGuid")
        out[INLINE_KEY] = [{"name": n, "properties": p} for n, p in parsed]
        return out

    def after_put(self, emu: Emulator, stored: Json, existing: Json | None) -> list[str]:
        inline = stored.pop(INLINE_KEY, [])
        wanted = {key(item["name"]) for item in inline}
        for subnet in _subnets_of(emu, stored["id"]):
            if key(subnet["name"]) not in wanted:
                emu.remove_tree(subnet["id"])
        followers: list[str] = []
        for item in inline:
            sid = f"{stored['id']}/subnets/{item['name']}"
            props = {**item["properties"],
                     "provisioningState": stored["properties"]["provisioningState"]}
            emu.store.put({"id": sid, "name": item["name"], "type": SUBNET,
                           "etag": f'W/"{uuid.uuid4()}"', "properties": props})
            followers.append(sid)
        emu.store.touch()
        return followers

    def render(self, emu: Emulator, stored: Json) -> Json:
        out = super().render(emu, stored)
        out["properties"]["subnets"] = [copy.deepcopy(s) for s in _subnets_of(emu, stored["id"])]
        return out

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        for subnet in _subnets_of(emu, stored["id"]):
            _in_use_check(emu, subnet)


class Subnets(ResourceKind):
    """`Microsoft.Network/virtualNetworks/subnets`, the child resource."""

    resource_type = "subnets"
    arm_type = SUBNET
    template = VNET_TEMPLATE + "/subnets/{name}"
    lro = True
    etag = True
    name_rule = NETWORK_CHILD

    def _vnet(self, emu: Emulator, params: dict[str, str]) -> Json:
        vnet = emu.store.get(fill_template(VNET_TEMPLATE, params))
        if vnet is None:
            raise not_found("ParentResourceNotFound",
                            f"Can not perform requested operation on nested resource. Parent "
                            f"resource '{params['vnet']}' not found.")
        return vnet

    def check_parent(self, emu: Emulator, params: dict[str, str]) -> None:
        super().check_parent(emu, params)
        self._vnet(emu, params)

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        vnet = self._vnet(emu, params)
        space = _networks(vnet["properties"]["addressSpace"]["addressPrefixes"], "VNet")
        siblings: dict[str, list[Network]] = {}
        for subnet in _subnets_of(emu, vnet["id"]):
            if key(subnet["name"]) != key(params["name"]):
                siblings[subnet["name"]] = _subnet_prefixes(subnet["properties"], subnet["name"])
        props, _ = validate_subnet(emu, vnet["id"], space, params["name"], body, siblings)
        return {"properties": props}

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        _in_use_check(emu, stored)
