"""Starting, resuming and rolling back runs: the lifecycle every front end shares.

Each verb is two halves with the user's confirmation between them:

- `prepare_apply(target, config)` connects, plans for the target's subscription, runs preflight
  and gets the secrets the plan needs; the preparation says, step by step, what is new, what
  exists and is reused, and what exists with other settings (and which). When `blocking` is set
  nothing may be written, in any front end; otherwise `start()` creates the journal and returns
  a `Run` to execute.
- `prepare_resume(target, run_id)` reads the journal, checks the target is the run's own, and
  gets the secrets; the run it starts checks every step again, finished ones included.
- `prepare_rollback(target, run_id)` takes the run's lock first, then reads the journal and the
  target afresh, so what it lists is what it deletes: nothing another process changed in
  between can be acted on from a stale picture. It holds the lock until `close()`.

Front ends only render what comes back, ask, and call the second half.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from wizard.run.events import Event
from wizard.run.executor import (
    Executor,
    ExecutorError,
    RunResult,
    TargetMismatchError,
    delete_created,
    record_step,
    recorded_plan,
    secrets_needed,
    to_undo,
)
from wizard.run.journal import Journal, JournalSummary
from wizard.run.journal import list_runs as _list_runs
from wizard.run.target import Connection, Target

if TYPE_CHECKING:
    from wizard.azure.preflight import PreflightReport
    from wizard.model.config import WizardConfig
    from wizard.model.findings import Finding
    from wizard.plan import Plan

Listener = Callable[[Event], None]
CheckStatus = Literal["create", "exists", "drift"]
PROG = "aks-nat-wizard"
ARM_WRITE_PARALLEL = 16
"""The most steps started at once: ARM throttles a subscription's writes (a few per second,
refilled over time), and each step is a write followed by polling reads."""


class RunError(ExecutorError):
    """A run cannot be prepared or started (say why, never a traceback)."""


# -- what a plan's steps meet on the target ----------------------------------------------------

@dataclass(frozen=True)
class StepCheck:
    """One plan step as preflight saw it: new, exists as planned (reused), or exists with
    other settings (`differences`, each `path: planned -> actual`)."""

    key: str
    kind: str
    name: str
    resource_id: str
    status: CheckStatus
    ours: bool | None = False
    differences: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.status == "create":
            return "new"
        if self.status == "exists":
            return "exists as planned (reused)"
        return "exists with other settings: " + "; ".join(self.differences)


def default_parallelism(plan: Plan) -> int:
    """How many steps to start at once: the plan's widest level (steps at the same depth of
    the DAG can all run together), within ARM's write limits."""
    depth: dict[str, int] = {}
    for step in plan.steps:  # dependencies come first
        depth[step.key] = 1 + max((depth[d] for d in step.depends_on), default=-1)
    widths: dict[int, int] = {}
    for level in depth.values():
        widths[level] = widths.get(level, 0) + 1
    return max(1, min(ARM_WRITE_PARALLEL, max(widths.values(), default=1)))


def _secrets(plan: Plan) -> tuple[dict[str, str], bool]:
    """The secrets `plan` needs, and whether the Windows password was generated (not given)."""
    from wizard.plan import WINDOWS_PASSWORD_SECRET

    if WINDOWS_PASSWORD_SECRET not in secrets_needed(plan):
        return {}, False
    import os

    from wizard.run.secrets import PASSWORD_ENV, SecretError, windows_password

    try:
        password = windows_password()
    except SecretError as error:
        raise RunError(str(error)) from None
    return {WINDOWS_PASSWORD_SECRET: password}, not os.environ.get(PASSWORD_ENV)


# -- a run, started ----------------------------------------------------------------------------

@dataclass
class Run:
    """A run whose journal exists: execute it (blocking), cancel it from another thread."""

    journal: Journal
    plan: Plan
    connection: Connection
    executor: Executor

    @property
    def run_id(self) -> str:
        return self.journal.run_id

    def execute(self) -> RunResult:
        return self.executor.apply(self.plan)

    def cancel(self) -> None:
        self.executor.cancel()

    @property
    def resume_command(self) -> str:
        return resume_command(self.run_id, self.connection.flags)

    @property
    def rollback_command(self) -> str:
        return rollback_command(self.run_id, self.connection.flags)


def resume_command(run_id: str, flags: str) -> str:
    return f"{PROG} apply --resume {run_id} {flags}".rstrip()


def rollback_command(run_id: str, flags: str) -> str:
    return f"{PROG} rollback {run_id} {flags}".rstrip()


def credentials_command(plan: Plan) -> str:
    import shlex

    return ("az aks get-credentials "
            f"--resource-group {shlex.quote(plan.resource_group)} "
            f"--name {shlex.quote(plan.cluster_name)} "
            f"--subscription {shlex.quote(plan.subscription_id)}")


def _start(journal: Journal, plan: Plan, connection: Connection, secrets: dict[str, str],
           on_event: Listener | None, max_parallel: int | None, allow_drift: bool) -> Run:
    executor = Executor(connection.backend, journal,
                        max_parallel=max_parallel or default_parallelism(plan),
                        secrets=secrets, on_event=on_event, allow_drift=allow_drift)
    return Run(journal, plan, connection, executor)


