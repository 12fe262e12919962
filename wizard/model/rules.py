"""`check(config) -> list[Finding]`: what Azure would accept but the user should know.

Errors Azure enforces at the API are model validators in `config.py`. Everything here is a risk
or advice, each tied to the field to change, saying why and what to do, with the page that
explains it and the id of the fact it encodes in docs/AZURE_FACTS.md. Two errors live here
because the model must still describe existing clusters: a subnet too small for the nodes (Azure
accepts it, and the failure comes later, when nodes or pods cannot get addresses) and a new
managed Standard gateway where the region offers StandardV2 (an imported cluster may have one).

Each rule is one small function of a validated config returning its findings; `RULES` lists them
and `check()` runs them all. Rules read the config only: no re-validation, no copies, since the
TUI runs them on every keystroke.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable

from wizard.model import capacity, lifecycle, regions
from wizard.model.config import (
    NAT_DOC,
    NAT_RESOURCE_DOC,
    NAT_ZONES_DOC,
    LoadBalancerOutbound,
    ManagedOutbound,
    UserAssignedOutbound,
    WizardConfig,
)
from wizard.model.findings import Finding

SNAT_DOC = "https://learn.microsoft.com/azure/nat-gateway/nat-gateway-snat"
LOAD_BALANCER_DOC = "https://learn.microsoft.com/azure/aks/configure-load-balancer-standard"
OUTBOUND_TYPE_DOC = "https://learn.microsoft.com/azure/aks/egress-outboundtype"
KUBENET_DOC = "https://learn.microsoft.com/azure/aks/configure-kubenet"
SUBNET_DOC = (
    "https://learn.microsoft.com/azure/aks/azure-cni-overview#plan-ip-addressing-for-your-cluster"
)
VNET_ADDRESS_DOC = (
    "https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq"
    "#what-address-ranges-can-i-use-in-my-virtual-networks"
)

SUBNET_RESERVED_ADDRESSES = 5
"""Azure keeps the first four and the last address of every subnet."""
WINDOWS_DEFAULT_MAX_PODS = 30
"""The plan sets no maxPods on Windows pools, so AKS's Azure CNI default applies."""
LOAD_BALANCER_DEFAULT_IDLE_MINUTES = 30
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(cidr)
    for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)

Rule = Callable[[WizardConfig], list[Finding]]


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _gateway_count(config: WizardConfig) -> int:
    """NAT gateways the plan creates: one per zone with the per-zone layout, else one."""
    out = config.outbound
    if isinstance(out, UserAssignedOutbound) and out.layout == "per_zone":
        return max(len(out.zones), 1)
    return 1


# -- zones ------------------------------------------------------------------------------------

LAYOUTS_COMPARED = (
    "Side by side: StandardV2 single gateway: 1 gateway, 1 subnet, 1 node pool, zone-redundant "
    "IPs; a zone outage takes no egress. Standard per zone (user-assigned): a gateway, IPs, a "
    "subnet and a node pool per zone (3 of each for zones 1-3); a zone outage takes that zone's "
    "nodes and egress only. Standard single zonal: 1 gateway in 1 zone; an outage of that zone "
    "takes all egress, even the healthy zones' nodes. The gateways cost the same per gateway."
)
"""The layout choice in one paragraph (fact zones.layouts), shown by the zone findings."""


