"""Read an existing AKS cluster into a `WizardConfig`: the starting point of a migration.

`import_cluster(discovery, resource_group, name)` reads the cluster (and, when it runs on your own
VNet, the VNet, subnet and NAT gateway) through `Discovery` and maps it onto the wizard's model:
outbound `load_balancer`, `managed` or `user_assigned`. What the model cannot say (extra node
pools, a VNet in another resource group, a system-assigned identity with a user-assigned NAT
gateway) is listed in `notes`, so the user knows what a plan from this config leaves out.

The mapping is chosen so the config's plan describes the cluster as it is: planning and applying
the imported config finds every step already there and changes nothing.

`to_config(cluster, network)` is the pure part, testable on plain ARM bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from wizard.azure.discovery import (
    Discovery,
    NatGateway,
    PublicIp,
    SubnetInfo,
    VirtualNetwork,
    resource_group_of,
)
from wizard.model.config import WizardConfig
from wizard.plan import service_cidr_for


class ClusterImportError(Exception):
    """The cluster cannot be read or cannot be described by the wizard's model."""


@dataclass(frozen=True)
class ExistingNetwork:
    """The BYO network of a cluster: its VNet, the nodes' subnet and the subnet's NAT gateway."""

    vnet: VirtualNetwork
    subnet: SubnetInfo
    nat_gateway: NatGateway | None = None
    prefix_sizes: dict[str, int] = field(default_factory=dict)
    """Addresses held by each of the gateway's IPv4 prefixes, by lower-cased id (as read)."""

    @property
    def subnet_body(self) -> dict[str, Any]:
        return self.subnet.raw


