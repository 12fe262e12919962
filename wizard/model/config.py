"""The one configuration every front end edits: `WizardConfig`.

Its shape is the preset file's shape (`[cluster]`, `[outbound]`, `[windows]`, `[workload]`), so
a preset is this model as TOML and the CLI's `--set outbound.ip_count=2` is a dotted path into it.
Each field is declared once, with a `title` (its label) and a `description` (the paragraph of help a
newcomer needs); the CLI, the Textual screens and the plain prompts all render that declaration.

Field constraints carry Azure's limits; the cross-field rules Azure enforces at the API are model
validators that blame the field a user should change (docs/AZURE_FACTS.md names
the fact each encodes). Risks that Azure would
accept are not here: they are warnings in `rules.py`.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from wizard.model import derived_names, names, regions

SCHEMA_VERSION = 1
NAT_DOC = "https://learn.microsoft.com/azure/aks/nat-gateway"
NAT_RESOURCE_DOC = "https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource"
NAT_ZONES_DOC = "https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones"

Zone = Literal["1", "2", "3"]
Sku = Literal["Standard", "StandardV2"]
NetworkPlugin = Literal["azure", "kubenet"]
WINDOWS_OUTBOUND_NAT_MIN_VERSION = (1, 26)
MIN_KUBERNETES_VERSION = (1, 20)
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


class _Part(BaseModel):
    """Base of every section: unknown keys are errors, assignments are validated too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def parse_version(value: str) -> tuple[int, int, int] | None:
    """`"1.30"` -> (1, 30, 0); empty or malformed -> None."""
    match = _VERSION.fullmatch(value.strip())
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def _check_name(rule: names.NameRule, value: str) -> str:
    problem = rule.problem(value)
    if problem:
        raise PydanticCustomError("azure_name", "{problem}", {"problem": problem})
    return value


def _normalize_zones(value: Any) -> Any:
    """Accept "1,2" or [1, "2"]; store a sorted list of distinct strings."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,]+", value) if part]
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
        if len(set(items)) != len(items):
            raise PydanticCustomError("duplicate_zone", "each zone may be listed only once")
        return sorted(items)
    return value


@functools.lru_cache(maxsize=1024)
def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """`ipaddress.ip_network(text)`, parsed once: the same few ranges are read again by the
    rules, the subnet blocks and the plan on every keystroke in the wizard."""
    return ipaddress.ip_network(text)


@functools.lru_cache(maxsize=256)
def _subnet_blocks(first_prefix: str, count: int) -> tuple[str, ...]:
    """`count` consecutive blocks of the size of `first_prefix`, starting with it (fewer
    where the IPv4 space ends)."""
    first = parse_network(first_prefix)
    blocks = []
    for index in range(count):
        base = int(first.network_address) + index * first.num_addresses
        if base + first.num_addresses > 2**32:
            break
        blocks.append(str(ipaddress.ip_network((base, first.prefixlen))))
    return tuple(blocks)


def _ipv4_network(value: str, what: str) -> str:
    try:
        network = ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as exc:
        raise PydanticCustomError(
            "cidr", "{what} must be an IPv4 range in CIDR form like 10.0.0.0/16 ({reason})",
            {"what": what, "reason": str(exc)},
        ) from None
    if network.version != 4:
        raise PydanticCustomError("cidr", "{what} must be IPv4", {"what": what})
    return str(network)


ZoneList = Annotated[list[Zone], Field(max_length=3)]

PUBLIC_IP_ID = re.compile(
    r"/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    r"Microsoft\.Network/publicIPAddresses/(?P<name>[^/]+)",
    re.IGNORECASE,
)
PUBLIC_IP_PREFIX_ID = re.compile(
    r"/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    r"Microsoft\.Network/publicIPPrefixes/(?P<name>[^/]+)",
    re.IGNORECASE,
)
PREFIX_SIZES = (2, 4, 8, 16)
"""The address counts a new IPv4 public IP prefix can hold for a NAT gateway: /31 to /28 (fact
ip.prefix-sizes)."""
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_PUBLIC_IP_ID_SHAPE = ("/subscriptions/SUBSCRIPTION-ID/resourceGroups/GROUP/providers/"
                       "Microsoft.Network/publicIPAddresses/NAME")


def public_ip_id_problem(value: str, *, prefix: bool = False) -> str | None:
    """Why `value` is not a public IP's (or, with `prefix`, a public IP prefix's) ARM resource
    id, or None when it is one.

    ARM ids are case-insensitive, so the shape is matched without regard to case; the names in it
    must follow Azure's rules, so a typo is caught here rather than as "not found" at apply time.
    """
    match = (PUBLIC_IP_PREFIX_ID if prefix else PUBLIC_IP_ID).fullmatch(value)
    if match is None:
        if prefix:
            return (f"{value!r} is not a public IP prefix's resource id; it looks like "
                    f"{_PUBLIC_IP_ID_SHAPE.replace('publicIPAddresses', 'publicIPPrefixes')} "
                    "(see `az network public-ip prefix show --query id`)")
        return (f"{value!r} is not a public IP's resource id; it looks like "
                f"{_PUBLIC_IP_ID_SHAPE} (see `az network public-ip show --query id`)")
    if not _GUID.fullmatch(match["subscription"]):
        return (f"{value!r} names subscription {match['subscription']!r}, which is not a "
                "subscription ID (a GUID like 12345678-1234-1234-1234-123456789abc)")
    return names.RESOURCE_GROUP.problem(match["group"]) or names.NETWORK_CHILD.problem(
        match["name"])


def parse_public_ip_id(value: str) -> tuple[str, str, str]:
    """(subscription, resource group, name) of a valid public IP or public IP prefix id."""
    match = PUBLIC_IP_ID.fullmatch(value) or PUBLIC_IP_PREFIX_ID.fullmatch(value)
    if match is None:
        raise ValueError(f"not a public IP resource id: {value!r}")
    return match["subscription"], match["group"], match["name"]


def _address_ids_valid(value: list[str], prefix: bool) -> list[str]:
    """Every listed id is a public IP's (or, with `prefix`, a prefix's) resource id."""
    for item in value:
        problem = public_ip_id_problem(item, prefix=prefix)
        if problem:
            raise PydanticCustomError("public_ip_id", "{problem}", {"problem": problem})
    return value


def _normalize_public_ip_ids(value: Any) -> Any:
    """Accept "ID1,ID2" (the CLI's and an input box's text) or a list; store trimmed ids."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,]+", value) if part]
    if isinstance(value, list | tuple):
        return [str(item).strip().rstrip("/") if isinstance(item, str) else item
                for item in value]
    return value


