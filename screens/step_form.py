"""The form of one wizard step: its intro, its settings as `FieldRow`s, and any extra guidance.

Which settings a step asks for, and in what order, comes from `wizard.steps` (shared with the
plain prompts); each row renders from `wizard.fields`. Rows for settings that do not exist for
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
from wizard import capacity, fields
from wizard.fields import FieldSpec
from wizard.steps import WizardStep

NAT_TYPES = ("managed", "user_assigned")

OUTBOUND_COMPARISON = {
    "managed": (
        "Managed NAT gateway",
        "Azure creates for you: the VNet, the NAT gateway and its public IPs, in the node "
        "resource group, all owned by AKS.\n\n"
        "You bring: nothing.\n\n"
        "Pick it when: you want a fixed egress IP quickly and do not need to peer the VNet, "
        "reuse IPs or survive a zone outage with egress intact.",
    ),
    "user_assigned": (
        "User-assigned NAT gateway",
        "Azure creates for you: only the cluster.\n\n"
        "You bring (the wizard creates them for you in your resource group): the VNet and "
        "subnet, the NAT gateway and its public IPs, and the identity the cluster runs as, "
        "with Network Contributor on the subnet.\n\n"
        "Pick it when: you peer or own the network, want to keep the IPs beyond the cluster, "
        "or need one NAT gateway per zone.",
    ),
}


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


class StepForm(VerticalScroll):
    """The settings of `step`; the wizard screen keeps it in sync with the draft."""

    def __init__(self, step: WizardStep, draft: Draft) -> None:
        super().__init__(id=f"form-{step.id}", classes="step-form")
        self.step = step
        self._draft = draft

    def compose(self) -> ComposeResult:
        step, draft = self.step, self._draft
        yield Static(step.title, classes="step-title")
        yield Static(step.intro, classes="step-intro")
        if step.id == "outbound":
            with Horizontal(id="outbound-compare"):
                for kind, (title, body) in OUTBOUND_COMPARISON.items():
                    box = Static(body, id=f"compare-{kind}", classes="compare-box")
                    box.border_title = title
                    yield box
        for path in step.paths:
            yield FieldRow(form_spec(path, draft), draft.value(path))
            if path == "outbound.ip_count":
                yield Static("", id="ip-hint", classes="field-hint")
            if path == "outbound.layout":
                pass

    def rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def row(self, path: str) -> FieldRow:
        return self.query_one(f"#{row_id(path)}", FieldRow)

    def sync(self, draft: Draft, *, values: bool, except_path: str | None = None) -> None:
        """Show which rows apply, their findings and (when `values`) the draft's values."""
        self._draft = draft
        visible = set(self.step.visible_paths(draft.data))
        for row in self.rows():
            path = row.spec.path
            row.display = path in visible
            if values and path != except_path:
                row.show_value(draft.value(path))
            row.show_findings(draft.derived.findings_for(path))
        if self.step.id == "outbound":
            chosen = draft.outbound_type
            for kind in OUTBOUND_COMPARISON:
                self.query_one(f"#compare-{kind}").set_class(kind == chosen, "-chosen")
        if self.step.id == "nat":
            hint = self.query_one("#ip-hint", Static)
            hint.update(ip_hint(draft.value("outbound.ip_count")))
            hint.display = "outbound.ip_count" in visible
