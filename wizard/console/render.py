"""Rich renderables of a plan and its findings, for the CLI's text output.

Everything a user typed (names, paths, values echoed in messages) reaches Rich as `Text`, never
as a markup string, so `[bold]` in a cluster name prints as typed. The CLI prints these; the TUI
has its own widgets but can reuse them where a Rich renderable fits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wizard.model.findings import SEVERITY_ORDER, Finding, Severity
from wizard.plan import Plan
from wizard.text.safe import safe_rich, safe_text
from wizard.text.wording import plural

SEVERITY_STYLE: dict[Severity, str] = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_HEADING: dict[Severity, str] = {"error": "Errors", "warning": "Warnings", "info": "Info"}
SEVERITY_MARK: dict[Severity, str] = {"error": "x", "warning": "!", "info": "i"}


def plan_table(plan: Plan, on_target: Mapping[str, str] | None = None) -> Table:
    """The steps in the order they run: number, name and summary, kind, dependencies, SNAT ports.

    Dependencies are shown as step numbers of the same table, so the DAG reads at a glance.
    `on_target` (step key -> what preflight found: new, reused, differs ...) adds that under
    each step's summary.
    """
    number = {step.key: index for index, step in enumerate(plan.steps, start=1)}
    table = Table(title=safe_rich(f"Plan for cluster {plan.cluster_name} ({plan.outbound_type}), "
                             f"resource group {plan.resource_group}, {plan.location}"),
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Resource", overflow="fold", ratio=1)
    table.add_column("Kind", no_wrap=True)
    table.add_column("After", min_width=5)
    table.add_column("SNAT ports", justify="right", no_wrap=True)
    for index, step in enumerate(plan.steps, start=1):
        after = ", ".join(str(number[key]) for key in step.depends_on if key in number)
        resource = safe_rich(step.name, style="bold")
        resource.append("\n")
        resource.append(safe_text(step.summary), style="dim")
        found = (on_target or {}).get(step.key)
        if found:
            resource.append("\n")
            resource.append(safe_text(found), style="bold red" if found.startswith("exists with")
                            else "cyan" if found.startswith("exists") else "green")
        table.add_row(
            Text(str(index)),
            resource,
            Text(step.kind.replace("_", " ")),
            Text(after or "-"),
            Text(f"{step.snat_ports:,}" if step.snat_ports else ""),
        )
    return table


def findings_view(findings: Sequence[Finding],
                  where: Callable[[Finding], str | None] | None = None) -> RenderableType:
    """Findings grouped by severity (errors first), each with its field and documentation link.

    `where` may add a location (a preset file's `path:line`) to a finding.
    """
    if not findings:
        return Text("No findings: nothing blocks this configuration.", style="green")
    parts: list[RenderableType] = []
    for severity in sorted({f.severity for f in findings}, key=SEVERITY_ORDER.__getitem__):
        group = [f for f in findings if f.severity == severity]
        parts.append(Text(f"{SEVERITY_HEADING[severity]} ({len(group)})",
                          style=SEVERITY_STYLE[severity]))
        for finding in group:
            parts.append(_finding_text(finding, where(finding) if where else None))
    return Group(*parts)


def _finding_text(finding: Finding, location: str | None) -> Text:
    line = Text("  ")
    line.append(SEVERITY_MARK[finding.severity] + " ", style=SEVERITY_STYLE[finding.severity])
    if finding.field:
        line.append(safe_text(finding.field), style="bold")
        line.append(": ")
    line.append(safe_text(finding.message))
    if location:
        line.append(f"  ({safe_text(location)})", style="dim")
    if finding.doc:
        line.append("\n    ")
        line.append(safe_text(finding.doc), style="dim underline")
    return line


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    totals: dict[Severity, int] = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        totals[finding.severity] += 1
    return totals


def _plural(count: int, word: str) -> str:
    return plural(count, word)


def totals_text(plan: Plan | None, findings: Sequence[Finding]) -> Text:
    """One closing line: steps, SNAT ports, and how many errors, warnings and infos."""
    total = counts(findings)
    pieces = []
    if plan is not None:
        pieces.append(f"{_plural(len(plan.steps), 'step')}, "
                      f"{plan.total_snat_ports:,} SNAT ports for egress"
                      if plan.total_snat_ports else _plural(len(plan.steps), "step"))
    pieces.append(f"{_plural(total['error'], 'error')}, {_plural(total['warning'], 'warning')}, "
                  f"{total['info']} info")
    style = "bold red" if total["error"] else "bold green"
    return Text("; ".join(pieces), style=style)