def single_zone_gateway(config: WizardConfig) -> list[Finding]:
    """A Standard NAT gateway lives in one zone; nodes in several zones all depend on it."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or out.sku != "Standard" or len(out.zones) < 2:
        return []
    zones = ", ".join(out.zones)
    if isinstance(out, ManagedOutbound):
        return [Finding(
            "warning", "outbound.sku",
            f"The nodes span zones {zones}, but a managed Standard NAT gateway lives in one of "
            "them: if that zone goes down, every node loses egress, even in the healthy zones. "
            "For egress that survives a zone outage, set outbound.sku to StandardV2 "
            "(zone-redundant; the AKS doc's recommendation), or use outbound.type = "
            "user_assigned with layout per_zone. " + LAYOUTS_COMPARED,
            NAT_ZONES_DOC, "zones.single_gateway_multi_zone", "zones.standard-zonal")]
    if out.layout == "single":
        return [Finding(
            "warning", "outbound.layout",
            f"The nodes span zones {zones}, but the single layout has one Standard NAT gateway, "
            "and one Standard NAT gateway cannot span zones (the plan creates it with no zone, "
            "so Azure places it in one). If its zone goes down, every node loses egress. Set "
            "outbound.sku to StandardV2 (zone-redundant, recommended), or outbound.layout to "
            "per_zone. " + LAYOUTS_COMPARED,
            NAT_ZONES_DOC, "zones.single_gateway_multi_zone", "zones.standard-zonal")]
    return []


def per_zone_superseded(config: WizardConfig) -> list[Finding]:
    """Since 2026-03 the AKS doc recommends one StandardV2 gateway over Standard per zone."""
    out = config.outbound
    if not (isinstance(out, UserAssignedOutbound) and out.layout == "per_zone"):
        return []
    if regions.standard_v2_offer(config.cluster.location) == "not_offered":
        return []
    return [Finding(
        "info", "outbound.layout",
        f"{config.cluster.location} offers StandardV2: the AKS doc now recommends one "
        "zone-redundant StandardV2 gateway (outbound.sku = StandardV2, layout = single) over one "
        "Standard gateway per zone. " + LAYOUTS_COMPARED,
        NAT_DOC, "zones.per_zone_superseded", "zones.layouts")]


def no_zone(config: WizardConfig) -> list[Finding]:
    """'No zone' is a real choice with a hidden consequence: Azure picks, you cannot see it."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or out.sku != "Standard" or out.zones:
        return []
    return [Finding(
        "info", "outbound.zones",
        "No zones chosen: Azure places the NAT gateway in a zone it picks, and you cannot see "
        "or change which one later (the nodes, too, land wherever Azure puts them). That is "
        "fine in a region without availability zones and for dev/test. For production in a "
        "region with zones, list the zones (for example 1,2,3) so you decide what a "
        "zone outage takes down.",
        NAT_ZONES_DOC, "zones.no_zone", "zones.standard-zonal")]


def standard_v2(config: WizardConfig) -> list[Finding]:
    """StandardV2 is zone-redundant by itself and needs StandardV2 public IPs."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or out.sku != "StandardV2":
        return []
    if isinstance(out, ManagedOutbound):
        where = "AKS creates StandardV2 IPs for it"
    elif regions.has_zones(config.cluster.location):
        where = ("the plan creates its public IPs as StandardV2 in zones 1, 2 and 3 "
                 "(Standard IPs are refused)")
    else:
        where = "the plan creates its public IPs as StandardV2 too (Standard IPs are refused)"
    zones = (f" outbound.zones ({', '.join(out.zones)}) place only the nodes, not the gateway."
             if out.zones else "")
    return [Finding(
        "info", "outbound.sku",
        "A StandardV2 NAT gateway is zone-redundant on its own: it keeps working when a zone "
        f"goes down, so it takes no zone, and {where}.{zones} There is no in-place upgrade "
        "between the SKUs: changing it later means a new gateway and new egress IPs.",
        NAT_DOC, "sku.standard_v2", "sku.v2-ips")]


def managed_standard_in_v2_region(config: WizardConfig) -> list[Finding]:
    """AKS refuses an explicit managed Standard where the region offers StandardV2."""
    out = config.outbound
    if not isinstance(out, ManagedOutbound) or out.sku != "Standard":
        return []
    if regions.standard_v2_offer(config.cluster.location) != "offered":
        return []
    return [Finding(
        "error", "outbound.sku",
        f"{config.cluster.location} offers StandardV2, and AKS refuses a new managed NAT gateway "
        "that asks for Standard there (UnsupportedOutboundType, API 2026-06-01 and later). The "
        "API reference only says the SKU defaults to StandardV2; the AKS announcement says an "
        "explicit Standard fails, and the wizard follows the stricter of the two. Set "
        "outbound.sku = StandardV2, or use a user-assigned Standard gateway.",
        NAT_DOC, "sku.managed_standard_refused", "sku.managed-explicit")]


def region_not_listed(config: WizardConfig) -> list[Finding]:
    """A region the documentation's lists do not name: StandardV2 and zones are assumed."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound):
        return []
    if regions.standard_v2_offer(config.cluster.location) != "unknown":
        return []
    return [Finding(
        "warning", "cluster.location",
        f"{config.cluster.location} is not in the Azure region lists the wizard knows, so "
        f"whether it offers StandardV2 NAT gateways and zones is unknown; the plan asks for "
        f"{out.sku}. Preflight checks the region against your subscription; pick a listed "
        "region or the Standard SKU if it is refused.",
        regions.NAT_SKU_DOC, "sku.region_unknown", "sku.v2-regions")]


