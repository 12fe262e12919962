"""One process at a time per run, and a rollback that can be stopped and finished later."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from tests.wizard.sandbox_helpers import SECRETS, backend_for, config_for, plan_for, resource_ids
from wizard.run.events import Event, RunFinished, StepSkipped, StepSucceeded
from wizard.run.executor import Executor, resume, rollback
from wizard.run.journal import Journal, RunBusyError
from wizard.sandbox import Sandbox

TARGET = "sandbox (test)"
HOLD = ("import sys, time\nfrom filelock import FileLock\nlock = FileLock(sys.argv[1])\n"
        "lock.acquire()\nprint('held', flush=True)\ntime.sleep(120)\n")


def writes(sandbox: Sandbox) -> list[str]:
    return [entry.method for entry in sandbox.request_log if entry.method != "GET"]


def test_another_process_holding_the_run_stops_apply_resume_and_rollback_before_any_write(
        ) -> None:
    sandbox = Sandbox(speed=0)
    config = config_for("managed-basic")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    holder = subprocess.Popen([sys.executable, "-c", HOLD,
                               str(journal.path.with_suffix(".lock"))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RunBusyError, match="another process"):
            Executor(backend_for(sandbox), journal, secrets=SECRETS).apply(plan)
        with pytest.raises(RunBusyError):
            resume(journal.run_id, backend_for(sandbox), secrets=SECRETS)
        with pytest.raises(RunBusyError):
            rollback(journal.run_id, backend_for(sandbox))
        assert writes(sandbox) == []
        assert Journal.load(journal.run_id).status == "running"  # untouched
    finally:
        holder.kill()
        holder.wait()
    # The OS let go of the lock with the process: the run goes on.
    result = Executor(backend_for(sandbox), journal, secrets=SECRETS).apply(plan)
    assert result.status == "succeeded", result.failed


def test_the_lock_is_released_after_each_run_in_the_same_process() -> None:
    sandbox = Sandbox(speed=0)
    config = config_for("managed-basic")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    assert Executor(backend_for(sandbox), journal, secrets=SECRETS).apply(plan).status == \
        "succeeded"
    assert resume(journal.run_id, backend_for(sandbox), secrets=SECRETS).status == "succeeded"
    assert rollback(journal.run_id, backend_for(sandbox)).status == "rolled_back"


def test_a_cancelled_rollback_stops_starting_deletes_and_a_second_one_finishes() -> None:
    sandbox = Sandbox(speed=0)
    before = resource_ids(sandbox)
    config = config_for("user-assigned")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    assert Executor(backend_for(sandbox), journal, secrets=SECRETS).apply(plan).status == \
        "succeeded"
    cancel = threading.Event()
    events: list[Event] = []

    def on_event(event: Event) -> None:
        events.append(event)
        if isinstance(event, StepSucceeded):
            cancel.set()  # stop after the first delete

    stopped = rollback(journal.run_id, backend_for(sandbox), on_event, max_parallel=1,
                       cancel=cancel)
    assert stopped.status == "cancelled"
    deleted = [e.key for e in events if isinstance(e, StepSucceeded)]
    kept = [e for e in events if isinstance(e, StepSkipped)]
    assert len(deleted) == 1 and kept
    assert all("run it again" in e.reason for e in kept)
    assert isinstance(events[-1], RunFinished) and events[-1].status == "cancelled"
    assert Journal.load(journal.run_id).status == "succeeded"  # still there to roll back
    assert resource_ids(sandbox) != before
    finished = rollback(journal.run_id, backend_for(sandbox))
    assert finished.status == "rolled_back"
    assert resource_ids(sandbox) == before
