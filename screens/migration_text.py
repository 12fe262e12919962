"""What the migration screen says, built from the domain objects: the cluster's facts, the details
of a migration with its checks, and the confirmation. Plain functions returning Textual `Content`
(no widgets), so the wording lives in one place and tests can read it without a running app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

if TYPE_CHECKING:
    from wizard.azure.importer import ImportedCluster
    from wizard.model.findings import Finding
    from wizard.plan.migration import MigrationPlan

Parts = list[str | tuple[str, str]]
TARGET_LABELS = {
    "managed": "Managed NAT gateway (managedNATGateway): AKS creates and runs it",
    "user_assigned": "Your own NAT gateway on the cluster's subnet (userAssignedNATGateway)",
    "load_balancer": "Load balancer (loadBalancer)",
}
MARK = {"error": ("✗ ", "bold $text-error"), "warning": ("! ", "bold $text-warning"),
        "info": ("i ", "bold $text-primary")}


def short_id(resource_id: str) -> str:
    """`virtualNetworks/v/subnets/s in resource group rg` from a full ARM id (for a dialog)."""
    from wizard.azure.discovery import resource_group_of

    parts = resource_id.strip("/").split("/")
    lowered = [part.lower() for part in parts]
    group = resource_group_of(resource_id)
    if not group or "providers" not in lowered:
        return resource_id
    return "/".join(parts[lowered.index("providers") + 2:]) + f" in resource group {group}"


def cluster_facts(imported: ImportedCluster) -> Content:
    """Where the cluster's egress goes today, and what the import noticed."""
    from wizard.plan import migration as migrate

    config = imported.config
    vnet = "your own VNet" if migrate.is_byo(config) else "the VNet AKS created"
    egress = ", ".join(f"{ip.name} ({ip.address or 'no address'})"
                       for ip in imported.egress_ips) or "not found"
    parts: Parts = [
        (f"{config.cluster.resource_group}/{config.cluster.name}", "bold"),
        f" in {config.cluster.location}: outbound type ",
        (imported.outbound_type, "bold"), f" on {vnet}.\nEgress leaves from: {egress}."]
    parts.extend(f"\nNote: {note}" for note in imported.notes)
    return Content.assemble(*parts)


def migration_details(planned: MigrationPlan | None, problem: str | None,
                      checks: list[Finding] | None) -> Content:
    """The steps in order, what people most often miss, what it changes that the wizard did not
    create, and the checks (None: still reading); or why there is no migration."""
    if planned is None:
        return Content.assemble(("Cannot migrate: ", "bold $text-error"), problem or "")
    parts: Parts = []
    for index, (heading, items) in enumerate(planned.sections()):
        parts.append((f"{'' if index == 0 else chr(10)}{heading}:\n", "bold"))
        parts.extend(f"  {item}\n" for item in items)
    parts.append(("\nChecks: ", "bold"))
    if checks is None:
        parts.append("reading the subscription...")
    elif not checks:
        parts.append(("no problems found.", "$text-success"))
    for finding in checks or []:
        mark, style = MARK[finding.severity]
        parts += ["\n  ", (mark, style), f"{finding.field + ': ' if finding.field else ''}"
                  f"{finding.message}"]
    return Content.assemble(*parts)


def confirmation(planned: MigrationPlan, where: str) -> str:
    """The confirmation dialog's body: what moves, what it modifies, what drops."""
    from wizard.plan.migration import OUTBOUND_WIRE

    cluster = planned.target.cluster
    changes = "\n".join(f"  - {short_id(resource_id)}" for resource_id in planned.modifies)
    pause = f"\n\n{planned.pause_note}" if planned.pause_note else ""
    return (f"Move the egress of {cluster.resource_group}/{cluster.name} on {where} from "
            f"{OUTBOUND_WIRE[planned.source_type]} to {OUTBOUND_WIRE[planned.target_type]}."
            f"\n\nThis modifies resources the wizard did not create:\n{changes}\n\nExisting "
            f"outbound connections drop when egress moves.{pause}")