# -- apply -------------------------------------------------------------------------------------

@dataclass
class ApplyPreparation:
    """A new run, checked against the target and not started yet."""

    connection: Connection
    config: WizardConfig
    plan: Plan
    findings: tuple[Finding, ...]
    """The configuration's own findings and preflight's, in one list."""
    report: PreflightReport | None
    secrets: dict[str, str] = field(repr=False)
    password_generated: bool = False
    allow_drift: bool = False
    purpose: str = ""

    @property
    def checks(self) -> list[StepCheck]:
        """Every plan step with what preflight found for it (all new without preflight)."""
        found = self.report.steps if self.report is not None else {}
        checks = []
        for step in self.plan.steps:
            report = found.get(step.key)
            checks.append(StepCheck(
                step.key, step.kind, step.name, step.resource_id,
                report.status if report is not None else "create",
                report.ours if report is not None else False,
                tuple(report.differences) if report is not None else ()))
        return checks

    @property
    def drifted(self) -> list[StepCheck]:
        return [check for check in self.checks if check.status == "drift"]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def blocking(self) -> str | None:
        """Why this run must not start (nothing is written), or None."""
        if self.errors:
            count = len(self.errors)
            return (f"the checks found {count} problem{'s' if count != 1 else ''} (listed "
                    "above): nothing was changed")
        if self.drifted and not self.allow_drift:
            return (f"{len(self.drifted)} existing resource(s) differ from the plan ("
                    + ", ".join(check.key for check in self.drifted) + "): change the "
                    "configuration to match, or pass --allow-drift to overwrite them. Nothing "
                    "was changed.")
        return None

    @property
    def to_create(self) -> int:
        return sum(check.status == "create" for check in self.checks)

    @property
    def question(self) -> str:
        reused = len(self.plan.steps) - self.to_create
        return (f"Create {self.to_create} resource(s) in resource group "
                f"{self.plan.resource_group} (cluster {self.plan.cluster_name}) on "
                f"{self.connection.description}"
                + (f", reusing {reused} that already exist" if reused else "") + "?")

    def start(self, on_event: Listener | None = None, *,
              max_parallel: int | None = None) -> Run:
        """Create the run's journal and its executor (call `execute()` on what comes back).
        `RunError` when `blocking`: nothing is written."""
        reason = self.blocking
        if reason:
            raise RunError(reason)
        journal = Journal.create(self.plan, self.config, self.connection.description,
                                 allow_drift=self.allow_drift, purpose=self.purpose)
        return _start(journal, self.plan, self.connection, self.secrets, on_event,
                      max_parallel, self.allow_drift)


def prepare_apply(target: Target, config: WizardConfig, *, allow_drift: bool = False,
                  preflight: bool = True) -> ApplyPreparation:
    """Connect, plan for the target's subscription, check (the configuration, then preflight
    against what exists) and get the secrets. Raises `TargetError` when the target cannot be
    reached and `RunError` for a secret Azure would refuse; problems with the configuration or
    the target are in `findings` and `blocking`."""
    from wizard import plan as planner
    from wizard.model.evaluation import evaluate

    connection = target.with_subscription(config.cluster.subscription_id).connect()
    built = planner.build(config, connection.backend.subscription_id)
    found: list[Finding] = list(evaluate(config).findings)
    report = None
    if preflight:
        from wizard.azure import preflight as checks

        report = checks.run(config, built, connection.backend)
        found += report.findings
    secrets, generated = _secrets(built)
    return ApplyPreparation(connection, config, built, tuple(found), report, secrets,
                            generated, allow_drift)


def prepare_migration(target: Target | Connection, plan: Plan, config: WizardConfig,
                      purpose: str = "") -> ApplyPreparation:
    """A run of one phase of a migration (`MigrationPlan.phases()`): the migration's own checks
    ran before the user confirmed the changes to the existing cluster and subnet, and the
    journal records that confirmation, so the run (and a resume of it) may modify them."""
    connection = target if isinstance(target, Connection) \
        else target.with_subscription(plan.subscription_id).connect()
    secrets, generated = _secrets(plan)
    return ApplyPreparation(connection, config, plan, (), None, secrets, generated,
                            allow_drift=True, purpose=purpose)


# -- resume ------------------------------------------------------------------------------------

def _same_target(journal: Journal, connection: Connection, command: str) -> None:
    if connection.description == journal.target:
        return
    parsed = Target.from_description(journal.target)
    again = f" Use: {PROG} {command} {journal.run_id} {parsed.flags}" if parsed else ""
    raise TargetMismatchError(
        f"run {journal.run_id} was applied to {journal.target}, but this points at "
        f"{connection.description}; refusing to work on a different target.{again}")


