"""The first screen: start a new configuration, load a preset, change an existing cluster's
outbound type, or resume an interrupted run.

It also says plainly where an apply would go. For Azure the signed-in subscription is looked up
in a worker once this screen is showing (the Azure SDK is never imported at start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from screens import preset_store
from screens.preset_store import PresetChoice
from screens.workers.target import resolve_azure
from wizard.text.safe import safe_text

if TYPE_CHECKING:
    from wizard.run.journal import JournalSummary

RESUMABLE = {"failed", "cancelled", "interrupted"}
"""Runs the start screen offers to continue (a run another process is applying is not)."""


class StartScreen(Screen[None]):
    """New configuration, a preset, or an interrupted run."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="new", tooltip="Start from the defaults"),
        Binding("m", "migrate", "Existing cluster", id="migrate",
                tooltip="Change the outbound type of a cluster you already have"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit", tooltip="Leave the wizard"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_presets: list[PresetChoice] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="start"):
            yield Static("Build an AKS cluster whose egress goes through a NAT gateway.",
                         id="start-intro")
            yield Static(Content(safe_text(self.app.target.label)),  # type: ignore[attr-defined]
                         id="target")
            with Horizontal(id="start-new"):
                yield Button("New configuration", id="new-config", variant="primary")
                yield Button("Existing cluster: change its outbound type", id="migrate-cluster")
            yield Static("Start from a preset", classes="section-title")
            # The presets as their files name them, in the first paint (no model is needed
            # for that); the worker checks every file afterwards.
            self._shown_presets = preset_store.quick_choices()
            yield OptionList(*self._preset_options(self._shown_presets), id="preset-list")
            # Shown once the runs are read, if any can be resumed.
            runs_title = Static("Resume an interrupted run", classes="section-title",
                                id="runs-title")
            runs_title.display = False
            yield runs_title
            run_list = OptionList(id="run-list")
            run_list.display = False
            yield run_list
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Start"
        presets = self.query_one("#preset-list", OptionList)
        if presets.highlighted is None and presets.option_count:
            presets.highlighted = 0
        self.call_after_refresh(self.reload)
        self.query_one("#new-config", Button).focus()
        if not self.app.target.sandbox:  # type: ignore[attr-defined]
            self.call_after_refresh(self._find_subscription)

    def reload(self) -> None:
        """List the presets and resumable runs (again, after a save or a run), in a worker:
        checking the presets and reading the runs imports the configuration model, which the
        first paint does not need."""
        self._load_lists()

    @work(thread=True, exclusive=True, group="lists")
    def _load_lists(self) -> None:
        from wizard.run.journal import list_runs

        presets = preset_store.choices()
        runs = [run for run in reversed(list_runs()) if run.status in RESUMABLE]
        self._runs = {run.run_id: run for run in runs}
        self.app.call_from_thread(self._show_lists, presets, runs)

    def _show_presets(self, choices: list[PresetChoice]) -> None:
        """Fill the preset list; nothing is touched when it shows these already (the checked
        list usually says what the quick one did), so a highlighted preset stays so."""
        if choices == self._shown_presets:
            return
        self._shown_presets = choices
        presets = self.query_one("#preset-list", OptionList)
        presets.clear_options()
        presets.add_options(self._preset_options(choices))
        if presets.highlighted is None and presets.option_count:
            presets.highlighted = 0  # Enter picks the highlighted entry: never nothing

    @staticmethod
    def _preset_options(choices: list[PresetChoice]) -> list[Option]:
        return [Option(Content.assemble((safe_text(choice.name), "bold"),
                                        (f"  {choice.source}", "dim"), "\n",
                                        (safe_text(choice.description) or "(no description)",
                                         "italic")), id=choice.reference)
                for choice in choices]

    def _show_lists(self, choices: list[PresetChoice], runs: list[JournalSummary]) -> None:
        self._show_presets(choices)
        run_list = self.query_one("#run-list", OptionList)
        run_list.clear_options()
        for run in runs:
            where = safe_text(f"{run.purpose} on {run.target}" if run.purpose else run.target)
            prompt = Content.assemble(
                (safe_text(run.run_id), "bold"), f"  {run.status}, cluster "
                f"{safe_text(run.cluster)}, {run.steps_succeeded}/{run.steps_total} steps done",
                "\n", (where, "dim"))
            run_list.add_option(Option(prompt, id=run.run_id))
        run_list.display = bool(runs)
        if run_list.highlighted is None and run_list.option_count:
            run_list.highlighted = 0
        self.query_one("#runs-title").display = bool(runs)

    @work(thread=True, exclusive=True, group="target")
    def _find_subscription(self) -> None:
        app = self.app
        found = resolve_azure(app.draft.value("cluster.subscription_id"))  # type: ignore[attr-defined]
        app.call_from_thread(self._show_subscription, found)

    def _show_subscription(self, description: str) -> None:
        self.app.target_description = description  # type: ignore[attr-defined]
        self.query_one("#target", Static).update(Content(safe_text(description)))

    def action_new(self) -> None:
        self.app.start_new()  # type: ignore[attr-defined]

    def action_migrate(self) -> None:
        self.app.open_migrate()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#migrate-cluster")
    def _migrate(self) -> None:
        self.action_migrate()

    @on(Button.Pressed, "#new-config")
    def _new(self) -> None:
        self.action_new()

    @on(OptionList.OptionSelected, "#preset-list")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.start_from_preset(event.option.id)  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected, "#run-list")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        """Ask what to do with the run (resume, roll back, details) before touching Azure."""
        run = getattr(self, "_runs", {}).get(event.option.id or "")
        if run is None:
            return
        from screens.run_choice import RunChoiceModal

        def chosen(mode: str | None) -> None:
            if mode:
                self.app.open_run(run.run_id, mode)  # type: ignore[attr-defined]

        self.app.push_screen(RunChoiceModal(run), chosen)
