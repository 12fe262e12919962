"""A setting's help (the project's own text) as formatted text: `code` spans in backticks are
shown styled instead of with literal backticks. Nothing else is interpreted, so a stray `[` in
help never becomes markup."""

from __future__ import annotations

import re

from textual.content import Content

_CODE = re.compile(r"`([^`]+)`")


def help_content(text: str, style: str = "") -> Content:
    """`text` with each `code` span shown bold in the accent colour, without the backticks."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            parts.append((text[position:match.start()], style) if style
                         else text[position:match.start()])
        parts.append((match.group(1), f"bold $text-accent {style}".strip()))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], style) if style else text[position:])
    return Content.assemble(*parts)
