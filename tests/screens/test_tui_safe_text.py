"""Every place the TUI shows text from users, files or paths shows it as text: markup is
printed as typed, `@click` actions are never attached, escape sequences are shown escaped.

The walk: the start screen (sandbox state path, preset file names and descriptions), the toast
of a preset that cannot be read, the wizard's findings, the review, and the save-preset toast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList
from tui_helpers import screen_segments, wait_until

from screens.app import WizardApp
from screens.widgets.field_row import control_id
from screens.wizard_screen import WizardScreen
from wizard.storage import paths

CLICK = "[@click=app.quit]y"
STATE = "state/[reverse]x[@click=app.quit]y.json"
TITLE = "\x1b]0;TITLE\x07"
RED = "\x1b[41m"
SHOT = "[@click=app.screenshot('pwn.svg','.')]x[/]"


def _assert_plain(app: WizardApp, *expected: str) -> str:
    text, actions = screen_segments(app)
    assert actions == [], f"clickable text on screen: {actions}"
    assert "\x1b" not in text and "\x07" not in text
    squashed = " ".join(text.split())
    for piece in expected:
        assert piece in squashed, f"{piece!r} not shown as typed"
    return text


def _user_presets() -> Path:
    folder = paths.presets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_start_screen_shows_paths_names_and_descriptions_as_text(
        make_app: Callable[..., WizardApp]) -> None:
    folder = _user_presets()
    (folder / "[b]odd[@click=app.quit]name.toml").write_text(
        'schema_version = 1\ndescription = "Prod\\u001b]0;TITLE\\u0007 \\u001b[41mred [i]x[/i]"\n')
    app = make_app(sandbox_state=STATE)
    async with app.run_test(size=(140, 60), notifications=True) as pilot:
        presets = app.screen.query_one("#preset-list", OptionList)
        await wait_until(pilot, lambda: presets.option_count > 0)
        await pilot.pause()
        _assert_plain(app, "[reverse]x[@click=app.quit]y.json", "[b]odd[@click=app.quit]name",
                      "Prod\\x1b]0;TITLE\\x07 \\x1b[41mred [i]x[/i]")


async def test_the_toast_of_an_unreadable_preset_is_text(
        make_app: Callable[..., WizardApp]) -> None:
    folder = _user_presets()
    # The message quotes the bad value: markup and an escape sequence from the file.
    (folder / "broken.toml").write_text(f'schema_version = "{SHOT}\\u001b[41m"\n')
    app = make_app()
    async with app.run_test(size=(140, 60), notifications=True) as pilot:
        await pilot.pause()
        app.start_from_preset("user:broken")
        await pilot.pause()
        text = _assert_plain(app, "Cannot load the preset")
        assert "[@click=app.screenshot" in text
        assert not Path("pwn.svg").exists()


async def test_findings_and_the_review_show_typed_text_as_text(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(140, 60), notifications=True) as pilot:
        app.start_new()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        box = screen.query_one(f"#{control_id('cluster.name')}", Input)
        box.value = f"{CLICK}{RED}"
        await pilot.pause()
        assert box.value == f"{CLICK}[41m"  # the pasted escape code is dropped, the text kept
        _assert_plain(app, f"'{CLICK}[41m' is not a valid cluster name")
        box.value = "good-name"
        await pilot.pause()
        app.draft.set_value("description", f"Prod {CLICK}{TITLE}")
        screen.action_review()
        await pilot.pause()
        _assert_plain(app, "good-name")