class ClusterSettings(_Part):
    """Where the cluster goes and what its system node pool looks like."""

    subscription_id: str | None = Field(
        default=None,
        title="Subscription",
        description="The Azure subscription ID to create everything in. Leave empty to use the "
        "AZURE_SUBSCRIPTION_ID environment variable or the only subscription your login sees; "
        "it is needed only to apply, not to plan or export.",
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    )
    resource_group: str = Field(
        default="myResourceGroup",
        title="Resource group",
        description="The resource group that holds the cluster and, for a user-assigned NAT "
        "gateway, the VNet, public IPs, NAT gateway and identity. Created if it does not exist.",
    )
    name: str = Field(
        default="myNatCluster",
        title="Cluster name",
        description="The AKS cluster's name: 1-63 letters, digits, '-' or '_'.",
    )
    location: str = Field(
        default="southcentralus",
        title="Location",
        description="The Azure region, as `az account list-locations` names it (for example "
        "eastus2 or westeurope). Zones 1-3 exist only in regions with availability zones.",
    )
    dns_prefix: str = Field(
        default="",
        title="DNS prefix",
        description="Prefix of the API server's host name. Empty means derived from the cluster "
        "name. It cannot be changed after creation.",
    )
    kubernetes_version: str = Field(
        default="",
        title="Kubernetes version",
        description="For example 1.33. Empty means the region's default version. NAT gateway "
        "outbound types need 1.20 or newer; a Windows pool without OutboundNAT needs 1.26+.",
    )
    system_pool_name: str = Field(
        default="nodepool1",
        title="System node pool name",
        description="1-12 lowercase letters or digits, starting with a letter.",
    )
    node_count: int = Field(
        default=3,
        ge=1,
        le=1000,
        title="Node count",
        description="Nodes in the system pool (per zone with the per-zone layout).",
    )
    node_vm_size: str = Field(
        default="Standard_DS2_v2",
        title="Node VM size",
        description="The VM size of the Linux nodes, for example Standard_D4s_v5.",
        pattern=r"^[A-Za-z][A-Za-z0-9_]{2,63}$",
    )
    max_pods: int = Field(
        default=30,
        ge=10,
        le=250,
        title="Max pods per node",
        description="With Azure CNI every pod takes an IP of the subnet, so this and the node "
        "count decide how large the subnet must be. AKS's default is 30 with Azure CNI.",
    )
    network_plugin: NetworkPlugin = Field(
        default="azure",
        title="Network plugin",
        description="`azure` (Azure CNI: pods get VNet IPs; needed for Windows) or `kubenet` "
        "(pods behind node IPs; retires on 2028-03-31).",
    )
    dual_stack: bool = Field(
        default=False,
        title="Dual-stack (IPv4 and IPv6)",
        description="Give nodes and pods IPv6 addresses as well as IPv4 (ipFamilies IPv4, "
        "IPv6), so egress can leave over IPv6 through a StandardV2 NAT gateway "
        "(outbound.ipv6_count). With Azure CNI the cluster uses its overlay mode, as AKS "
        "dual-stack requires; a user-assigned gateway's VNet and subnets get IPv6 ranges too "
        "(outbound.vnet_address_space_v6). No Windows pools (preview only).",
    )

    _name_check = field_validator("name")(lambda v: _check_name(names.CLUSTER, v))
    _rg_check = field_validator("resource_group")(lambda v: _check_name(names.RESOURCE_GROUP, v))
    _pool_check = field_validator("system_pool_name")(
        lambda v: _check_name(names.AGENT_POOL, v)
    )

    @field_validator("dns_prefix")
    @classmethod
    def _dns_prefix_check(cls, value: str) -> str:
        return _check_name(names.DNS_PREFIX, value) if value else value

    @field_validator("location", mode="before")
    @classmethod
    def _location_normalize(cls, value: Any) -> Any:
        """`"South Central US"` and `"southcentralus"` are the same region."""
        if isinstance(value, str):
            value = value.replace(" ", "").lower()
            if not re.fullmatch(r"[a-z][a-z0-9]{1,39}", value):
                raise PydanticCustomError(
                    "location", "a location is a region name like eastus2 or westeurope"
                )
        return value

    @field_validator("kubernetes_version")
    @classmethod
    def _version_check(cls, value: str) -> str:
        value = value.strip().removeprefix("v")
        if not value:
            return value
        parsed = parse_version(value)
        if parsed is None:
            raise PydanticCustomError(
                "k8s_version", "a Kubernetes version looks like 1.33 or 1.33.2"
            )
        if parsed[:2] < MIN_KUBERNETES_VERSION:
            raise PydanticCustomError(
                "k8s_version",
                "NAT gateway outbound types need Kubernetes 1.20 or newer, not {value}",
                {"value": value},
            )
        return value

    @property
    def effective_dns_prefix(self) -> str:
        """The DNS prefix to send: the user's, or one derived from the cluster name."""
        if self.dns_prefix:
            return self.dns_prefix
        derived = re.sub(r"[^a-zA-Z0-9-]", "-", self.name)[:54].strip("-")
        return derived or "aks"


