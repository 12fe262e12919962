"""The plain-prompt flow (`aks-nat-wizard --simple`): the wizard as one question at a time.

For screen readers, narrow or dumb terminals and anyone who prefers a line-by-line dialogue. It asks
the same steps (`wizard.model.steps`) with the same labels, help and validation
(`wizard.model.fields`, `wizard.model.findings`) as the full-screen app, then shows the same review
(plan and findings) and applies through the same executor as `aks-nat-wizard apply`.

The questions go through an `Asker`, so tests replace questionary with scripted answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from wizard.model import fields
from wizard.model.evaluation import evaluate
from wizard.model.steps import STEPS

Validator = Callable[[str], "bool | str"]


class Asker(Protocol):
    """The four kinds of question the flow asks. `None` means the user gave up (Ctrl-C)."""

    def text(self, message: str, default: str, validate: Validator, help: str) -> str | None: ...

    def select(self, message: str, choices: list[str], default: str, help: str) -> str | None: ...

    def confirm(self, message: str, default: bool, help: str) -> bool | None: ...

    def checkbox(self, message: str, choices: list[str], default: list[str],
                 help: str) -> list[str] | None: ...

    def say(self, text: str) -> None: ...


class QuestionaryAsker:
    """The real questions, with questionary (imported only when the flow runs)."""

    def __init__(self) -> None:
        import questionary

        self._q = questionary

    @staticmethod
    def _help(text: str) -> None:
        """The field's help, wrapped, before its question: read once, by eye or screen reader."""
        import shutil
        import textwrap

        width = min(100, shutil.get_terminal_size().columns) - 2
        print(textwrap.fill(text, width=width, initial_indent="  ", subsequent_indent="  "))

    def text(self, message: str, default: str, validate: Validator, help: str) -> str | None:
        self._help(help)
        answer = self._q.text(message, default=default, validate=validate,
                              instruction=None).ask()
        return None if answer is None else str(answer)

    def select(self, message: str, choices: list[str], default: str, help: str) -> str | None:
        self._help(help)
        answer = self._q.select(message, choices=choices, default=default).ask()
        return None if answer is None else str(answer)

    def confirm(self, message: str, default: bool, help: str) -> bool | None:
        self._help(help)
        answer = self._q.confirm(message, default=default).ask()
        return None if answer is None else bool(answer)

    def checkbox(self, message: str, choices: list[str], default: list[str],
                 help: str) -> list[str] | None:
        self._help(help)
        options = [self._q.Choice(c, checked=c in default) for c in choices]
        answer = self._q.checkbox(message, choices=options).ask()
        return None if answer is None else [str(a) for a in answer]

    def say(self, text: str) -> None:
        print(text)


class Cancelled(Exception):
    """The user pressed Ctrl-C at a question."""


def field_error(draft: dict[str, Any], path: str) -> str | None:
    """The first error finding about `path` for this draft, as the user should read it."""
    evaluation = evaluate(draft)
    for finding in evaluation.errors:
        if finding.field == path or finding.field.startswith(path + "."):
            return finding.message
    return None


def ask_field(asker: Asker, draft: dict[str, Any], path: str) -> dict[str, Any]:
    """Ask one setting; re-ask until the model accepts it. Returns the updated draft."""
    outbound_type = str(fields.get_path(draft, "outbound.type") or "managed")
    spec = fields.outbound_spec(path, outbound_type)
    current = fields.get_path(draft, path)
    if current is None:
        current = spec.default
    label = spec.label + (f" ({spec.bounds_text})" if spec.bounds_text else "")
    answer: Any
    if spec.kind in ("choice", "bool", "zones"):
        if spec.kind == "choice":
            answer = asker.select(label, list(spec.choices), str(current), spec.help)
        elif spec.kind == "bool":
            answer = asker.confirm(label, bool(current), spec.help)
        else:
            answer = asker.checkbox(label, list(spec.choices), list(current or []), spec.help)
        if answer is None:
            raise Cancelled
        updated = fields.set_path(draft, path, answer)
        problem = field_error(updated, path)
        if problem:
            asker.say(f"  {problem}")
            return ask_field(asker, draft, path)
        return updated

    def validate(raw: str) -> bool | str:
        return field_error(fields.set_text(draft, path, raw), path) or True

    text = asker.text(label, fields.format_value(current), validate, spec.help)
    if text is None:
        raise Cancelled
    verdict = validate(text)
    if verdict is not True:
        asker.say(f"  {verdict}")
        return ask_field(asker, draft, path)
    return fields.set_text(draft, path, text)


def run_steps(asker: Asker, draft: dict[str, Any]) -> dict[str, Any]:
    """Walk every step that applies, in order, and return the edited draft."""
    for step in STEPS:
        if not step.applies(draft):
            continue
        asker.say(f"\n== {step.title} ==\n{step.intro}")
        index = 0
        while True:
            visible = step.visible_paths(draft)
            if index >= len(visible):
                break
            draft = ask_field(asker, draft, visible[index])
            index += 1
    return draft
