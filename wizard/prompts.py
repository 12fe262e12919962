"""The plain-prompt flow (`--simple`). Placeholder until the prompt flow lands."""

from __future__ import annotations


def run_prompts(sandbox: bool = False, sandbox_state: str | None = None,
                preset: str | None = None) -> int:
    raise SystemExit("aks-nat-wizard: --simple is not built yet")