class _NatCommon(_Part):
    """What both NAT gateway kinds share: SKU, public IP count, idle timeout, zones."""

    sku: Sku = Field(
        default="StandardV2",
        title="NAT gateway SKU",
        description="`StandardV2` (the default where the region offers it): one zone-redundant "
        "gateway on zone-redundant StandardV2 public IPs; a zone outage takes down nothing of "
        "egress, and it is one gateway, one subnet, one node pool. `Standard`: a zonal gateway "
        "on Standard IPs. One Standard gateway in one zone loses all egress when that zone "
        "fails; Standard per zone (user-assigned) survives it but costs a gateway, IPs, a subnet "
        "and a node pool per zone, and a zone outage still takes that zone's egress. Same price "
        "per gateway. Regions without StandardV2 (e.g. canadaeast, westindia) get Standard.",
    )
    ip_count: int = Field(
        default=1,
        ge=1,
        le=16,
        title="Outbound public IPs",
        description="How many static public IPs the NAT gateway sends traffic from (1-16). Each "
        "IP adds 64,512 SNAT ports and 50,000 concurrent connections to any one destination.",
    )
    idle_timeout_minutes: int = Field(
        default=4,
        ge=4,
        le=120,
        title="Idle timeout (minutes)",
        description="How long an idle TCP flow keeps its SNAT port (4-120). A longer timeout "
        "holds ports longer and can exhaust them; prefer TCP keepalives in the application.",
    )
    zones: ZoneList = Field(
        default_factory=list,
        title="Zones",
        description="Availability zones of the node pool(s), from 1, 2 and 3. Empty means "
        "'no zone': Azure picks one for the NAT gateway and you cannot see which.",
    )
    public_ip_ids: list[str] = Field(
        default_factory=list,
        max_length=16,
        title="Existing public IPs",
        description="Resource ids of static public IPs you already have (for example ones "
        "allow-listed downstream), comma-separated, to use instead of creating new ones. They may "
        "be in another resource group of the same subscription; they must be in the cluster's "
        "region, of the NAT gateway's SKU and not used elsewhere. Empty: the wizard creates "
        "outbound.ip_count new IPs.",
    )
    public_ip_prefix_ids: list[str] = Field(
        default_factory=list,
        max_length=8,
        title="Existing public IP prefixes",
        description="Resource ids of public IP prefixes you already have, comma-separated, so "
        "egress leaves from one CIDR your partners allow-list. Of the NAT gateway's SKU, in the "
        "cluster's region and not used elsewhere. outbound.ip_count is then the number of "
        "addresses they and any existing IPs hold together (a /30 holds 4). Empty: none.",
    )
    ipv6_count: int = Field(
        default=0,
        ge=0,
        le=16,
        title="Outbound IPv6 addresses",
        description="IPv6 egress for a dual-stack cluster (cluster.dual_stack): how many public "
        "IPv6 addresses the NAT gateway sends from (0-16). StandardV2 only; 0 means IPv4 egress "
        "only.",
    )

    _zones_normalize = field_validator("zones", mode="before")(_normalize_zones)
    _ids_normalize = field_validator("public_ip_ids", "public_ip_prefix_ids", mode="before")(
        lambda v: _normalize_public_ip_ids(v))
    _ip_ids_shape = field_validator("public_ip_ids")(lambda v: _address_ids_valid(v, False))
    _prefix_ids_shape = field_validator("public_ip_prefix_ids")(
        lambda v: _address_ids_valid(v, True))

    def reuses_addresses(self) -> bool:
        """Whether egress leaves from addresses the user already has (IPs or prefixes), so the
        plan creates no public IP of its own."""
        return bool(self.public_ip_ids or self.public_ip_prefix_ids)


class ManagedOutbound(_NatCommon):
    """`outboundType: managedNATGateway`: AKS creates the NAT gateway and its IPs for you."""

    type: Literal["managed"] = Field(
        default="managed",
        title="Outbound type",
        description="`managed`: AKS creates and owns the NAT gateway and its public IPs in the "
        "node resource group, on the VNet it creates. `user_assigned`: you bring the VNet, "
        "subnet, NAT gateway and public IPs, and the cluster's identity gets rights on them.",
    )
    public_ip_ids: list[str] = Field(
        default_factory=list,
        max_length=16,
        title="Your own public IPs",
        description="Resource ids of StandardV2 static public IPs you already have, "
        "comma-separated, for AKS's gateway to send egress from instead of IPs it creates "
        "(natGatewayProfile.outboundIPs; StandardV2 only). Chosen once: the gateway cannot "
        "later switch between your IPs and AKS-managed ones. Empty: AKS creates "
        "outbound.ip_count IPs.",
    )


