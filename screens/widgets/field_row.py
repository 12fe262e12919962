"""One setting on a step screen: its label, the input that fits its kind, and its findings.

Everything shown comes from the setting's single declaration (`wizard.fields.FieldSpec`): the
label, the bounds, the choices and the help, so the screens never drift from the CLI or the
prompts. The row does not edit anything itself: it posts `FieldRow.Edited` with the path and the
typed text or chosen value, and the wizard screen puts it in the draft and shows what follows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch
from textual.widgets.selection_list import Selection

from wizard.fields import FieldSpec, format_value
from wizard.findings import Finding
from wizard.safe_text import safe_text, without_controls

SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "i"}


def row_id(path: str) -> str:
    """A widget id for a dotted path (`outbound.ip_count` -> `row-outbound--ip_count`)."""
    return "row-" + path.replace(".", "--")


def control_id(path: str) -> str:
    return "in-" + path.replace(".", "--")


class FieldRow(Vertical):
    """Label, control and the findings about this one setting."""

    class Edited(Message):
        """The user changed the control; `raw` is text to parse, else `value` is final."""

        def __init__(self, path: str, raw: str | None = None, value: Any = None) -> None:
            super().__init__()
            self.path = path
            self.raw = raw
            self.value = value

    def __init__(self, spec: FieldSpec, value: Any) -> None:
        super().__init__(id=row_id(spec.path), classes="field-row")
        self.spec = spec
        self._initial = value

    def compose(self) -> ComposeResult:
        spec = self.spec
        label = Text(spec.label)
        if spec.bounds_text:
            label.append(f"  ({spec.bounds_text})", style="dim")
        yield Label(label, classes="field-label")
        yield self._make_control()
        yield Static("", classes="field-findings")

    def _make_control(self) -> Widget:
        spec, value, ident = self.spec, self._initial, control_id(self.spec.path)
        tooltip = spec.help or None
        control: Widget
        if spec.kind == "bool":
            control = Switch(value=bool(value), id=ident, tooltip=tooltip)
        elif spec.kind == "choice":
            options = [(choice, choice) for choice in spec.choices]
            current = value if value in spec.choices else Select.NULL
            control = Select(options, value=current, allow_blank=current == Select.NULL,
                             id=ident, tooltip=tooltip, compact=True)
        elif spec.kind == "zones":
            chosen = {str(v) for v in value} if isinstance(value, list) else set()
            control = SelectionList[str](
                *[Selection(f"Zone {zone}", zone, zone in chosen) for zone in spec.choices],
                id=ident, compact=True)
            control.tooltip = tooltip
        else:
            placeholder = "(empty: default)" if spec.optional or spec.default == "" else ""
            control = Input(format_value(value), placeholder=placeholder, id=ident, tooltip=tooltip,
                            compact=True)
        control.add_class("field-control")
        return control

    @property
    def control(self) -> Widget:
        return self.query_one(".field-control")

    # -- showing the draft -------------------------------------------------------------------
    def show_value(self, value: Any) -> None:
        """Put the draft's value in the control without reporting it as an edit."""
        control = self.control
        with control.prevent(Input.Changed, Switch.Changed, Select.Changed,
                             SelectionList.SelectedChanged):
            if isinstance(control, Input):
                if control.value != format_value(value):
                    control.value = format_value(value)
            elif isinstance(control, Switch):
                control.value = bool(value)
            elif isinstance(control, Select):
                if value in self.spec.choices and control.value != value:
                    control.value = value
            elif isinstance(control, SelectionList):
                wanted = {str(v) for v in value} if isinstance(value, list) else set()
                if set(control.selected) != wanted:
                    control.deselect_all()
                    for zone in wanted:
                        control.select(zone)

    def show_findings(self, found: list[Finding]) -> None:
        lines = [finding_content(finding) for finding in found]
        box = self.query_one(".field-findings", Static)
        box.update(Content("\n").join(lines))
        box.display = bool(found)
        self.set_class(any(f.severity == "error" for f in found), "-invalid")

    # -- reporting edits ---------------------------------------------------------------------
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        cleaned = without_controls(event.value)
        if cleaned != event.value:  # a pasted escape sequence: keep the text, drop the codes
            event.input.value = cleaned
            return
        self.post_message(self.Edited(self.spec.path, raw=event.value))

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self.spec.path, value=event.value))

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != Select.NULL:
            self.post_message(self.Edited(self.spec.path, value=event.value))

    @on(SelectionList.SelectedChanged)
    def _zones(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.post_message(self.Edited(self.spec.path, value=sorted(event.selection_list.selected)))


SEVERITY_STYLE = {"error": "$text-error", "warning": "$text-warning", "info": "$text-accent"}


def finding_content(finding: Finding, *, with_field: bool = False) -> Content:
    """A finding as one styled line; the message is data, never markup."""
    style = SEVERITY_STYLE[finding.severity]
    parts: list[str | tuple[str, str]] = [(f"{SEVERITY_MARK[finding.severity]} ", f"bold {style}")]
    if with_field and finding.field:
        parts.append((f"{safe_text(finding.field)}: ", "bold"))
    parts.append((safe_text(finding.message), style))
    return Content.assemble(*parts)
