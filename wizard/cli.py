"""Entry point placeholder: the command line lands with the CLI work."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("aks-nat-wizard: the command line is not built yet")
