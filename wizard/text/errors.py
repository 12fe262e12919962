"""An exception as one line a user can read, wherever a front end shows what went wrong."""

from __future__ import annotations


def error_message(error: BaseException) -> str:
    """An Azure error's message, else the exception's text, else its type's name."""
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return str(message)


def first_line(error: BaseException) -> str:
    """`error_message`, its first line only (for a status line or a list item)."""
    return error_message(error).splitlines()[0]
