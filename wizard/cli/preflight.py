"""`plan --preflight` (and apply's automatic preflight): run the checks and show them.

`run_for(ctx, config, plan, ...)` connects to the chosen target (sandbox or subscription), runs
`wizard.azure.preflight.run` and returns the report; `status_table(plan, report)` shows each step as
create / exists (reused) / drift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich import box
from rich.table import Table
from rich.text import Text

from wizard.cli import azure_target, common

if TYPE_CHECKING:
    from wizard.azure.preflight import PreflightReport
    from wizard.model.config import WizardConfig
    from wizard.plan import Plan

PREFLIGHT_HELP = ("Also read the target subscription (or the sandbox: --sandbox) and check what "
                  "Azure would refuse: region, zones, Kubernetes version and VM sizes offered, "
                  "your right to create role assignments, public IP quota, names already "
                  "taken, subnet size and NAT gateway; each step is marked create, exists "
                  "(reused) or drift. Nothing is changed.")

STATUS_STYLE = {"create": "green", "exists": "cyan", "drift": "bold yellow"}
STATUS_TEXT = {"create": "create", "exists": "exists, reused", "drift": "DRIFT"}


def run_for(ctx: click.Context, config: WizardConfig, plan: Plan, *, sandbox: bool = False,
            sandbox_state: str | None = None, subscription: str | None = None
            ) -> tuple[PreflightReport, Plan]:
    """The preflight report and the plan rebuilt for the target's subscription id."""
    from wizard import plan as planner
    from wizard.azure import preflight

    backend, _ = azure_target.connect(ctx, sandbox, sandbox_state, subscription)
    targeted = planner.build(config, backend.subscription_id)
    return preflight.run(config, targeted, backend), targeted


def status_table(plan: Plan, report: PreflightReport) -> Table:
    table = Table(title=Text("Preflight: what exists"), title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Resource", overflow="fold", ratio=1)
    table.add_column("Status", no_wrap=True)
    for index, step in enumerate(plan.steps, start=1):
        detail = report.steps.get(step.key)
        status = report.step_status.get(step.key, "create")
        text = Text(STATUS_TEXT[status], style=STATUS_STYLE[status])
        if detail is not None and status != "create":
            owner = {True: " (ours)", False: " (not created by the wizard)", None: ""}
            text.append(owner[detail.ours], style="dim")
        table.add_row(Text(str(index)), Text(step.name), text)
    return table


def print_report(plan: Plan, report: PreflightReport) -> None:
    out = common.console()
    out.print(status_table(plan, report))
    if report.findings:
        common.print_findings(report.findings)
    else:
        out.print(Text("Preflight: no problem found.", style="green"))
