"""Updating a widget only when what it shows changes.

Every `Static.update` asks Textual for a new layout of the whole screen, even when the text is the
same, and the wizard re-shows everything derived from the draft after each keystroke; these
helpers compare first, so a keystroke costs what it changes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static

_SHOWN = "_shown_key"


def content_key(content: VisualType) -> Any:
    """What makes two contents look the same: the text and its styles (`Content.__eq__`
    compares the text only)."""
    if isinstance(content, str):
        return ("str", content)
    if isinstance(content, Content):
        return ("content", content.plain, tuple(content.spans))
    if isinstance(content, Text):
        return ("text", content.plain, tuple(content.spans), str(content.style), content.end)
    return ("object", id(content))


def update(widget: Static, content: VisualType) -> bool:
    """`widget.update(content)` unless it already shows the same; True when it was updated.

    A new layout is asked for only when the new text takes another number of lines (or the
    widget's width follows its text): a new status line of the same height is a repaint."""
    key = content_key(content)
    if getattr(widget, _SHOWN, None) == key:
        return False
    setattr(widget, _SHOWN, key)
    width = widget.content_size.width
    width_rule = widget.styles.width
    if not widget.display or width <= 0 or (width_rule is not None and width_rule.is_auto):
        widget.update(content)
        return True
    before = _height(widget, width)
    widget.update(content, layout=False)
    if _height(widget, width) != before:
        widget.refresh(layout=True)
    return True


def _height(widget: Static, width: int) -> int:
    """The lines `widget`'s content takes at `width`, capped by its `max-height` in cells."""
    height = widget.visual.get_height(widget.styles, width)
    cap = widget.styles.max_height
    if cap is not None and cap.is_cells:
        height = min(height, int(cap.value))
    return height


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide `widget`, touching its styles only when that changes."""
    if widget.display != shown:
        widget.display = shown
