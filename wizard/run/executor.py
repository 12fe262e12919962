"""Run a Plan on a backend: a DAG executed in parallel, journaled, resumable, cancellable, undoable.

`Executor.apply(plan)` starts every step whose dependencies have succeeded, up to `max_parallel` at
once. Each step first reads the resource: absent, it is created (and recorded as created by this
run); present and identical (`drift.compare`), it is left alone ("exists"); present and different,
the step fails with code `Drift` and lists the differences, unless `allow_drift` says to overwrite
("updated"). Either way a resource that existed before the run is never recorded as created by it,
so `rollback()` never deletes it.

The journal is saved after every state change. Before a create is sent, the step is marked
`create_sent`: the resource did not exist a moment earlier, so if the process dies while Azure is
working, `resume()` knows that whatever it finds there is this run's (the run tag on the resource
says the same for resources that take tags).

Placeholders are resolved just before sending: `{{ref:STEP:path}}` from the outputs the journal
kept for that step (so they survive a restart) and `{{secret:NAME}}` from the in-memory `secrets`
mapping (a missing secret stops the run before anything is sent). Secrets never reach the journal.

Failure: the failed step is recorded, running steps finish, steps depending on it are skipped,
independent steps still run (fewer left to do on resume), and the run ends `failed`.
Cancellation (`cancel()`, thread-safe): nothing new starts, steps waiting on Azure stop waiting
(Azure carries on; resume re-checks them), and the run ends `cancelled`, resumable.

One process at a time per run: apply, resume and rollback hold an OS lock on a file beside the
journal (`filelock`; released by the OS if the process dies), so a resume started in a second
terminal stops with `RunBusyError` instead of racing the first one's writes.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from wizard.plan import RUN_TAG, Plan, Step, placeholders
from wizard.plan.drift import Difference, compare
from wizard.run.events import (
    Event,
    Outcome,
    RunFinished,
    RunStarted,
    RunStatus,
    StepFailed,
    StepProgress,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from wizard.run.journal import Journal, StepRecord

_TERMINAL_OK = {"succeeded", ""}
_DRIFT_HINT = ("Azure's resource differs from the plan. Change the configuration to match it, or "
               "apply with --allow-drift to overwrite it with the plan's settings.")


class Backend(Protocol):
    """What the executor needs of a backend (`AzureBackend` is the real one)."""

    subscription_id: str

    def get(self, step: Step) -> dict[str, Any] | None: ...

    def create(self, step: Step, body: dict[str, Any],
               progress: Callable[[str], None]) -> dict[str, Any]: ...

    def delete(self, step: Step, progress: Callable[[str], None]) -> None: ...


class ExecutorError(Exception):
    """The run cannot start (missing secret, wrong target, plan and journal disagree)."""


class MissingSecretError(ExecutorError):
    pass


class TargetMismatchError(ExecutorError):
    pass


@dataclass(frozen=True)
class RunResult:
    """How a run ended: its id, final status, the failures, and where its journal is."""

    run_id: str
    status: RunStatus
    failed: list[StepFailed]
    journal_path: Path


class _StepError(Exception):
    """A step failed for a reason of ours (drift, an unresolved reference)."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


class _Abandoned(Exception):
    """Raised from a progress callback to stop waiting on Azure when the run is cancelled."""


StepResult = Literal["succeeded", "failed", "abandoned"]


def secrets_needed(plan: Plan) -> set[str]:
    """The names of the `{{secret:NAME}}` placeholders the plan's bodies use."""
    return {name for step in plan.steps for kind, name in _placeholders(step.body)
            if kind == "secret"}


def _placeholders(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return list(placeholders.find(value))
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in _placeholders(k) + _placeholders(v)]
    if isinstance(value, list | tuple):
        return [p for item in value for p in _placeholders(item)]
    return []


