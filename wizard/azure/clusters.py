"""The existing clusters a migration can start from, the public IPs it could reuse, and where a
cluster's egress leaves from once it has run.

The `--simple` prompts and the full-screen app (through `screens/migrate_runner.py`) list these to
choose from. Every function blocks on Azure through `Discovery` and raises
`DiscoveryError` when it cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.azure.discovery import Discovery, PublicIp, resource_group_of


@dataclass(frozen=True)
class ClusterSummary:
    """One existing cluster, as a list to pick from shows it."""

    resource_group: str
    name: str
    location: str
    outbound_type: str
    """Azure's name: loadBalancer, managedNATGateway, userAssignedNATGateway, ..."""
    own_vnet: bool
    """Its nodes run on a subnet of your own (not the VNet AKS created)."""

    @property
    def reference(self) -> str:
        """`resource_group/name`, the form `aks-nat-wizard migrate` takes."""
        return f"{self.resource_group}/{self.name}"


def summarize(body: dict[str, Any]) -> ClusterSummary:
    """A managed cluster's ARM body, reduced to what a choice list shows."""
    props: dict[str, Any] = body.get("properties") or {}
    network = props.get("networkProfile") or {}
    pools = props.get("agentPoolProfiles") or []
    return ClusterSummary(
        resource_group=resource_group_of(str(body.get("id", ""))),
        name=str(body.get("name", "")),
        location=str(body.get("location", "")),
        outbound_type=str(network.get("outboundType", "loadBalancer")),
        own_vnet=any(isinstance(pool, dict) and pool.get("vnetSubnetID") for pool in pools))


def list_clusters(discovery: Discovery) -> list[ClusterSummary]:
    """Every cluster of the subscription, sorted by resource group and name."""
    return sorted((summarize(body) for body in discovery.all_managed_clusters()),
                  key=lambda c: (c.resource_group.lower(), c.name.lower()))


def free_public_ips(discovery: Discovery, location: str) -> list[PublicIp]:
    """Standard public IPs of the region that nothing holds: ones a new NAT gateway could use
    instead of new ones (often already allow-listed downstream)."""
    return sorted((ip for ip in discovery.public_ips_in(location)
                   if not ip.in_use and ip.sku == "Standard"),
                  key=lambda ip: (ip.resource_group.lower(), ip.name.lower()))


def egress_now(discovery: Discovery, resource_group: str, name: str) -> list[str]:
    """`name address` of each IP the cluster egresses from, as Azure has it now (pass a fresh
    `Discovery`: its answers are cached). Raises `ClusterImportError` when it is gone."""
    from wizard.azure.importer import import_cluster

    cluster = import_cluster(discovery, resource_group, name)
    return [f"{ip.name} {ip.address or '(no address)'}" for ip in cluster.egress_ips]
