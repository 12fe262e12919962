"""The presets the start screen and the command palette offer, and saving the draft as one.

A thin adapter over `wizard.storage.presets`, so screens deal in (label, reference, description) and
plain mappings. A loaded preset is kept as its raw mapping, not a validated model: a preset with
a bad value still opens, and the bad value shows up as a finding beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.model.config import WizardConfig
from wizard.storage import presets


@dataclass(frozen=True)
class PresetChoice:
    reference: str
    """What `load()` takes: `built-in:NAME` or `user:NAME`."""
    name: str
    source: str
    description: str


def choices() -> list[PresetChoice]:
    return [PresetChoice(info.qualified_name, info.name, info.source, info.description)
            for info in presets.list_presets()]


def load(reference: str) -> dict[str, Any]:
    """The preset's mapping; `presets.PresetError` (with a readable message) when unusable."""
    return presets.read(reference).data


def exists(name: str) -> bool:
    """Whether saving as `name` would replace or shadow a preset (asks for confirmation)."""
    return name in presets.user_names() or name in presets.builtin_names()


def name_problem(name: str) -> str | None:
    try:
        presets.check_name(name)
    except presets.PresetError as error:
        return str(error)
    return None


def save(name: str, description: str, config: WizardConfig, *, overwrite: bool) -> str:
    """Save as the user preset `name`; returns where it went."""
    described = config.model_copy(update={"description": description})
    return str(presets.save(name, described, force=overwrite))
