"""The executor on the sandbox: DAG apply, idempotence, drift, faults, resume, cancel, rollback."""

from __future__ import annotations

import copy
import threading
from collections import Counter
from typing import Any

import pytest

from tests.wizard.sandbox_helpers import (
    BUILTINS,
    PASSWORD,
    SECRETS,
    backend_for,
    config_for,
    path_of,
    plan_for,
    put_paths,
    puts,
    resource_ids,
)
from wizard.model.config import WizardConfig
from wizard.plan import RUN_TAG, Plan
from wizard.run.events import (
    Event,
    RunFinished,
    RunStarted,
    StepFailed,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from wizard.run.executor import (
    Executor,
    ExecutorError,
    MissingSecretError,
    RunResult,
    TargetMismatchError,
    resolve,
    resume,
    rollback,
)
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox

TARGET = "sandbox (test)"


def run(sandbox: Sandbox, config: WizardConfig, events: list[Event] | None = None,
        **options: Any) -> tuple[RunResult, Journal, Plan]:
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    on_event = events.append if events is not None else None
    options.setdefault("secrets", SECRETS)
    result = Executor(backend_for(sandbox), journal, on_event=on_event, **options).apply(plan)
    return result, Journal.load(journal.run_id), plan


def outcomes(journal: Journal) -> Counter[str | None]:
    return Counter(record.outcome for record in journal.steps.values())


@pytest.mark.parametrize("preset", BUILTINS)
def test_each_builtin_applies_then_a_second_apply_changes_nothing(preset: str) -> None:
    sandbox = Sandbox(speed=0)
    config = config_for(preset)
    events: list[Event] = []
    result, journal, plan = run(sandbox, config, events)
    assert result.status == "succeeded", result.failed
    assert journal.status == "succeeded"
    for step in plan.steps:
        resource = sandbox.get(step.resource_id)
        assert resource is not None, step.key
        record = journal.steps[step.key]
        assert (record.state, record.outcome, record.created_by_run) == (
            "succeeded", "created", True)
    assert isinstance(events[0], RunStarted) and events[-1] == RunFinished(result.run_id,
                                                                           "succeeded")
    puts_before = len(puts(sandbox))
    again, second, _ = run(sandbox, config)
    assert again.status == "succeeded"
    assert outcomes(second) == Counter({"exists": len(plan.steps)})
    assert not any(record.created_by_run for record in second.steps.values())
    assert len(puts(sandbox)) == puts_before, "a second apply must send no PUT"


def test_what_the_user_reviewed_is_what_ran() -> None:
    """Every PUT body equals the plan's body with placeholders resolved and the run tag added."""
    sandbox = Sandbox(speed=0)
    result, journal, plan = run(sandbox, config_for("user-assigned-per-zone",
                                                    windows__enabled=True,
                                                    windows__name="npwin"))
    assert result.status == "succeeded", result.failed
    sent = {entry.path.lower(): entry.body for entry in puts(sandbox)}
    assert len(sent) == len(plan.steps)
    outputs = journal.outputs()
    for step in plan.steps:
        expected = resolve(copy.deepcopy(step.body), outputs, SECRETS)
        if "tags" in expected:
            expected["tags"][RUN_TAG] = result.run_id
        assert sent[path_of(step.resource_id)] == expected, step.key
    role_bodies = [body for path, body in sent.items() if "roleassignments" in path]
    assert role_bodies and all("{{" not in str(body) for body in role_bodies)


def test_journal_never_holds_the_windows_password() -> None:
    sandbox = Sandbox(speed=0)
    result, journal, _ = run(sandbox, config_for("windows-managed"))
    assert result.status == "succeeded", result.failed
    assert PASSWORD in str([entry.body for entry in puts(sandbox)])  # it was sent...
    assert PASSWORD not in journal.path.read_text()  # ...and never written


def test_missing_secret_stops_before_anything_is_sent() -> None:
    sandbox = Sandbox(speed=0)
    with pytest.raises(MissingSecretError, match="windows-admin-password"):
        run(sandbox, config_for("windows-managed"), secrets={})
    assert sandbox.request_log == []


def test_drift_is_reported_then_overwritten_only_when_allowed() -> None:
    sandbox = Sandbox(speed=0)
    first, _, _ = run(sandbox, config_for("user-assigned"))
    assert first.status == "succeeded"
    changed = config_for("user-assigned", outbound__ip_count=2)
    events: list[Event] = []
    drifted, journal, plan = run(sandbox, changed, events)
    assert drifted.status == "failed"
    gateway = next(step for step in plan.steps if step.kind == "nat_gateway")
    [failure] = drifted.failed
    assert (failure.key, failure.code) == (gateway.key, "Drift")
    assert "publicIpAddresses" in failure.message and "--allow-drift" in failure.hint
    stored = sandbox.get(gateway.resource_id)
    assert stored is not None and len(stored["properties"]["publicIpAddresses"]) == 1
    assert journal.steps[gateway.key].state == "failed"
    dependents = [s.key for s in plan.steps if gateway.key in s.depends_on]
    assert all(journal.steps[key].state == "skipped" for key in dependents)
    assert any(isinstance(e, StepSkipped) and e.key in dependents for e in events)

    allowed, journal, _ = run(sandbox, changed, allow_drift=True)
    assert allowed.status == "succeeded", allowed.failed
    record = journal.steps[gateway.key]
    assert (record.outcome, record.created_by_run) == ("updated", False)
    stored = sandbox.get(gateway.resource_id)
    assert stored is not None and len(stored["properties"]["publicIpAddresses"]) == 2
    assert stored["tags"].get(RUN_TAG) == first.run_id, "an update must not claim the resource"


@pytest.mark.parametrize("faults", [
    [("natGateways", "PUT", "throttle", 2, None)],
    [("publicIPAddresses", "PUT", "server_error", 2, None),
     ("*", "GET", "server_error", 2, "503")],
    [("virtualNetworks", "PUT", "drop_connection", 1, None),
     ("operations", "GET", "drop_connection", 1, None)],
])
def test_transient_faults_are_retried_to_success(
        faults: list[tuple[str, str, str, int, str | None]]) -> None:
    sandbox = Sandbox(speed=0)
    for rule in faults:
        sandbox.faults.add(*rule)
    result, journal, plan = run(sandbox, config_for("user-assigned"))
    assert result.status == "succeeded", result.failed
    assert len(sandbox.faults.fired) == sum(rule[3] for rule in faults)
    assert outcomes(journal) == Counter({"created": len(plan.steps)})


def test_failed_operation_fails_the_run_and_resume_finishes_it() -> None:
    sandbox = Sandbox(speed=0)
    sandbox.faults.add("managedClusters", "PUT", "failed_lro", 1, "QuotaExceeded")
    result, journal, plan = run(sandbox, config_for("user-assigned-per-zone"))
    assert result.status == "failed"
    [failure] = result.failed
    assert (failure.key, failure.code) == ("managed_cluster", "QuotaExceeded")
    assert "quota" in failure.hint.lower()
    assert journal.status == "failed"
    assert journal.steps["managed_cluster"].error is not None
    done_first = {key for key, record in journal.steps.items() if record.state == "succeeded"}
    assert done_first and "managed_cluster" not in done_first
    log_mark = len(sandbox.request_log)

    events: list[Event] = []
    resumed = resume(result.run_id, backend_for(sandbox), secrets=SECRETS, on_event=events.append,
                     target=TARGET)
    assert resumed.status == "succeeded", resumed.failed
    after = Journal.load(result.run_id)
    assert all(record.state == "succeeded" for record in after.steps.values())
    assert all(record.created_by_run for record in after.steps.values())
    new_puts = [entry.path.lower() for entry in sandbox.request_log[log_mark:]
                if entry.method == "PUT"]
    for key in done_first:
        assert path_of(plan.step(key).resource_id) not in new_puts, f"{key} was sent again"
    verified = {e.key for e in events if isinstance(e, StepSucceeded) and e.outcome == "verified"}
    assert verified == done_first


def test_cancel_mid_run_is_resumable_and_nothing_is_created_twice() -> None:
    sandbox = Sandbox(speed=0.02)
    config = config_for("user-assigned-per-zone")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    events: list[Event] = []
    executor: Executor

    def on_event(event: Event) -> None:
        events.append(event)
        if isinstance(event, StepSucceeded) and event.key.startswith("nat_gateway"):
            executor.cancel()

    executor = Executor(backend_for(sandbox), journal, secrets=SECRETS, on_event=on_event)
    result = executor.apply(plan)
    assert result.status == "cancelled"
    saved = Journal.load(journal.run_id)
    assert saved.status == "cancelled"
    assert any(record.state != "succeeded" for record in saved.steps.values())
    assert "managed_cluster" not in {e.key for e in events if isinstance(e, StepStarted)}

    resumed = resume(journal.run_id, backend_for(sandbox), secrets=SECRETS)
    assert resumed.status == "succeeded", resumed.failed
    final = Journal.load(journal.run_id)
    assert all(record.created_by_run for record in final.steps.values())
    created_paths = put_paths(sandbox)
    for step in plan.steps:
        assert sandbox.get(step.resource_id) is not None
    # A step is sent twice only if it was caught mid-operation by the cancel, never after it
    # succeeded.
    succeeded_before = {k for k, r in saved.steps.items() if r.state == "succeeded"}
    for key in succeeded_before:
        assert created_paths.count(path_of(plan.step(key).resource_id)) == 1, key


def test_max_parallel_is_respected_and_used() -> None:
    sandbox = Sandbox(speed=0.02)
    lock = threading.Lock()
    running: set[str] = set()
    peak = 0

    def on_event(event: Event) -> None:
        nonlocal peak
        with lock:
            if isinstance(event, StepStarted):
                running.add(event.key)
                peak = max(peak, len(running))
            elif isinstance(event, StepSucceeded | StepFailed | StepSkipped):
                running.discard(event.key)

    config = config_for("user-assigned-per-zone")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    result = Executor(backend_for(sandbox), journal, max_parallel=2, secrets=SECRETS,
                      on_event=on_event).apply(plan)
    assert result.status == "succeeded", result.failed
    assert peak == 2


def test_max_parallel_one_runs_steps_in_plan_dependency_order() -> None:
    sandbox = Sandbox(speed=0)
    config = config_for("user-assigned")
    plan = plan_for(sandbox, config)
    journal = Journal.create(plan, config, TARGET)
    order: list[str] = []
    Executor(backend_for(sandbox), journal, max_parallel=1, secrets=SECRETS,
             on_event=lambda e: order.append(e.key) if isinstance(e, StepStarted) else None
             ).apply(plan)
    position = {key: index for index, key in enumerate(order)}
    for step in plan.steps:
        assert all(position[dep] < position[step.key] for dep in step.depends_on)


def test_rollback_deletes_exactly_what_the_run_created() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    config = config_for("user-assigned-per-zone")
    plan = plan_for(sandbox, config)
    # The resource group and the VNet exist before the run (made by someone else).
    for key in ("resource_group", "virtual_network:myVnet"):
        step = plan.step(key)
        body = {k: v for k, v in step.body.items() if k != "tags"}
        backend.create(step, body, lambda _m: None)
    before = resource_ids(sandbox)
    result, journal, _ = run(sandbox, config)
    assert result.status == "succeeded", result.failed
    assert journal.steps["resource_group"].outcome == "exists"
    assert not journal.steps["virtual_network:myVnet"].created_by_run
    assert resource_ids(sandbox) > before

    events: list[Event] = []
    undone = rollback(result.run_id, backend_for(sandbox), on_event=events.append,
                      target=TARGET)
    assert undone.status == "rolled_back", undone.failed
    assert resource_ids(sandbox) == before
    deleted = {e.key for e in events if isinstance(e, StepSucceeded)}
    assert deleted == {k for k, r in journal.steps.items() if r.created_by_run}
    assert Journal.load(result.run_id).status == "rolled_back"
    deletes = [entry.path.lower() for entry in sandbox.request_log if entry.method == "DELETE"]
    assert path_of(plan.step("resource_group").resource_id) not in deletes
    assert path_of(plan.step("virtual_network:myVnet").resource_id) not in deletes
    # Dependents go before what they depend on.
    order = [e.key for e in events if isinstance(e, StepSucceeded)]
    for key in order:
        for dep in plan.step(key).depends_on:
            if dep in order:
                assert order.index(key) < order.index(dep)
    # A second rollback finds nothing left to delete.
    again = rollback(result.run_id, backend_for(sandbox))
    assert again.status == "rolled_back"


def test_rollback_of_a_fresh_run_leaves_the_sandbox_as_it_was() -> None:
    sandbox = Sandbox(speed=0)
    before = resource_ids(sandbox)
    result, _, _ = run(sandbox, config_for("windows-managed"))
    assert result.status == "succeeded"
    assert rollback(result.run_id, backend_for(sandbox)).status == "rolled_back"
    assert resource_ids(sandbox) == before


def test_rollback_after_a_failed_operation_removes_the_half_made_resource() -> None:
    sandbox = Sandbox(speed=0)
    before = resource_ids(sandbox)
    sandbox.faults.add("managedClusters", "PUT", "failed_lro", 1, None)
    result, _, _ = run(sandbox, config_for("user-assigned"))
    assert result.status == "failed"
    assert rollback(result.run_id, backend_for(sandbox)).status == "rolled_back"
    assert resource_ids(sandbox) == before


def test_a_run_that_created_nothing_rolls_back_nothing() -> None:
    sandbox = Sandbox(speed=0)
    run(sandbox, config_for("managed-basic"))
    second, _, _ = run(sandbox, config_for("managed-basic"))
    before = resource_ids(sandbox)
    assert rollback(second.run_id, backend_for(sandbox)).status == "rolled_back"
    assert resource_ids(sandbox) == before
    assert not [entry for entry in sandbox.request_log if entry.method == "DELETE"]


def test_resume_and_rollback_refuse_another_target() -> None:
    sandbox = Sandbox(speed=0)
    result, _, _ = run(sandbox, config_for("managed-basic"))
    with pytest.raises(TargetMismatchError):
        resume(result.run_id, backend_for(sandbox), target="Azure subscription x")
    with pytest.raises(TargetMismatchError):
        rollback(result.run_id, backend_for(sandbox), target="Azure subscription x")


def test_resume_after_rollback_is_refused() -> None:
    sandbox = Sandbox(speed=0)
    result, _, _ = run(sandbox, config_for("managed-basic"))
    rollback(result.run_id, backend_for(sandbox))
    with pytest.raises(ExecutorError, match="rolled back"):
        resume(result.run_id, backend_for(sandbox))


def test_crash_after_create_was_sent_counts_the_resource_as_this_runs() -> None:
    """The process died after sending a create: resume finds the resource and claims it
    (without sending it again) because the journal says the create was sent."""
    sandbox = Sandbox(speed=0)
    config = config_for("managed-basic")
    plan = plan_for(sandbox, config)
    backend = backend_for(sandbox)
    journal = Journal.create(plan, config, TARGET)
    group = plan.step("resource_group")
    record = journal.steps[group.key]
    record.state, record.create_sent = "running", True
    journal.save()
    body = {**group.body, "tags": {**group.body["tags"], RUN_TAG: journal.run_id}}
    backend.create(group, body, lambda _m: None)  # the create that "happened" before the crash
    mark = len(puts(sandbox))
    result = resume(journal.run_id, backend, secrets=SECRETS)
    assert result.status == "succeeded"
    after = Journal.load(journal.run_id)
    assert after.steps[group.key].created_by_run
    assert path_of(group.resource_id) not in [e.path.lower() for e in puts(sandbox)[mark:]]


def test_a_failure_skips_dependents_but_lets_independent_steps_finish() -> None:
    sandbox = Sandbox(speed=0)
    sandbox.faults.add("userAssignedIdentities", "PUT", "server_error", 10, None)
    result, journal, plan = run(sandbox, config_for("user-assigned"))
    assert result.status == "failed"
    identity = next(s.key for s in plan.steps if s.kind == "identity")
    assert [(f.key, f.code) for f in result.failed] == [(identity, "InternalServerError")]
    assert result.failed[0].hint and journal.status == "failed"
    network = [s.key for s in plan.steps if s.kind in ("public_ip", "nat_gateway",
                                                       "virtual_network", "subnet")]
    assert all(journal.steps[key].state == "succeeded" for key in network)
    assert journal.steps["managed_cluster"].state == "skipped"