class UserAssignedOutbound(_NatCommon):
    """`outboundType: userAssignedNATGateway`: the wizard builds the network, AKS uses it."""

    type: Literal["user_assigned"] = Field(
        default="user_assigned",
        title="Outbound type",
        description=ManagedOutbound.model_fields["type"].description,
    )
    layout: Literal["single", "per_zone"] = Field(
        default="single",
        title="Layout",
        description="`single`: one NAT gateway on one subnet. `per_zone`: the zone-resilient "
        "pattern, one NAT gateway, its public IPs and a subnet per zone, each zone's node pool "
        "on its own subnet, so losing a zone loses only that zone's egress.",
    )
    nat_gateway_name: str = Field(
        default="myNatGateway",
        title="NAT gateway name",
        description="Name of the NAT gateway (with the per-zone layout, of each, suffixed -z1, "
        "-z2, ...). Its public IPs are named after it.",
    )
    vnet_name: str = Field(
        default="myVnet", title="VNet name", description="The virtual network to create."
    )
    vnet_address_space: str = Field(
        default="10.0.0.0/16",
        title="VNet address space",
        description="The VNet's private IPv4 range in CIDR form, for example 10.0.0.0/16. It "
        "must hold the subnet(s) and must not overlap networks you peer with.",
    )
    subnet_name: str = Field(
        default="myNatCluster",
        title="Subnet name",
        description="The subnet of the node pool (per zone: suffixed -z1, -z2, ...).",
    )
    vnet_address_space_v6: str = Field(
        default="fd00:10::/48",
        title="VNet IPv6 address space",
        description="Only for a dual-stack cluster (cluster.dual_stack): the VNet's private "
        "IPv6 range, for example fd00:10::/48. Each subnet takes the next /64 of it (Azure's "
        "IPv6 subnet size), so it must be /64 or larger, one /64 per zone with the per-zone "
        "layout. It must not overlap AKS's pod and service ranges (fd12:3456:789a::/64, "
        "fd12:3456:789a:1::/108).",
    )
    subnet_prefix: str = Field(
        default="10.0.0.0/22",
        title="Subnet prefix",
        description="The node subnet's range inside the VNet. With Azure CNI each node takes "
        "max-pods + 1 IPs. With the per-zone layout the next ranges of the same size are used "
        "for the other zones.",
    )
    identity_name: str = Field(
        default="myNatClusterId",
        title="Identity name",
        description="The user-assigned managed identity the cluster runs as. It is given "
        "Network Contributor on the subnet so AKS can use the NAT gateway's subnet.",
    )

    ip_prefix: bool = Field(
        default=False,
        title="Create a public IP prefix",
        description="Create one public IP prefix (a contiguous block of outbound.ip_count "
        "addresses: 2, 4, 8 or 16) instead of separate IPs, so egress is one CIDR to "
        "allow-list downstream. With the per-zone layout, one prefix per zone.",
    )

    _natgw_check = field_validator("nat_gateway_name")(
        lambda v: _check_name(names.NETWORK_CHILD, v)
    )
    _vnet_check = field_validator("vnet_name")(lambda v: _check_name(names.VNET, v))
    _subnet_check = field_validator("subnet_name")(lambda v: _check_name(names.NETWORK_CHILD, v))
    _identity_check = field_validator("identity_name")(lambda v: _check_name(names.IDENTITY, v))

    @field_validator("vnet_address_space")
    @classmethod
    def _vnet_cidr(cls, value: str) -> str:
        return _ipv4_network(value, "the VNet address space")

    @field_validator("subnet_prefix")
    @classmethod
    def _subnet_cidr(cls, value: str) -> str:
        return _ipv4_network(value, "the subnet prefix")

    @field_validator("vnet_address_space_v6")
    @classmethod
    def _vnet_cidr_v6(cls, value: str) -> str:
        try:
            network = ipaddress.ip_network(value.strip(), strict=True)
        except ValueError as exc:
            raise PydanticCustomError(
                "cidr", "the VNet IPv6 address space must be an IPv6 range in CIDR form like "
                "fd00:10::/48 ({reason})", {"reason": str(exc)}) from None
        if network.version != 6:
            raise PydanticCustomError("cidr", "the VNet IPv6 address space must be IPv6")
        if network.prefixlen > 64:
            raise PydanticCustomError(
                "cidr", "the VNet IPv6 address space must be /64 or larger: Azure's IPv6 "
                "subnets are /64")
        return str(network)

    def subnet_prefixes_v6(self) -> list[str]:
        """One IPv6 /64 per subnet (dual-stack only): the first ones of the VNet's IPv6 range."""
        space = parse_network(self.vnet_address_space_v6)
        count = len(self.subnet_prefixes())
        subnets = space.subnets(new_prefix=64)
        return [str(next(subnets)) for _ in range(min(count, 2 ** (64 - space.prefixlen)))]

    def zone_groups(self) -> list[tuple[str | None, str]]:
        """(zone, name suffix) of each NAT gateway and subnet: one per zone with the per-zone
        layout (`-z1`, `-z2`, ...), else one, in the only zone chosen or in no zone."""
        if self.layout == "per_zone":
            return [(zone, f"-z{zone}") for zone in self.zones]
        return [(self.zones[0] if len(self.zones) == 1 else None, "")]

    def planned_subnets(self) -> list[tuple[str, str, str]]:
        """(subnet name, address prefix, NAT gateway name) of each subnet the layout plans."""
        return [(f"{self.subnet_name}{suffix}", prefix, f"{self.nat_gateway_name}{suffix}")
                for (_, suffix), prefix in zip(self.zone_groups(), self.subnet_prefixes(),
                                               strict=False)]

    def subnet_prefixes(self) -> list[str]:
        """One prefix per subnet: the given one, then the next blocks of the same size."""
        count = len(self.zones) if self.layout == "per_zone" and self.zones else 1
        return list(_subnet_blocks(self.subnet_prefix, count))


