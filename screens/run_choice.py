"""What to do with a run that stopped: resume it, roll it back, or read its details first.

The start screen lists runs that can be continued; choosing one opens this dialog instead of
resuming at once, so nothing happens to Azure without the user saying which.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.run.journal import JournalSummary


def run_body(run: JournalSummary) -> Content:
    """The run in one paragraph: what it was for, how far it got, where."""
    what = run.purpose or f"cluster {run.cluster} in resource group {run.resource_group}"
    return Content.assemble(
        (run.run_id, "bold"), f" ({run.status.replace('_', ' ')}): {what}, ",
        f"{run.steps_succeeded} of {run.steps_total} steps done, on ", (run.target, "bold"),
        ".\n\nResume continues it (steps already done are checked again); Roll back deletes "
        "what it created, and nothing else (you are shown the list first).")


def run_details(run: JournalSummary) -> Content:
    started = run.created_at.replace("T", " ").replace("+00:00", " UTC")
    return Content.assemble(
        ("Started: ", "dim"), started, ("\nResources it created that still exist: ", "dim"),
        str(run.created_count), ("\nJournal: ", "dim"), str(run.path))


class RunChoiceModal(ModalScreen[str | None]):
    """Resume, roll back, or look closer; dismissed with "resume", "rollback" or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-run-choice",
                tooltip="Close without doing anything")]

    def __init__(self, run: JournalSummary) -> None:
        super().__init__(classes="dialog-screen")
        self.run = run

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="run-choice") as box:
            box.border_title = "A run that did not finish"
            yield Static(run_body(self.run), id="run-choice-body")
            details = Static(run_details(self.run), id="run-choice-details")
            details.display = False
            yield details
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="run-choice-cancel")
                yield Button("Details", id="run-choice-details-button")
                yield Button("Roll back…", id="run-choice-rollback", variant="warning")
                yield Button("Resume", id="run-choice-resume", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#run-choice-resume", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#run-choice-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#run-choice-details-button")
    def _details(self) -> None:
        details = self.query_one("#run-choice-details", Static)
        details.display = not details.display

    @on(Button.Pressed, "#run-choice-rollback")
    def _rollback(self) -> None:
        self.dismiss("rollback")

    @on(Button.Pressed, "#run-choice-resume")
    def _resume(self) -> None:
        self.dismiss("resume")
