"""Rollback in real processes: after an apply into a resource group the user already had, the
sandbox holds exactly what existed before the run; the user's group survives untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.apply_support import invoke, plan_of, read_state, run_cli, said
from wizard.azure.backend import AzureBackend
from wizard.plan import RUN_TAG
from wizard.sandbox import SUBSCRIPTION_ID, Sandbox

PRESET = "user-assigned"


def precreate_resource_group(state: Path) -> str:
    """The user's own resource group (no wizard tags), where the preset will build."""
    plan = plan_of(PRESET, SUBSCRIPTION_ID)
    step = next(s for s in plan.steps if s.kind == "resource_group")
    backend = AzureBackend.for_sandbox(Sandbox(speed=0, state_path=state, faults=""))
    backend.create(step, {"location": plan.location, "tags": {"owner": "team-a"}},
                   lambda _message: None)
    return step.resource_id.lower()


def test_rollback_leaves_exactly_what_existed_before_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    group = precreate_resource_group(state)
    before = read_state(state)
    assert set(before.resources) == {group}

    applied = run_cli(home, state, "apply", "--preset", PRESET, "--yes", "--output", "json")
    assert applied.returncode == 0, applied.stderr
    payload = json.loads(applied.stdout)
    outcomes = {step["key"]: step["outcome"] for step in payload["steps"]}
    assert outcomes.pop("resource_group") == "exists"
    assert set(outcomes.values()) == {"created"}
    assert len(read_state(state).resources) > len(before.resources)

    undone = run_cli(home, state, "rollback", payload["run_id"], "--yes")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert "Rolled back" in said(undone.stdout)
    after = read_state(state)
    assert set(after.resources) == set(before.resources)
    kept = after.resources[group]
    assert kept.get("tags") == {"owner": "team-a"}
    assert RUN_TAG not in (kept.get("tags") or {})

    monkeypatch.setenv("AKS_NAT_WIZARD_HOME", str(home))
    listed = json.loads(invoke("runs", "--output", "json").stdout)
    assert [row["status"] for row in listed] == ["rolled_back"]