def referenced_paths(plan: Plan) -> dict[str, set[str]]:
    """For each step, the paths of its resource that other steps' placeholders refer to."""
    wanted: dict[str, set[str]] = {}
    for step in plan.steps:
        for kind, spec in _placeholders(step.body):
            if kind == "ref":
                key, path = placeholders.split_ref(spec)
                wanted.setdefault(key, set()).add(path)
    return wanted


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        found = data.get(part)
        if found is None:
            lowered = part.lower()
            found = next((v for k, v in data.items() if str(k).lower() == lowered), None)
        data = found
    return data


def resolve(value: Any, outputs: Mapping[str, Mapping[str, Any]],
            secrets: Mapping[str, str]) -> Any:
    """`value` with every placeholder replaced: refs from `outputs`, secrets from `secrets`."""
    if isinstance(value, str):
        whole = placeholders.whole(value)
        if whole:
            return _lookup(*whole, outputs, secrets)
        return placeholders.PATTERN.sub(
            lambda m: str(_lookup(m.group(1), m.group(2), outputs, secrets)), value)
    if isinstance(value, Mapping):
        return {resolve(k, outputs, secrets): resolve(v, outputs, secrets)
                for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(item, outputs, secrets) for item in value]
    return value


def _lookup(kind: str, spec: str, outputs: Mapping[str, Mapping[str, Any]],
            secrets: Mapping[str, str]) -> Any:
    if kind == "secret":
        if spec not in secrets:
            raise _StepError("MissingSecret", f"secret {spec!r} was not provided",
                             "Provide it (see the apply command's help), then resume.")
        return secrets[spec]
    key, path = placeholders.split_ref(spec)
    found = outputs.get(key, {}).get(path)
    if found is None:
        raise _StepError(
            "UnresolvedReference", f"{path} of step {key} is not known (the resource did not "
            "report it)", "Resume the run: the value is read again from Azure.")
    return found


def _provisioning_state(resource: Mapping[str, Any]) -> str:
    props = resource.get("properties")
    state = props.get("provisioningState") if isinstance(props, Mapping) else None
    return str(state or "").lower()


def _run_tag(resource: Mapping[str, Any]) -> str | None:
    tags = resource.get("tags")
    if isinstance(tags, Mapping):
        value = tags.get(RUN_TAG)
        return str(value) if value is not None else None
    return None


