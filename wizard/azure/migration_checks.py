"""Reads a migration needs from the subscription: the checks that could fail it half-way, and the
addresses of the egress IPs before and after.

Both the CLI (`aks-nat-wizard migrate`) and the TUI's migration screen call these, so the two show
the same findings and the same addresses. They block on the network: the TUI calls them from a
worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.azure import preflight
from wizard.azure.discovery import Discovery, SubnetInfo
from wizard.model.findings import Finding

if TYPE_CHECKING:
    from wizard.plan import Step
    from wizard.plan.migration import MigrationPlan


def migration_findings(planned: MigrationPlan, discovery: Discovery) -> list[Finding]:
    """Public IP quota for the IPs it creates, and (moving to a user-assigned NAT gateway) a
    subnet already bound to another NAT gateway and the existing public IPs it would reuse.
    Raises `DiscoveryError` when Azure cannot be read."""
    from wizard.azure.existing_ips import existing_public_ip_findings

    status: dict[str, preflight.StepStatus] = {
        step.key: "create" for step in planned.new_ip_steps}
    found = preflight.quota_findings(planned.target, planned.plan, status, discovery)
    existing: dict[str, SubnetInfo] = {}
    for step in planned.plan.steps:
        if step.kind == "subnet":
            hit = discovery.subnet_by_id(step.resource_id)
            if hit is not None:
                existing[step.key] = hit[1]
    if planned.target_type == "user_assigned":
        found += preflight.subnet_binding_findings(planned.plan, existing)
        backend = discovery.backend
        found += existing_public_ip_findings(planned.target, planned.plan, backend.get,
                                             str(backend.subscription_id))
    return list(found)


def egress_after(backend: Any, planned: MigrationPlan) -> list[str]:
    """`name address` of the IPs the migrated cluster egresses from now (a fresh `Discovery`:
    an older one cached what was there before)."""
    from wizard.azure.clusters import egress_now

    cluster = planned.target.cluster
    return egress_now(Discovery(backend), cluster.resource_group, cluster.name)


def ip_addresses(backend: Any, steps: tuple[Step, ...] | list[Step]) -> list[str]:
    """`name address` of each public IP step (`name CIDR` of a prefix) as Azure has it now."""
    found = []
    for step in steps:
        body = backend.get(step) or {}
        field = "ipPrefix" if step.kind == "public_ip_prefix" else "ipAddress"
        address = (body.get("properties") or {}).get(field) or "(no address yet)"
        found.append(f"{step.name} {address}")
    return found
