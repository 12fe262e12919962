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