@dataclass
class ResumePreparation:
    """A recorded run, ready to continue on its own target."""

    connection: Connection
    journal: Journal
    plan: Plan
    secrets: dict[str, str] = field(repr=False)
    password_generated: bool = False
    allow_drift: bool = False

    @property
    def summary(self) -> JournalSummary:
        return self.journal.summary()

    @property
    def question(self) -> str:
        summary = self.summary
        if summary.status == "succeeded":
            return (f"Check run {summary.run_id} again in resource group "
                    f"{self.plan.resource_group} on {self.connection.description} (what is "
                    "gone is created again; what changed is reported)?")
        return (f"Resume run {summary.run_id} ({summary.steps_succeeded}/{summary.steps_total} "
                f"steps done) in resource group {self.plan.resource_group} on "
                f"{self.connection.description}? Steps already done are checked again.")

    def start(self, on_event: Listener | None = None, *,
              max_parallel: int | None = None) -> Run:
        return _start(self.journal, self.plan, self.connection, self.secrets, on_event,
                      max_parallel, self.allow_drift)


def prepare_resume(target: Target, run_id: str, *,
                   allow_drift: bool = False) -> ResumePreparation:
    """The run `run_id`, to continue (or to check again when it succeeded). Raises
    `JournalError` (no such run, unreadable journal), `RunError` (rolled back, no plan that
    can run), `TargetMismatchError` (another target) or `TargetError`."""
    journal = Journal.load(run_id)
    if journal.status == "rolled_back":
        raise RunError(f"run {run_id} was rolled back; start a new apply instead")
    plan = recorded_plan(journal)
    connection = target.with_subscription(journal.subscription_id).connect()
    _same_target(journal, connection, "apply --resume")
    secrets, generated = _secrets(plan)
    return ResumePreparation(connection, journal, plan, secrets, generated, allow_drift)


# -- rollback ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Doomed:
    """A resource the run created, as the rollback found it (still there, or gone already)."""

    key: str
    kind: str
    name: str
    resource_id: str
    exists: bool

    @property
    def title(self) -> str:
        """`public ip myNatGatewayIp`: the kind first, so rows read as what they are."""
        return f"{self.kind.replace('_', ' ')} {self.name}"


class RollbackPreparation:
    """A rollback holding its run's lock: `doomed` is what `run()` deletes. Close it (or use
    it as a context manager) when the user declines, so the lock is released."""

    def __init__(self, connection: Connection, journal: Journal, doomed: list[Doomed],
                 release: Callable[[], None]) -> None:
        self.connection = connection
        self.journal = journal
        self.doomed = doomed
        self._release = release
        self._closed = False

    @property
    def run_id(self) -> str:
        return self.journal.run_id

    @property
    def question(self) -> str:
        present = sum(item.exists for item in self.doomed)
        return (f"Delete these {present} resource(s) run {self.run_id} created on "
                f"{self.connection.description}?")

    @property
    def to_delete(self) -> list[Doomed]:
        return [item for item in self.doomed if item.exists]

    def run(self, on_event: Listener | None = None, *, cancel: threading.Event | None = None,
            max_parallel: int = 4) -> RunResult:
        """Delete exactly `doomed` (those already gone are recorded as such), then release."""
        if self._closed:
            raise RunError(f"the rollback of run {self.run_id} was closed; prepare it again")
        try:
            return delete_created(self.journal, self.connection.backend,
                                  [item.key for item in self.doomed], on_event,
                                  max_parallel=max_parallel,
                                  cancel=cancel or threading.Event())
        finally:
            self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._release()

    def __enter__(self) -> RollbackPreparation:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def prepare_rollback(target: Target, run_id: str) -> RollbackPreparation:
    """Take run `run_id`'s lock, then read its journal and the target afresh: what the run
    created and is still there. Raises like `prepare_resume`, and `RunBusyError` while another
    process works on the run."""
    journal = Journal.load(run_id)
    connection = target.with_subscription(journal.subscription_id).connect()
    _same_target(journal, connection, "rollback")
    held = _hold(journal)
    next(held)  # takes the lock and reads the journal afresh
    try:
        backend = connection.backend
        doomed = []
        for record in journal.steps.values():
            if to_undo(record):
                step = record_step(record)
                doomed.append(Doomed(record.key, record.kind, step.name, record.resource_id,
                                     backend.get(step) is not None))
    except BaseException:
        held.close()
        raise
    return RollbackPreparation(connection, journal, doomed, held.close)


def _hold(journal: Journal) -> Generator[None, None, None]:
    """The run's lock as a generator: `next()` takes it (reading the journal afresh),
    `close()` releases it."""
    with journal.exclusive():
        yield


# -- listing -----------------------------------------------------------------------------------

def list_runs() -> list[JournalSummary]:
    """Every run recorded on this machine, oldest first, each with its true status (a run whose
    process is gone is `interrupted`); an unreadable journal is listed as such."""
    return _list_runs()


def describe_checks(checks: Sequence[StepCheck]) -> str:
    """`3 new, 1 reused, 1 differs`: the summary line of a preflight."""
    new = sum(c.status == "create" for c in checks)
    reused = sum(c.status == "exists" for c in checks)
    drift = sum(c.status == "drift" for c in checks)
    parts = [f"{new} new", f"{reused} reused"] + ([f"{drift} differ"] if drift else [])
    return ", ".join(parts)