def dual_stack(config: WizardConfig) -> list[Finding]:
    """Dual-stack egress: where the sources disagree (fact network.dual-stack), and IPv6 traffic
    with no IPv6 address to leave from."""
    out = config.outbound
    if not config.cluster.dual_stack or isinstance(out, LoadBalancerOutbound):
        return []
    found = [Finding(
        "warning", "cluster.dual_stack",
        "Azure CNI Overlay's dual-stack guide (2025-12) still lists NAT gateway as not "
        "supported with dual-stack; the AKS NAT gateway doc (2026-08) and the StandardV2 "
        "announcement (2026-09) support IPv6 egress through a StandardV2 gateway, which is what "
        "this plan builds. The wizard follows the stricter reading where they differ: Standard "
        "gateways are refused on dual-stack clusters.",
        NAT_DOC, "dual_stack.sources_differ", "network.dual-stack")]
    if out.ipv6_count == 0 and not out.reuses_addresses():
        found.append(Finding(
            "warning", "outbound.ipv6_count",
            "The cluster is dual-stack but the NAT gateway gets no IPv6 address, so pods' IPv6 "
            "traffic to the internet has no way out. Set outbound.ipv6_count (1-16).",
            NAT_DOC, "dual_stack.no_ipv6_egress", "managed.ipv6"))
    return found


# -- network plugin and addresses -------------------------------------------------------------

def kubenet(config: WizardConfig) -> list[Finding]:
    """kubenet retires on 2028-03-31; Azure CNI is the documented path with a NAT gateway."""
    if config.cluster.network_plugin != "kubenet":
        return []
    if isinstance(config.outbound, UserAssignedOutbound):
        return [Finding(
            "warning", "cluster.network_plugin",
            "kubenet with a user-assigned NAT gateway is no longer the documented setup, and "
            "kubenet retires on 2028-03-31, after which such clusters are unsupported. Use "
            "network_plugin = azure (Azure CNI) now: the network plugin of an existing cluster "
            "is hard to change later.",
            NAT_DOC, "network.kubenet_user_assigned", "network.kubenet")]
    return [Finding(
        "info", "cluster.network_plugin",
        "kubenet retires on 2028-03-31. A new cluster is better started on Azure CNI "
        "(network_plugin = azure), which is also what Windows node pools need.",
        KUBENET_DOC, "network.kubenet_retiring", "network.kubenet")]


def subnet_demand(config: WizardConfig) -> tuple[int, int, str]:
    """(addresses without surge, addresses with one surge node per pool, how it adds up)."""
    cluster = config.cluster
    azure_cni = cluster.network_plugin == "azure"
    linux_per_node = cluster.max_pods + 1 if azure_cni else 1
    windows_per_node = WINDOWS_DEFAULT_MAX_PODS + 1 if azure_cni else 1
    base = cluster.node_count * linux_per_node
    surge = linux_per_node
    parts = [f"{_plural(cluster.node_count, 'Linux node')} x {linux_per_node}"]
    if config.windows.enabled:
        base += config.windows.node_count * windows_per_node
        surge += windows_per_node
        parts.append(f"{_plural(config.windows.node_count, 'Windows node')} x "
                     f"{windows_per_node}")
    reserved = SUBNET_RESERVED_ADDRESSES
    how = " + ".join(parts) + f" + {reserved} Azure reserves"
    if azure_cni:
        how += " (Azure CNI: max pods + 1 addresses per node"
        how += "; Windows pools get AKS's default of 30 pods)" if config.windows.enabled else ")"
    return base + reserved, base + surge + reserved, how


