"""Small dialogs: a setting's help, yes/no confirmations, and asking for a file or preset name.

Each returns its answer through `dismiss` (`ModalScreen[T]`), so the caller handles it in the
callback it passed to `push_screen`. Escape always means "no" / "cancel".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens.widgets.help_text import help_content
from wizard.model.fields import FieldSpec
from wizard.text.safe import clean_text, safe_text

if TYPE_CHECKING:
    from wizard.model.config import WizardConfig


class HelpModal(ModalScreen[None]):
    """The help of one setting, from its single declaration."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,enter", "dismiss", "Close", id="close-help",
                tooltip="Back to the form")]

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(classes="dialog-screen")
        self.spec = spec

    def compose(self) -> ComposeResult:
        spec = self.spec
        with Vertical(classes="dialog", id="help-dialog") as box:
            box.border_title = spec.label
            yield Static(help_content(spec.help) if spec.help else "No help for this setting.",
                         id="help-text")
            facts = [f"Setting: {spec.path}"]
            if spec.bounds_text:
                facts.append(f"Allowed: {spec.bounds_text}")
            if spec.choices:
                facts.append("Choices: " + "; ".join(f"{spec.choice_label(c)} ({c})"
                                                     for c in spec.choices))
            if spec.default not in (None, "", []):
                facts.append(f"Default: {spec.default}")
            yield Static(Content.styled("\n".join(facts), "dim"), id="help-facts")
            yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question whose confirm button says exactly what will happen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-dialog",
                tooltip="Close without doing anything")]

    def __init__(self, title: str, body: str | Content, confirm: str,
                 *, danger: bool = False, refuse: str = "Cancel") -> None:
        """`confirm` says what happens; `refuse` what staying means ("Keep running")."""
        super().__init__(classes="dialog-screen")
        self._title, self._body, self._confirm, self._danger = title, body, confirm, danger
        self._refuse = refuse

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog") as box:
            box.border_title = self._title
            body = self._body
            yield Static(Content(safe_text(body, lines=True)) if isinstance(body, str) else body,
                         id="confirm-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._refuse, id="no")
                yield Button(self._confirm, id="yes",
                             variant="error" if self._danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


class AskModal(ModalScreen["list[str] | None"]):
    """One or more text boxes (a file path; a preset name and description)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel-ask",
                        tooltip="Close without doing anything")]

    def __init__(self, title: str, questions: list[tuple[str, str]], confirm: str) -> None:
        super().__init__(classes="dialog-screen")
        self._title, self._questions, self._confirm = title, questions, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="ask-dialog") as box:
            box.border_title = self._title
            for index, (label, value) in enumerate(self._questions):
                yield Label(label)
                yield Input(value, id=f"answer-{index}", select_on_focus=False)
            yield Static("", id="ask-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="no")
                yield Button(self._confirm, id="yes", variant="primary")

    def answers(self) -> list[str]:
        return [self.query_one(f"#answer-{i}", Input).value.strip()
                for i in range(len(self._questions))]

    def show_problem(self, message: str) -> None:
        self.query_one("#ask-problem", Static).update(
            Content.styled(safe_text(message, lines=True), "$text-error"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.answered()

    def answered(self) -> None:
        """Confirm pressed (or Enter in a box): dismiss with the answers, unless one is empty."""
        answers = self.answers()
        if not answers[0]:
            self.show_problem("Please fill this in.")
            return
        self.dismiss(answers)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def stop_run_dialog(what: str = "run") -> ConfirmModal:
    """The question before stopping a run, with buttons that say what each does."""
    return ConfirmModal(
        f"Stop the {what}?", "No new steps start. Steps Azure is already working on carry on "
        "in Azure; resuming later checks them again.", f"Stop the {what}", danger=True,
        refuse="Keep running")


class SavePresetModal(AskModal):
    """Save the reviewed configuration as a preset of one's own.

    A name that cannot be used is reported in the dialog, which stays open with the description
    as typed; a name in use asks before replacing; the toast says where the file went.
    """

    def __init__(self, config: WizardConfig) -> None:
        super().__init__("Save as preset", [
            ("Preset name (letters, digits, - or _)", ""),
            ("Description", config.description)], "Save")
        self.config = config

    def answered(self) -> None:
        from screens import preset_store

        name, description = self.answers()
        if not name:
            self.show_problem("Please give the preset a name.")
            self.query_one("#answer-0", Input).focus()
            return
        problem = preset_store.name_problem(name)
        if problem:
            self.show_problem(problem)
            self.query_one("#answer-0", Input).focus()
            return
        if preset_store.exists(name):
            self.app.push_screen(
                ConfirmModal("Replace preset?", f"A preset named {name!r} exists. Save over it "
                             f"(a built-in one stays; yours is then user:{name})?", "Replace",
                             refuse="Keep it"),
                lambda yes: self._save(name, description, True) if yes else None)
            return
        self._save(name, description, False)

    def _save(self, name: str, description: str, overwrite: bool) -> None:
        from screens import preset_store
        from wizard.storage.presets import PresetError

        try:
            where = preset_store.save(name, clean_text(description), self.config,
                                      overwrite=overwrite)
        except (PresetError, OSError) as error:
            self.show_problem(str(error))
            return
        self.dismiss(None)
        self.app.notify(f"Saved preset {name} ({where}).")
