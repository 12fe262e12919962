"""Reading what a migration needs from the target: the clusters, one cluster in full, the checks,
and the egress IPs after each phase.

These functions block and import the Azure SDK (through `wizard.run.target.make_backend`), so the
migration and execution screens call them from thread workers only. They raise; the screens show
the error (`wizard.text.errors.first_line`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screens.workers.target import connect as connect
from wizard.azure import clusters
from wizard.azure.clusters import ClusterSummary

if TYPE_CHECKING:
    from datetime import datetime

    from wizard.azure.discovery import Discovery, PublicIp
    from wizard.azure.importer import ImportedCluster
    from wizard.model.findings import Finding
    from wizard.model.health import Diagnosis, EgressSeries
    from wizard.plan.migration import MigrationPlan


def list_clusters(discovery: Discovery) -> list[ClusterSummary]:
    """Every cluster of the subscription, by resource group and name."""
    return clusters.list_clusters(discovery)


def read_cluster(discovery: Discovery, choice: ClusterSummary) -> ImportedCluster:
    """The cluster and everything its egress uses (`wizard.azure.importer`)."""
    from wizard.azure.importer import import_cluster

    return import_cluster(discovery, choice.resource_group, choice.name)


def free_public_ips(discovery: Discovery, location: str) -> list[PublicIp]:
    """Standard public IPs of the region that nothing holds, to reuse."""
    return clusters.free_public_ips(discovery, location)


def check(discovery: Discovery, planned: MigrationPlan) -> list[Finding]:
    """What could fail the migration half-way (quota, a subnet on another NAT gateway)."""
    from wizard.azure.migration_checks import migration_findings

    return migration_findings(planned, discovery)


def new_ip_addresses(backend: Any, planned: MigrationPlan) -> list[str]:
    """`name address` of the public IPs the first phase created."""
    from wizard.azure.migration_checks import ip_addresses

    return ip_addresses(backend, planned.new_ip_steps)


def egress_after(backend: Any, planned: MigrationPlan) -> list[str]:
    """`name address` of the IPs the cluster egresses from now (read again from Azure)."""
    from wizard.azure.migration_checks import egress_after as read

    return read(backend, planned)


def diagnose(discovery: Discovery, choice: ClusterSummary, days: int = 7,
             now: datetime | None = None) -> tuple[Diagnosis, EgressSeries]:
    """The cluster's SNAT verdict over the `days` days before `now` and the series behind it."""
    from wizard.azure.metrics import diagnose_cluster

    body = discovery.managed_cluster(choice.resource_group, choice.name)
    if body is None:
        raise LookupError(f"{choice.reference} is gone")
    return diagnose_cluster(discovery.backend, discovery, body, days, now)
