"""What an apply or a rollback tells its audience while it runs: small, immutable event records.

The executor emits these from its worker threads in a strict per-step order (started, progress...,
then succeeded, skipped or failed) and ends every run with `RunFinished`. A front end (the Rich
progress view, the Textual worker) turns them into lines on screen; tests collect them. They carry
plain strings only, so they can cross threads and be printed without touching Azure objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["created", "exists", "updated", "deleted", "gone", "verified", "recreated"]
RunStatus = Literal["succeeded", "failed", "cancelled", "rolled_back"]

OUTCOMES: tuple[Outcome, ...] = ("created", "exists", "updated", "deleted", "gone", "verified",
                                 "recreated")


@dataclass(frozen=True)
class RunStarted:
    """A run begins; `total_steps` is how many steps it will consider (including skipped ones)."""

    run_id: str
    total_steps: int


@dataclass(frozen=True)
class StepStarted:
    """The executor began working on one step (it is reading, creating or deleting it)."""

    run_id: str
    key: str


@dataclass(frozen=True)
class StepProgress:
    """A long-running operation is still going; `message` is a short human status."""

    run_id: str
    key: str
    message: str


@dataclass(frozen=True)
class StepSucceeded:
    """The step is done: `created`, `exists` (already there, identical), `updated` (drift
    overwritten on request), `deleted` (rollback) or `gone` (rollback found it already deleted);
    on a resume, `verified` (done before, still there as planned) or `recreated` (done before,
    but gone since: created again)."""

    run_id: str
    key: str
    outcome: Outcome


@dataclass(frozen=True)
class StepSkipped:
    """The step was not run in this attempt, and `reason` says why (done in an earlier attempt,
    a dependency failed, or the run was cancelled while waiting on it)."""

    run_id: str
    key: str
    reason: str


@dataclass(frozen=True)
class StepFailed:
    """The step failed with Azure's error `code`; `hint` tells the user what to do next."""

    run_id: str
    key: str
    code: str
    message: str
    hint: str


@dataclass(frozen=True)
class RunFinished:
    """The run ended; `status` is succeeded, failed, cancelled (apply) or rolled_back (rollback)."""

    run_id: str
    status: RunStatus


Event = (
    RunStarted | StepStarted | StepProgress | StepSucceeded | StepSkipped | StepFailed | RunFinished
)