def subnet_size(config: WizardConfig) -> list[Finding]:
    """The node subnet must hold every node (and, with Azure CNI, every pod) plus surge nodes."""
    out = config.outbound
    if not isinstance(out, UserAssignedOutbound):
        return []
    size = ipaddress.IPv4Network(out.subnet_prefix).num_addresses
    needed, with_surge, how = subnet_demand(config)
    each = " (each zone's subnet)" if out.layout == "per_zone" else ""
    if size < needed:
        return [Finding(
            "error", "outbound.subnet_prefix",
            f"The subnet {out.subnet_prefix}{each} has {_n(size)} addresses, but its nodes need "
            f"{_n(needed)}: {how}. Azure accepts the subnet, then nodes or pods fail to get "
            "addresses. Use a larger prefix (a smaller /number), fewer nodes, or lower "
            "cluster.max_pods.",
            SUBNET_DOC, "subnet.too_small", "network.cni-addresses")]
    if size < with_surge:
        return [Finding(
            "warning", "outbound.subnet_prefix",
            f"The subnet {out.subnet_prefix}{each} has {_n(size)} addresses: enough for its "
            f"nodes ({_n(needed)}), but not for the extra node each pool adds during an upgrade "
            f"({_n(with_surge)} needed), so upgrades will fail. Use a larger prefix, fewer "
            "nodes, or lower cluster.max_pods.",
            SUBNET_DOC, "subnet.no_surge_room", "network.cni-addresses")]
    return []


def public_vnet_range(config: WizardConfig) -> list[Finding]:
    """A VNet on public addresses hides those internet addresses from the cluster."""
    out = config.outbound
    if not isinstance(out, UserAssignedOutbound):
        return []
    space = ipaddress.IPv4Network(out.vnet_address_space)
    if any(space.subnet_of(private) for private in PRIVATE_RANGES):
        return []
    return [Finding(
        "warning", "outbound.vnet_address_space",
        f"The VNet address space {out.vnet_address_space} is not a private range. Azure allows "
        "it, but the cluster then cannot reach the real internet hosts with those addresses "
        "(traffic to them stays in the VNet). Use a range inside 10.0.0.0/8, 172.16.0.0/12, "
        "192.168.0.0/16 or 100.64.0.0/10 that does not overlap networks you peer with.",
        VNET_ADDRESS_DOC, "network.public_address_space")]


# -- SNAT capacity ----------------------------------------------------------------------------

def _workload_share(config: WizardConfig) -> tuple[int | None, int | None, int | None]:
    """The workload figures one NAT gateway carries: with the per-zone layout, the zones share
    the load (assumed evenly, as the node pools are the same size)."""
    work = config.workload
    gateways = _gateway_count(config)

    def share(value: int | None) -> int | None:
        return math.ceil(value / gateways) if value else value

    return (share(work.concurrent_flows), share(work.busiest_destination_flows),
            share(work.new_connections_per_second))


def _has_workload(config: WizardConfig) -> bool:
    work = config.workload
    return bool(work.concurrent_flows or work.busiest_destination_flows
                or work.new_connections_per_second)


