"""The live panel beside every step: SNAT gauge, findings and the plan, refreshed on each edit."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, Tree

from screens.draft import Draft
from screens.widgets.findings_list import FindingsList
from screens.widgets.plan_tree import PlanTree
from screens.widgets.shown import set_display, update
from screens.widgets.snat_gauge import SnatGauge
from wizard.plan import Plan


def gateway_count(draft: Draft) -> int:
    """How many NAT gateways the draft makes (one per zone with the per-zone layout)."""
    zones = draft.value("outbound.zones")
    if draft.outbound_type == "user_assigned" and draft.value("outbound.layout") == "per_zone":
        return len(zones) if isinstance(zones, list) and zones else 1
    return 1


def valid_value(draft: Draft, path: str) -> Any:
    """The draft's value of `path`, or None while its field has an error: no figure is computed
    from a value the form itself calls wrong."""
    if any(f.severity == "error" for f in draft.derived.findings_for(path)):
        return None
    return draft.value(path)


def valid_workload(draft: Draft) -> dict[str, Any]:
    workload = draft.data.get("workload") or {}
    return {key: value for key, value in workload.items()
            if valid_value(draft, f"workload.{key}") is not None}


class SidePanel(Vertical):
    """Everything derived from the draft, next to the form that edits it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plan: Plan | None = None

    def compose(self) -> ComposeResult:
        yield SnatGauge(id="snat-gauge")
        yield Static("Findings", classes="panel-title")
        yield FindingsList(id="findings")
        yield Static("Plan", classes="panel-title")
        yield PlanTree(id="plan-tree")
        yield Static("", id="plan-detail")

    def show(self, draft: Draft) -> None:
        """Show what is derived from `draft`; each part is touched only where it differs."""
        derived = draft.derived
        self.query_one(SnatGauge).show(valid_value(draft, "outbound.ip_count"),
                                       gateway_count(draft), valid_workload(draft))
        self.query_one(FindingsList).show_findings(derived.evaluation.findings)
        self.query_one(PlanTree).show_plan(derived.plan, derived.changed, derived.added,
                                           derived.stale)
        removed = derived.removed
        detail = self.query_one("#plan-detail", Static)
        update(detail, Text(f"- removed: {', '.join(removed)}") if removed else "")
        set_display(detail, bool(removed))
        self._plan = derived.plan

    @on(Tree.NodeHighlighted)
    def _explain(self, event: Tree.NodeHighlighted[str]) -> None:
        key = event.node.data
        plan = self._plan
        detail = self.query_one("#plan-detail", Static)
        if not key or plan is None or key not in {s.key for s in plan.steps}:
            return
        step = plan.step(key)
        text = Text(step.summary, style="bold")
        text.append(f"\n{step.why}")
        update(detail, text)
        set_display(detail, True)
