"""What the target offers (regions and their zones, Kubernetes versions, VM sizes) and the VNets
that already exist where the plan puts its own, checked as data.

The TUI learns these piece by piece in workers: the list of regions first, then the versions and
VM sizes of the region the user picked, and the VNets of the resource group the user named.
`Offers` holds what is known so far, and `offer_findings` checks a configuration against exactly
that, with no network and in microseconds, so it runs on every keystroke. What is not known yet is
not checked (never a false error while a worker is still fetching). Preflight runs the same checks
on everything it reads through `Discovery`, so the CLI and the TUI report the same errors with the
same words.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from wizard.azure.discovery import (
    Discovery,
    KubernetesVersions,
    Location,
    VirtualNetwork,
    VmSize,
    first_free_prefix,
)
from wizard.model.config import NAT_DOC, NAT_ZONES_DOC, UserAssignedOutbound, WizardConfig
from wizard.model.findings import Finding

LOCATIONS_DOC = "https://learn.microsoft.com/azure/reliability/regions-list"
VERSIONS_DOC = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"
VM_SIZES_DOC = "https://learn.microsoft.com/azure/aks/quotas-skus-regions"
SUBNETS_DOC = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet"


def region_key(name: str) -> str:
    """How ARM compares region names: `East US 2`, `eastus2` and `EastUS2` are one region."""
    return name.replace(" ", "").lower()


@dataclass(frozen=True)
class Offers:
    """The part of the target's offer known so far (empty: nothing is checked)."""

    locations: tuple[Location, ...] = ()
    versions: Mapping[str, KubernetesVersions] = field(default_factory=dict)
    """Kubernetes versions by `region_key`, for the regions fetched so far."""
    vm_sizes: Mapping[str, tuple[VmSize, ...]] = field(default_factory=dict)
    """VM sizes by `region_key`, for the regions fetched so far."""
    networks: Mapping[str, tuple[VirtualNetwork, ...]] = field(default_factory=dict)
    """The VNets of each resource group fetched so far, by lower-cased name (an empty tuple: the
    group has none, or does not exist yet)."""

    def location(self, name: str) -> Location | None:
        wanted = region_key(name)
        return next((loc for loc in self.locations if loc.name.lower() == wanted), None)

    def knows_region(self, name: str) -> bool:
        """Are the versions and sizes of region `name` known?"""
        key = region_key(name)
        return key in self.versions and key in self.vm_sizes

    def with_region(self, name: str, versions: KubernetesVersions,
                    sizes: Sequence[VmSize]) -> Offers:
        """A copy that also knows region `name`'s versions and sizes."""
        key = region_key(name)
        return replace(self, versions={**self.versions, key: versions},
                       vm_sizes={**self.vm_sizes, key: tuple(sizes)})

    def knows_group(self, name: str) -> bool:
        return name.lower() in self.networks

    def with_networks(self, group: str, vnets: Sequence[VirtualNetwork]) -> Offers:
        """A copy that also knows the VNets of resource group `group`."""
        return replace(self, networks={**self.networks, group.lower(): tuple(vnets)})

    def vnet(self, group: str, name: str) -> VirtualNetwork | None:
        return next((v for v in self.networks.get(group.lower(), ())
                     if v.name.lower() == name.lower()), None)

    def network_choices(self, config: WizardConfig) -> dict[str, list[str]]:
        """Completions for the network settings from what exists: the group's VNet names; for
        an existing VNet its address space and the first free block of the subnet's size."""
        group = config.cluster.resource_group
        choices = {"outbound.vnet_name": [v.name for v in self.networks.get(group.lower(), ())]}
        out = config.outbound
        vnet = self.vnet(group, out.vnet_name) if isinstance(out, UserAssignedOutbound) else None
        if vnet is not None and isinstance(out, UserAssignedOutbound):
            choices["outbound.vnet_address_space"] = list(vnet.address_space)
            length = ipaddress.ip_network(out.subnet_prefix).prefixlen
            free = first_free_prefix(vnet, length)
            choices["outbound.subnet_prefix"] = [free] if free else []
        return choices

    def version_choices(self, name: str) -> list[str]:
        """What a user may type as the Kubernetes version in region `name`, in the order a
        completion should offer them: the default minor first, then the other supported ones
        newest first, previews last."""
        known = self.versions.get(region_key(name))
        if known is None:
            return []
        ranked = sorted(reversed(known.minors),
                        key=lambda minor: (not minor.is_default, minor.is_preview))
        return [v for minor in ranked for v in (minor.version, *reversed(minor.patches))]

    def size_choices(self, name: str) -> list[str]:
        """The VM sizes this subscription may use in region `name`, by name."""
        return sorted(s.name for s in self.vm_sizes.get(region_key(name), ()) if not s.restricted)