class LoadBalancerOutbound(_Part):
    """`outboundType: loadBalancer`, AKS's default: kept so existing clusters can be described.

    It is what a cluster imported from Azure usually has, and the starting point of a migration
    to a NAT gateway. The wizard does not recommend it for new clusters.
    """

    type: Literal["load_balancer"] = Field(
        default="load_balancer",
        title="Outbound type",
        description="`load_balancer`: egress through the cluster's Standard load balancer, "
        "AKS's default. Ports are preallocated per node, which is what usually runs out.",
    )
    ip_count: int = Field(
        default=1, ge=1, le=100, title="Outbound public IPs",
        description="Managed outbound IPs of the load balancer (1-100).",
    )
    idle_timeout_minutes: int = Field(
        default=30, ge=4, le=120, title="Idle timeout (minutes)",
        description="The load balancer's outbound idle timeout (default 30).",
    )
    zones: ZoneList = Field(
        default_factory=list, title="Zones", description="Availability zones of the node pool."
    )
    vnet_subnet_id: str = Field(
        default="",
        title="Existing node subnet",
        description="The resource id of the subnet the nodes already use, when the cluster was "
        "built on your own VNet; empty means the VNet AKS created. It decides where the cluster "
        "can migrate: a managed NAT gateway needs AKS's VNet, a user-assigned one your own.",
        pattern=r"(?i)^$|^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/"
        r"virtualNetworks/[^/]+/subnets/[^/]+$",
    )

    _zones_normalize = field_validator("zones", mode="before")(_normalize_zones)


Outbound = Annotated[
    ManagedOutbound | UserAssignedOutbound | LoadBalancerOutbound, Field(discriminator="type")
]
NatOutbound = ManagedOutbound | UserAssignedOutbound


class WindowsPool(_Part):
    """An optional Windows node pool, with or without Windows OutboundNAT."""

    enabled: bool = Field(
        default=False,
        title="Add a Windows node pool",
        description="Adds a Windows Server node pool next to the Linux system pool. Windows "
        "needs Azure CNI and an admin account on the cluster.",
    )
    name: str = Field(
        default="npwin",
        title="Windows pool name",
        description="1-6 lowercase letters or digits, starting with a letter.",
    )
    node_count: int = Field(default=1, ge=1, le=1000, title="Windows node count",
                            description="Nodes in the Windows pool (per zone with per-zone).")
    vm_size: str = Field(
        default="Standard_D4s_v5",
        title="Windows VM size",
        description="The VM size of the Windows nodes.",
        pattern=r"^[A-Za-z][A-Za-z0-9_]{2,63}$",
    )
    os_sku: Literal["Windows2019", "Windows2022", "Windows2025"] = Field(
        default="Windows2025",
        title="Windows OS SKU",
        description="The Windows Server version. Windows2025 (the default): Kubernetes 1.33+, "
        "FIPS-enabled images. Windows2022: not on Kubernetes 1.37+ and retiring (2027-03-15 "
        "announced, since extended to 2028-06-30). Windows2019: retired 2026-03-01, no new "
        "pools.",
    )
    disable_outbound_nat: bool = Field(
        default=True,
        title="Disable Windows OutboundNAT",
        description="Windows nodes normally translate pod traffic through the node's own IP "
        "(OutboundNAT), which has few ports: busy pods reuse ports and connections (even DNS) "
        "fail. With a NAT gateway, turn it off so pods use the gateway's 64,512 ports per IP. "
        "Set only when the pool is created; needs Kubernetes 1.26+.",
    )
    admin_username: str = Field(
        default="azureuser",
        title="Windows admin user",
        description="The nodes' administrator account. Its password is generated, or read from "
        "AKS_NAT_WIZARD_WINDOWS_PASSWORD, and is never saved.",
        pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$",
    )

    _name_check = field_validator("name")(lambda v: _check_name(names.WINDOWS_POOL, v))


class Workload(_Part):
    """What the user expects of egress, for SNAT sizing. Every figure is optional."""

    concurrent_flows: int | None = Field(
        default=None, ge=0, le=100_000_000,
        title="Concurrent outbound connections",
        description="Open outbound connections from the whole cluster at peak, to all "
        "destinations together. Each takes a SNAT port; one IP has 64,512.",
    )
    busiest_destination_flows: int | None = Field(
        default=None, ge=0, le=100_000_000,
        title="Connections to the busiest destination",
        description="Open connections at peak to the single busiest destination (one IP and "
        "port, for example a database or an API). Azure allows 50,000 per public IP.",
    )
    new_connections_per_second: int | None = Field(
        default=None, ge=0, le=10_000_000,
        title="New connections per second to one destination",
        description="A closed connection's port waits 65 s before it can be reused for the same "
        "destination, so a high connection rate ties ports up even if few are open at once.",
    )


