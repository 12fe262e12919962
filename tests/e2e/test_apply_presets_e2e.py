"""Every built-in preset applied through the CLI on a sandbox state file: every resource ends
Succeeded, and the same apply again changes nothing (every step "exists", no write request, the
state file's resources unchanged). Transient faults are retried and the run still succeeds.

These run the CLI in this process (click's runner) so the sandbox the CLI makes for itself can
be inspected, request by request; `test_apply_process_e2e.py` does the same in a real process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.apply_support import (
    BUILTINS,
    PASSWORD,
    assert_all_succeeded,
    assert_created_once,
    invoke,
    plan_of,
    read_state,
    record_sandboxes,
)
from wizard.run.journal import Journal
from wizard.sandbox import SUBSCRIPTION_ID

WRITES = {"PUT", "PATCH", "POST", "DELETE"}


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_WINDOWS_PASSWORD", PASSWORD)
    monkeypatch.delenv("AKS_NAT_WIZARD_SANDBOX_FAULTS", raising=False)


def apply_json(state: Path, preset: str) -> dict[str, object]:
    result = invoke("apply", "--sandbox", "--sandbox-state", str(state), "--preset", preset,
                    "--yes", "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_there_are_built_in_presets_to_cover() -> None:
    assert len(BUILTINS) >= 5


@pytest.mark.parametrize("preset", BUILTINS)
def test_each_preset_applies_then_applying_again_changes_nothing(
        preset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "sandbox.json"
    made = record_sandboxes(monkeypatch)
    plan = plan_of(preset, SUBSCRIPTION_ID)

    first = apply_json(state, preset)
    assert first["status"] == "succeeded"
    journal = Journal.load(str(first["run_id"]))
    assert all(record.created_by_run for record in journal.steps.values())
    after_first = read_state(state)
    assert_all_succeeded(after_first, plan)
    assert_created_once(after_first)
    # What was sent is what the plan showed (placeholders aside: ids and the password).
    sent = {entry.path.lower(): entry for entry in made[-1].request_log
            if entry.method == "PUT" and entry.resource_type != "operations"}
    for step in plan.steps:
        assert step.resource_id.lower() in sent, step.key
    assert PASSWORD not in journal.path.read_text()

    second = apply_json(state, preset)
    assert second["status"] == "succeeded"
    steps = second["steps"]
    assert isinstance(steps, list)
    assert {step["outcome"] for step in steps} == {"exists"}
    assert not any(step["created_by_run"] for step in steps)
    writes = [f"{e.method} {e.path}" for e in made[-1].request_log if e.method in WRITES]
    assert writes == []
    after_second = read_state(state)
    assert after_second.raw_resources == after_first.raw_resources
    assert after_second.operations == after_first.operations


def test_transient_faults_are_retried_and_the_run_succeeds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "sandbox.json"
    made = record_sandboxes(monkeypatch)
    monkeypatch.setenv("AKS_NAT_WIZARD_SANDBOX_FAULTS",
                       "natGateways:PUT:throttle:2,publicIPAddresses:PUT:server_error=503:2,"
                       "managedClusters:PUT:server_error:1,operations:GET:drop_connection:1,"
                       "subnets:GET:throttle:1")
    payload = apply_json(state, "user-assigned-per-zone")
    assert payload["status"] == "succeeded"
    fired = [entry.fault for entry in made[-1].request_log if entry.fault]
    assert sorted(set(fired)) == ["drop_connection", "server_error", "throttle"]
    assert len(fired) == 7
    final = read_state(state)
    assert_all_succeeded(final, plan_of("user-assigned-per-zone", SUBSCRIPTION_ID))
    assert_created_once(final)