def location_findings(config: WizardConfig, locations: Sequence[Location]) -> list[Finding]:
    """The region exists and offers the chosen zones."""
    offers = Offers(tuple(locations))
    location = offers.location(config.cluster.location)
    if location is None:
        names = [loc.name for loc in locations]
        close = difflib.get_close_matches(config.cluster.location, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return [Finding("error", "cluster.location",
                        f"{config.cluster.location} is not a region this subscription can use"
                        f"{hint}", LOCATIONS_DOC, "discovery.unknown_location")]
    zones = list(config.outbound.zones)
    if zones and not location.has_zones:
        return [Finding(
            "error", "outbound.zones",
            f"{location.name} has no availability zones, so zones {','.join(zones)} cannot be "
            "used; leave zones empty (no zone) or pick a region with zones",
            NAT_ZONES_DOC, "discovery.no_zones")]
    missing = [zone for zone in zones if zone not in location.zones]
    if missing:
        return [Finding(
            "error", "outbound.zones",
            f"{location.name} offers zones {','.join(location.zones)}, not {','.join(missing)}",
            NAT_ZONES_DOC, "discovery.unknown_zone")]
    return []


def version_findings(config: WizardConfig, location: Location,
                     offered: KubernetesVersions) -> list[Finding]:
    """The Kubernetes version asked for is one AKS offers in the region (empty: its default)."""
    version = config.cluster.kubernetes_version
    if not version or offered.offers(version):
        return []
    available = ", ".join(minor.version for minor in offered.minors) or "none"
    return [Finding(
        "error", "cluster.kubernetes_version",
        f"Kubernetes {version} is not offered in {location.name}; available: {available}"
        + (f" (default {offered.default})" if offered.default else ""),
        VERSIONS_DOC, "discovery.unknown_version")]


def vm_size_findings(config: WizardConfig, location: Location,
                     sizes: Sequence[VmSize]) -> list[Finding]:
    """Each pool's VM size is offered to this subscription in the region and its zones."""
    by_name = {size.name.lower(): size for size in sizes}
    zones = list(config.outbound.zones)
    wanted = [("cluster.node_vm_size", config.cluster.node_vm_size)]
    if config.windows.enabled:
        wanted.append(("windows.vm_size", config.windows.vm_size))
    found: list[Finding] = []
    for path, size_name in wanted:
        size = by_name.get(size_name.lower())
        if size is None or size.restricted:
            names = [s.name for s in sizes if not s.restricted]
            close = difflib.get_close_matches(size_name, names, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            why = "is not available to this subscription" if size else "is not offered"
            found.append(Finding("error", path, f"VM size {size_name} {why} in {location.name}"
                                 f"{hint}", VM_SIZES_DOC, "discovery.unknown_vm_size"))
        elif zones and location.has_zones:
            missing = [zone for zone in zones if zone in location.zones and
                       zone not in size.zones]
            if missing:
                found.append(Finding(
                    "error", path,
                    f"VM size {size_name} is not offered in zone(s) {','.join(missing)} of "
                    f"{location.name}", VM_SIZES_DOC, "discovery.vm_size_zone"))
    return found


def network_findings(config: WizardConfig, vnet: VirtualNetwork | None) -> list[Finding]:
    """The plan's VNet and subnets against the VNet of that name that already exists (None: it
    does not): a new subnet overlapping an existing one is an error (Azure refuses it); an
    existing VNet or subnet with other ranges is a warning (apply stops at it as drift, since the
    wizard never changes what it did not create unasked); a subnet on another NAT gateway is an
    error."""
    out = config.outbound
    if vnet is None or not isinstance(out, UserAssignedOutbound):
        return []
    found: list[Finding] = []
    if vnet.address_space and out.vnet_address_space not in vnet.address_space:
        found.append(Finding(
            "warning", "outbound.vnet_address_space",
            f"VNet {vnet.name} already exists with address space "
            f"{', '.join(vnet.address_space)}, not {out.vnet_address_space}: apply stops at it "
            f"unless told to change it. To reuse it as it is, set the address space to "
            f"{vnet.address_space[0]}", SUBNETS_DOC, "existing.vnet_address_space"))
    for name, prefix, gateway in out.planned_subnets():
        existing = vnet.subnet(name)
        if existing is not None:
            if existing.address_prefix and existing.address_prefix != prefix:
                found.append(Finding(
                    "warning", "outbound.subnet_prefix",
                    f"subnet {name} already exists in {vnet.name} as {existing.address_prefix}, "
                    f"not {prefix}: apply stops at it unless told to change it. To reuse it, "
                    f"set the subnet prefix to {existing.address_prefix}", SUBNETS_DOC,
                    "existing.subnet_prefix"))
            bound = existing.nat_gateway_id
            if bound and bound.rstrip("/").rsplit("/", 1)[-1].lower() != gateway.lower():
                found.append(Finding(
                    "error", "outbound.subnet_name",
                    f"subnet {name} is already bound to NAT gateway {bound.rsplit('/', 1)[-1]}; "
                    "a subnet has one NAT gateway. Use that gateway (outbound.nat_gateway_name), "
                    "another subnet, or detach it first", NAT_DOC,
                    "preflight.subnet_has_other_nat_gateway"))
            continue
        wanted = ipaddress.ip_network(prefix)
        for other in vnet.subnets:
            if other.address_prefix and wanted.overlaps(ipaddress.ip_network(other.address_prefix)):
                free = first_free_prefix(vnet, wanted.prefixlen)
                hint = f"; the first free /{wanted.prefixlen} is {free}" if free else \
                    f"; no /{wanted.prefixlen} is free in {vnet.name}"
                found.append(Finding(
                    "error", "outbound.subnet_prefix",
                    f"{prefix} for new subnet {name} overlaps subnet {other.name} "
                    f"({other.address_prefix}) of the existing VNet {vnet.name}{hint}",
                    SUBNETS_DOC, "existing.subnet_overlap"))
                break
    return found


def offer_findings(config: WizardConfig, offers: Offers) -> list[Finding]:
    """Every check the known part of `offers` allows: region and zones once the regions are
    known; Kubernetes version and VM sizes once the region's details are; the VNet and subnets
    once the resource group's VNets are."""
    found: list[Finding] = []
    out = config.outbound
    if isinstance(out, UserAssignedOutbound) and offers.knows_group(config.cluster.resource_group):
        found += network_findings(config, offers.vnet(config.cluster.resource_group,
                                                      out.vnet_name))
    if not offers.locations:
        return found
    found += location_findings(config, offers.locations)
    location = offers.location(config.cluster.location)
    if location is None:
        return found
    key = region_key(location.name)
    if key in offers.versions:
        found += version_findings(config, location, offers.versions[key])
    if key in offers.vm_sizes:
        found += vm_size_findings(config, location, offers.vm_sizes[key])
    return found


def fetch_networks(discovery: Discovery, group: str, known: Offers | None = None) -> Offers:
    """`known` plus the VNets of resource group `group` (none when it does not exist yet)."""
    offers = known or Offers()
    vnets = discovery.virtual_networks(group) if discovery.resource_group(group) else []
    return offers.with_networks(group, vnets)


def fetch_offers(discovery: Discovery, location: str | None = None,
                 known: Offers | None = None) -> Offers:
    """`known` (or nothing) plus the regions and, when `location` is one of them, its versions
    and sizes, read through `discovery` (blocking: call it from a worker or the CLI)."""
    offers = known or Offers()
    if not offers.locations:
        offers = replace(offers, locations=tuple(discovery.locations()))
    region = offers.location(location) if location else None
    if region is not None and not offers.knows_region(region.name):
        offers = offers.with_region(region.name, discovery.kubernetes_versions(region.name),
                                    discovery.vm_sizes(region.name))
    return offers


def merge(known: Offers | None, learned: Offers) -> Offers:
    """`learned` plus whatever `known` had that it lacks (workers finish in any order)."""
    if known is None:
        return learned
    return Offers(learned.locations or known.locations,
                  {**known.versions, **learned.versions},
                  {**known.vm_sizes, **learned.vm_sizes},
                  {**known.networks, **learned.networks})
