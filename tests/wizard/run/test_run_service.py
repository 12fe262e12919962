"""The run service: one lifecycle for every front end, on the sandbox.

Each case was seen on the wizard before the service existed: an apply that wrote before its
preflight refused it, a resume of a succeeded run that trusted the journal, a rollback that
decided before it held the run, a killed run listed as running forever."""

from __future__ import annotations

import copy
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.e2e.apply_support import env_for
from tests.wizard.sandbox_helpers import config_for
from wizard.plan import build
from wizard.run.events import Event, StepFailed, StepSucceeded
from wizard.run.executor import record_step, recorded_plan
from wizard.run.journal import Journal, RunBusyError
from wizard.run.service import (
    RunError,
    default_parallelism,
    list_runs,
    prepare_apply,
    prepare_resume,
    prepare_rollback,
)
from wizard.run.target import Target
from wizard.sandbox import Sandbox


@pytest.fixture
def target(tmp_path: Path) -> Target:
    return Target(sandbox=True, sandbox_state=str(tmp_path / "sandbox.json"))


def sandbox_of(target: Target) -> Sandbox:
    return Sandbox(speed=0, state_path=target.state_path, faults="")


def ids(target: Target) -> set[str]:
    return {str(r["id"]).lower() for r in sandbox_of(target).resources()}


def apply(target: Target, preset: str) -> Journal:
    prepared = prepare_apply(target, config_for(preset))
    assert prepared.blocking is None, prepared.blocking
    run = prepared.start()
    assert run.execute().status == "succeeded"
    return run.journal


def test_preflight_refuses_a_drifted_target_before_any_write(target: Target) -> None:
    """Seen: in the TUI, 14 resources were created before the cluster step failed with Drift."""
    apply(target, "managed-basic")  # myResourceGroup/myNatCluster as a managed cluster
    before = ids(target)
    prepared = prepare_apply(target, config_for("user-assigned-per-zone"))
    assert prepared.blocking is not None and "differ from the plan" in prepared.blocking
    [drift] = [c for c in prepared.checks if c.status == "drift"]
    assert drift.key == "managed_cluster" and drift.differences
    assert "exists with other settings" in drift.label
    assert any(c.status == "exists" for c in prepared.checks)  # the resource group is reused
    with pytest.raises(RunError):
        prepared.start()
    assert ids(target) == before
    assert len(list_runs()) == 1  # no journal for the refused run


def test_resuming_a_succeeded_run_recreates_what_was_deleted_meanwhile(target: Target) -> None:
    """Seen: `apply --resume` of a succeeded run skipped every step while the cluster was gone."""
    journal = apply(target, "managed-basic")
    cluster = journal.steps["managed_cluster"].resource_id
    backend = target.connect().backend  # someone deletes the cluster, through ARM
    backend.delete(record_step(journal.steps["managed_cluster"]), lambda _: None)
    assert cluster.lower() not in ids(target)
    events: list[Event] = []
    run = prepare_resume(target, journal.run_id).start(events.append)
    assert run.execute().status == "succeeded"
    outcomes = {e.key: e.outcome for e in events if isinstance(e, StepSucceeded)}
    assert outcomes["managed_cluster"] == "recreated"
    assert outcomes["resource_group"] == "verified"
    assert cluster.lower() in ids(target)


def test_resuming_reports_what_changed_since_as_drift(target: Target) -> None:
    journal = apply(target, "user-assigned")
    gateway = next(r for r in journal.steps.values() if r.kind == "nat_gateway")
    step = recorded_plan(journal).step(gateway.key)
    body = copy.deepcopy(step.body)
    body["properties"]["idleTimeoutInMinutes"] = 17  # someone changes it, through ARM
    target.connect().backend.create(step, body, lambda _: None)
    events: list[Event] = []
    result = prepare_resume(target, journal.run_id).start(events.append).execute()
    assert result.status == "failed"
    [failure] = [e for e in events if isinstance(e, StepFailed)]
    assert failure.code == "Drift" and "changed after this run made it" in failure.message
    assert "idleTimeoutInMinutes" in failure.message


def test_a_rollback_holds_the_run_before_it_reads_and_until_it_is_done(
        target: Target, tmp_path: Path) -> None:
    """Seen: rollback read the journal and the sandbox, asked, then took the lock; another
    process could change things in between."""
    journal = apply(target, "user-assigned")
    prepared = prepare_rollback(target, journal.run_id)
    assert {item.key for item in prepared.to_delete} == set(journal.steps)
    assert all(item.title.split()[0] in ("resource", "public", "nat", "virtual", "subnet",
                                         "identity", "role", "managed") for item in prepared.doomed)
    # Meanwhile, a resume in another process is refused before it writes anything.
    other = subprocess.run(
        [sys.executable, "-m", "wizard", "apply", "--resume", journal.run_id, "--yes",
         "--sandbox", "--sandbox-state", str(target.state_path)],
        capture_output=True, text=True, env=env_for(Path(str(tmp_path / "home")), 0)
        | {"AKS_NAT_WIZARD_HOME": str(journal.path.parent.parent)}, check=False)
    assert other.returncode == 2, other.stderr
    assert "another process" in other.stderr and "Traceback" not in other.stderr
    with pytest.raises(RunBusyError):
        prepare_rollback(target, journal.run_id)
    result = prepared.run()
    assert result.status == "rolled_back"
    assert ids(target) == set()
    assert Journal.load(journal.run_id).status == "rolled_back"


def test_a_declined_rollback_releases_the_run(target: Target) -> None:
    journal = apply(target, "managed-basic")
    with prepare_rollback(target, journal.run_id):
        pass  # the user said no
    prepared = prepare_rollback(target, journal.run_id)
    prepared.close()
    assert Journal.load(journal.run_id).summary().status == "succeeded"


def test_a_run_whose_process_is_gone_is_interrupted_and_resumable(target: Target) -> None:
    prepared = prepare_apply(target, config_for("managed-basic"))
    run = prepared.start()
    # The process stops before executing (as a kill would): recorded "running", lock free.
    [listed] = list_runs()
    assert listed.status == "interrupted" and listed.resumable
    stop = threading.Event()
    seen: list[str] = []

    def watch(event: Event) -> None:
        if not stop.is_set():
            seen.extend(s.status for s in list_runs())
            stop.set()

    resumed = prepare_resume(target, run.run_id).start(watch)
    assert resumed.execute().status == "succeeded"
    assert seen and seen[0] == "running"  # while it runs, it holds the lock


def test_a_rolled_back_run_cannot_be_resumed(target: Target) -> None:
    journal = apply(target, "managed-basic")
    prepare_rollback(target, journal.run_id).run()
    with pytest.raises(RunError, match="rolled back"):
        prepare_resume(target, journal.run_id)


def test_another_target_is_refused_with_the_flags_that_reach_the_right_one(
        target: Target, tmp_path: Path) -> None:
    journal = apply(target, "managed-basic")
    elsewhere = Target(True, str(tmp_path / "other.json"))
    from wizard.run.executor import TargetMismatchError

    with pytest.raises(TargetMismatchError) as caught:
        prepare_resume(elsewhere, journal.run_id)
    assert target.flags in str(caught.value)


def test_the_default_width_follows_the_plan() -> None:
    narrow = build(config_for("managed-basic"))
    wide = build(config_for("user-assigned-per-zone", outbound__ip_count=16))
    assert 1 <= default_parallelism(narrow) <= 4
    assert default_parallelism(wide) == 16  # 48 public IPs at one level, capped
