"""`Finding`: one thing the user should know about a configuration, and `evaluate()`.

Findings come from two places: the model's validation (what Azure would reject, and malformed
input) and `rules.check()` (risks Azure accepts, sizing advice). `evaluate()` turns a raw mapping
(a preset, the TUI's draft, CLI flags) into both at once, so every front end shows one list and
never a traceback. A config with any error-severity finding must not be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from wizard.config import NAT_DOC, WizardConfig

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
_UNION_TAGS = {"managed", "user_assigned", "load_balancer"}


@dataclass(frozen=True)
class Finding:
    """One error (blocks apply), warning (a risk) or info (advice), tied to a field."""

    severity: Severity
    field: str
    """Dotted path of the field to change, e.g. `outbound.ip_count`; `""` for the whole config."""
    message: str
    doc: str = NAT_DOC
    code: str = ""
    """A stable identifier of the rule, for tests, JSON output and suppressions."""

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "doc": self.doc,
        }


def field_path(loc: tuple[str | int, ...]) -> str:
    """Pydantic's error location as the dotted path users type, without union tags."""
    parts = [str(part) for part in loc]
    if len(parts) >= 2 and parts[0] == "outbound" and parts[1] in _UNION_TAGS:
        del parts[1]
    return ".".join(parts)


def from_validation_error(error: ValidationError) -> list[Finding]:
    """Every problem pydantic found, as error findings naming the field and what is allowed."""
    findings: list[Finding] = []
    for entry in error.errors(include_url=False):
        message = entry["msg"]
        ctx = entry.get("ctx") or {}
        kind = entry["type"]
        if kind in ("greater_than_equal", "less_than_equal") or "ge" in ctx or "le" in ctx:
            message = f"{message} (you gave {entry.get('input')!r})"
        elif kind == "extra_forbidden":
            message = "is not a setting the wizard knows (check the spelling)"
        elif kind == "literal_error":
            message = f"{message} (you gave {entry.get('input')!r})"
        findings.append(Finding("error", field_path(entry["loc"]), message, code=f"invalid.{kind}"))
    return findings


@dataclass(frozen=True)
class Evaluation:
    """A validated config (None when the input is invalid) and everything found about it."""

    config: WizardConfig | None
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def ok(self) -> bool:
        return self.config is not None and not self.errors


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.field, f.code))


def evaluate(data: dict[str, Any] | WizardConfig) -> Evaluation:
    """Validate `data` and run the rules; never raises for bad input."""
    from wizard import rules  # rules imports this module for `Finding`

    if isinstance(data, WizardConfig):
        config = data
    else:
        try:
            config = WizardConfig.model_validate(data)
        except ValidationError as error:
            return Evaluation(None, tuple(from_validation_error(error)))
    return Evaluation(config, tuple(sort_findings(rules.check(config))))
