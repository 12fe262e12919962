"""One setting on a step screen: its label, the input that fits its kind, and its findings.

Everything shown comes from the setting's single declaration (`wizard.model.fields.FieldSpec`): the
label, the bounds, the choices and the help, so the screens never drift from the CLI or the
prompts. The row does not edit anything itself: it posts `FieldRow.Edited` with the path and the
typed text or chosen value, and the wizard screen puts it in the draft and shows what follows.
Typed text goes straight to the screen's queue in the turn of the key that typed it, so the
character and what it changes are painted together (see `FieldInput`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, RadioButton, RadioSet, SelectionList, Static, Switch
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from screens.widgets.help_text import help_content
from screens.widgets.shown import set_display, update
from wizard.model.fields import FieldSpec, format_value
from wizard.model.findings import Finding
from wizard.text.safe import safe_text, without_controls

SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "i"}


def row_id(path: str) -> str:
    """A widget id for a dotted path (`outbound.ip_count` -> `row-outbound--ip_count`)."""
    return "row-" + path.replace(".", "--")


def control_id(path: str) -> str:
    return "in-" + path.replace(".", "--")


class ZoneList(SelectionList[str]):
    """Zone check boxes whose unchecked boxes are empty (`▐ ▌`), not a dimmed X: checked and
    unchecked differ without colour too."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self._selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == "X":
            segments[1] = Segment(" ", segments[1].style)
        return Strip(segments, strip.cell_length)


