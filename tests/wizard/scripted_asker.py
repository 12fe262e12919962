"""A stand-in for questionary: answers questions from a script, records what was asked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ScriptedAsker:
    """Answers questions by label prefix; unanswered questions keep their default."""

    def __init__(self, answers: dict[str, Iterable[Any]]) -> None:
        self.answers = {label: list(values) for label, values in answers.items()}
        self.asked: list[str] = []
        self.said: list[str] = []

    def _answer(self, message: str, default: Any) -> Any:
        self.asked.append(message)
        for label, values in self.answers.items():
            if message.startswith(label) and values:
                return values.pop(0)
        return default

    def text(self, message: str, default: str, validate: Any, help: str) -> str | None:
        assert help, f"{message} has no help"
        return self._answer(message, default)  # type: ignore[no-any-return]

    def select(self, message: str, choices: list[str], default: str, help: str) -> str | None:
        answer = self._answer(message, default)
        assert answer is None or answer in choices
        return answer  # type: ignore[no-any-return]

    def confirm(self, message: str, default: bool, help: str) -> bool | None:
        return self._answer(message, default)  # type: ignore[no-any-return]

    def checkbox(self, message: str, choices: list[str], default: list[str],
                 help: str) -> list[str] | None:
        return self._answer(message, default)  # type: ignore[no-any-return]

    def say(self, text: str) -> None:
        self.said.append(text)


def run_session(asker: ScriptedAsker) -> tuple[int, str]:
    """The whole `--simple` session on the sandbox with `asker`: its exit code, and what it
    printed as one line of words (no colour, wrapping undone)."""
    import io

    from rich.console import Console

    from wizard.cli.apply import apply_config
    from wizard.prompts.session import run_simple

    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    code = run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=None, preset=None, console=console)
    return code, " ".join(buffer.getvalue().split())