class Executor:
    """Applies one plan for one journal. Create one per run (or per resume)."""

    def __init__(self, backend: Backend, journal: Journal, *, max_parallel: int = 4,
                 secrets: Mapping[str, str] | None = None,
                 on_event: Callable[[Event], None] | None = None,
                 allow_drift: bool = False) -> None:
        if max_parallel < 1:
            raise ValueError("max_parallel must be at least 1")
        self.backend = backend
        self.journal = journal
        self.max_parallel = max_parallel
        self.allow_drift = allow_drift or journal.allow_drift
        self._secrets = dict(secrets or {})
        self._on_event = on_event
        self._cancel = threading.Event()
        self._event_lock = threading.Lock()
        self._failures: list[StepFailed] = []
        self._wanted_outputs: dict[str, set[str]] = {}
        self._verifying: set[str] = set()

    @property
    def run_id(self) -> str:
        return self.journal.run_id

    def cancel(self) -> None:
        """Stop starting steps and stop waiting on Azure; the run ends cancelled (resumable)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- events ----------------------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        if isinstance(event, StepFailed):
            self._failures.append(event)
        if self._on_event is not None:
            with self._event_lock:
                self._on_event(event)

    def _progress(self, key: str) -> Callable[[str], None]:
        """The callback a backend calls while it waits: raises once the run is cancelled (so
        waiting stops at once), and reports a status only when it changed."""
        last: list[str] = []

        def report(message: str) -> None:
            if self._cancel.is_set():
                raise _Abandoned
            if last and last[0] == message:
                return
            last[:] = [message]
            self._emit(StepProgress(self.run_id, key, message))
        return report

    # -- checks ----------------------------------------------------------------------------
    def _check(self, plan: Plan) -> None:
        journal_keys = list(self.journal.steps)
        plan_keys = [step.key for step in plan.steps]
        if journal_keys != plan_keys:
            raise ExecutorError(
                f"the plan does not match run {self.run_id}'s journal (steps differ); "
                "start a new apply instead of resuming this run")
        backend_subscription = getattr(self.backend, "subscription_id", plan.subscription_id)
        if plan.subscription_id.lower() != str(backend_subscription).lower():
            raise TargetMismatchError(
                f"the plan targets subscription {plan.subscription_id} but the backend is "
                f"connected to {backend_subscription}")
        missing = sorted(secrets_needed(plan) - set(self._secrets))
        if missing:
            raise MissingSecretError(
                "the plan needs these secrets, which were not provided: " + ", ".join(missing))

    # -- apply -----------------------------------------------------------------------------
    def apply(self, plan: Plan) -> RunResult:
        """Run the plan to the end (blocking) and return how it ended. Holds the run's lock
        throughout, and reads the journal afresh once it holds it."""
        with self.journal.exclusive():
            if self.journal.status == "rolled_back":
                raise ExecutorError(f"run {self.run_id} was rolled back; start a new apply "
                                    "instead")
            self._check(plan)
            return self._apply(plan)

    def _apply(self, plan: Plan) -> RunResult:
        """Every step is converged, those an earlier attempt finished included: a resume
        checks that what was done is still there (re-creating what is gone, reporting what
        changed as drift) instead of trusting the journal."""
        self._wanted_outputs = referenced_paths(plan)
        journal = self.journal
        self._verifying = {key for key, record in journal.steps.items()
                           if record.state == "succeeded"}
        for key, record in journal.steps.items():
            if record.state in ("failed", "skipped", "running"):
                journal.update_step(key, state="pending")
        journal.set_status("running")
        self._emit(RunStarted(self.run_id, len(plan.steps)))
        graph = {step.key: set(step.depends_on) for step in plan.steps}
        order = [step.key for step in plan.steps]
        outcome = run_graph(graph, order, lambda key: self._execute(plan.step(key)),
                            max_parallel=self.max_parallel, stop=self._cancel,
                            thread_name="apply-step")
        self._mark_not_run(plan, outcome)
        status: RunStatus
        if outcome.failed:
            status = "failed"
        elif len(outcome.done) == len(plan.steps):
            status = "succeeded"
        else:
            status = "cancelled"
        journal.set_status(status)
        self._emit(RunFinished(self.run_id, status))
        return RunResult(self.run_id, status, list(self._failures), journal.path)

    def _mark_not_run(self, plan: Plan, outcome: GraphOutcome) -> None:
        blocked: dict[str, str] = {}
        for step in plan.steps:
            if step.key in outcome.started:
                continue
            cause = next((d if d in outcome.failed else blocked[d] for d in step.depends_on
                          if d in outcome.failed or d in blocked), None)
            if cause is not None:
                blocked[step.key] = cause
                if self.journal.steps[step.key].state != "succeeded":
                    self.journal.update_step(step.key, state="skipped")
                self._emit(StepSkipped(self.run_id, step.key, f"not started: {cause} failed"))
            else:
                self._emit(StepSkipped(self.run_id, step.key, "not started: the run was "
                                       "cancelled"))

    def _execute(self, step: Step) -> StepResult:
        """One step, start to end; never raises (a failure is recorded and reported)."""
        journal = self.journal
        verifying = step.key in self._verifying
        journal.update_step(step.key, state="running", error=None)
        self._emit(StepStarted(self.run_id, step.key))
        try:
            outcome, resource = self._converge(step, journal.steps[step.key], verifying)
        except _Abandoned:
            self._emit(StepSkipped(self.run_id, step.key, "cancelled while Azure was still "
                                   "working on it; resume checks it again"))
            return "abandoned"
        except Exception as exc:  # every failure must reach the journal
            code, message, hint = _describe(exc)
            journal.update_step(step.key, state="failed",
                                error={"code": code, "message": message, "hint": hint})
            self._emit(StepFailed(self.run_id, step.key, code, message, hint))
            return "failed"
        record = journal.steps[step.key]
        outputs = {path: _dig(resource, path) for path in self._wanted_outputs.get(step.key, ())}
        kept = record.outcome if outcome == "verified" and record.outcome else outcome
        created = outcome in ("created", "recreated")
        journal.update_step(step.key, state="succeeded",
                            outcome="created" if kept == "recreated" else kept,
                            outputs=outputs or record.outputs,
                            created_by_run=record.created_by_run or created)
        self._emit(StepSucceeded(self.run_id, step.key, outcome))
        return "succeeded"

    def _request_body(self, step: Step) -> dict[str, Any]:
        outputs = self.journal.outputs()
        body: dict[str, Any] = resolve(copy.deepcopy(step.body), outputs, self._secrets)
        if isinstance(body.get("tags"), dict):
            body["tags"] = {**body["tags"], RUN_TAG: self.run_id}
        return body

    def _converge(self, step: Step, record: StepRecord, verifying: bool
                  ) -> tuple[Outcome, dict[str, Any]]:
        body = self._request_body(step)
        target = replace(step, body=body)
        progress = self._progress(step.key)
        actual = self.backend.get(target)
        if actual is None:
            self.journal.update_step(step.key, create_sent=True)
            created = self.backend.create(target, body, progress)
            return ("recreated" if verifying else "created"), created
        ours = record.create_sent or record.created_by_run or _run_tag(actual) == self.run_id
        differences = compare(body, actual)
        if _provisioning_state(actual) == "failed":
            differences.append(Difference("properties.provisioningState", "Succeeded", "Failed"))
        finished = _provisioning_state(actual) in _TERMINAL_OK
        if ours and not verifying:
            # Created by an earlier attempt of this run (it crashed, was cancelled, or Azure's
            # operation failed): finished and as planned means done, otherwise send it again.
            if finished and not differences:
                return "created", actual
            self.journal.update_step(step.key, create_sent=True)
            return "created", self.backend.create(target, body, progress)
        if not differences:
            return ("verified" if verifying else "exists"), actual
        if not self.allow_drift:
            listed = "; ".join(str(d) for d in differences)
            changed = " (it changed after this run made it)" if verifying else ""
            raise _StepError("Drift", f"{step.resource_id} already exists with other settings"
                             f"{changed}: {listed}", _DRIFT_HINT)
        return "updated", self.backend.create(target, _update_body(body, actual), progress)


@dataclass(frozen=True)
class GraphOutcome:
    """What `run_graph` did: which nodes ran to success, failed, or were started at all."""

    done: frozenset[str]
    failed: frozenset[str]
    started: frozenset[str]


def run_graph(graph: Mapping[str, set[str]], order: list[str],
              work: Callable[[str], StepResult], *, max_parallel: int,
              stop: threading.Event, thread_name: str) -> GraphOutcome:
    """Run `work(node)` for every node of `graph` (node -> the nodes it waits for) once all it
    waits for succeeded, at most `max_parallel` at once, in `order` among those ready. A failed
    node's dependents never start; once `stop` is set nothing new starts. The one scheduler of
    both apply (dependencies first) and rollback (dependents first)."""
    from graphlib import TopologicalSorter

    sorter = TopologicalSorter({node: set(graph[node]) for node in order})
    sorter.prepare()
    rank = {node: index for index, node in enumerate(order)}
    ready: list[str] = []
    done: set[str] = set()
    failed: set[str] = set()
    started: set[str] = set()
    with ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix=thread_name) as pool:
        running: dict[Future[StepResult], str] = {}
        while True:
            ready.extend(sorter.get_ready())
            ready.sort(key=rank.__getitem__)
            while ready and len(running) < max_parallel and not stop.is_set():
                node = ready.pop(0)
                started.add(node)
                running[pool.submit(work, node)] = node
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                node = running.pop(future)
                result = future.result()
                if result == "succeeded":
                    done.add(node)
                    sorter.done(node)
                elif result == "failed":
                    failed.add(node)
    return GraphOutcome(frozenset(done), frozenset(failed), frozenset(started))


def _update_body(body: dict[str, Any], actual: Mapping[str, Any]) -> dict[str, Any]:
    """Overwriting a resource we did not create: keep its own tags, add ours, but never the run
    tag (that would mark someone else's resource as this run's)."""
    if not isinstance(body.get("tags"), dict):
        return body
    tags = dict(actual.get("tags") or {})
    tags.update({k: v for k, v in body["tags"].items() if k != RUN_TAG})
    return {**body, "tags": tags}


def _describe(exc: BaseException) -> tuple[str, str, str]:
    from wizard.azure.backend import AzureError, to_azure_error

    if isinstance(exc, _StepError):
        return exc.code, exc.message, exc.hint
    if isinstance(exc, AzureError):
        return exc.code, exc.message, exc.hint
    if type(exc).__module__.startswith("azure."):
        error = to_azure_error(exc)
        return error.code, error.message, error.hint
    return ("InternalError", f"{type(exc).__name__}: {exc}",
            "This is a bug in aks-nat-wizard; the journal keeps the run resumable.")


# -- resume ----------------------------------------------------------------------------------
def check_target(journal: Journal, target: str | None) -> None:
    """`TargetMismatchError` when `target` is not the one run `journal` was applied to."""
    if target is not None and target != journal.target:
        raise TargetMismatchError(
            f"run {journal.run_id} was applied to {journal.target}, not {target}; point the "
            "command at the same target")


def recorded_plan(journal: Journal) -> Plan:
    """The plan a run was started with: the journal's copy, or for journals that predate it,
    the plan its configuration builds for the same subscription. `ExecutorError` when neither
    can be read (naming the journal and what is wrong)."""
    from pydantic import ValidationError

    from wizard.model.config import WizardConfig
    from wizard.plan import build

    try:
        if journal.plan is not None:
            return Plan.from_dict(journal.plan)
        return build(WizardConfig.model_validate(journal.config), journal.subscription_id)
    except (ValidationError, ValueError, KeyError, TypeError) as error:
        raise ExecutorError(f"the journal {journal.path} holds no plan that can be run again: "
                            f"{str(error).splitlines()[0]}") from None


def resume(run_id: str, backend: Backend, *, max_parallel: int = 4,
           secrets: Mapping[str, str] | None = None,
           on_event: Callable[[Event], None] | None = None, allow_drift: bool = False,
           target: str | None = None) -> RunResult:
    """Continue run `run_id` with the plan the journal recorded (older journals: rebuilt from
    its configuration); every step is checked again, those already done included."""
    journal = Journal.load(run_id)
    check_target(journal, target)
    if journal.status == "rolled_back":
        raise ExecutorError(f"run {run_id} was rolled back; start a new apply instead")
    plan = recorded_plan(journal)
    executor = Executor(backend, journal, max_parallel=max_parallel, secrets=secrets,
                        on_event=on_event, allow_drift=allow_drift)
    return executor.apply(plan)


# -- rollback --------------------------------------------------------------------------------
def to_undo(record: StepRecord) -> bool:
    """This run made the resource: recorded as created, or a create was sent for it (it did not
    exist just before) and the run stopped before knowing the answer."""
    if record.deleted:
        return False
    return record.created_by_run or (record.create_sent and record.state != "succeeded")


def record_step(record: StepRecord) -> Step:
    """A journal record as a step the backend can read or delete (no body: nothing is sent)."""
    return Step(key=record.key, kind=record.kind,  # type: ignore[arg-type]
                name=record.resource_id.rstrip("/").rsplit("/", 1)[-1],
                resource_id=record.resource_id, body={}, depends_on=record.depends_on,
                summary="", why="", az=())


def rollback(run_id: str, backend: Backend, on_event: Callable[[Event], None] | None = None, *,
             max_parallel: int = 4, target: str | None = None,
             cancel: threading.Event | None = None) -> RunResult:
    """Delete exactly what run `run_id` created, dependents before what they depend on,
    independent ones in parallel. Anything that existed before the run is never touched.

    Setting `cancel` stops starting deletes (those under way finish); the rollback ends
    `cancelled` and can simply be run again to finish."""
    journal = Journal.load(run_id)
    check_target(journal, target)
    with journal.exclusive():
        undo = [key for key, record in journal.steps.items() if to_undo(record)]
        return delete_created(journal, backend, undo, on_event, max_parallel=max_parallel,
                              cancel=cancel or threading.Event())


def delete_created(journal: Journal, backend: Backend, undo: list[str],
                   on_event: Callable[[Event], None] | None, *, max_parallel: int,
                   cancel: threading.Event) -> RunResult:
    """Delete the resources of steps `undo` (what the user confirmed), dependents before what
    they depend on, while the caller holds the run's lock. A resource already gone counts as
    deleted; one that cannot be deleted keeps what depends on it (the journal says why)."""
    run_id = journal.run_id
    records = journal.steps
    failures: list[StepFailed] = []
    lock = threading.Lock()

    def emit(event: Event) -> None:
        if isinstance(event, StepFailed):
            failures.append(event)
        if on_event is not None:
            with lock:
                on_event(event)

    dependents: dict[str, set[str]] = {key: set() for key in records}
    for key, record in records.items():
        for dep in record.depends_on:
            dependents.setdefault(dep, set()).add(key)

    def descendants(key: str) -> set[str]:
        seen: set[str] = set()
        stack = list(dependents.get(key, ()))
        while stack:
            item = stack.pop()
            if item not in seen:
                seen.add(item)
                stack.extend(dependents.get(item, ()))
        return seen

    wanted = set(undo)
    waits_for = {key: descendants(key) & wanted for key in undo}

    def delete_one(key: str) -> StepResult:
        step = record_step(records[key])
        emit(StepStarted(run_id, key))
        try:
            report: Callable[[str], None] = lambda message: emit(  # noqa: E731
                StepProgress(run_id, key, message))
            outcome: Outcome
            if backend.get(step) is None:
                outcome = "gone"
            else:
                backend.delete(step, report)
                outcome = "deleted"
        except Exception as exc:  # every failure must reach the journal
            code, message, hint = _describe(exc)
            journal.update_step(key, error={"code": code, "message": message, "hint": hint})
            emit(StepFailed(run_id, key, code, message, hint))
            return "failed"
        journal.update_step(key, deleted=True, error=None)
        emit(StepSucceeded(run_id, key, outcome))
        return "succeeded"

    emit(RunStarted(run_id, len(undo)))
    outcome = run_graph(waits_for, list(reversed(undo)), delete_one, max_parallel=max_parallel,
                        stop=cancel, thread_name="rollback")
    for key in undo:
        if key not in outcome.started:
            emit(StepSkipped(run_id, key, "kept: the rollback was cancelled; run it again to "
                             "finish" if cancel.is_set() else "kept: something that depends on "
                             "it could not be deleted"))
    status: RunStatus = ("rolled_back" if len(outcome.done) == len(undo)
                         else "cancelled" if cancel.is_set() and not outcome.failed
                         else "failed")
    if status == "rolled_back" and not any(to_undo(r) for r in journal.steps.values()):
        journal.set_status("rolled_back")
    emit(RunFinished(run_id, status))
    return RunResult(run_id, status, failures, journal.path)
