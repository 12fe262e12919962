"""How every screen looks, light and dark, at 100x32 and at 80x24 (pytest-textual-snapshot).

Regenerate after an intended change with `uv run pytest tests/screens --snapshot-update` and
review the SVGs. Screens are made deterministic: fixed clock and run id, a relative sandbox state
path, notifications cleared and the cursor not blinking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from tui_helpers import wait_until

from screens.app import DARK, LIGHT, WizardApp
from screens.execution import ExecutionScreen
from screens.wizard_screen import WizardScreen

Setup = Callable[[Pilot[Any]], Awaitable[None]]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def _step(preset: str | None, step: str) -> Setup:
    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, WizardApp)
        await pilot.pause()
        if preset:
            app.start_from_preset(preset)
        else:
            app.start_new()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step(step)
        await _settle(pilot)
    return run


async def _start(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: any(lists.option_count > 0 for lists
                                        in screen.query("#preset-list").results(OptionList)))
    await _settle(pilot)


async def _review(pilot: Pilot[Any]) -> None:
    await _step("user-assigned", "windows")(pilot)
    await pilot.press("ctrl+r")
    await _settle(pilot)


async def _help(pilot: Pilot[Any]) -> None:
    await _step("managed-basic", "nat")(pilot)
    await pilot.press("f1")
    await _settle(pilot)


async def _confirm(pilot: Pilot[Any]) -> None:
    await _review(pilot)
    await pilot.press("a")
    await _settle(pilot)


async def _bad_input(pilot: Pilot[Any]) -> None:
    await _step(None, "nat")(pilot)
    await pilot.press("ctrl+a", *"0")
    await _settle(pilot)


async def _executed(pilot: Pilot[Any]) -> None:
    await _confirm(pilot)
    await pilot.click("#yes")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen)
                     and app.screen.status == "succeeded")
    await _settle(pilot)


async def _migrate(pilot: Pilot[Any]) -> None:
    from pathlib import Path

    from tui_helpers import STATE_FILE

    from screens.migrate import MigrateScreen
    from wizard.sandbox import Sandbox

    Sandbox(speed=0, state_path=Path(STATE_FILE), seed="demo")  # two clusters to choose from
    await pilot.press("m")
    screen = pilot.app.screen
    assert isinstance(screen, MigrateScreen)
    await wait_until(pilot, lambda: bool(screen.clusters))
    screen.health_now = lambda: datetime(2026, 12, 2, tzinfo=UTC)  # the verdict's window
    screen.choose("demo-rg/lb-cluster")
    await wait_until(pilot, lambda: screen.imported is not None and screen.diagnosis is not None)
    await pilot.pause()
    screen.choose_target("managed")
    await wait_until(pilot, lambda: screen.checks is not None)
    await _settle(pilot)


SCREENS: dict[str, Setup] = {
    "start": _start,
    "basics": _step(None, "basics"),
    "outbound": _step(None, "outbound"),
    "nat": _step("managed-zonal", "nat"),
    "nat-error": _bad_input,
    "network": _step("user-assigned-per-zone", "network"),
    "windows": _step("windows-managed", "windows"),
    "help": _help,
    "review": _review,
    "confirm": _confirm,
    "execution": _executed,
    "migrate": _migrate,
}


@pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])
@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_looks(snap_compare: Any, make_app: Callable[..., WizardApp], name: str,
                      theme: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(theme=theme), terminal_size=size, run_before=SCREENS[name])
