"""Starting an apply, a resume or a rollback: the glue between a screen's worker and the core.

These functions block and may import the Azure SDK (through `wizard.target.make_backend`), so the
execution screen calls them from a thread worker only. They return the executor before it runs,
so the screen can cancel it; the screen then calls `.apply(plan)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from screens.target import Target
from wizard.config import WizardConfig
from wizard.events import Event
from wizard.executor import (
    Executor,
    RunResult,
    TargetMismatchError,
    recorded_plan,
    rollback,
    secrets_needed,
)
from wizard.journal import Journal
from wizard.plan import WINDOWS_PASSWORD_SECRET, Plan, build
from wizard.target import make_backend

Listener = Callable[[Event], None]


@dataclass
class PreparedRun:
    executor: Executor
    plan: Plan
    target: str


def _backend(target: Target, subscription: str | None) -> tuple[object, str]:
    return make_backend(sandbox=target.sandbox, sandbox_state=target.sandbox_state,
                        subscription=subscription)


def _secrets(plan: Plan) -> dict[str, str]:
    if WINDOWS_PASSWORD_SECRET not in secrets_needed(plan):
        return {}
    from wizard.secrets import windows_password

    return {WINDOWS_PASSWORD_SECRET: windows_password()}


def prepare_apply(target: Target, config: WizardConfig, listener: Listener) -> PreparedRun:
    """A new run of `config`: backend, plan for its subscription, a fresh journal."""
    backend, description = _backend(target, config.cluster.subscription_id)
    plan = build(config, backend.subscription_id)  # type: ignore[attr-defined]
    journal = Journal.create(plan, config, description)
    executor = Executor(backend, journal, secrets=_secrets(plan),  # type: ignore[arg-type]
                        on_event=listener)
    return PreparedRun(executor, plan, description)


def prepare_migration(target: Target, plan: Plan, config: WizardConfig,
                      listener: Listener, purpose: str = "") -> PreparedRun:
    """A new run of one phase of a migration (`wizard.migrate.MigrationPlan.phases()`). The
    user confirmed the changes to the existing cluster and subnet, and the journal records it,
    so the run (and a resume of it) may modify them."""
    backend, description = _backend(target, plan.subscription_id)
    journal = Journal.create(plan, config, description, allow_drift=True, purpose=purpose)
    executor = Executor(backend, journal, on_event=listener)  # type: ignore[arg-type]
    return PreparedRun(executor, plan, description)


def prepare_resume(target: Target, run_id: str, listener: Listener) -> PreparedRun:
    """Continue `run_id` where it stopped, on the same target it started on."""
    journal = Journal.load(run_id)
    backend, description = _backend(target, journal.subscription_id)
    if description != journal.target:
        raise TargetMismatchError(f"run {run_id} was applied to {journal.target}, not "
                                  f"{description}; start the wizard on the same target")
    plan = recorded_plan(journal)  # exactly what was reviewed when the run started
    executor = Executor(backend, journal, secrets=_secrets(plan),  # type: ignore[arg-type]
                        on_event=listener)
    return PreparedRun(executor, plan, description)


def run_rollback(target: Target, run_id: str, listener: Listener,
                 cancel: threading.Event | None = None) -> RunResult:
    """Delete what `run_id` created (blocking); setting `cancel` stops starting deletes."""
    journal = Journal.load(run_id)
    backend, description = _backend(target, journal.subscription_id)
    return rollback(run_id, backend, listener, target=description,  # type: ignore[arg-type]
                    cancel=cancel)


def plan_of_run(run_id: str) -> Plan:
    """The plan a recorded run applies (for listing its steps before resuming)."""
    return recorded_plan(Journal.load(run_id))
