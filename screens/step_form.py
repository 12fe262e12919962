"""The form of one wizard step: its intro, its settings as `FieldRow`s, and any extra guidance.

Which settings a step asks for, and in what order, comes from `wizard.model.steps` (shared with the
plain prompts); each row renders from `wizard.model.fields`. Rows for settings that do not exist for
the current outbound type (or a disabled Windows pool) are hidden, not removed, so switching back
and forth keeps the form stable.
"""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from screens.draft import Draft
from screens.widgets.field_row import FieldRow, row_id
from screens.widgets.shown import set_display, update
from wizard.model import capacity, fields
from wizard.model.fields import FieldSpec
from wizard.model.steps import WizardStep
from wizard.plan import Plan
from wizard.text.wording import plural

NAT_TYPES = ("managed", "user_assigned")

OUTBOUND_COMPARISON = {
    "managed": (
        "Managed",
        "AKS creates the VNet, NAT gateway and IPs, and owns them. You bring nothing.\n"
        "Pick it for a fixed egress IP, fast, if you need no VNet peering, IP reuse or "
        "egress per zone.",
    ),
    "user_assigned": (
        "User-assigned",
        "The wizard creates VNet, subnet, NAT gateway, IPs and identity in your group; they "
        "are yours.\n"
        "Pick it to peer the VNet, keep the IPs, or have a gateway per zone.",
    ),
}
"""Side by side under the outbound choice: what each creates and when to pick it (kept short
enough that choice and comparison fit an 80x24 terminal without scrolling)."""


def form_spec(path: str, draft: Draft) -> FieldSpec:
    """The setting's declaration as this form shows it."""
    spec = fields.outbound_spec(path, draft.outbound_type)
    if path == "outbound.type":
        kept = tuple(c for c in spec.choices if c in NAT_TYPES or c == draft.outbound_type)
        spec = dataclasses.replace(spec, choices=kept)
    return spec


def ip_hint(ip_count: object) -> str:
    if not isinstance(ip_count, int) or isinstance(ip_count, bool) or ip_count < 1:
        return ""
    bought = capacity.Capacity(ip_count)
    verb = "IPs buy" if ip_count != 1 else "IP buys"
    return (f"{ip_count} {verb} {bought.snat_ports:,} SNAT ports "
            f"and {bought.flows_per_destination:,} concurrent flows to one destination.")


def layout_hint(draft: Draft) -> str:
    """The layout's shape in numbers: with one gateway per zone, pools x nodes = nodes."""
    if draft.value("outbound.layout") != "per_zone":
        return ""
    zones = draft.value("outbound.zones")
    count = len(zones) if isinstance(zones, list) else 0
    nodes = draft.value("cluster.node_count")
    if count == 0 or not isinstance(nodes, int) or isinstance(nodes, bool):
        return "One NAT gateway, subnet and node pool per zone: choose the zones above."
    return (f"{plural(count, 'zone')}: {plural(count, 'NAT gateway')}, "
            f"{plural(count, 'subnet')} and {plural(count, 'node pool')} x "
            f"{plural(nodes, 'node')} = {plural(count * nodes, 'node')}.")


def sku_hint(plan: Plan | None) -> str:
    """What the plan sends as the NAT gateway's SKU, read from the plan's own bodies, so the form
    never says something the plan does not do."""
    if plan is None:
        return ""
    gateways = [step for step in plan.steps if step.kind == "nat_gateway"]
    if gateways:
        skus = sorted({str((step.body.get("sku") or {}).get("name", "")) for step in gateways})
        what = "the NAT gateway" if len(gateways) == 1 else f"{len(gateways)} NAT gateways"
        return f"The plan creates {what} and the public IPs with SKU {', '.join(skus)}."
    cluster = next((step for step in plan.steps if step.kind == "managed_cluster"), None)
    if cluster is None:
        return ""
    network = cluster.body.get("properties", {}).get("networkProfile", {})
    profile = network.get("natGatewayProfile")
    if not isinstance(profile, dict):
        return ""
    if "sku" in profile:
        return f"The plan asks AKS for SKU {profile['sku']}."
    return ("The plan sends no SKU for Standard: AKS uses the region's default "
            "SKU.")


class StepForm(VerticalScroll):
    """The settings of `step`; the wizard screen keeps it in sync with the draft."""

    def __init__(self, step: WizardStep, draft: Draft) -> None:
        super().__init__(id=f"form-{step.id}", classes="step-form")
        self.step = step
        self._draft = draft
        self._rows: list[FieldRow] | None = None

    def compose(self) -> ComposeResult:
        step, draft = self.step, self._draft
        yield Static(step.title, classes="step-title")
        yield Static(step.intro, classes="step-intro")
        for path in step.paths:
            yield FieldRow(form_spec(path, draft), draft.value(path), step_title=step.title)
            if path == "outbound.type":
                with Horizontal(id="outbound-compare"):
                    for kind, (title, body) in OUTBOUND_COMPARISON.items():
                        box = Static(body, id=f"compare-{kind}", classes="compare-box")
                        box.border_title = title
                        yield box
            if path == "outbound.ip_count":
                yield Static("", id="ip-hint", classes="field-hint")
            if path == "outbound.sku":
                yield Static("", id="sku-hint", classes="field-hint")
            if path == "outbound.layout":
                yield Static("", id="layout-hint", classes="field-hint")

    def rows(self) -> list[FieldRow]:
        if self._rows is None:
            rows = list(self.query(FieldRow))
            if not rows:
                return rows  # not composed yet
            self._rows = rows
        return self._rows

    def row(self, path: str) -> FieldRow:
        return self.query_one(f"#{row_id(path)}", FieldRow)

    def sync(self, draft: Draft, *, values: bool, except_path: str | None = None) -> None:
        """Show which rows apply, their findings and (when `values`) the draft's values; a
        row, hint or box is touched only where what it shows differs."""
        self._draft = draft
        visible = set(self.step.visible_paths(draft.data))
        derived = draft.derived
        for row in self.rows():
            path = row.spec.path
            set_display(row, path in visible)
            if values and path != except_path:
                row.show_value(draft.value(path))
            row.show_findings(derived.findings_for(path))
        if self.step.id == "outbound":
            chosen = draft.outbound_type
            for kind in OUTBOUND_COMPARISON:
                self.query_one(f"#compare-{kind}").set_class(kind == chosen, "-chosen")
        if self.step.id == "nat":
            hint = self.query_one("#ip-hint", Static)
            # No figure from a value the field itself reports as wrong (17 IPs buy nothing).
            valid = not any(f.severity == "error"
                            for f in derived.findings_for("outbound.ip_count"))
            update(hint, ip_hint(draft.value("outbound.ip_count")) if valid else "")
            set_display(hint, "outbound.ip_count" in visible)
            sku = self.query_one("#sku-hint", Static)
            update(sku, sku_hint(None if derived.stale else derived.plan))
            set_display(sku, "outbound.sku" in visible)
            layout = self.query_one("#layout-hint", Static)
            update(layout, layout_hint(draft))
            set_display(layout, "outbound.layout" in visible)
