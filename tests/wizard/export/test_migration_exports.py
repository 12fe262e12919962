"""Every migration direction as an az script matching its golden file (node image upgrade
included), and every body of it valid against its SDK model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from migration_cases import MIGRATIONS

from tests.wizard.sdk_models import assert_round_trips
from wizard.export.az import to_az_script

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("case", sorted(MIGRATIONS))
def test_the_migration_script_matches_its_golden_file(case: str) -> None:
    script = to_az_script(MIGRATIONS[case]().plan)
    golden = GOLDEN / f"{case}.sh"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(script)
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert script == golden.read_text()
    assert "--node-image-only" in script
    assert script == to_az_script(MIGRATIONS[case]().plan)  # byte for byte, every time


@pytest.mark.parametrize("case", sorted(MIGRATIONS))
def test_every_migration_body_is_a_valid_sdk_model(case: str) -> None:
    for step in MIGRATIONS[case]().plan.steps:
        assert_round_trips(step)
