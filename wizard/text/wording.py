"""Small wording helpers every front end shares, so counts read the same everywhere."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`, `0 errors` (`many` for irregular plurals: `1 IP buys`)."""
    return f"{count} {word if count == 1 else many or word + 's'}"
