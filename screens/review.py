"""Review: the whole plan, the findings, and the az script and ARM template it exports.

The exports are made from the same plan the executor runs, so what is reviewed is what runs.
From here the draft can be saved as a preset, an export copied or saved, and the plan applied,
which first asks for a confirmation naming the target (sandbox or subscription) and the group.
"""

from __future__ import annotations

from typing import ClassVar

from rich.syntax import Syntax
from textual import on
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
from wizard.export import FORMATS
from wizard.plan import Plan
from wizard.render import plan_table

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

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Header()
        yield Static(self._headline(plan), id="review-headline")
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

    def on_mount(self) -> None:
        self.sub_title = "Review"
        draft: Draft = self.app.draft  # type: ignore[attr-defined]
        self.query_one(FindingsList).show_findings(draft.derived.evaluation.findings)
        self.query_one("#apply-button", Button).focus()

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

    def action_apply(self) -> None:
        plan = self.plan
        where = self.app.target_description  # type: ignore[attr-defined]
        body = Content.assemble(
            f"Create {len(plan.steps)} resources in resource group ", (plan.resource_group, "bold"),
            " (", plan.location, ")\non ", (where, "bold"), ".\n\n",
            "Existing resources that already match are left as they are; the run is recorded so "
            "it can be resumed or rolled back.")

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