def snat_sizing(config: WizardConfig) -> list[Finding]:
    """Compare the IP count with what the stated workload needs (fact snat.sizing)."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or not _has_workload(config):
        return []
    flows, busiest, rate = _workload_share(config)
    sizing = capacity.size(flows, busiest, rate)
    chosen = capacity.Capacity(out.ip_count)
    gateways = _gateway_count(config)
    per = " per NAT gateway" if gateways > 1 else ""
    split = (f" With the per-zone layout each zone's NAT gateway carries its zone's share; the "
             f"wizard splits the workload evenly over the {gateways} zones (if a zone goes down, "
             "the others carry its share)." if gateways > 1 else "")
    decided = _LIMIT_WORDS.get(sizing.deciding_limit, sizing.deciding_limit)
    buys = (f"{_plural(out.ip_count, 'IP')} {'gives' if out.ip_count == 1 else 'give'} "
            f"{_n(chosen.snat_ports)} SNAT ports, {_n(chosen.flows_per_destination)} "
            "connections to one destination and about "
            f"{_n(chosen.new_connections_per_second_per_destination)} new connections per second "
            "to one destination")
    if not sizing.fits_one_gateway:
        return [Finding(
            "warning", "outbound.ip_count",
            f"The workload needs {sizing.required_ips} public IPs{per} (set by the {decided}), "
            f"but one NAT gateway takes at most {capacity.MAX_IPS}. Split the nodes over "
            "several subnets, each with its own NAT gateway (the per-zone layout does this), or "
            "reduce connections (connection pooling, keepalive, fewer connections to the "
            f"busiest destination). Now: {buys}.{split}",
            SNAT_DOC, "snat.exceeds_one_gateway", "snat.limits")]
    if out.ip_count < sizing.required_ips:
        return [Finding(
            "warning", "outbound.ip_count",
            f"Too few public IPs for the workload you described: it needs at least "
            f"{sizing.required_ips}{per} (set by the {decided}), you chose {out.ip_count}. "
            f"{buys[0].upper()}{buys[1:]}. When ports run out, new outbound connections fail "
            f"(SNAT exhaustion). Set outbound.ip_count to {sizing.required_ips} or more.{split}",
            SNAT_DOC, "snat.undersized", "snat.sizing")]
    used = chosen.utilization(flows, busiest, rate)
    return [Finding(
        "info", "outbound.ip_count",
        f"The workload fits{per}: at peak it uses about {used:.0%} of the tightest limit (the "
        f"{decided}); {buys}. {_plural(sizing.required_ips, 'IP')} would be the minimum."
        f"{split}",
        SNAT_DOC, "snat.headroom", "snat.sizing")]


_LIMIT_WORDS = {
    "total ports": "total concurrent connections, 64,512 ports per IP",
    "busiest destination": "connections to the busiest destination, 50,000 per IP",
    "connection rate": "new connections per second, as a port waits 65 s before reuse",
}


def gateway_flow_limit(config: WizardConfig) -> list[Finding]:
    """Past about 2 million connections one NAT gateway starts failing, whatever its IPs."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound):
        return []
    flows = _workload_share(config)[0]
    if not flows or flows <= capacity.GATEWAY_FLOW_LIMIT:
        return []
    return [Finding(
        "warning", "workload.concurrent_flows",
        f"{_n(flows)} concurrent connections through one NAT gateway is above the about "
        f"{_n(capacity.GATEWAY_FLOW_LIMIT)} at which Azure says failures become likely, however "
        "many IPs it has. Spread the nodes over more subnets with their own NAT gateways (the "
        "per-zone layout), or reduce connections with pooling and keepalive.",
        SNAT_DOC, "snat.gateway_flow_limit", "snat.limits")]


def load_balancer_ports(config: WizardConfig) -> list[Finding]:
    """The load balancer preallocates ports per node; explain what that means here."""
    out = config.outbound
    if not isinstance(out, LoadBalancerOutbound):
        return []
    nodes = config.cluster.node_count + (config.windows.node_count if config.windows.enabled
                                         else 0)
    per_node = capacity.load_balancer_ports_per_node(nodes)
    limit = capacity.load_balancer_max_nodes(out.ip_count, per_node)
    flows = config.workload.concurrent_flows
    demand = ""
    if flows:
        per_node_flows = math.ceil(flows / nodes)
        demand = (f" Your {_n(flows)} concurrent connections are about {_n(per_node_flows)} per "
                  "node" + (", more than a node has: expect failed connections."
                            if per_node_flows > per_node else "."))
    return [Finding(
        "info", "outbound.ip_count",
        f"The load balancer preallocates SNAT ports per node: with {_plural(nodes, 'node')} "
        f"Azure's automatic allocation gives each node {_n(per_node)} ports, shared by all its "
        f"pods, however idle the other nodes are. {_plural(out.ip_count, 'IP')} x "
        f"{_n(capacity.LOAD_BALANCER_PORTS_PER_IP)} / {_n(per_node)} ports covers "
        f"{_n(limit)} nodes.{demand} A NAT gateway instead shares {_n(capacity.PORTS_PER_IP)} "
        "ports per IP across the subnet on demand.",
        LOAD_BALANCER_DOC, "snat.load_balancer_ports", "lb.ports")]


