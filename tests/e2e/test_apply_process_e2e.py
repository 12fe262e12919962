"""`aks-nat-wizard apply` in real processes sharing one sandbox state file: a preset to
completion and again (nothing changes), and a permanent Azure error (a failed long-running
operation) that stops the run with exit 1, a run id and a journal that `apply --resume` completes.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.apply_support import (
    assert_all_succeeded,
    assert_created_once,
    only_journal,
    plan_of,
    read_state,
    run_cli,
    said,
)
from wizard.sandbox import SUBSCRIPTION_ID

PRESET = "user-assigned-per-zone"


def test_a_real_process_applies_and_a_second_one_changes_nothing(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    first = run_cli(home, state, "apply", "--preset", PRESET, "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr
    assert "az aks get-credentials --resource-group myResourceGroup --name myNatCluster" \
        in said(first.stdout)
    after_first = read_state(state)
    assert_all_succeeded(after_first, plan_of(PRESET, SUBSCRIPTION_ID))
    assert_created_once(after_first)

    second = run_cli(home, state, "apply", "--preset", PRESET, "--yes", "--output", "json")
    assert second.returncode == 0, second.stderr
    payload = json.loads(second.stdout)
    assert {step["outcome"] for step in payload["steps"]} == {"exists"}
    after_second = read_state(state)
    assert after_second.raw_resources == after_first.raw_resources
    assert after_second.operations == after_first.operations


def test_a_permanent_error_stops_the_run_resumably_and_resume_completes_it(
        tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    failed = run_cli(home, state, "apply", "--preset", PRESET, "--yes",
                     faults="managedClusters:PUT:failed_lro=QuotaExceeded:1")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    journal = only_journal(home)
    text = said(failed.stdout)
    assert f"run id: {journal.run_id}" in text
    assert "QuotaExceeded" in text
    flags = f"--sandbox --sandbox-state {state}"
    assert f"aks-nat-wizard apply --resume {journal.run_id} {flags}" in text
    assert f"aks-nat-wizard rollback {journal.run_id} {flags}" in text
    assert journal.status == "failed"
    assert journal.steps["managed_cluster"].state == "failed"
    # What did not depend on the cluster was done; what did was not started.
    assert journal.steps["resource_group"].state == "succeeded"
    assert all(record.state == "skipped" for key, record in journal.steps.items()
               if key.startswith("agent_pool:"))

    resumed = run_cli(home, state, "apply", "--resume", journal.run_id, "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    done = only_journal(home)
    assert done.status == "succeeded"
    assert all(record.created_by_run for record in done.steps.values())
    final = read_state(state)
    assert_all_succeeded(final, plan_of(PRESET, SUBSCRIPTION_ID))
    assert_created_once(final)
