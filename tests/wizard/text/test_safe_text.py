"""Text from users and files is shown as text: control characters escaped, markup inert."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from wizard.cli.main import main_group
from wizard.model.config import WizardConfig
from wizard.storage import paths, presets
from wizard.text.safe import clean_text, safe_rich, safe_text

TITLE = "\x1b]0;TITLE\x07"
RED = "\x1b[41m"
CLICK = "[@click=app.quit]x[/]"


def test_escape_sequences_are_shown_escaped() -> None:
    assert safe_text(f"a{TITLE}b{RED}c") == "a\\x1b]0;TITLE\\x07b\\x1b[41mc"
    assert safe_text("right\u202eleft") == "right\\u202eleft"
    assert safe_text("two\nlines") == "two\\x0alines"
    assert safe_text("two\nlines", lines=True) == "two\nlines"


def test_clean_text_drops_control_characters() -> None:
    assert clean_text(f"Prod {TITLE}{RED}egress\tnow\n") == "Prod ]0;TITLE[41megress now"


@given(st.text())
def test_safe_text_never_lets_a_control_character_through(text: str) -> None:
    shown = safe_text(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2069")


def test_safe_rich_is_not_markup() -> None:
    console = Console(record=True, width=80, color_system="truecolor")
    console.print(safe_rich(f"{CLICK}[bold]y[/bold]{RED}"))
    out = console.export_text(styles=True)
    assert "[@click=app.quit]x[/][bold]y[/bold]\\x1b[41m" in out
    assert "\x1b[1m" not in out


def test_a_saved_description_loses_its_escape_sequences() -> None:
    path = presets.save("esc", WizardConfig(description=f"Prod{TITLE}{RED} egress"))
    assert "\x1b" not in path.read_text() and "\x07" not in path.read_text()
    assert presets.read("esc").description == "Prod]0;TITLE[41m egress"


def test_presets_list_prints_names_and_descriptions_as_text() -> None:
    folder = paths.presets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Written by hand (not through `save`), so the escape sequences are in the file.
    (folder / "hand.toml").write_text(
        'schema_version = 1\ndescription = "a\\u001b]0;TITLE\\u0007b\\u001b[41mc [bold]d[/bold]"\n')
    (folder / "[b]x.toml").write_text('schema_version = 1\ndescription = "bracket name"\n')
    (folder / "broken.toml").write_text(f'description = "{CLICK}\n')
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main_group, ["presets", "list"],
                                                      color=True, catch_exceptions=False)
    assert result.exit_code == 0
    out = result.stdout
    assert "\x07" not in out and "\x1b]" not in out and "\x1b[41m" not in out
    assert "a\\x1b]0;TITLE\\x07b\\x1b[41mc [bold]d[/bold]" in out
    assert "[b]x" in out
