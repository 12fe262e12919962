"""The step-by-step editor: one form per step, Back/Next, and the live side panel.

All steps live in one `ContentSwitcher`, so moving between them (or jumping to the field a
finding blames) keeps every input as typed. Next is refused while the current step has an error
(`check_action` greys it in the footer and the button is disabled); Review is refused while any
error remains. Steps that do not apply to the draft (Network for a managed NAT gateway) are
skipped in both directions.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Static

from screens.draft import Draft
from screens.step_form import StepForm
from screens.widgets.field_row import FieldRow, control_id
from screens.widgets.findings_list import FindingsList
from screens.widgets.help_text import help_content
from screens.widgets.shown import update
from screens.widgets.side_panel import SidePanel
from screens.widgets.step_indicator import StepIndicator
from wizard.model import fields
from wizard.model.steps import STEPS, WizardStep, step_of
from wizard.text.wording import plural

RESHAPING_PATHS = {"outbound.type", "windows.enabled", "outbound.layout", "cluster.name"}
"""Edits that change which settings exist or what they hold (the cluster name carries the
subnet and identity names along), so every form re-reads its values."""
OFFER_PATHS = {"cluster.location", "cluster.resource_group", "outbound.type", "outbound.vnet_name",
               "outbound.subnet_prefix"}
"""Edits that change which completions fit the other boxes (`show_offers`)."""


class WizardScreen(Screen[None]):
    """Edit the draft one step at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back", id="back", tooltip="The previous step"),
        Binding("ctrl+n", "next", "Next", id="next",
                tooltip="The next step (not while this step has an error)"),
        Binding("f1", "field_help", "Help", id="help",
                tooltip="What the focused setting means, and its limits"),
        Binding("f2", "toggle_panel", "Panel", id="panel",
                tooltip="Show or hide the plan and findings panel"),
        Binding("ctrl+r", "review", "Review", id="review",
                tooltip="Review the whole plan and exports (not while there are errors)"),
    ]

    def __init__(self, step_id: str = "basics") -> None:
        super().__init__(id="wizard")
        self.current = step_id
        self._allowed: tuple[bool | None, ...] = ()
        """What `check_action` said of Next and Review when the footer was last refreshed."""
        self._forms: list[StepForm] = []

    @property
    def draft(self) -> Draft:
        return self.app.draft  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepIndicator(id="step-indicator")
        with Horizontal(id="body"):
            with Vertical(id="editor"):
                with ContentSwitcher(initial=f"form-{self.current}", id="forms"):
                    for step in STEPS:
                        yield StepForm(step, self.draft)
                yield Static("", id="help-line")
            yield SidePanel(id="side")
        yield Static("", id="narrow-summary")
        with Horizontal(id="nav"):
            yield Button("< Back", id="back-button", compact=True)
            yield Static("", id="nav-status")
            yield Button("Next >", id="next-button", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "NAT gateway egress for AKS"
        self._sync(values=False)
        self._focus_first()
        self.show_offers()  # known from an earlier visit: the boxes complete at once

    # -- state ---------------------------------------------------------------------------------
    def _step(self, step_id: str) -> WizardStep:
        return next(step for step in STEPS if step.id == step_id)

    def _applies(self) -> dict[str, bool]:
        return {step.id: step.applies(self.draft.data) for step in STEPS}

    def _neighbour(self, direction: int) -> WizardStep | None:
        ids = [step.id for step in STEPS]
        index = ids.index(self.current) + direction
        applies = self._applies()
        while 0 <= index < len(STEPS):
            if applies[STEPS[index].id]:
                return STEPS[index]
            index += direction
        return None

    def step_errors(self) -> list[str]:
        """Error messages about settings of the current step the user can see."""
        visible = set(self._step(self.current).visible_paths(self.draft.data))
        return [f"{f.field}: {f.message}" for f in self.draft.derived.errors
                if f.field in visible]

    def steps_with_errors(self) -> frozenset[str]:
        """The steps that show a setting with an error (for the step bar's ✗)."""
        wrong = {f.field for f in self.draft.derived.errors if f.field}
        return frozenset(step.id for step in STEPS
                         if wrong & set(step.visible_paths(self.draft.data)))

    def restart(self) -> None:
        """Show a newly loaded draft from the first step, every box refilled."""
        self._sync(values=True)
        self.show_step(STEPS[0].id)
        self._focus_first()

    def show_offers(self) -> None:
        """Complete the boxes from what the target offers (Tab or → accepts): the location from
        its regions; the Kubernetes version and VM sizes from the draft's region; the VNet name,
        its address space and a free subnet range from the VNets already in the group."""
        from textual.suggester import SuggestFromList

        offers = getattr(self.app, "offers", None)
        if offers is None:
            return
        location = str(self.draft.value("cluster.location") or "")
        choices = {
            "cluster.location": [region.name for region in offers.locations],
            "cluster.kubernetes_version": offers.version_choices(location),
            "cluster.node_vm_size": offers.size_choices(location),
            "windows.vm_size": offers.size_choices(location),
        }
        config = self.draft.config()
        if config is not None:
            choices.update(offers.network_choices(config))
        for path, names in choices.items():
            for box in self.query(f"#{control_id(path)}").results(Input):
                box.suggester = SuggestFromList(names, case_sensitive=False) if names else None

    def refresh_derived(self) -> None:
        """Show findings and plan again after the draft learned something outside an edit."""
        self._sync(values=False)

    def form(self, step_id: str | None = None) -> StepForm:
        return self.query_one(f"#form-{step_id or self.current}", StepForm)

    def _sync(self, *, values: bool, except_path: str | None = None) -> None:
        draft = self.draft
        if not self._forms:
            self._forms = list(self.query(StepForm))
        for form in self._forms:
            form.sync(draft, values=values, except_path=except_path)
        self.query_one(SidePanel).show(draft)
        self.query_one(StepIndicator).show(STEPS, self.current, self._applies(),
                                           self.steps_with_errors())
        errors = len(draft.derived.errors)
        warnings = sum(f.severity == "warning" for f in draft.derived.evaluation.findings)
        step_errors = self.step_errors()
        is_last = self._neighbour(+1) is None
        next_button = self.query_one("#next-button", Button)
        next_button.label = "Review >" if is_last else "Next >"
        next_button.disabled = bool(step_errors) or (is_last and errors > 0)
        status = self.query_one("#nav-status", Static)
        if step_errors:
            update(status, f"Fix {plural(len(step_errors), 'error')} on this step to go on")
        elif is_last and errors:
            update(status, f"{plural(errors, 'error')} elsewhere: choose one in Findings to "
                   "jump to it")
        else:
            update(status, "")
        plan = draft.derived.plan
        summary = (f"Plan: {len(plan.steps)} resources" if plan else "Plan: none yet")
        update(self.query_one("#narrow-summary", Static),
               f"{summary} · {plural(errors, 'error')} · {plural(warnings, 'warning')} · "
               "F2 shows plan and findings")
        allowed = (self.check_action("next", ()), self.check_action("review", ()))
        if allowed != self._allowed:  # the footer is recomposed on each refresh
            self._allowed = allowed
            self.refresh_bindings()

    # -- editing -------------------------------------------------------------------------------
    @on(FieldRow.Edited)
    async def _edited(self, event: FieldRow.Edited) -> None:
        event.stop()
        draft = self.draft
        if not fields.spec(event.path).applies(draft.outbound_type):
            return  # a hidden row reporting its initial value, not an edit
        changed = (draft.set_text(event.path, event.raw) if event.raw is not None
                   else draft.set_value(event.path, event.value))
        if changed:
            self._sync(values=event.path in RESHAPING_PATHS, except_path=event.path)
            if event.path in ("cluster.location", "cluster.resource_group"):
                self.app.want_offers()  # type: ignore[attr-defined]
            if event.path in OFFER_PATHS:
                self.show_offers()
            # Each widget the edit changed asks the screen for a repaint from its own queue;
            # one turn of the loop lets them ask before the screen paints, so the typed key
            # and all it changed are one frame, not two.
            await asyncio.sleep(0)

    def on_descendant_focus(self, event: object) -> None:
        row = self._focused_row()
        help_line = self.query_one("#help-line", Static)
        update(help_line, help_content(row.spec.help) if row else "")

    def _focused_row(self) -> FieldRow | None:
        node: Widget | None = self.focused
        while node is not None and not isinstance(node, FieldRow):
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return node

    # -- moving --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            is_last = self._neighbour(+1) is None
            if self.step_errors() or (is_last and self.draft.derived.errors):
                return None
        if action == "review" and self.draft.derived.errors:
            return None
        return True

    def show_step(self, step_id: str) -> None:
        self.current = step_id
        self.query_one(ContentSwitcher).current = f"form-{step_id}"
        self._sync(values=False)
        self._focus_first()

    def _focus_first(self) -> None:
        form = self.form()
        form.scroll_home(animate=False)
        visible = [row for row in form.rows() if row.display]
        if visible:
            control = visible[0].control
            self.call_after_refresh(lambda: control.focus(scroll_visible=False))

    def action_back(self) -> None:
        previous = self._neighbour(-1)
        if previous is None:
            self.app.pop_screen()
        else:
            self.show_step(previous.id)

    def action_next(self) -> None:
        if self.check_action("next", ()) is None:
            return
        following = self._neighbour(+1)
        if following is None:
            self.action_review()
        else:
            self.show_step(following.id)

    def action_review(self) -> None:
        if self.draft.derived.errors:
            self.notify("Fix the errors first: choose one in Findings to jump to it.",
                        severity="error")
            return
        from screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    @on(Button.Pressed, "#back-button")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#next-button")
    def _next_pressed(self) -> None:
        self.action_next()

    def action_toggle_panel(self) -> None:
        self.toggle_class("-panel-toggled")

    def action_field_help(self) -> None:
        row = self._focused_row()
        if row is None:
            self.notify("Move to a setting (Tab) to see its help.")
            return
        from screens.modals import HelpModal

        self.app.push_screen(HelpModal(row.spec))

    # -- findings ------------------------------------------------------------------------------
    @on(FindingsList.JumpToField)
    def _jump(self, event: FindingsList.JumpToField) -> None:
        self.jump_to(event.path)

    def jump_to(self, path: str) -> bool:
        """Show the step that asks for `path` and focus its input; False if no step asks."""
        step = step_of(path)
        if step is None:
            self.notify(f"{path} is not set on any step", severity="warning")
            return False
        if step.id != self.current:
            self.show_step(step.id)
        row = self.form().row(path)
        if self.has_class("-panel-toggled") and self.app.size.width < 100:
            self.remove_class("-panel-toggled")
        self.call_after_refresh(lambda: row.control.focus(scroll_visible=False))
        self.call_after_refresh(lambda: row.scroll_visible(animate=False))
        return True