class WizardConfig(_Part):
    """The whole configuration: the single source of truth for plan, findings and exports."""

    schema_version: Literal[1] = Field(
        default=1, title="Schema version",
        description="Version of this file's layout; the wizard migrates older ones.",
    )
    description: str = Field(default="", max_length=500, title="Description",
                             description="One line saying what this configuration is for.")
    cluster: ClusterSettings = Field(default_factory=ClusterSettings, title="Cluster")
    outbound: Outbound = Field(default_factory=ManagedOutbound, title="Outbound")
    windows: WindowsPool = Field(default_factory=WindowsPool, title="Windows")
    workload: Workload = Field(default_factory=Workload, title="Workload")

    @model_validator(mode="before")
    @classmethod
    def _names_follow_the_cluster(cls, data: Any) -> Any:
        """An unset subnet or identity name is the cluster's (`derived_names`), so a second
        cluster in the group does not collide with the first one's."""
        outbound = data.get("outbound") if isinstance(data, dict) else None
        if not isinstance(outbound, dict) or outbound.get("type") != "user_assigned":
            return data
        cluster = data.get("cluster")
        name = cluster.get("name") if isinstance(cluster, dict) else None
        if not isinstance(name, str):
            name = derived_names.DEFAULT_CLUSTER_NAME
        filled = derived_names.fill_unset(outbound, name,
                                          UserAssignedOutbound.model_fields.__contains__)
        return {**data, "outbound": filled}

    @model_validator(mode="before")
    @classmethod
    def _managed_has_no_network(cls, data: Any) -> Any:
        """Explain, rather than 'extra field', why a managed NAT gateway takes no VNet."""
        if not isinstance(data, dict):
            return data
        outbound = data.get("outbound")
        if "outbound" not in data:
            outbound = {"type": "managed"}
            data = {**data, "outbound": outbound}
        if isinstance(outbound, dict) and "type" not in outbound:
            # An [outbound] table without `type` means the default type, as a missing table does.
            outbound = {"type": "managed", **outbound}
            data = {**data, "outbound": outbound}
        if (isinstance(outbound, dict) and "sku" not in outbound
                and outbound.get("type") in ("managed", "user_assigned")):
            # No SKU chosen: the region's default (fact sku.default), never "left to AKS".
            sku = ("Standard" if outbound.get("layout") == "per_zone"
                   else regions.default_sku(_location_of(data)))
            outbound = {**outbound, "sku": sku}
            data = {**data, "outbound": outbound}
        if isinstance(outbound, dict) and outbound.get("type", "managed") == "managed":
            byo = sorted(
                key for key in outbound
                if key in UserAssignedOutbound.model_fields
                and key not in ManagedOutbound.model_fields
            )
            if byo:
                raise _errors(data, [(
                    ("outbound", byo[0]),
                    "a managed NAT gateway works only with the VNet AKS creates; "
                    f"{', '.join(byo)} belong to a user-assigned NAT gateway "
                    "(set outbound.type = \"user_assigned\" to bring your own VNet)",
                )])
        return data

    @model_validator(mode="after")
    def _azure_cross_field_rules(self) -> WizardConfig:
        problems = cross_field_problems(self)
        if problems:
            raise _errors(self, problems)
        return self

    @property
    def kubernetes_version_tuple(self) -> tuple[int, int, int] | None:
        return parse_version(self.cluster.kubernetes_version)


Problem = tuple[tuple[str | int, ...], str]


def _location_of(data: dict[str, Any]) -> str:
    """The location a raw mapping names (the model's default when it names none)."""
    cluster = data.get("cluster")
    location = cluster.get("location") if isinstance(cluster, dict) else None
    if isinstance(location, str) and location.strip():
        return location
    return str(ClusterSettings.model_fields["location"].default)


