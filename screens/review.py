"""Review: the whole plan, what already exists, the findings, and the exports.

The last look before Azure. When the screen opens, a worker runs preflight against the target
(the same checks `apply` runs): every plan row then says whether it is new, exists as planned
(reused), or exists with other settings (and which); preflight's findings join the others, and
its errors block Apply with their reason. `r` checks again. The exports are made from the same
plan the executor runs, so what is reviewed is what runs. Apply asks for a confirmation naming
the target and the group, and checks the target once more before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.syntax import Syntax
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static, TabbedContent, TabPane

from screens.draft import Draft
from screens.modals import ConfirmModal
from screens.save_file import ask_and_save
from screens.widgets.findings_list import FindingsList
from wizard.console.render import plan_table
from wizard.export import FORMATS
from wizard.plan import Plan

if TYPE_CHECKING:
    from wizard.run.service import ApplyPreparation

EXPORTS = {"az": ("az script", "bash", "sh"), "arm": ("ARM template", "json", "json")}


class ReviewScreen(Screen[None]):
    """Everything that will happen, before it happens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+b", "back", "Back", id="review-back",
                tooltip="Back to the steps to change something"),
        Binding("c", "copy", "Copy", id="copy",
                tooltip="Copy the shown export (the az script on other tabs) to the clipboard"),
        Binding("s", "save_export", "Save file", id="save-export",
                tooltip="Write the shown export (the az script on other tabs) to a file"),
        Binding("p", "save_preset", "Save preset", id="save-preset",
                tooltip="Keep this configuration as a preset of your own"),
        Binding("a", "apply", "Apply", id="apply",
                tooltip="Create these resources (asks for confirmation first)"),
        Binding("r", "recheck", "Check again", id="recheck",
                tooltip="Read the target again: what exists, quota, rights"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="review-screen")
        draft: Draft = self.app.draft  # type: ignore[attr-defined]
        config = draft.config()
        plan = draft.derived.plan
        if config is None or plan is None:
            raise ValueError("the review needs a valid configuration")
        self.config, self.plan = config, plan
        self.exports = {name: FORMATS[name](plan) for name in EXPORTS}
        self.prepared: ApplyPreparation | None = None
        """What preflight found on the target (None until the check is done)."""
        self.checking = False

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Header()
        yield Static(self._headline(plan), id="review-headline")
        yield Static(self._cost_line(), id="review-cost")
        yield Static(Content("Checking the target: what exists, quota, rights..."),
                     id="review-preflight")
        with TabbedContent(id="review-tabs"):
            with TabPane("Plan", id="tab-plan"), VerticalScroll():
                yield Static(plan_table(plan), id="plan-table")
            with TabPane("Findings", id="tab-findings"):
                yield FindingsList(id="review-findings")
            for name, (title, lexer, _) in EXPORTS.items():
                with TabPane(title, id=f"tab-{name}"), VerticalScroll(classes="export"):
                    yield Static(Syntax(self.exports[name], lexer, theme="ansi_dark",
                                        word_wrap=False, background_color="default"),
                                 id=f"export-{name}")
        with Horizontal(id="review-buttons"):
            yield Button("< Back", id="review-back-button")
            yield Button("Copy", id="copy-button")
            yield Button("Save file", id="save-file-button")
            yield Button("Save preset", id="save-preset-button")
            yield Button("Apply…", id="apply-button", variant="success")
        yield Footer()

    def _headline(self, plan: Plan) -> Content:
        draft: Draft = self.app.draft  # type: ignore[attr-defined]
        counts = {s: sum(f.severity == s for f in draft.derived.evaluation.findings)
                  for s in ("warning", "info")}
        return Content.assemble(
            ("Cluster ", "dim"), (plan.cluster_name, "bold"), (" in resource group ", "dim"),
            (plan.resource_group, "bold"), (f" ({plan.location}), ", "dim"),
            (self.config.outbound.type.replace("_", "-"), "bold"), " outbound: ",
            f"{len(plan.steps)} resources, {plan.total_snat_ports:,} SNAT ports; "
            f"{counts['warning']} warnings, {counts['info']} notes.\nApply target: ",
            (self.app.target_description, "bold"))  # type: ignore[attr-defined]

    def _cost_line(self) -> Content:
        """The egress's monthly cost, with where the prices come from and their date (prices
        fetched in the last days if cached, else the snapshot shipped with the wizard)."""
        from wizard.azure.prices import prices_for_mode
        from wizard.plan import cost

        try:
            sheet = prices_for_mode(self.config.cluster.location, "USD", "auto")
        except cost.PriceError as error:
            return Content.assemble(("Egress cost: ", "dim"), f"no prices ({error})")
        priced = cost.price_plan(self.plan, sheet, cost.DEFAULT_DATA_GB, self.config)
        return Content.assemble(("Egress cost: ", "dim"), (priced.text(), "bold"))

    def on_mount(self) -> None:
        self.sub_title = "Review"
        draft: Draft = self.app.draft  # type: ignore[attr-defined]
        self.query_one(FindingsList).show_findings(draft.derived.evaluation.findings)
        self.query_one("#apply-button", Button).focus()
        self.action_recheck()

    # -- preflight -----------------------------------------------------------------------------
    def action_recheck(self) -> None:
        if self.checking:
            return
        self.checking = True
        self.query_one("#review-preflight", Static).update(
            Content("Checking the target: what exists, quota, rights..."))
        self._check_target()

    @work(thread=True, exclusive=True, group="preflight")
    def _check_target(self) -> None:
        from screens.workers import apply_runner

        app = self.app
        try:
            prepared = apply_runner.apply(app.target, self.config)  # type: ignore[attr-defined]
        except Exception as error:  # shown; Apply checks again before writing
            from wizard.text.errors import first_line

            app.call_from_thread(self._check_failed, first_line(error))
            return
        app.call_from_thread(self._show_checks, prepared)

    def _check_failed(self, reason: str) -> None:
        self.checking = False
        self.query_one("#review-preflight", Static).update(Content.assemble(
            ("Could not check the target: ", "bold $text-warning"), reason,
            " (r to try again; Apply checks once more before writing anything)."))

    def _show_checks(self, prepared: ApplyPreparation) -> None:
        from wizard.run.service import describe_checks

        self.checking = False
        self.prepared = prepared
        checks = prepared.checks
        line: list[str | tuple[str, str]] = [
            ("Checked on the target: ", "bold"), describe_checks(checks)]
        errors = len(prepared.errors)
        if prepared.blocking:
            line += ["\n", ("Apply is blocked: ", "bold $text-error"), prepared.blocking]
        elif errors == 0:
            line.append(("; nothing blocks the apply.", "$text-success"))
        self.query_one("#review-preflight", Static).update(Content.assemble(*line))
        self.query_one("#plan-table", Static).update(
            plan_table(self.plan, {check.key: check.label for check in checks}))
        self.query_one(FindingsList).show_findings(list(prepared.findings))
        self.query_one("#apply-button", Button).disabled = prepared.blocking is not None
        self.refresh_bindings()

    # -- exports -------------------------------------------------------------------------------
    def _shown_export(self) -> str:
        active = self.query_one(TabbedContent).active
        return "arm" if active == "tab-arm" else "az"

    def action_copy(self) -> None:
        name = self._shown_export()
        self.app.copy_to_clipboard(self.exports[name])
        self.notify(f"Copied the {EXPORTS[name][0]} to the clipboard.")

    def action_save_export(self) -> None:
        name = self._shown_export()
        ask_and_save(self.app, f"Save the {EXPORTS[name][0]}", EXPORTS[name][0],
                     self.exports[name], f"{self.plan.cluster_name}-nat.{EXPORTS[name][2]}",
                     executable=name == "az")

    # -- presets -------------------------------------------------------------------------------
    def action_save_preset(self) -> None:
        from screens.modals import SavePresetModal

        self.app.push_screen(SavePresetModal(self.config))

    # -- moving on -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply" and self.prepared is not None and self.prepared.blocking:
            return None
        return True

    def action_apply(self) -> None:
        plan = self.plan
        prepared = self.prepared
        if prepared is not None and prepared.blocking:
            self.notify(prepared.blocking, severity="error", markup=False)
            return
        where = self.app.target_description  # type: ignore[attr-defined]
        new = prepared.to_create if prepared is not None else len(plan.steps)
        reused = len(plan.steps) - new
        body = Content.assemble(
            f"Create {new} resource{'s' if new != 1 else ''} in resource group ",
            (plan.resource_group, "bold"), " (", plan.location, ")\non ", (where, "bold"),
            (f", reusing {reused} that already exist" if reused else ""), ".\n\n",
            "The target is checked once more first; the run is recorded so it can be resumed "
            "or rolled back.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.open_apply(self.config)  # type: ignore[attr-defined]

        self.app.push_screen(ConfirmModal("Apply this plan?", body,
                                          f"Apply to {self.app.target.short}"),  # type: ignore[attr-defined]
                             confirmed)

    @on(FindingsList.JumpToField)
    def _jump(self, event: FindingsList.JumpToField) -> None:
        self.app.pop_screen()
        self.app.call_after_refresh(self.app.screen.jump_to, event.path)  # type: ignore[attr-defined]

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"review-back-button": self.action_back, "copy-button": self.action_copy,
                   "save-file-button": self.action_save_export,
                   "save-preset-button": self.action_save_preset,
                   "apply-button": self.action_apply}
        if event.button.id in actions:
            actions[event.button.id]()
