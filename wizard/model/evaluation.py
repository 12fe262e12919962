"""`evaluate(draft)`: everything known about a configuration, in one list, never an exception.

It turns a raw mapping (a preset, the TUI's draft, CLI flags) into a validated `WizardConfig` and
its findings: the model's validation errors, or the rules' findings. Every front end shows that
one list, and a config with any error-severity finding must not be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from wizard.model import rules
from wizard.model.config import WizardConfig
from wizard.model.findings import Finding, from_validation_error, sort_findings


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


def evaluate(data: dict[str, Any] | WizardConfig) -> Evaluation:
    """Validate `data` and run the rules; never raises for bad input."""
    if isinstance(data, WizardConfig):
        config = data
    else:
        try:
            config = WizardConfig.model_validate(data)
        except ValidationError as error:
            return Evaluation(None, tuple(from_validation_error(error)))
    return Evaluation(config, tuple(sort_findings(rules.check(config))))