def _sku_region_problems(config: WizardConfig) -> list[Problem]:
    """A StandardV2 NAT gateway cannot be created where the region does not offer it (fact
    sku.v2-regions); Azure refuses the gateway, or AKS the cluster (UnsupportedOutboundType)."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or out.sku != "StandardV2":
        return []
    location = config.cluster.location
    if regions.standard_v2_offer(location) != "not_offered":
        return []
    return [(("outbound", "sku"),
             f"{location} does not offer StandardV2 NAT gateways (Azure's NAT SKU list); choose "
             "outbound.sku = \"Standard\" or another region")]


def cross_field_problems(config: WizardConfig) -> list[Problem]:
    """The combinations Azure rejects at the API, each blamed on the field to change."""
    out = config.outbound
    win = config.windows
    problems: list[Problem] = _sku_region_problems(config)
    if isinstance(out, UserAssignedOutbound):
        if out.sku == "StandardV2" and out.layout == "per_zone":
            problems.append((("outbound", "layout"),
                             "a StandardV2 NAT gateway is already zone-redundant; the per-zone "
                             "layout is for Standard NAT gateways"))
        if out.layout == "per_zone" and len(out.zones) < 2:
            problems.append((("outbound", "zones"),
                             "the per-zone layout needs at least two zones, one NAT gateway each"))
        vnet = parse_network(out.vnet_address_space)
        for index, prefix in enumerate(out.subnet_prefixes()):
            subnet = parse_network(prefix)
            if not subnet.subnet_of(vnet):  # type: ignore[arg-type]
                where = "the subnet prefix" if index == 0 else f"the zone {index + 1} subnet"
                problems.append((("outbound", "subnet_prefix"),
                                 f"{where} {prefix} is not inside the VNet address space "
                                 f"{out.vnet_address_space}"))
                break
        if out.layout == "per_zone" and len(out.subnet_prefixes()) < len(out.zones):
            problems.append((("outbound", "subnet_prefix"),
                             "there is no room after the subnet prefix for one subnet per zone"))
        problems += _public_ip_id_problems(out, config.cluster.subscription_id)
        problems += _new_prefix_problems(out)
    if isinstance(out, ManagedOutbound):
        problems += _managed_own_ip_problems(out, config.cluster.subscription_id)
    if not isinstance(out, LoadBalancerOutbound):
        problems += _ipv6_problems(config, out)
    if win.enabled:
        if config.cluster.network_plugin != "azure":
            problems.append((("cluster", "network_plugin"),
                             "Windows node pools need Azure CNI (network_plugin = \"azure\"); "
                             "kubenet does not support Windows"))
        if win.disable_outbound_nat and isinstance(out, LoadBalancerOutbound):
            problems.append((("windows", "disable_outbound_nat"),
                             "Windows OutboundNAT can be disabled only when egress goes through "
                             "a NAT gateway (or user-defined routing), not the load balancer"))
        version = config.kubernetes_version_tuple
        if win.disable_outbound_nat and version and version[:2] < WINDOWS_OUTBOUND_NAT_MIN_VERSION:
            problems.append((("windows", "disable_outbound_nat"),
                             "disabling Windows OutboundNAT needs Kubernetes 1.26 or newer, "
                             f"not {config.cluster.kubernetes_version}"))
    return problems


def _dual_stack_problems(config: WizardConfig,
                         out: ManagedOutbound | UserAssignedOutbound) -> list[Problem]:
    """A dual-stack cluster egresses through StandardV2 only (fact network.dual-stack: the
    overlay doc lists NAT gateway as unsupported with dual-stack; the NAT doc and the StandardV2
    announcement support IPv6 egress with StandardV2; the stricter reading refuses Standard),
    without Windows pools (preview only), and a user-assigned VNet needs room for its /64s."""
    problems: list[Problem] = []
    field = ("cluster", "dual_stack")
    if out.sku != "StandardV2":
        problems.append((field, "a dual-stack cluster needs a StandardV2 NAT gateway: a "
                         "Standard gateway has no IPv6, and Azure CNI Overlay's dual-stack "
                         "guide lists NAT gateway as unsupported (only StandardV2's newer docs "
                         "support it). Set outbound.sku = \"StandardV2\", or turn dual-stack "
                         "off"))
    if config.windows.enabled:
        problems.append((field, "Windows node pools on a dual-stack cluster are a preview "
                         "feature (aks-preview and a feature flag); the wizard builds generally "
                         "available clusters only. Turn dual-stack or the Windows pool off"))
    if isinstance(out, UserAssignedOutbound):
        if len(out.subnet_prefixes_v6()) < len(out.subnet_prefixes()):
            problems.append((("outbound", "vnet_address_space_v6"),
                             f"{out.vnet_address_space_v6} holds fewer /64s than the "
                             f"{len(out.subnet_prefixes())} subnets need: choose a larger "
                             "range, for example a /48"))
        aks_v6 = [parse_network(r) for r in AKS_IPV6_RANGES]
        space = parse_network(out.vnet_address_space_v6)
        if any(space.overlaps(r) for r in aks_v6):
            problems.append((("outbound", "vnet_address_space_v6"),
                             f"{out.vnet_address_space_v6} overlaps AKS's IPv6 pod or service "
                             f"range ({', '.join(AKS_IPV6_RANGES)}): choose another, for "
                             "example fd00:10::/48"))
    return problems


AKS_IPV6_RANGES = ("fd12:3456:789a::/64", "fd12:3456:789a:1::/108")
"""AKS's default IPv6 pod and service ranges on a dual-stack cluster (fact network.dual-stack),
which a VNet must not overlap."""


def _reused_id_problems(out: ManagedOutbound | UserAssignedOutbound,
                        subscription: str | None) -> list[Problem]:
    """Existing public IPs and prefixes must be listed once, add up to the IP count (each prefix
    holds at least 2 addresses; preflight checks the exact size) and live in the cluster's
    subscription: a NAT gateway cannot use another subscription's IPs."""
    ips, prefixes = out.public_ip_ids, out.public_ip_prefix_ids
    problems: list[Problem] = []
    for field, ids, noun in ((("outbound", "public_ip_ids"), ips, "public IP"),
                             (("outbound", "public_ip_prefix_ids"), prefixes,
                              "public IP prefix")):
        seen: set[str] = set()
        for item in ids:
            if item.lower() in seen:
                problems.append((field, f"{item} is listed twice; list each {noun} once"))
                break
            seen.add(item.lower())
        if subscription:
            for item in ids:
                other = parse_public_ip_id(item)[0]
                if other.lower() != subscription.lower():
                    problems.append((field,
                                     f"{item} is in subscription {other}, not the cluster's "
                                     f"{subscription}: a NAT gateway can only use {noun}s of "
                                     "its own subscription"))
                    break
    if prefixes:
        least = len(ips) + 2 * len(prefixes)
        if out.ip_count < least:
            problems.append((("outbound", "ip_count"),
                             f"the IP count is the number of addresses your IPs and prefixes "
                             f"hold together: at least {least} for {len(ips)} IP(s) and "
                             f"{len(prefixes)} prefix(es), not {out.ip_count} (a /31 holds 2, "
                             "a /30 4, a /29 8, a /28 16)"))
    elif ips and out.ip_count != len(ips):
        problems.append((("outbound", "ip_count"),
                         f"with existing public IPs listed, the IP count must equal their number: "
                         f"{len(ips)} listed, ip_count is {out.ip_count} (set "
                         f"outbound.ip_count = {len(ips)})"))
    return problems