@dataclass(frozen=True)
class ImportedCluster:
    """An existing cluster as the wizard sees it."""

    config: WizardConfig
    cluster: dict[str, Any]
    """The cluster's ARM body as Azure returned it (a migration PUTs an edited copy)."""
    network: ExistingNetwork | None
    egress_ips: tuple[PublicIp, ...] = ()
    """The public IPs egress leaves from today (for allow-lists)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def outbound_type(self) -> str:
        return str(_network_profile(self.cluster).get("outboundType", "loadBalancer"))

    @property
    def resource_id(self) -> str:
        return str(self.cluster.get("id", ""))


def _props(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("properties")
    return value if isinstance(value, dict) else {}


def _network_profile(cluster: dict[str, Any]) -> dict[str, Any]:
    value = _props(cluster).get("networkProfile")
    return value if isinstance(value, dict) else {}


def pools(cluster: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in _props(cluster).get("agentPoolProfiles") or [] if isinstance(p, dict)]


def system_pool(cluster: dict[str, Any]) -> dict[str, Any]:
    candidates = pools(cluster)
    for pool in candidates:
        if str(pool.get("mode", "")).lower() == "system":
            return pool
    if not candidates:
        raise ClusterImportError("the cluster has no node pool")
    return candidates[0]


def subnet_id_of(cluster: dict[str, Any]) -> str:
    return str(system_pool(cluster).get("vnetSubnetID") or "")


def egress_ip_ids(cluster: dict[str, Any]) -> list[str]:
    """The public IPs egress leaves from, as Azure reports them (`effectiveOutboundIPs`)."""
    profile = _network_profile(cluster)
    found: list[str] = []
    for section in ("loadBalancerProfile", "natGatewayProfile"):
        value = profile.get(section) or {}
        for ref in value.get("effectiveOutboundIPs") or []:
            if isinstance(ref, dict) and ref.get("id"):
                found.append(str(ref["id"]))
    return found


def _user_identity_name(cluster: dict[str, Any]) -> str | None:
    identities = (cluster.get("identity") or {}).get("userAssignedIdentities") or {}
    for resource_id in identities:
        return str(resource_id).rstrip("/").rsplit("/", 1)[-1]
    return None


def to_config(cluster: dict[str, Any], network: ExistingNetwork | None = None,
              subscription_id: str | None = None) -> tuple[WizardConfig, list[str]]:
    """The config that describes `cluster` (an ARM body), and what it cannot describe."""
    notes: list[str] = []
    props = _props(cluster)
    profile = _network_profile(cluster)
    pool = system_pool(cluster)
    resource_id = str(cluster.get("id", ""))
    outbound_type = str(profile.get("outboundType", "loadBalancer"))
    version = str(props.get("kubernetesVersion") or props.get("currentKubernetesVersion") or "")
    zones = [str(z) for z in pool.get("availabilityZones") or []]
    cluster_section: dict[str, Any] = {
        "resource_group": resource_group_of(resource_id),
        "name": str(cluster.get("name", "")),
        "location": str(cluster.get("location", "")),
        "dns_prefix": str(props.get("dnsPrefix") or ""),
        "kubernetes_version": version,
        "system_pool_name": str(pool.get("name", "")),
        "node_count": int(pool.get("count") or 1),
        "node_vm_size": str(pool.get("vmSize", "")),
        "max_pods": int(pool.get("maxPods") or 30),
        "network_plugin": str(profile.get("networkPlugin") or "azure"),
    }
    if "IPv6" in (profile.get("ipFamilies") or []):
        cluster_section["dual_stack"] = True
    if subscription_id:
        cluster_section["subscription_id"] = subscription_id
    outbound: dict[str, Any]
    if outbound_type == "loadBalancer":
        lb = profile.get("loadBalancerProfile") or {}
        outbound = {
            "type": "load_balancer",
            "ip_count": int((lb.get("managedOutboundIPs") or {}).get("count") or 1),
            "idle_timeout_minutes": int(lb.get("idleTimeoutInMinutes") or 30),
            "zones": zones,
            "vnet_subnet_id": subnet_id_of(cluster),
        }
        if lb.get("outboundIPs") or lb.get("outboundIPPrefixes"):
            notes.append("the load balancer uses your own outbound IPs or prefixes; the wizard "
                         "describes only a managed outbound IP count")
    elif outbound_type == "managedNATGateway":
        nat = profile.get("natGatewayProfile") or {}
        managed = nat.get("managedOutboundIPProfile") or {}
        outbound = {
            "type": "managed",
            "ip_count": int(managed.get("count") or 1),
            "idle_timeout_minutes": int(nat.get("idleTimeoutInMinutes") or 4),
            "zones": zones,
        }
        if managed.get("countIPv6"):
            outbound["ipv6_count"] = int(managed["countIPv6"])
        own_ips = list((nat.get("outboundIPs") or {}).get("publicIPs") or [])
        own_prefixes = list((nat.get("outboundIPPrefixes") or {}).get("publicIPPrefixes") or [])
        if own_ips or own_prefixes:
            # Your own addresses (fact managed.own-ips): the count is theirs, the prefixes' sizes
            # unknown here, so preflight says what to set if it differs.
            outbound.update(public_ip_ids=own_ips, public_ip_prefix_ids=own_prefixes,
                            ip_count=len(own_ips) + 2 * len(own_prefixes))
            if own_prefixes:
                notes.append("the gateway uses your own public IP prefixes; outbound.ip_count "
                             "counts each as 2 addresses until preflight reads their sizes")
        if nat.get("sku"):
            outbound["sku"] = str(nat["sku"])
    elif outbound_type == "userAssignedNATGateway":
        outbound = _user_assigned_section(cluster, network, zones, notes)
    else:
        raise ClusterImportError(f"outbound type {outbound_type} is not one the wizard describes "
                           "(load balancer, managed or user-assigned NAT gateway)")
    data: dict[str, Any] = {
        "description": f"Imported from {resource_id}" if resource_id else "Imported cluster",
        "cluster": cluster_section,
        "outbound": outbound,
        "windows": _windows_section(cluster, pool, notes),
    }
    for other in pools(cluster):
        if other is not pool and str(other.get("osType", "Linux")).lower() != "windows":
            notes.append(f"node pool {other.get('name')} is not part of the wizard's model; a "
                         "plan from this config leaves it alone")
    try:
        return WizardConfig.model_validate(data), notes
    except ValidationError as error:  # Azure answered a cluster the model cannot describe
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ClusterImportError(f"the cluster cannot be described: {where}: {first['msg']}"
                                 ) from None


def _user_assigned_section(cluster: dict[str, Any], network: ExistingNetwork | None,
                           zones: list[str], notes: list[str]) -> dict[str, Any]:
    if network is None:
        raise ClusterImportError("the cluster uses a user-assigned NAT gateway, but its subnet "
                                 "could not be read")
    gateway = network.nat_gateway
    if gateway is None:
        raise ClusterImportError(f"subnet {network.subnet.name} has no NAT gateway, yet the "
                                 "cluster's outbound type is userAssignedNATGateway")
    section: dict[str, Any] = {
        "type": "user_assigned",
        "layout": "single",
        "sku": gateway.sku if gateway.sku in ("Standard", "StandardV2") else "Standard",
        "ip_count": max(len(gateway.public_ip_ids), 1),
        "idle_timeout_minutes": gateway.idle_timeout_minutes,
        "zones": zones,
        "nat_gateway_name": gateway.name,
        "vnet_name": network.vnet.name,
        "vnet_address_space": network.vnet.address_space[0] if network.vnet.address_space
        else "10.0.0.0/16",
        "subnet_name": network.subnet.name,
        "subnet_prefix": network.subnet.address_prefix,
    }
    identity = _user_identity_name(cluster)
    if identity:
        section["identity_name"] = identity
    else:
        notes.append("the cluster runs as a system-assigned identity; the wizard's user-assigned "
                     "layout names a user-assigned one (outbound.identity_name), which a plan "
                     "from this config would create")
    expected = [f"{gateway.name}-ip{i + 1}" for i in range(len(gateway.public_ip_ids))]
    actual = [ip_id.rsplit("/", 1)[-1] for ip_id in gateway.public_ip_ids]
    cluster_group = resource_group_of(str(cluster.get("id", ""))).lower()
    if sorted(n.lower() for n in expected) != sorted(n.lower() for n in actual) or any(
            resource_group_of(ip_id).lower() != cluster_group for ip_id in gateway.public_ip_ids):
        # Not the wizard's own names: keep the gateway on these very IPs (and addresses).
        section["public_ip_ids"] = list(gateway.public_ip_ids)
        notes.append(f"the NAT gateway's public IPs ({', '.join(actual)}) are not named the way "
                     f"the wizard names them; the config lists them in outbound.public_ip_ids, "
                     "so a plan from it reuses them as they are")
    if gateway.public_ip_prefix_ids:
        _prefixes(section, gateway, network, notes)
    if gateway.ipv6_ids:
        _ipv6(section, gateway, network, notes)
    if len(network.vnet.address_space) > 1 and not gateway.ipv6_ids:
        notes.append("the VNet has several address spaces; the config keeps the first")
    service_cidr = _network_profile(cluster).get("serviceCidr")
    planned = service_cidr_for(section["vnet_address_space"])
    if service_cidr and str(service_cidr) != planned:
        notes.append(f"the cluster's service CIDR is {service_cidr}; the wizard's plan picks "
                     f"{planned} for this VNet, so applying a plan from this config reports "
                     "the cluster as drift (the service CIDR cannot change on a running cluster)")
    return section


def _prefixes(section: dict[str, Any], gateway: NatGateway, network: ExistingNetwork,
              notes: list[str]) -> None:
    """A gateway on public IP prefixes: the config keeps them as existing ones, so a plan from
    it sends the same gateway and never deletes them; the IP count is the addresses they and any
    IPs hold (fact ip.prefix-reuse)."""
    prefixes = list(gateway.public_ip_prefix_ids)
    section["public_ip_prefix_ids"] = prefixes
    section["public_ip_ids"] = list(gateway.public_ip_ids)
    sizes = [network.prefix_sizes.get(p.lower()) for p in prefixes]
    section["ip_count"] = len(gateway.public_ip_ids) + sum(size or 2 for size in sizes)
    notes.append("the NAT gateway uses public IP prefixes; the config lists them in "
                 "outbound.public_ip_prefix_ids, so a plan from it reuses them (and never "
                 "deletes them)" + ("" if all(sizes) else "; a prefix could not be read, so "
                                    "outbound.ip_count counts it as 2 addresses"))


def _ipv6(section: dict[str, Any], gateway: NatGateway, network: ExistingNetwork,
          notes: list[str]) -> None:
    """A dual-stack gateway: its IPv6 public IPs named the wizard's way become the IPv6 count,
    and the VNet's IPv6 range the config's."""
    v6_space = [space for space in network.vnet.address_space if ":" in space]
    if v6_space:
        section["vnet_address_space_v6"] = v6_space[0]
    names = [i.rsplit("/", 1)[-1] for i in gateway.ipv6_ids]
    expected = [f"{gateway.name}-ip6-{n + 1}" for n in range(len(names))]
    if sorted(n.lower() for n in names) == sorted(n.lower() for n in expected):
        section["ipv6_count"] = len(names)
    else:
        notes.append(f"the NAT gateway's IPv6 addresses ({', '.join(names)}) are not named the "
                     "way the wizard names them; the config does not describe them, so a plan "
                     "from it reports the gateway as drift")


def _windows_section(cluster: dict[str, Any], system: dict[str, Any],
                     notes: list[str]) -> dict[str, Any]:
    windows = [p for p in pools(cluster) if str(p.get("osType", "")).lower() == "windows"]
    if not windows:
        return {"enabled": False}
    pool = windows[0]
    if len(windows) > 1:
        notes.append("only the first Windows pool is described")
    win_profile = pool.get("windowsProfile") or {}
    admin = (_props(cluster).get("windowsProfile") or {}).get("adminUsername") or "azureuser"
    section: dict[str, Any] = {
        "enabled": True,
        "name": str(pool.get("name", "npwin")),
        "node_count": int(pool.get("count") or 1),
        "vm_size": str(pool.get("vmSize", "")),
        "disable_outbound_nat": bool(win_profile.get("disableOutboundNat", False)),
        "admin_username": str(admin),
    }
    if pool.get("osSKU"):
        section["os_sku"] = str(pool["osSKU"])
    return section


def read_network(discovery: Discovery, subnet_id: str) -> ExistingNetwork | None:
    """The VNet, subnet and NAT gateway behind `subnet_id`, or None when it is not found."""
    if not subnet_id:
        return None
    found = discovery.subnet_by_id(subnet_id)
    if found is None:
        return None
    vnet, subnet = found
    gateway = None
    if subnet.nat_gateway_id:
        group = resource_group_of(subnet.nat_gateway_id)
        for candidate in discovery.nat_gateways(group):
            if candidate.id.lower() == subnet.nat_gateway_id.lower():
                gateway = candidate
    sizes: dict[str, int] = {}
    for prefix_id in gateway.public_ip_prefix_ids if gateway else ():
        size = discovery.public_ip_prefix_size(prefix_id)
        if size is not None:
            sizes[prefix_id.lower()] = size
    return ExistingNetwork(vnet=vnet, subnet=subnet, nat_gateway=gateway, prefix_sizes=sizes)


def read_egress_ips(discovery: Discovery, cluster: dict[str, Any],
                    network: ExistingNetwork | None) -> tuple[PublicIp, ...]:
    """The public IPs egress leaves from today, with their addresses where Azure has them."""
    wanted = [ip.lower() for ip in egress_ip_ids(cluster)]
    if network is not None and network.nat_gateway is not None and \
            _network_profile(cluster).get("outboundType") == "userAssignedNATGateway":
        wanted = [ip.lower() for ip in network.nat_gateway.public_ip_ids]
    found: list[PublicIp] = []
    for group in sorted({resource_group_of(ip) for ip in wanted}):
        for ip in discovery.public_ips(group):
            if ip.id.lower() in wanted:
                found.append(ip)
    return tuple(sorted(found, key=lambda ip: ip.name))


def import_cluster(discovery: Discovery, resource_group: str, name: str) -> ImportedCluster:
    """Read cluster `resource_group/name` and everything its outbound path uses."""
    cluster = discovery.managed_cluster(resource_group, name)
    if cluster is None:
        raise ClusterImportError(f"there is no cluster {name} in resource group {resource_group}")
    subnet_id = subnet_id_of(cluster)
    network = read_network(discovery, subnet_id)
    if subnet_id and network is None:
        raise ClusterImportError(f"the cluster's subnet {subnet_id} could not be read")
    config, notes = to_config(cluster, network, discovery.subscription_id)
    if network is not None and network.vnet.resource_group.lower() != resource_group.lower() \
            and config.outbound.type == "user_assigned":
        notes.append(f"the VNet is in resource group {network.vnet.resource_group}; the "
                     "wizard's plan puts it in the cluster's, so it would plan a new one")
    egress = read_egress_ips(discovery, cluster, network)
    return ImportedCluster(config=config, cluster=cluster, network=network, egress_ips=egress,
                           notes=tuple(notes))
