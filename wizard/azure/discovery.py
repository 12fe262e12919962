"""What the subscription already holds and offers, read through the backend's SDK clients.

`Discovery(backend)` answers the questions a plan depends on before anything is created: which
subscriptions the credential sees, which regions exist and which have availability zones, which
Kubernetes versions and VM sizes a region offers, and what already exists (resource groups, VNets
and their subnets with free ranges and attached NAT gateways, NAT gateways, public IPs, clusters).

Every answer comes from an SDK client of `AzureBackend` (the same pipeline, retries and transport
as apply, so the sandbox answers at the same ARM paths). Calls the installed SDKs have no
operation for (subscriptions and locations: the `azure-mgmt-resource-subscriptions` package is not
a dependency; compute SKUs: no compute SDK) go through the generated client's public
`send_request`, still on that pipeline.

Answers are plain frozen dataclasses (the TUI pickers show them as they are), fetched lazily on
first use and cached for the life of the instance (one run). Every call is cancellable: `cancel()`
sets an event that is checked before each request and between pages, and a cancelled call raises
`DiscoveryCancelled`.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from wizard.model.config import parse_version

SUBSCRIPTIONS_API = "2022-12-01"
COMPUTE_SKUS_API = "2021-07-01"
AUTHORIZATION_API = "2022-04-01"
MANAGED_BY = ("managed-by", "aks-nat-wizard")
PUBLIC_IP_TYPE = "Microsoft.Network/publicIPAddresses"

T = TypeVar("T")


class DiscoveryCancelled(Exception):
    """Raised by a discovery call after `Discovery.cancel()` (or the shared event) was set."""


class DiscoveryError(Exception):
    """Azure (or the sandbox) answered a discovery request with an error."""


# -- answers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    display_name: str
    state: str
    tenant_id: str = ""


@dataclass(frozen=True)
class Location:
    """A region and the logical availability zones it offers (empty: no zones)."""

    name: str
    display_name: str
    zones: tuple[str, ...] = ()

    @property
    def has_zones(self) -> bool:
        return bool(self.zones)


@dataclass(frozen=True)
class KubernetesMinor:
    version: str
    """`1.33`."""
    patches: tuple[str, ...]
    """`("1.33.1", "1.33.2")`, oldest first."""
    is_default: bool = False
    is_preview: bool = False


@dataclass(frozen=True)
class KubernetesVersions:
    """The versions AKS offers in one region, oldest first."""

    location: str
    minors: tuple[KubernetesMinor, ...]

    @property
    def default(self) -> str | None:
        """The version AKS picks when none is given: the default minor's newest patch."""
        for minor in self.minors:
            if minor.is_default:
                return minor.patches[-1] if minor.patches else minor.version
        return None

    def all(self) -> list[str]:
        """Every version a user may type: each minor and each of its patches."""
        out: list[str] = []
        for minor in self.minors:
            out.append(minor.version)
            out.extend(minor.patches)
        return out

    def offers(self, version: str) -> bool:
        """`1.33` matches a minor; `1.33.2` must match a patch exactly."""
        version = version.strip().removeprefix("v")
        return version in self.all()


@dataclass(frozen=True)
class VmSize:
    name: str
    vcpus: int | None
    memory_gb: float | None
    zones: tuple[str, ...]
    """Zones of the location where the size is offered."""
    restricted: bool = False
    """The subscription may not use this size in this location."""


@dataclass(frozen=True)
class ResourceGroup:
    name: str
    location: str
    tags: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def ours(self) -> bool:
        return self.tags.get(MANAGED_BY[0]) == MANAGED_BY[1]


@dataclass(frozen=True)
class SubnetInfo:
    id: str
    name: str
    address_prefix: str
    nat_gateway_id: str | None
    ip_configuration_count: int = 0
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The subnet's ARM body as read (an update sends its settings back unchanged)."""

    @property
    def size(self) -> int:
        return ipaddress.ip_network(self.address_prefix).num_addresses if self.address_prefix \
            else 0


@dataclass(frozen=True)
class VirtualNetwork:
    id: str
    name: str
    resource_group: str
    location: str
    address_space: tuple[str, ...]
    subnets: tuple[SubnetInfo, ...]
    tags: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def free_ranges(self) -> tuple[str, ...]:
        return free_ranges(self.address_space, [s.address_prefix for s in self.subnets])

    def subnet(self, name: str) -> SubnetInfo | None:
        for subnet in self.subnets:
            if subnet.name.lower() == name.lower():
                return subnet
        return None