def _public_ip_id_problems(out: UserAssignedOutbound, subscription: str | None) -> list[Problem]:
    """A user-assigned gateway's existing IPs and prefixes (`_reused_id_problems`), which belong
    to one gateway, not one per zone."""
    if not out.reuses_addresses():
        return []
    problems = _reused_id_problems(out, subscription)
    if out.layout == "per_zone":
        field = ("outbound", "public_ip_ids" if out.public_ip_ids else "public_ip_prefix_ids")
        problems.append((field,
                         "existing public IPs or prefixes cannot be used with the per-zone "
                         "layout: each zone's NAT gateway needs its own addresses in its own "
                         "zone. Use the single layout with them, or leave the lists empty so "
                         "the wizard creates addresses per zone"))
    return problems


def _new_prefix_problems(out: UserAssignedOutbound) -> list[Problem]:
    """A new prefix holds a power of two addresses (fact ip.prefix-sizes) and replaces the
    reused addresses, not joins them."""
    if not out.ip_prefix:
        return []
    field = ("outbound", "ip_prefix")
    if out.reuses_addresses():
        return [(field, "a new prefix and existing public IPs or prefixes cannot be combined "
                 "here: turn the new prefix off to use yours, or empty the existing lists")]
    problems: list[Problem] = []
    if out.ip_count not in PREFIX_SIZES:
        fits = next((size for size in PREFIX_SIZES if size >= out.ip_count), PREFIX_SIZES[-1])
        problems.append((("outbound", "ip_count"),
                         f"a public IP prefix holds 2, 4, 8 or 16 addresses, not {out.ip_count}: "
                         f"set outbound.ip_count = {fits} (a /{prefix_length(fits)})"))
    if out.ipv6_count and out.ipv6_count not in PREFIX_SIZES:
        fits = next((size for size in PREFIX_SIZES if size >= out.ipv6_count), PREFIX_SIZES[-1])
        problems.append((("outbound", "ipv6_count"),
                         f"an IPv6 prefix holds 2, 4, 8 or 16 addresses, not {out.ipv6_count}: "
                         f"set outbound.ipv6_count = {fits} (a /{prefix_length(fits) + 96})"))
    return problems


def prefix_length(addresses: int) -> int:
    """The IPv4 prefix length of a block of `addresses` (a power of two): 4 -> 30."""
    return 32 - (addresses.bit_length() - 1)


def prefix_addresses(properties: Mapping[str, Any]) -> int | None:
    """How many addresses a public IP prefix holds, from its ARM `properties` (`prefixLength`
    of an IPv4 or IPv6 `publicIPAddressVersion`); None when the length is not there."""
    length = properties.get("prefixLength")
    if not isinstance(length, int) or isinstance(length, bool):
        return None
    bits = 128 if properties.get("publicIPAddressVersion") == "IPv6" else 32
    return int(2 ** (bits - length))


def _managed_own_ip_problems(out: ManagedOutbound, subscription: str | None) -> list[Problem]:
    """Your own IPs or prefixes on AKS's gateway: StandardV2 only (fact managed.own-ips)."""
    if not out.reuses_addresses():
        return []
    problems = _reused_id_problems(out, subscription)
    if out.sku != "StandardV2":
        field = ("outbound", "public_ip_ids" if out.public_ip_ids else "public_ip_prefix_ids")
        problems.append((field,
                         "a managed NAT gateway takes your own public IPs or prefixes only with "
                         "the StandardV2 SKU (the AKS NAT doc: \"not supported for an "
                         "AKS-managed NAT gateway\" on Standard); set outbound.sku = "
                         "\"StandardV2\", or empty the list so AKS creates the IPs"))
    return problems


def _ipv6_problems(config: WizardConfig,
                   out: ManagedOutbound | UserAssignedOutbound) -> list[Problem]:
    """IPv6 egress needs a dual-stack cluster and StandardV2 (facts managed.ipv6, sku.v2-limits);
    a managed gateway's IPv6 count is AKS-managed, so it cannot ride with your own IPs."""
    problems: list[Problem] = []
    if config.cluster.dual_stack:
        problems += _dual_stack_problems(config, out)
    if out.ipv6_count == 0:
        return problems
    field = ("outbound", "ipv6_count")
    if not config.cluster.dual_stack:
        problems.append((field, "IPv6 egress needs a dual-stack cluster: turn on "
                         "cluster.dual_stack, or set outbound.ipv6_count = 0"))
    if out.sku != "StandardV2":
        problems.append((field, "only a StandardV2 NAT gateway sends IPv6 egress (Standard has "
                         "no IPv6); set outbound.sku = \"StandardV2\" or outbound.ipv6_count "
                         "= 0"))
    if isinstance(out, ManagedOutbound) and out.reuses_addresses():
        problems.append((field, "an IPv6 count asks AKS to create IPv6 addresses, which cannot "
                         "be combined with your own IPs or prefixes (the two ownership models "
                         "do not mix): list your IPv6 IPs or prefixes with the others instead, "
                         "and set outbound.ipv6_count = 0"))
    return problems


def _errors(title_source: object, problems: list[Problem]) -> ValidationError:
    """A ValidationError whose entries point at the fields to change."""
    details = [
        InitErrorDetails(
            type=PydanticCustomError("azure_rule", "{message}", {"message": message}),
            loc=loc,
            input=None,
        )
        for loc, message in problems
    ]
    return ValidationError.from_exception_data("WizardConfig", details)
