"""Exports of a plan: each format is a pure function `Plan -> str`.

`FORMATS` maps the name `aks-nat-wizard export --format NAME` takes to that function. The az script
and the ARM template are made from the same plan the wizard shows and applies, so what a user
reviews, commits or runs by hand is what the wizard would do.
"""

from __future__ import annotations

from collections.abc import Callable

from wizard.export.arm import to_arm_json
from wizard.export.az import to_az_script
from wizard.plan import Plan

FORMATS: dict[str, Callable[[Plan], str]] = {
    "az": to_az_script,
    "arm": to_arm_json,
}

__all__ = ["FORMATS", "to_arm_json", "to_az_script"]
