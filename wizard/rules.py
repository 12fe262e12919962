"""`check(config) -> list[Finding]`: what Azure would accept but the user should know.

Placeholder: the rules land next. Errors Azure enforces at the API are model validators in
`config.py`; everything here is advice or a risk, each tied to the field to change.
"""

from __future__ import annotations

from wizard.config import WizardConfig
from wizard.findings import Finding


def check(config: WizardConfig) -> list[Finding]:
    return []
