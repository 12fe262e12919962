"""Where a cluster's egress leaves from: the public addresses and CIDRs partners must allow-list.

- `loadBalancer` and `managedNATGateway`: the IPs Azure reports in the profile's
  `effectiveOutboundIPs` (resolved to addresses), plus any public IP prefixes the load
  balancer profile names;
- `userAssignedNATGateway`: the public IPs and prefixes of the NAT gateway on the nodes' subnet
  (what the subnet's gateway holds is what egress uses, whatever the cluster says).

Read through the backend's network client (raw ARM JSON); `EgressError` when the cluster is
missing. The API server's authorized IP ranges are read alongside, so a migration can check
that the new addresses are allowed before egress moves (`wizard.plan.authorized_ranges`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from wizard.azure.discovery import resource_group_of


class EgressError(Exception):
    """The cluster cannot be read."""


@dataclass(frozen=True)
class EgressAddress:
    """One public IP or prefix egress leaves from."""

    name: str
    kind: str
    """`ip` or `prefix`."""
    cidr: str | None
    """`a.b.c.d/32` for an IP, the prefix's range for a prefix; None when Azure has none yet."""
    resource_id: str

    @property
    def address(self) -> str | None:
        if self.cidr is None:
            return None
        return self.cidr.removesuffix("/32") if self.kind == "ip" else self.cidr

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "address": self.address,
                "cidr": self.cidr, "resource_id": self.resource_id}


@dataclass(frozen=True)
class ClusterEgress:
    """A cluster's egress addresses and its API server's authorized IP ranges."""

    cluster_id: str
    outbound_type: str
    addresses: tuple[EgressAddress, ...]
    authorized_ip_ranges: tuple[str, ...]
    """Empty: the API server accepts any address (the feature is off)."""

    @property
    def cidrs(self) -> list[str]:
        return [a.cidr for a in self.addresses if a.cidr]

    def to_dict(self) -> dict[str, Any]:
        return {"cluster_id": self.cluster_id, "outbound_type": self.outbound_type,
                "addresses": [a.to_dict() for a in self.addresses], "cidrs": self.cidrs,
                "authorized_ip_ranges": list(self.authorized_ip_ranges)}


def _ids(items: Any) -> list[str]:
    return [str(item["id"]) for item in items or [] if isinstance(item, dict) and item.get("id")]


def _name(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def _get(backend: Any, kind: str, resource_id: str) -> dict[str, Any] | None:
    from wizard.azure.backend import AzureError, _raw_json, _translated

    network = backend.client("network")
    operations = {"ip": network.public_ip_addresses, "prefix": network.public_ip_prefixes,
                  "gateway": network.nat_gateways}[kind]
    try:
        with _translated(None):
            found = operations.get(resource_group_of(resource_id), _name(resource_id),
                                   cls=_raw_json)
    except AzureError as error:
        if error.status == 404:
            return None
        raise
    return found if isinstance(found, dict) else None


def _subnet_gateway(backend: Any, subnet_id: str) -> str | None:
    from wizard.azure.backend import _raw_json, _translated

    parts = subnet_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    try:
        vnet = parts[lowered.index("virtualnetworks") + 1]
        subnet = parts[lowered.index("subnets") + 1]
    except (ValueError, IndexError):
        return None
    with _translated(None):
        body = backend.client("network").subnets.get(resource_group_of(subnet_id), vnet, subnet,
                                                     cls=_raw_json)
    gateway = ((body or {}).get("properties") or {}).get("natGateway") or {}
    return str(gateway["id"]) if gateway.get("id") else None


def addresses_of(backend: Any, ip_ids: list[str], prefix_ids: list[str]
                 ) -> tuple[EgressAddress, ...]:
    """The public IPs and prefixes named, resolved to CIDRs (missing ones are left out)."""
    found: list[EgressAddress] = []
    for ip_id in ip_ids:
        body = _get(backend, "ip", ip_id)
        if body is None:
            continue
        address = (body.get("properties") or {}).get("ipAddress")
        found.append(EgressAddress(_name(ip_id), "ip", f"{address}/32" if address else None,
                                   ip_id))
    for prefix_id in prefix_ids:
        body = _get(backend, "prefix", prefix_id)
        if body is None:
            continue
        found.append(EgressAddress(_name(prefix_id), "prefix",
                                   (body.get("properties") or {}).get("ipPrefix"), prefix_id))
    return tuple(found)


def gateway_addresses(backend: Any, gateway_id: str) -> tuple[EgressAddress, ...]:
    """The public IPs and prefixes a NAT gateway holds."""
    gateway = _get(backend, "gateway", gateway_id) or {}
    props = gateway.get("properties") or {}
    # IPv4 and (on a StandardV2 gateway) IPv6 lists alike: every address egress leaves from.
    return addresses_of(backend, _ids(props.get("publicIpAddresses"))
                        + _ids(props.get("publicIpAddressesV6")),
                        _ids(props.get("publicIpPrefixes")) + _ids(props.get("publicIpPrefixesV6")))


def cluster_egress(backend: Any, resource_group: str, name: str) -> ClusterEgress:
    """Where `resource_group/name`'s egress leaves from now."""
    from wizard.azure.backend import AzureError, _raw_json, _translated
    from wizard.azure.importer import subnet_id_of

    try:
        with _translated("managed_cluster"):
            cluster = backend.client("containerservice").managed_clusters.get(
                resource_group, name, cls=_raw_json)
    except AzureError as error:
        if error.status == 404:
            raise EgressError(f"there is no cluster {name} in resource group "
                              f"{resource_group}") from error
        raise
    props = cluster.get("properties") or {}
    network = props.get("networkProfile") or {}
    outbound = str(network.get("outboundType", "loadBalancer"))
    access = props.get("apiServerAccessProfile") or {}
    ranges = tuple(str(r) for r in access.get("authorizedIPRanges") or [])
    addresses: tuple[EgressAddress, ...] = ()
    if outbound == "userAssignedNATGateway":
        gateway = _subnet_gateway(backend, subnet_id_of(cluster))
        addresses = gateway_addresses(backend, gateway) if gateway else ()
    elif outbound in ("loadBalancer", "managedNATGateway"):
        profile = network.get("loadBalancerProfile" if outbound == "loadBalancer"
                              else "natGatewayProfile") or {}
        prefixes = _ids((profile.get("outboundIPPrefixes") or {}).get("publicIPPrefixes"))
        addresses = addresses_of(backend, _ids(profile.get("effectiveOutboundIPs")), prefixes)
    return ClusterEgress(str(cluster.get("id", "")), outbound, addresses, ranges)


def covered(cidr: str, ranges: tuple[str, ...] | list[str]) -> bool:
    """Whether `cidr` lies inside one of `ranges` (an empty list allows everything)."""
    if not ranges:
        return True
    wanted = ipaddress.ip_network(cidr, strict=False)
    for item in ranges:
        try:
            allowed = ipaddress.ip_network(item, strict=False)
        except ValueError:
            continue
        if wanted.version == allowed.version and wanted.subnet_of(allowed):  # type: ignore[arg-type]
            return True
    return False
