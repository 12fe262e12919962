"""Helpers to drive the wizard in Pilot tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

FIXED_RUN_ID = "20250101-120000-abcd"
STATE_FILE = "sandbox.json"


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], *,
                     attempts: int = 1200) -> None:
    """Let the app run until `condition` holds (bounded, so a broken app fails, not hangs)."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never reached the expected state")


async def choose_option(pilot: Pilot[Any], list_id: str, option_id: str) -> None:
    """Highlight the option with `option_id` in an OptionList and press Enter, as a user would."""
    options = pilot.app.screen.query_one(f"#{list_id}", OptionList)
    options.focus()
    await pilot.pause()
    options.highlighted = options.get_option_index(option_id)
    await pilot.press("enter")
    await pilot.pause()


def screen_segments(app: Any) -> tuple[str, list[str]]:
    """What the screen shows now, toasts included: its text (one line per row) and every click
    action attached to any of it (`@click` metadata), read from the composed frame."""
    strips = app.screen._compositor.render_strips()
    lines: list[str] = []
    actions: list[str] = []
    for strip in strips:
        line = ""
        for segment in strip:
            line += segment.text
            style = segment.style
            if style is not None and style.meta and "@click" in style.meta:
                actions.append(str(style.meta["@click"]))
        lines.append(line)
    return "\n".join(lines), actions


def state_resources() -> set[str]:
    """The ids (lower case) of what the sandbox state file holds."""
    from pathlib import Path

    from wizard.sandbox import Sandbox

    box = Sandbox(speed=0, state_path=Path(STATE_FILE), seed="")
    return {resource["id"].lower() for resource in box.resources()}


def static_text(screen: Any, selector: str) -> str:
    from textual.widgets import Static

    return str(screen.query_one(selector, Static).render())


async def open_migrate(pilot: Pilot[Any], app: Any, reference: str, *,
                       health: bool = False) -> Any:
    """The migrate screen with the cluster `reference` picked and read (and its SNAT verdict,
    with `health`)."""
    from screens.migrate import MigrateScreen

    await pilot.click("#migrate-cluster")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, MigrateScreen)
    await wait_until(pilot, lambda: bool(screen.clusters))
    assert screen.choose(reference)
    await wait_until(pilot, lambda: screen.imported is not None
                     and (not health or screen.diagnosis is not None))
    return screen