class FieldInput(Input):
    """A text box whose growing text asks for no new layout of the screen.

    Textual's `Input` keeps the text's width as its virtual size, and a virtual size change
    normally re-lays out the whole screen (for scroll bars); a field's box has a fixed size and
    no scroll bar, so a repaint is enough, and a keystroke does not re-arrange the 200 widgets of
    the wizard."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)

    def _watch_value(self, value: str) -> None:
        """Report the new text to the row in the same turn as the key that typed it (not
        after `Input.Changed` has bubbled through the queues): the screen then learns of the
        edit before it paints the typed character, and one frame shows both."""
        with self.prevent(Input.Changed):  # nobody else listens: two dispatches saved
            super()._watch_value(value)
        row = self.parent
        if isinstance(row, FieldRow):
            row.typed(self, value)


class ChoiceButton(RadioButton):
    """A radio button whose dot is there only when chosen (not a dimmed dot when not), so the
    choice reads without colour."""

    BUTTON_INNER = " "

    def __init__(self, label: str, value: bool) -> None:
        super().__init__(label, value=value)
        self.BUTTON_INNER = "●" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class ChoiceSet(RadioSet):
    """The choices of a setting as radio buttons with their human labels, every one visible."""

    def __init__(self, spec: FieldSpec, value: Any, **options: Any) -> None:
        self.choices = spec.choices
        super().__init__(*[ChoiceButton(spec.choice_label(choice), value=choice == value)
                           for choice in spec.choices], **options)

    def choose(self, value: Any) -> None:
        """Press the button of `value` (showing the draft; posts no message the row reports)."""
        if value in self.choices:
            buttons = list(self.query(RadioButton))
            buttons[self.choices.index(value)].value = True

    @property
    def chosen(self) -> str | None:
        index = self.pressed_index
        return self.choices[index] if 0 <= index < len(self.choices) else None


class OnOffSwitch(Horizontal):
    """A switch with the word On or Off beside it, so its state reads without colour."""

    def __init__(self, value: bool, *, id: str, tooltip: Any) -> None:
        super().__init__(classes="on-off")
        self._switch = Switch(value=value, id=id, tooltip=tooltip, classes="field-control")
        self._word = Static(self._text(value), classes="on-off-word")

    @staticmethod
    def _text(value: bool) -> str:
        return "On" if value else "Off"

    def compose(self) -> ComposeResult:
        yield self._switch
        yield self._word

    def show(self, value: bool) -> None:
        update(self._word, self._text(value))

    @on(Switch.Changed)
    def _show(self, event: Switch.Changed) -> None:
        self.show(event.value)


class FieldRow(Vertical):
    """Label, control and the findings about this one setting."""

    class Edited(Message):
        """The user changed the control; `raw` is text to parse, else `value` is final."""

        def __init__(self, path: str, raw: str | None = None, value: Any = None) -> None:
            super().__init__()
            self.path = path
            self.raw = raw
            self.value = value

        def can_replace(self, message: Message) -> bool:
            """A text edit waiting in the queue is superseded by a newer one of the same box
            (each carries the whole text): keys typed faster than the plan is rebuilt cost one
            rebuild, not one each."""
            return (isinstance(message, FieldRow.Edited) and message.path == self.path
                    and message.raw is not None and self.raw is not None)

    def __init__(self, spec: FieldSpec, value: Any, *, step_title: str = "") -> None:
        super().__init__(id=row_id(spec.path), classes="field-row")
        self.spec = spec
        self._initial = value
        self.step_title = step_title
        """The step's title: a label that only repeats it is left out (Outbound type)."""
        self._control: Widget | None = None
        self._findings_box: Static | None = None
        self._shown_findings: tuple[Finding, ...] | None = None
        """The findings the row shows now (None before the first `show_findings`)."""

    def compose(self) -> ComposeResult:
        spec = self.spec
        label = Text(spec.label)
        if spec.bounds_text:
            label.append(f"  ({spec.bounds_text})", style="dim")
        field_label = Label(label, classes="field-label")
        field_label.display = spec.label != self.step_title
        yield field_label
        yield self._make_control()
        self._findings_box = Static("", classes="field-findings")
        yield self._findings_box

    def _make_control(self) -> Widget:
        spec, value, ident = self.spec, self._initial, control_id(self.spec.path)
        tooltip = help_content(spec.help) if spec.help else None
        control: Widget
        if spec.kind == "bool":
            return OnOffSwitch(bool(value), id=ident, tooltip=tooltip)
        if spec.kind == "choice":
            control = ChoiceSet(spec, value, id=ident, tooltip=tooltip, compact=True)
        elif spec.kind == "zones":
            chosen = {str(v) for v in value} if isinstance(value, list) else set()
            control = ZoneList(
                *[Selection(f"Zone {zone}", zone, zone in chosen) for zone in spec.choices],
                id=ident, compact=True)
            control.tooltip = tooltip
        else:
            placeholder = "(empty: default)" if spec.optional or spec.default == "" else ""
            # Focusing keeps the text as it is (the first key must not wipe a value).
            control = FieldInput(format_value(value), placeholder=placeholder, id=ident,
                                 tooltip=tooltip, compact=True, select_on_focus=False)
        control.add_class("field-control")
        return control

    @property
    def control(self) -> Widget:
        if self._control is None:
            self._control = self.query_one(".field-control")
        return self._control

    # -- showing the draft -------------------------------------------------------------------
    def show_value(self, value: Any) -> None:
        """Put the draft's value in the control without reporting it as an edit."""
        control = self.control
        with control.prevent(Input.Changed, Switch.Changed, RadioSet.Changed,
                             SelectionList.SelectedChanged, self.Edited):
            if isinstance(control, Input):
                if control.value != format_value(value):
                    control.value = format_value(value)
            elif isinstance(control, Switch):
                if control.value != bool(value):
                    control.value = bool(value)
                if isinstance(control.parent, OnOffSwitch):
                    control.parent.show(bool(value))
            elif isinstance(control, ChoiceSet):
                if control.chosen != value:
                    control.choose(value)
            elif isinstance(control, SelectionList):
                wanted = {str(v) for v in value} if isinstance(value, list) else set()
                if set(control.selected) != wanted:
                    control.deselect_all()
                    for zone in wanted:
                        control.select(zone)

    def show_findings(self, found: Sequence[Finding]) -> None:
        """Show the findings about this setting; nothing is touched when they are the ones
        shown already."""
        found = tuple(found)
        if found == self._shown_findings:
            return
        self._shown_findings = found
        box = self._findings_box
        if box is None:
            box = self._findings_box = self.query_one(".field-findings", Static)
        update(box, Content("\n").join([finding_content(finding) for finding in found]))
        set_display(box, bool(found))
        self.set_class(any(f.severity == "error" for f in found), "-invalid")

    # -- reporting edits ---------------------------------------------------------------------
    def typed(self, box: Input, text: str) -> None:
        """The box's text changed: report it to the screen at once (a message posted to the
        screen's queue before the box's repaint is, rather than bubbled up five queues), so
        the edit and everything it changes are painted in one frame. While `show_value` puts
        the draft's own value in the box, `Edited` is prevented and Textual drops it."""
        cleaned = without_controls(text)
        if cleaned != text:  # a pasted escape sequence: keep the text, drop the codes
            box.value = cleaned
            return
        self.screen.post_message(self.Edited(self.spec.path, raw=text))

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self.spec.path, value=event.value))

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        control = self.control
        if isinstance(control, ChoiceSet) and control.chosen is not None:
            self.post_message(self.Edited(self.spec.path, value=control.chosen))

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
