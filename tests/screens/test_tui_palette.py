"""Every palette command from every kind of screen: the app goes where the command says and
never crashes (screens are pushed after others are popped, which is where duplicate ids bit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import STATE_FILE, wait_until

from screens.app import WizardApp, create_app
from screens.commands import WizardCommands
from screens.migrate import MigrateScreen
from screens.review import ReviewScreen
from screens.wizard_screen import WizardScreen

Setup = Callable[[Pilot[Any]], Awaitable[None]]


async def on_start(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def on_step(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.start_from_preset("built-in:user-assigned")
    await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen))
    await pilot.pause()  # mounted, not just pushed


async def on_review(pilot: Pilot[Any]) -> None:
    await on_step(pilot)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
    await pilot.pause()


async def on_migrate(pilot: Pilot[Any]) -> None:
    await pilot.press("m")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MigrateScreen))
    await pilot.pause()


STATES: dict[str, Setup] = {"start": on_start, "step": on_step, "review": on_review,
                            "migrate": on_migrate}


def titles(app: WizardApp) -> list[str]:
    """The palette's commands on the current screen, one of each family kept (the step jumps
    and the preset loads are alike)."""
    found = [title for title, _, _ in WizardCommands(app.screen)._commands()]
    kept: list[str] = []
    for title in found:
        family = title.split(":", 1)[0]
        if family in ("Go to step", "Load preset") and any(
                k.startswith(family) for k in kept):
            continue
        kept.append(title)
    return kept


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], WizardApp]:
    monkeypatch.chdir(tmp_path)
    return lambda: create_app(sandbox=True, sandbox_state=STATE_FILE, clock=lambda: 0.0)


@pytest.mark.parametrize("state", list(STATES))
async def test_every_command_from_every_screen(fresh: Callable[[], WizardApp],
                                               state: str) -> None:
    probe = fresh()
    async with probe.run_test(size=(100, 32)) as pilot:
        await STATES[state](pilot)
        names = titles(probe)
    assert names
    for name in names:
        app = fresh()
        async with app.run_test(size=(100, 32)) as pilot:
            await STATES[state](pilot)
            command = next(cb for title, _, cb in WizardCommands(app.screen)._commands()
                           if title == name)
            command()
            await pilot.pause()
            await pilot.pause()
            assert app.is_running, f"{name} from {state}"
            if name.startswith(("Go to step", "Load preset")):
                assert isinstance(app.screen, WizardScreen), name
            elif name == "Review the plan":
                assert isinstance(app.screen, ReviewScreen), name
            elif name.startswith("Existing cluster"):
                assert isinstance(app.screen, MigrateScreen), name
        assert app.return_code in (None, 0), f"{name} from {state} crashed"


async def test_a_running_apply_keeps_its_screen(fresh: Callable[[], WizardApp],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from screens.execution import ExecutionScreen
    from wizard.sandbox.timing import SPEED_ENV
    from wizard.storage.presets import load

    monkeypatch.setenv(SPEED_ENV, "1")  # long enough to still be running
    app = fresh()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_apply(load("user-assigned"))
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen)
                         and app.screen.status == "running")
        assert titles(app) == ["Toggle light/dark theme"]
        run = app.screen
        assert isinstance(run, ExecutionScreen)
        await pilot.press("ctrl+x")  # cancel the run, as a user would
        await wait_until(pilot, lambda: app.screen is not run)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: not run.running)
        assert "Load preset" in " ".join(titles(app))