def load_balancer_outbound(config: WizardConfig) -> list[Finding]:
    """The wizard is about NAT gateways; the load balancer is there to describe and migrate."""
    if not isinstance(config.outbound, LoadBalancerOutbound):
        return []
    return [Finding(
        "info", "outbound.type",
        "Egress through the load balancer is AKS's default and is kept here to describe "
        "existing clusters and migrate them. For a new cluster, a NAT gateway (outbound.type "
        "= managed, or user_assigned on your own VNet) gives fixed egress IPs and shares ports "
        "on demand instead of preallocating them per node, which is what usually runs out. "
        "Changing it later moves egress to new IPs.",
        OUTBOUND_TYPE_DOC, "outbound.load_balancer", "lb.ports")]


# -- idle timeout -----------------------------------------------------------------------------

def idle_timeout(config: WizardConfig) -> list[Finding]:
    """A long idle timeout holds SNAT ports; keepalive is the better fix. 4 is not LB's 30."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound):
        return []
    if out.idle_timeout_minutes > 4:
        return [Finding(
            "warning", "outbound.idle_timeout_minutes",
            f"An idle timeout of {out.idle_timeout_minutes} minutes keeps every idle "
            "connection's SNAT port reserved that long, so ports run out sooner under load. If "
            "your applications keep idle connections open (database pools, long polls), turn "
            "on TCP keepalive with an interval under 4 minutes and leave this at 4.",
            NAT_RESOURCE_DOC, "timeout.long_idle", "nat.idle-timeout")]
    return [Finding(
        "info", "outbound.idle_timeout_minutes",
        f"A NAT gateway closes TCP connections idle for 4 minutes. The load balancer's default "
        f"is {LOAD_BALANCER_DEFAULT_IDLE_MINUTES}, so apps moved from it that leave connections "
        "idle longer will see them dropped. Use TCP keepalive (under 4 minutes) rather than a "
        "longer timeout. UDP's idle timeout is fixed at 4 minutes.",
        NAT_RESOURCE_DOC, "timeout.shorter_than_load_balancer", "nat.idle-timeout")]


# -- Windows ----------------------------------------------------------------------------------

def windows_outbound_nat(config: WizardConfig) -> list[Finding]:
    """OutboundNAT on a NAT gateway cluster squeezes Windows pods through the node IP's ports."""
    win = config.windows
    if (not win.enabled or win.disable_outbound_nat
            or isinstance(config.outbound, LoadBalancerOutbound)):
        return []
    return [Finding(
        "warning", "windows.disable_outbound_nat",
        "Windows OutboundNAT is on, so Windows pods' traffic is translated through the node's "
        f"own IP, which has about {capacity.WINDOWS_OUTBOUND_NAT_PORTS} ports, before it reaches "
        "the NAT gateway. Busy pods reuse ports and connections fail (DNS lookups first). Set "
        "windows.disable_outbound_nat = true so pods use the gateway's ports; it can be set "
        "only when the pool is created.",
        NAT_DOC, "windows.outbound_nat_enabled", "windows.outbound-nat")]


def windows_os_sku(config: WizardConfig) -> list[Finding]:
    """The Windows OS SKU's lifecycle for the chosen Kubernetes version, today (facts
    windows.2019, windows.2022, windows.2025)."""
    if not config.windows.enabled:
        return []
    version = config.kubernetes_version_tuple
    return lifecycle.os_sku_findings(config.windows.os_sku, version[:2] if version else None,
                                     lifecycle.today())


RULES: tuple[Rule, ...] = (
    managed_standard_in_v2_region,
    region_not_listed,
    single_zone_gateway,
    per_zone_superseded,
    no_zone,
    standard_v2,
    dual_stack,
    kubenet,
    subnet_size,
    public_vnet_range,
    snat_sizing,
    gateway_flow_limit,
    load_balancer_ports,
    load_balancer_outbound,
    idle_timeout,
    windows_outbound_nat,
    windows_os_sku,
)


def check(config: WizardConfig) -> list[Finding]:
    """Every rule's findings, in rule order (front ends sort them with `sort_findings`)."""
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(config))
    return found