@dataclass(frozen=True)
class NatGateway:
    id: str
    name: str
    resource_group: str
    location: str
    sku: str
    zones: tuple[str, ...]
    idle_timeout_minutes: int
    public_ip_ids: tuple[str, ...]
    subnet_ids: tuple[str, ...]
    tags: dict[str, str] = field(default_factory=dict, compare=False)
    public_ip_prefix_ids: tuple[str, ...] = ()
    ipv6_ids: tuple[str, ...] = ()
    """IPv6 public IPs, then IPv6 prefixes (a StandardV2 gateway's `publicIpAddressesV6`,
    `publicIpPrefixesV6`)."""


@dataclass(frozen=True)
class PublicIp:
    id: str
    name: str
    resource_group: str
    location: str
    sku: str
    zones: tuple[str, ...]
    address: str | None
    nat_gateway_id: str | None
    """The NAT gateway using this IP, if any."""
    in_use: bool
    """Attached to a NAT gateway or a load balancer / NIC configuration."""
    tags: dict[str, str] = field(default_factory=dict, compare=False)


# -- pure helpers ------------------------------------------------------------------------------

def free_ranges(address_space: Iterable[str], used: Iterable[str]) -> tuple[str, ...]:
    """The parts of `address_space` no subnet in `used` covers, as collapsed CIDR blocks."""
    free: list[ipaddress.IPv4Network] = []
    for raw in address_space:
        network = ipaddress.ip_network(raw, strict=False)
        if isinstance(network, ipaddress.IPv4Network):
            free.append(network)
    for raw in used:
        if not raw:
            continue
        taken = ipaddress.ip_network(raw, strict=False)
        if not isinstance(taken, ipaddress.IPv4Network):
            continue
        next_free: list[ipaddress.IPv4Network] = []
        for block in free:
            if taken.subnet_of(block):
                next_free.extend(block.address_exclude(taken))
            elif block.subnet_of(taken):
                continue
            else:
                next_free.append(block)
        free = next_free
    return tuple(str(block) for block in ipaddress.collapse_addresses(free))


def first_free_prefix(vnet: VirtualNetwork, prefix_length: int) -> str | None:
    """The first free block of `/prefix_length` in the VNet, to suggest for a new subnet."""
    for raw in vnet.free_ranges:
        block = ipaddress.ip_network(raw)
        if block.prefixlen <= prefix_length:
            return str(next(block.subnets(new_prefix=prefix_length)))
    return None


def resource_group_of(resource_id: str) -> str:
    parts = resource_id.split("/")
    lowered = [part.lower() for part in parts]
    if "resourcegroups" in lowered:
        index = lowered.index("resourcegroups")
        if index + 1 < len(parts):
            return parts[index + 1]
    return ""


def _props(item: dict[str, Any]) -> dict[str, Any]:
    value = item.get("properties")
    return value if isinstance(value, dict) else {}


