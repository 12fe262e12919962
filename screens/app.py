"""The Textual wizard. Placeholder until the screens land."""

from __future__ import annotations


def run_app(sandbox: bool = False, sandbox_state: str | None = None,
            preset: str | None = None) -> int:
    raise SystemExit("aks-nat-wizard: the full-screen wizard is not built yet")
