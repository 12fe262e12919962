"""The presets the start screen and the command palette offer, and saving the draft as one.

A thin adapter over `wizard.storage.presets`, so screens deal in (label, reference, description) and
plain mappings. A loaded preset is kept as its raw mapping, not a validated model: a preset with
a bad value still opens, and the bad value shows up as a finding beside its field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.storage import paths

if TYPE_CHECKING:
    from wizard.model.config import WizardConfig

SUFFIX = ".toml"


@dataclass(frozen=True)
class PresetChoice:
    reference: str
    """What `load()` takes: `built-in:NAME` or `user:NAME`."""
    name: str
    source: str
    description: str


def choices() -> list[PresetChoice]:
    """Every preset, each file read and checked (a broken one says why in its description)."""
    from wizard.storage import presets

    return [PresetChoice(info.qualified_name, info.name, info.source, info.description)
            for info in presets.list_presets()]


def _written_description(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            description = tomllib.load(handle).get("description", "")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ""
    return description if isinstance(description, str) else ""


def quick_choices() -> list[PresetChoice]:
    """The presets `choices()` lists, in its order, with each description as its file has it,
    read without the configuration model (pydantic is not imported): the start screen shows
    these at once, then `choices()`, which checks every file."""
    found = []
    folders = (("built-in", paths.builtin_presets_dir()), ("user", paths.presets_dir()))
    for source, folder in folders:
        files = sorted((path for path in folder.glob(f"*{SUFFIX}") if path.is_file()),
                       key=lambda path: path.stem) if folder.is_dir() else []
        found.extend(PresetChoice(f"{source}:{path.stem}", path.stem, source,
                                  _written_description(path)) for path in files)
    return found


def load(reference: str) -> dict[str, Any]:
    """The preset's mapping; `presets.PresetError` (with a readable message) when unusable."""
    from wizard.storage import presets

    return presets.read(reference).data


def exists(name: str) -> bool:
    """Whether saving as `name` would replace or shadow a preset (asks for confirmation)."""
    from wizard.storage import presets

    return name in presets.user_names() or name in presets.builtin_names()


def name_problem(name: str) -> str | None:
    from wizard.storage import presets

    try:
        presets.check_name(name)
    except presets.PresetError as error:
        return str(error)
    return None


def save(name: str, description: str, config: WizardConfig, *, overwrite: bool) -> str:
    """Save as the user preset `name`; returns where it went."""
    from wizard.storage import presets

    described = config.model_copy(update={"description": description})
    return str(presets.save(name, described, force=overwrite))