def _tags(item: dict[str, Any]) -> dict[str, str]:
    tags = item.get("tags")
    return {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {}


def _id(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _ids(values: Any) -> tuple[str, ...]:
    return tuple(i for i in (_id(x) for x in values or []) if i)


def parse_location(item: dict[str, Any]) -> Location:
    mappings = item.get("availabilityZoneMappings") or []
    zones = sorted({str(m.get("logicalZone")) for m in mappings if m.get("logicalZone")})
    return Location(name=str(item.get("name", "")),
                    display_name=str(item.get("displayName", item.get("name", ""))),
                    zones=tuple(zones))


def parse_kubernetes_versions(location: str, body: dict[str, Any]) -> KubernetesVersions:
    minors = []
    for value in body.get("values") or []:
        patches = sorted((value.get("patchVersions") or {}).keys(),
                         key=lambda v: parse_version(v) or (0, 0, 0))
        minors.append(KubernetesMinor(
            version=str(value.get("version", "")),
            patches=tuple(patches),
            is_default=bool(value.get("isDefault")),
            is_preview=bool(value.get("isPreview")),
        ))
    minors.sort(key=lambda m: parse_version(m.version) or (0, 0, 0))
    return KubernetesVersions(location=location, minors=tuple(minors))


def parse_vm_size(item: dict[str, Any], location: str) -> VmSize | None:
    if str(item.get("resourceType", "")).lower() != "virtualmachines":
        return None
    capabilities = {str(c.get("name")): str(c.get("value")) for c in item.get("capabilities") or []}
    zones: tuple[str, ...] = ()
    for info in item.get("locationInfo") or []:
        if str(info.get("location", "")).replace(" ", "").lower() == location.lower():
            zones = tuple(sorted(str(z) for z in info.get("zones") or []))
    restricted = any(str(r.get("type")) == "Location" for r in item.get("restrictions") or [])

    def number(name: str) -> float | None:
        try:
            return float(capabilities[name])
        except (KeyError, ValueError):
            return None

    vcpus = number("vCPUs")
    return VmSize(name=str(item.get("name", "")), vcpus=int(vcpus) if vcpus is not None else None,
                  memory_gb=number("MemoryGB"), zones=zones, restricted=restricted)


def parse_subnet(item: dict[str, Any]) -> SubnetInfo:
    props = _props(item)
    prefix = props.get("addressPrefix") or next(iter(props.get("addressPrefixes") or []), "")
    return SubnetInfo(id=str(item.get("id", "")), name=str(item.get("name", "")),
                      address_prefix=str(prefix), nat_gateway_id=_id(props.get("natGateway")),
                      ip_configuration_count=len(props.get("ipConfigurations") or []),
                      raw=item)


def parse_vnet(item: dict[str, Any]) -> VirtualNetwork:
    props = _props(item)
    resource_id = str(item.get("id", ""))
    return VirtualNetwork(
        id=resource_id, name=str(item.get("name", "")),
        resource_group=resource_group_of(resource_id), location=str(item.get("location", "")),
        address_space=tuple((props.get("addressSpace") or {}).get("addressPrefixes") or []),
        subnets=tuple(parse_subnet(s) for s in props.get("subnets") or []),
        tags=_tags(item),
    )


def parse_nat_gateway(item: dict[str, Any]) -> NatGateway:
    props = _props(item)
    resource_id = str(item.get("id", ""))
    return NatGateway(
        id=resource_id, name=str(item.get("name", "")),
        resource_group=resource_group_of(resource_id), location=str(item.get("location", "")),
        sku=str((item.get("sku") or {}).get("name", "Standard")),
        zones=tuple(str(z) for z in item.get("zones") or []),
        idle_timeout_minutes=int(props.get("idleTimeoutInMinutes") or 4),
        public_ip_ids=tuple(i for i in (_id(x) for x in props.get("publicIpAddresses") or [])
                            if i),
        subnet_ids=tuple(i for i in (_id(x) for x in props.get("subnets") or []) if i),
        tags=_tags(item),
        public_ip_prefix_ids=_ids(props.get("publicIpPrefixes")),
        ipv6_ids=_ids(props.get("publicIpAddressesV6")) + _ids(props.get("publicIpPrefixesV6")),
    )


def parse_public_ip(item: dict[str, Any]) -> PublicIp:
    props = _props(item)
    resource_id = str(item.get("id", ""))
    nat = _id(props.get("natGateway"))
    return PublicIp(
        id=resource_id, name=str(item.get("name", "")),
        resource_group=resource_group_of(resource_id), location=str(item.get("location", "")),
        sku=str((item.get("sku") or {}).get("name", "")),
        zones=tuple(str(z) for z in item.get("zones") or []),
        address=props.get("ipAddress"), nat_gateway_id=nat,
        in_use=nat is not None or _id(props.get("ipConfiguration")) is not None,
        tags=_tags(item),
    )


def wire(model: Any) -> dict[str, Any]:
    """An SDK model (new style `as_dict()` is already ARM's wire shape) as a plain dict."""
    if isinstance(model, dict):
        return model
    as_dict = getattr(model, "as_dict", None)
    if callable(as_dict):
        result = as_dict()
        if isinstance(result, dict):
            return result
    raise TypeError(f"cannot read {type(model).__name__} as a dict")


# -- the service -------------------------------------------------------------------------------

class Discovery:
    """Lazy, cached, cancellable reads of one subscription, through `backend`'s SDK clients.

    `backend` is an `AzureBackend` (or anything with its client accessors and
    `subscription_id`). One instance is one run's view: answers are cached until it is dropped.
    """

    def __init__(self, backend: Any, cancel_event: threading.Event | None = None) -> None:
        self.backend = backend
        self.cancel_event = cancel_event or threading.Event()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}

    @property
    def subscription_id(self) -> str:
        return str(self.backend.subscription_id)

    # -- plumbing --------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop every call in progress (at its next request or page) and every later one."""
        self.cancel_event.set()

    def _check(self) -> None:
        if self.cancel_event.is_set():
            raise DiscoveryCancelled("discovery was cancelled")

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()` once per key for this instance; concurrent callers wait for the first."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]  # type: ignore[no-any-return]
            self._check()
            try:
                value = compute()
            except DiscoveryCancelled:
                raise
            except Exception as exc:
                raise _translate(exc) from exc
            with self._lock:
                self._cache[key] = value
            return value

    def _items(self, pages: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Items of an SDK pager as wire dicts, checking for cancellation between them."""
        self._check()
        for item in pages:
            self._check()
            yield wire(item)

    def _client(self, name: str) -> Any:
        """The backend's SDK client `name` (resource, network, containerservice, ...)."""
        return self.backend.client(name)

    def _get_json(self, path: str, client_name: str = "resource"
                  ) -> Iterator[dict[str, Any]]:
        """GET an ARM list through one SDK client's pipeline, following `nextLink`."""
        from azure.core.rest import HttpRequest

        client = self._client(client_name)
        url: str | None = path
        while url:
            self._check()
            response = client.send_request(HttpRequest("GET", url))
            if response.status_code >= 400:
                raise DiscoveryError(_error_text(response))
            body = response.json()
            for item in body.get("value") or []:
                self._check()
                yield item
            url = body.get("nextLink")

    # -- what the credential sees ----------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        def fetch() -> list[Subscription]:
            return [
                Subscription(subscription_id=str(s.get("subscriptionId", "")),
                             display_name=str(s.get("displayName", "")),
                             state=str(s.get("state", "")),
                             tenant_id=str(s.get("tenantId", "")))
                for s in self._get_json(f"/subscriptions?api-version={SUBSCRIPTIONS_API}")
            ]
        return self._cached(("subscriptions",), fetch)

    def locations(self) -> list[Location]:
        """Physical regions of the subscription, by name, with their zones."""
        def fetch() -> list[Location]:
            found = []
            path = (f"/subscriptions/{self.subscription_id}/locations"
                    f"?api-version={SUBSCRIPTIONS_API}")
            for item in self._get_json(path):
                region_type = (item.get("metadata") or {}).get("regionType", "Physical")
                if region_type == "Physical":
                    found.append(parse_location(item))
            return sorted(found, key=lambda loc: loc.name)
        return self._cached(("locations",), fetch)

    def location(self, name: str) -> Location | None:
        wanted = name.replace(" ", "").lower()
        for location in self.locations():
            if location.name.lower() == wanted:
                return location
        return None

    def kubernetes_versions(self, location: str) -> KubernetesVersions:
        def fetch() -> KubernetesVersions:
            client = self._client("containerservice")
            self._check()
            result = client.managed_clusters.list_kubernetes_versions(location)
            return parse_kubernetes_versions(location, wire(result))
        return self._cached(("kubernetes_versions", location.lower()), fetch)

    def vm_sizes(self, location: str) -> list[VmSize]:
        def fetch() -> list[VmSize]:
            filter_text = quote(f"location eq '{location}'", safe="")
            path = (f"/subscriptions/{self.subscription_id}/providers/Microsoft.Compute/skus"
                    f"?api-version={COMPUTE_SKUS_API}&$filter={filter_text}")
            sizes = {}
            for item in self._get_json(path):
                size = parse_vm_size(item, location)
                if size is not None:
                    sizes[size.name.lower()] = size
            return sorted(sizes.values(), key=lambda s: s.name.lower())
        return self._cached(("vm_sizes", location.lower()), fetch)

    def vm_size(self, location: str, name: str) -> VmSize | None:
        for size in self.vm_sizes(location):
            if size.name.lower() == name.lower():
                return size
        return None

    # -- what exists -----------------------------------------------------------------------
    def resource_groups(self) -> list[ResourceGroup]:
        def fetch() -> list[ResourceGroup]:
            client = self._client("resource")
            return sorted(
                (ResourceGroup(name=str(g.get("name", "")), location=str(g.get("location", "")),
                               tags=_tags(g))
                 for g in self._items(client.resource_groups.list())),
                key=lambda g: g.name.lower(),
            )
        return self._cached(("resource_groups",), fetch)

    def resource_group(self, name: str) -> ResourceGroup | None:
        """One resource group by a GET (not a list of all), or None when it does not exist."""
        def fetch() -> ResourceGroup | None:
            from azure.core.exceptions import ResourceNotFoundError

            client = self._client("resource")
            self._check()
            try:
                g = wire(client.resource_groups.get(name))
            except ResourceNotFoundError:
                return None
            return ResourceGroup(name=str(g.get("name", "")), location=str(g.get("location", "")),
                                 tags=_tags(g))
        with self._lock:
            listed = self._cache.get(("resource_groups",))
        if listed is not None:  # already listed: no need to ask again
            return next((g for g in listed if g.name.lower() == name.lower()), None)
        return self._cached(("resource_group", name.lower()), fetch)

    def virtual_networks(self, resource_group: str | None = None) -> list[VirtualNetwork]:
        def fetch() -> list[VirtualNetwork]:
            ops = self._client("network").virtual_networks
            pages = ops.list(resource_group) if resource_group else ops.list_all()
            return [parse_vnet(item) for item in self._items(pages)]
        return self._cached(("virtual_networks", (resource_group or "").lower()), fetch)

    def virtual_network(self, resource_group: str, name: str) -> VirtualNetwork | None:
        for vnet in self.virtual_networks(resource_group):
            if vnet.name.lower() == name.lower():
                return vnet
        return None

    def subnet_by_id(self, subnet_id: str) -> tuple[VirtualNetwork, SubnetInfo] | None:
        """The VNet and subnet of a subnet resource id, if it exists."""
        parts = subnet_id.strip("/").split("/")
        lowered = [p.lower() for p in parts]
        try:
            vnet_name = parts[lowered.index("virtualnetworks") + 1]
            subnet_name = parts[lowered.index("subnets") + 1]
        except (ValueError, IndexError):
            return None
        vnet = self.virtual_network(resource_group_of(subnet_id), vnet_name)
        subnet = vnet.subnet(subnet_name) if vnet else None
        return (vnet, subnet) if vnet and subnet else None

    def nat_gateways(self, resource_group: str | None = None) -> list[NatGateway]:
        def fetch() -> list[NatGateway]:
            ops = self._client("network").nat_gateways
            pages = ops.list(resource_group) if resource_group else ops.list_all()
            return [parse_nat_gateway(item) for item in self._items(pages)]
        return self._cached(("nat_gateways", (resource_group or "").lower()), fetch)

    def public_ip_prefix_size(self, prefix_id: str) -> int | None:
        """How many addresses the public IP prefix `prefix_id` holds (None when unreadable)."""
        def fetch() -> int | None:
            from azure.core.exceptions import ResourceNotFoundError

            group = resource_group_of(prefix_id)
            name = prefix_id.rstrip("/").rsplit("/", 1)[-1]
            self._check()
            try:
                item = wire(self._client("network").public_ip_prefixes.get(group, name))
            except ResourceNotFoundError:
                return None
            from wizard.model.config import prefix_addresses

            return prefix_addresses(_props(item))
        return self._cached(("public_ip_prefix_size", prefix_id.lower()), fetch)

    def public_ips(self, resource_group: str | None = None) -> list[PublicIp]:
        def fetch() -> list[PublicIp]:
            ops = self._client("network").public_ip_addresses
            pages = ops.list(resource_group) if resource_group else ops.list_all()
            return [parse_public_ip(item) for item in self._items(pages)]
        return self._cached(("public_ips", (resource_group or "").lower()), fetch)

    def public_ips_in(self, location: str) -> list[PublicIp]:
        """The public IPs of one region: ARM's resource list, filtered by type on the server
        (envelopes without properties), names the groups holding IPs of the region, then only
        those groups' IPs are read in full (instead of every public IP of the subscription).
        ARM documents which filters combine; type and location do not, so the region is
        matched here on the envelopes."""
        def fetch() -> list[PublicIp]:
            wanted = location.replace(" ", "").lower()
            resources = self._client("resource").resources
            groups: dict[str, str] = {}
            for item in self._items(resources.list(filter=f"resourceType eq '{PUBLIC_IP_TYPE}'")):
                if str(item.get("location", "")).replace(" ", "").lower() != wanted:
                    continue
                group = resource_group_of(str(item.get("id", "")))
                groups.setdefault(group.lower(), group)
            found = [ip for group in sorted(groups.values(), key=str.lower)
                     for ip in self.public_ips(group)]
            return [ip for ip in found if ip.location.replace(" ", "").lower() == wanted]
        return self._cached(("public_ips_in", location.replace(" ", "").lower()), fetch)

    def public_ip_usage(self, location: str) -> tuple[int, int] | None:
        """(in use, limit) of public IP addresses in the region, from network usages."""
        def fetch() -> tuple[int, int] | None:
            ops = self._client("network").usages
            for item in self._items(ops.list(location)):
                name = item.get("name") or {}
                if str(name.get("value", "")).lower() == "publicipaddresses":
                    return int(item.get("currentValue") or 0), int(item.get("limit") or 0)
            return None
        return self._cached(("public_ip_usage", location.lower()), fetch)

    def managed_clusters(self, resource_group: str) -> list[dict[str, Any]]:
        def fetch() -> list[dict[str, Any]]:
            ops = self._client("containerservice").managed_clusters
            return list(self._items(ops.list_by_resource_group(resource_group)))
        return self._cached(("managed_clusters", resource_group.lower()), fetch)

    def all_managed_clusters(self) -> list[dict[str, Any]]:
        """Every cluster in the subscription (to pick one to migrate), by resource id."""
        def fetch() -> list[dict[str, Any]]:
            ops = self._client("containerservice").managed_clusters
            return sorted(self._items(ops.list()), key=lambda c: str(c.get("id", "")).lower())
        return self._cached(("all_managed_clusters",), fetch)

    def managed_cluster(self, resource_group: str, name: str) -> dict[str, Any] | None:
        """The cluster's ARM body, or None when it does not exist."""
        def fetch() -> dict[str, Any] | None:
            from azure.core.exceptions import ResourceNotFoundError

            ops = self._client("containerservice").managed_clusters
            self._check()
            try:
                return wire(ops.get(resource_group, name))
            except ResourceNotFoundError:
                return None
        return self._cached(("managed_cluster", resource_group.lower(), name.lower()), fetch)

    def permissions(self, scope_resource_group: str | None) -> list[tuple[list[str], list[str]]]:
        """(actions, notActions) of the signed-in principal on a resource group (or, when it
        does not exist yet, the subscription: the authorization SDK has no operation for that
        scope, so it is a GET on the resource client's pipeline)."""
        def fetch() -> list[tuple[list[str], list[str]]]:
            from azure.core.exceptions import ResourceNotFoundError

            client = self._client("authorization")
            if scope_resource_group:
                try:
                    entries = [
                        (list(getattr(p, "actions", None) or []),
                         list(getattr(p, "not_actions", None) or []))
                        for p in self._raw_items(
                            client.permissions.list_for_resource_group(scope_resource_group))
                    ]
                    return entries
                except ResourceNotFoundError:
                    pass
            path = (f"/subscriptions/{self.subscription_id}/providers/Microsoft.Authorization/"
                    f"permissions?api-version={AUTHORIZATION_API}")
            return [(list(p.get("actions") or []), list(p.get("notActions") or []))
                    for p in self._get_json(path, "resource")]
        return self._cached(("permissions", (scope_resource_group or "").lower()), fetch)

    def _raw_items(self, pages: Iterable[T]) -> Iterator[T]:
        self._check()
        for item in pages:
            self._check()
            yield item


def _translate(exc: Exception) -> Exception:
    """An SDK error as a `DiscoveryError` with Azure's code and message; others unchanged."""
    from azure.core.exceptions import AzureError as CoreAzureError

    from wizard.azure.backend import AzureError, to_azure_error

    if isinstance(exc, CoreAzureError | AzureError):
        error = to_azure_error(exc)
        return DiscoveryError(f"{error.code}: {error.message}")
    return exc


def _error_text(response: Any) -> str:
    try:
        error = response.json().get("error") or {}
        return f"{error.get('code', response.status_code)}: {error.get('message', '')}"
    except Exception:  # any unreadable body becomes its status line
        return f"HTTP {response.status_code}"
