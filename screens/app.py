"""The Textual wizard: `create_app()` builds it (for the CLI and the tests), `run_app()` runs it.

`WizardApp` holds the one draft configuration (`screens.draft.Draft`) and the target; screens
read and edit the draft and show what is derived from it. Screen flow: start -> steps -> review
-> (confirmation) -> execution. Nothing here imports the Azure SDK: that happens in workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from screens.start import StartScreen
from screens.workers.target import Target

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel

    from screens.draft import Draft
    from screens.wizard_screen import WizardScreen
    from wizard.azure.discovery import Location
    from wizard.azure.offers import Offers
    from wizard.model.config import WizardConfig
    from wizard.plan.migration import MigrationPlan

LIGHT, DARK = "textual-light", "textual-dark"


def _wizard_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (start-up stays small)."""
    from screens.commands import WizardCommands

    return WizardCommands


class WizardApp(App[int]):
    """The full-screen wizard."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "aks-nat-wizard"
    COMMANDS = App.COMMANDS | {_wizard_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme", show=False,
                tooltip="Switch between the light and dark theme")]

    def __init__(self, target: Target, *, preset: str | None = None,
                 clock: Callable[[], float] = time.monotonic, theme: str = DARK) -> None:
        super().__init__()
        self.target = target
        self.target_description = (target.label if target.sandbox
                                   else "your signed-in Azure subscription")
        self._draft: Draft | None = None
        self.offers: Offers | None = None
        """What the target offers (`wizard.azure.offers.Offers`), fetched in workers once the
        wizard opens: the regions first, then the versions and VM sizes of each region the
        draft names, so those choices are checked and completed against what exists."""
        self._discovery: Any = None
        self._discovery_lock = threading.Lock()
        self._offers_started = False
        self._pending: set[str] = set()
        """`region:NAME` and `group:NAME` being fetched right now."""
        self.clock = clock
        self.initial_preset = preset
        self.theme = theme

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast is plain text: messages carry names, paths and file contents, so markup
        in them (`[@click=...]`) is shown as typed and control characters are shown escaped.
        `markup` is accepted for Textual's signature and ignored."""
        from wizard.text.safe import safe_text

        super().notify(safe_text(message, lines=True), title=safe_text(title),
                       severity=severity, timeout=timeout, markup=False)

    @property
    def draft(self) -> Draft:
        """The configuration being edited; made on first use (pydantic is not a start-up cost)."""
        if self._draft is None:
            from screens.draft import Draft

            self._draft = Draft()
            if self.offers is not None:
                self._draft.set_offers(self.offers)
        return self._draft

    @property
    def regions(self) -> tuple[Location, ...] | None:
        """The target's regions, once fetched."""
        return self.offers.locations if self.offers is not None else None

    def on_unmount(self) -> None:
        """Quitting stops the reads still under way in workers (they check between requests)."""
        if self._discovery is not None:
            self._discovery.cancel()

    def get_default_screen(self) -> StartScreen:
        return StartScreen(id="start-screen")

    def on_mount(self) -> None:
        if self.initial_preset:
            self.call_after_refresh(self.start_from_preset, self.initial_preset)

    # -- navigation used by screens and commands -------------------------------------------
    def wizard_screen(self) -> WizardScreen | None:
        from screens.wizard_screen import WizardScreen as Wizard

        return next((s for s in self.screen_stack if isinstance(s, Wizard)), None)

    def back_to_start(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        start = self.screen_stack[0]
        if isinstance(start, StartScreen) and start.query("#preset-list"):
            start.reload()

    def start_new(self, data: dict[str, Any] | None = None) -> None:
        from screens.draft import default_data
        from screens.wizard_screen import WizardScreen

        self.draft.replace(data if data is not None else default_data())
        existing = self.wizard_screen()
        if existing is not None:
            # Reuse the open wizard: a second one would be mounted before the first is gone.
            while self.screen_stack[-1] is not existing:
                self.pop_screen()
            existing.restart()
        else:
            self.back_to_start()
            self.push_screen(WizardScreen())
        self.want_offers()

    # -- what the target offers, learned in workers --------------------------------------------
    def want_offers(self) -> None:
        """Make sure what the draft's choices are checked against is known or being fetched:
        the regions, the versions and sizes of the draft's region, the VNets of its resource
        group. Called when a wizard opens and whenever the location or group changes."""
        location = str(self.draft.value("cluster.location") or "")
        group = str(self.draft.value("cluster.resource_group") or "")
        if not self._offers_started:
            self._offers_started = True
            self._pending.update({f"region:{location.lower()}", f"group:{group.lower()}"})
            self.load_offers(location, group)
            return
        offers = self.offers
        if offers is None:
            return  # the first fetch is still running; it fetches these too
        region = offers.location(location)
        wanted_region = region.name if region and not offers.knows_region(region.name) and \
            f"region:{region.name.lower()}" not in self._pending else ""
        wanted_group = group if group and not offers.knows_group(group) and \
            f"group:{group.lower()}" not in self._pending else ""
        if wanted_region or wanted_group:
            self._pending.update({f"region:{wanted_region.lower()}",
                                  f"group:{wanted_group.lower()}"})
            self.load_offers(wanted_region, wanted_group)

    @work(thread=True, group="offers")
    def load_offers(self, location: str, group: str) -> None:
        """Fetch the regions (first time), `location`'s versions and sizes and `group`'s VNets
        off the UI thread; when the target cannot be reached the wizard simply goes on without
        these checks."""
        from screens.workers.target import fetch_offers, open_discovery

        with self._discovery_lock:
            if self._discovery is None:
                self._discovery = open_discovery(self.target)
        offers = fetch_offers(self._discovery, location, group, self.offers)
        self.call_from_thread(self._offers_loaded, offers, location, group)

    def _offers_loaded(self, learned: Offers | None, location: str, group: str) -> None:
        from wizard.azure.offers import merge

        self._pending.difference_update({f"region:{location.lower()}", f"group:{group.lower()}"})
        if learned is None:
            return
        self.offers = merge(self.offers, learned)
        before = self.draft.derived.evaluation.findings
        self.draft.set_offers(self.offers)
        screen = self.wizard_screen()
        if screen is not None:
            screen.call_after_refresh(screen.show_offers)
            if self.draft.derived.evaluation.findings != before:
                screen.call_after_refresh(screen.refresh_derived)
        self.want_offers()  # the user may have moved on while these were fetched

    def start_from_preset(self, reference: str) -> None:
        from screens import preset_store
        from wizard.storage.presets import PresetError

        try:
            data = preset_store.load(reference)
        except PresetError as error:
            self.notify(str(error), title="Cannot load the preset", severity="error",
                        timeout=10)
            return
        self.start_new(data)
        self.notify(f"Loaded preset {reference}.", timeout=3)

    def go_to_step(self, step_id: str) -> None:
        wizard = self.wizard_screen()
        if wizard is None:
            return
        while self.screen is not wizard:
            self.pop_screen()
        wizard.show_step(step_id)

    def go_to_review(self) -> None:
        from screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            return  # already there, and the draft cannot change on it
        wizard = self.wizard_screen()
        if wizard is not None:
            while self.screen is not wizard:
                self.pop_screen()
            wizard.action_review()

    def save_preset(self) -> None:
        from screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.go_to_review()
        if isinstance(self.screen, ReviewScreen):
            self.screen.action_save_preset()

    def open_apply(self, config: WizardConfig) -> None:
        from screens.execution import ExecutionScreen

        self.push_screen(ExecutionScreen("apply", config=config))

    def open_migrate(self) -> None:
        """The path for an existing cluster: change its outbound type."""
        from screens.migrate import MigrateScreen

        self.back_to_start()
        self.push_screen(MigrateScreen())

    def open_migration(self, planned: MigrationPlan) -> None:
        """Run a confirmed migration."""
        from screens.execution import ExecutionScreen

        self.push_screen(ExecutionScreen("migrate", migration=planned))

    def open_run(self, run_id: str, mode: str) -> None:
        from screens.execution import ExecutionScreen

        self.back_to_start()  # one execution screen at a time
        self.push_screen(ExecutionScreen("resume" if mode == "resume" else "rollback",
                                         run_id=run_id))

    async def action_quit(self) -> None:
        """Quit; during a run the execution screen asks first and stops the run cleanly."""
        from screens.execution import ExecutionScreen

        for screen in self.screen_stack:
            if isinstance(screen, ExecutionScreen) and screen.running:
                if self.screen is screen:
                    screen.action_quit()
                return  # a dialog over the run is open: answer it first
        self.exit()

    def action_toggle_theme(self) -> None:
        self.toggle_theme()

    def toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK


def create_app(sandbox: bool = False, sandbox_state: str | None = None,
               preset: str | None = None, *, clock: Callable[[], float] | None = None,
               theme: str = DARK) -> WizardApp:
    """The app as the CLI runs it; tests pass a fixed `clock` and a `theme`."""
    return WizardApp(Target(sandbox, sandbox_state), preset=preset,
                     clock=clock or time.monotonic, theme=theme)


def run_app(sandbox: bool = False, sandbox_state: str | None = None,
            preset: str | None = None) -> int:
    """Run the wizard until the user quits; the exit code for the CLI."""
    app = create_app(sandbox=sandbox, sandbox_state=sandbox_state, preset=preset)
    result = app.run()
    return int(result or 0)
