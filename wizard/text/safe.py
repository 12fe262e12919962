"""Text from users, files and paths made safe to show: control characters shown escaped.

A preset description, a file name or a sandbox state path can hold terminal escape sequences
(`\\x1b]0;TITLE\\x07` retitles the terminal, `\\x1b[41m` paints it red) or bidirectional
overrides that make text read differently from what it is. `safe_text` replaces each such
character with its visible escape (`\\x1b`, `\\u202e`), so the text still says what is in the
file but nothing reaches the terminal raw. `clean_text` drops them instead, for what is saved
(a description typed or pasted into a box).

Markup is the other half: the front ends pass the result on as plain text (Rich `Text`,
Textual `Content`, `markup=False` for toasts), never as a markup string. `safe_rich` is that
for Rich output.
"""

from __future__ import annotations

import re

from rich.text import Text

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(value: object, *, lines: bool = False) -> str:
    """`value` as text with every control character shown as its escape (`\\x1b`).

    With `lines`, newlines are kept (a multi-line error message); tabs are always escaped, so
    a column never shifts.
    """
    pattern = _CONTROL_KEEP_LINES if lines else _CONTROL
    return pattern.sub(_escape, str(value))


def clean_text(value: str) -> str:
    """`value` without control characters (newlines and tabs become spaces): what is saved."""
    return _CONTROL.sub(lambda m: " " if m.group(0) in "\t\n\r" else "", value).strip()


def without_controls(value: str) -> str:
    """`value` with control characters dropped, nothing else changed: what a text box keeps of a
    paste (spaces at the ends stay, since the user is still typing)."""
    return _CONTROL.sub("", value)


def safe_rich(value: object, style: str = "", *, lines: bool = False) -> Text:
    """`safe_text` as a Rich `Text`: printed as typed, never read as markup."""
    return Text(safe_text(value, lines=lines), style=style)
