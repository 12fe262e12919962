"""Cross-resource lookups shared by handlers: references and the back-references ARM computes.

Back-references (a NAT gateway's `subnets`, a public IP's `natGateway`) are derived at read time
from the forward references, so they can never go stale; the store's reference index finds the
candidates (`Store.referrers`) and the field is checked here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.sandbox.errors import ArmError, bad_request
from wizard.sandbox.ids import key
from wizard.sandbox.kinds import Json, ref_id

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

PUBLIC_IP = "Microsoft.Network/publicIPAddresses"
PUBLIC_IP_PREFIX = "Microsoft.Network/publicIPPrefixes"
NAT_GATEWAY = "Microsoft.Network/natGateways"
VNET = "Microsoft.Network/virtualNetworks"
SUBNET = "Microsoft.Network/virtualNetworks/subnets"
IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities"
ROLE_ASSIGNMENT = "Microsoft.Authorization/roleAssignments"
CLUSTER = "Microsoft.ContainerService/managedClusters"
AGENT_POOL = "Microsoft.ContainerService/managedClusters/agentPools"


def require_ref(emu: Emulator, ref: Any, arm_type: str, referrer: str) -> Json:
    """The stored resource a `{"id": ...}` reference points at, or ARM's 400 when missing."""
    rid = ref_id(ref) if isinstance(ref, dict) else (ref if isinstance(ref, str) else None)
    if not rid:
        raise bad_request("InvalidRequestFormat", f"A reference in {referrer} has no id.")
    stored = emu.store.get(rid)
    if stored is None or str(stored.get("type", "")).lower() != arm_type.lower():
        raise bad_request(
            "InvalidResourceReference",
            f"Resource {rid} referenced by resource {referrer} was not found. Please make sure "
            "that the referenced resource exists, and that both resources are in the same region.",
        )
    return stored


def refs(props: Json, field: str) -> list[str]:
    """The ids in a list of references `props[field]`."""
    out: list[str] = []
    for item in props.get(field) or []:
        rid = ref_id(item)
        if rid:
            out.append(rid)
    return out


def gateways_using(emu: Emulator, target_id: str, field: str) -> list[Json]:
    """NAT gateways whose `field` (publicIpAddresses / publicIpPrefixes) lists `target_id`."""
    return [
        gw for gw in emu.store.referrers(target_id, NAT_GATEWAY)
        if any(key(r) == key(target_id) for r in refs(gw.get("properties", {}), field))
    ]


def subnets_using_gateway(emu: Emulator, gateway_id: str) -> list[Json]:
    """Subnets whose `natGateway` is `gateway_id`."""
    return [
        s for s in emu.store.referrers(gateway_id, SUBNET)
        if emu.same_id(ref_id(s.get("properties", {}).get("natGateway")), gateway_id)
    ]


def pools_using_subnet(emu: Emulator, subnet_id: str) -> list[Json]:
    """Agent pools placed in `subnet_id` (nodes or pods)."""
    return [
        p for p in emu.store.referrers(subnet_id, AGENT_POOL)
        if emu.same_id(p.get("properties", {}).get("vnetSubnetID"), subnet_id)
        or emu.same_id(p.get("properties", {}).get("podSubnetID"), subnet_id)
    ]


ADDRESS_FIELDS = ("publicIpAddresses", "publicIpPrefixes", "publicIpAddressesV6",
                  "publicIpPrefixesV6")
"""A NAT gateway's four address lists (the network API's natGateway)."""


def same_region(holder: Json, item: Json, referrer: str, target: str | None = None) -> None:
    """A NAT gateway uses addresses of its own region only; ARM answers a reference across
    regions as it answers a missing one."""
    def region(body: Json) -> str:
        return str(body.get("location", "")).replace(" ", "").lower()

    if region(item) and region(holder) and region(item) != region(holder):
        raise bad_request(
            "InvalidResourceReference",
            f"Resource {item['id']} referenced by resource {referrer} was not found. Please make "
            "sure that the referenced resource exists, and that both resources are in the same "
            "region.", target=target)


def address_holder(emu: Emulator, item: Json, gateway_id: str) -> str | None:
    """What else holds public IP or prefix `item` (another NAT gateway, in any of its lists, or
    an ipConfiguration), so `gateway_id` may not take it; None when it is free or already its."""
    for field in ADDRESS_FIELDS:
        for gateway in gateways_using(emu, item["id"], field):
            if not emu.same_id(gateway["id"], gateway_id):
                return str(gateway["id"])
    return ref_id(item.get("properties", {}).get("ipConfiguration"))


def address_in_use(holder: str, item: Json, gateway_id: str, target: str) -> ArmError:
    """ARM's refusal of an address another resource holds (Azure's words)."""
    return bad_request("PublicIPAddressInUse",
                       f"Resource {gateway_id} is referencing public IP address {item['id']} "
                       f"that is already allocated to resource {holder}.", target=target)

