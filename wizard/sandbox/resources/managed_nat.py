"""The NAT gateway AKS makes for `outboundType: managedNATGateway`, kept in step with the cluster.

AKS creates the gateway in the cluster's node resource group on the managed outbound IPs it also
creates there, with the profile's idle timeout (fact outbound.managed); the cluster
reports those IPs in `natGatewayProfile.effectiveOutboundIPs`. The sandbox stores the gateway as
an ordinary `Microsoft.Network/natGateways` resource, so the normal GET and list paths (and
`Discovery.nat_gateways()`) see it. A cluster update that changes the IP count or idle timeout
updates it; another outbound type or the cluster's deletion (its node resource group goes) removes
it. The docs do not name AKS's gateway; the sandbox calls it `MANAGED_NAT_GATEWAY_NAME`.

On a StandardV2 gateway the IPs may be the customer's own (`outboundIPs`, `outboundIPPrefixes`)
and may include IPv6 ones (`countIPv6`); the gateway lists each in its IPv4 or IPv6 field.

Not modelled: the managed VNet and subnet the gateway is attached to, and zone placement (the
gateway is "no zone").
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from wizard.sandbox.ids import stable_uuid
from wizard.sandbox.kinds import Json
from wizard.sandbox.resources._lookup import NAT_GATEWAY, PUBLIC_IP_PREFIX

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

MANAGED_NAT_GATEWAY_NAME = "aks-managed-nat-gateway"
#: The tag the sandbox marks AKS-made outbound resources with, and its value on the gateway.
OUTBOUND_TAG = "aks-managed-type"
GATEWAY_TAG_VALUE = "managedNATGateway"


def managed_sku(profile: Json) -> str:
    """The gateway SKU of a stored managed NAT profile (the cluster handler stores the SKU it
    resolved, the region's default when the request omitted it: fact sku.managed-default)."""
    return "StandardV2" if str(profile.get("sku") or "").lower() == "standardv2" else "Standard"


def gateway_id(node_rg_id: str) -> str:
    """Where the managed gateway of a cluster with this node resource group lives."""
    return f"{node_rg_id}/providers/Microsoft.Network/natGateways/{MANAGED_NAT_GATEWAY_NAME}"


def owned_gateways(emu: Emulator, cluster_id: str) -> list[Json]:
    """The managed NAT gateways the sandbox made for this cluster."""
    return [gw for gw in emu.store.referrers(cluster_id, NAT_GATEWAY)
            if (gw.get("tags") or {}).get(OUTBOUND_TAG) == GATEWAY_TAG_VALUE
            and emu.same_id((gw.get("tags") or {}).get("owner"), cluster_id)]


def sync_managed_gateway(emu: Emulator, cluster: Json, node_rg_id: str,
                         ip_ids: list[str]) -> None:
    """Create, update or remove the cluster's managed NAT gateway to match its network profile.
    Call with the IPs the profile wants (already stored) before any unwanted IP is deleted."""
    network = cluster["properties"]["networkProfile"]
    if network["outboundType"] != "managedNATGateway":
        for gateway in owned_gateways(emu, cluster["id"]):
            emu.store.delete(gateway["id"])
        return
    profile = network["natGatewayProfile"]
    rid = gateway_id(node_rg_id)
    wanted_props: Json = {
        "idleTimeoutInMinutes": profile["idleTimeoutInMinutes"],
        "publicIpAddresses": [], "publicIpPrefixes": [],
    }
    for address_id in ip_ids:
        # IPs and prefixes, each IPv4 or IPv6, go to the gateway's four lists (the network
        # API's natGateway shape: publicIpAddresses[V6], publicIpPrefixes[V6]).
        stored = emu.store.get(address_id) or {}
        field = ("publicIpPrefixes" if str(stored.get("type", "")).lower()
                 == PUBLIC_IP_PREFIX.lower() else "publicIpAddresses")
        if (stored.get("properties") or {}).get("publicIPAddressVersion") == "IPv6":
            field += "V6"
        wanted_props.setdefault(field, []).append({"id": address_id})
    wanted_props.update({"resourceGuid": stable_uuid(rid, "resourceGuid"),
                         "provisioningState": "Succeeded"})
    sku = {"name": managed_sku(profile)}
    existing = emu.store.get(rid)
    if existing is not None and existing.get("properties") == wanted_props \
            and existing.get("sku") == sku:
        return
    emu.store.put({
        "id": rid,
        "name": MANAGED_NAT_GATEWAY_NAME,
        "type": NAT_GATEWAY,
        "location": cluster["location"],
        "tags": {OUTBOUND_TAG: GATEWAY_TAG_VALUE, "owner": cluster["id"]},
        "sku": sku,
        "etag": f'W/"{uuid.uuid4()}"',
        "properties": wanted_props,
    })
