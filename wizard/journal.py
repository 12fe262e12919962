"""The record of one apply run, on disk, so a crash or Ctrl-C never loses track of what was done.

One JSON file per run: `data_dir()/runs/<run id>.json`. It holds the configuration (never a
secret: the Windows password lives only in memory), the target the run was pointed at, every step
of the plan with its state, whether this run created the resource (only those are rolled back),
the outputs later steps need (an identity's principalId), and the last error. It is rewritten
atomically (temp file + `os.replace`) after every state change, so the file on disk is always a
whole, consistent journal, whatever moment the process dies at.

Run ids sort by time and are easy to read aloud: `20261129-031500-3f2a` (UTC date, time, random).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wizard.paths import runs_dir, write_atomic

if TYPE_CHECKING:
    from wizard.config import WizardConfig
    from wizard.plan import Plan

SCHEMA_VERSION = 1
StepState = Literal["pending", "running", "succeeded", "failed", "skipped"]
JournalStatus = Literal["running", "succeeded", "failed", "cancelled", "rolled_back"]
STEP_STATES: tuple[StepState, ...] = ("pending", "running", "succeeded", "failed", "skipped")
JOURNAL_STATUSES: tuple[JournalStatus, ...] = (
    "running", "succeeded", "failed", "cancelled", "rolled_back",
)


class JournalError(Exception):
    """A journal is missing, unreadable or not a journal; the message names the file."""


def new_run_id(now: datetime | None = None) -> str:
    """`YYYYMMDD-HHMMSS-xxxx` in UTC: sortable by time, short enough to type."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def journal_path(run_id: str) -> Path:
    """Where the journal of `run_id` lives."""
    return runs_dir() / f"{run_id}.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class StepRecord:
    """One plan step as the run saw it."""

    key: str
    kind: str
    resource_id: str
    depends_on: tuple[str, ...]
    state: StepState = "pending"
    outcome: str | None = None
    created_by_run: bool = False
    create_sent: bool = False
    deleted: bool = False
    outputs: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "resource_id": self.resource_id,
            "depends_on": list(self.depends_on),
            "state": self.state,
            "outcome": self.outcome,
            "created_by_run": self.created_by_run,
            "create_sent": self.create_sent,
            "deleted": self.deleted,
            "outputs": self.outputs,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepRecord:
        state = data.get("state", "pending")
        if state not in STEP_STATES:
            raise ValueError(f"unknown step state {state!r}")
        return cls(
            key=str(data["key"]),
            kind=str(data["kind"]),
            resource_id=str(data["resource_id"]),
            depends_on=tuple(str(d) for d in data.get("depends_on", [])),
            state=state,
            outcome=data.get("outcome"),
            created_by_run=bool(data.get("created_by_run", False)),
            create_sent=bool(data.get("create_sent", False)),
            deleted=bool(data.get("deleted", False)),
            outputs=dict(data.get("outputs") or {}),
            error=data.get("error"),
        )


@dataclass(frozen=True)
class JournalSummary:
    """One line of `runs`: enough to pick a run to resume or roll back."""

    run_id: str
    created_at: str
    status: str
    target: str
    cluster: str
    steps_total: int
    steps_succeeded: int
    created_count: int
    path: Path
    problem: str | None = None
    purpose: str = ""
    """What the run is for when it is not a plain apply (`migrate c1: loadBalancer -> ...`)."""


@dataclass
class Journal:
    """The state of one run. Mutate it through the executor, then `save()`."""

    run_id: str
    created_at: str
    target: str
    subscription_id: str
    config: dict[str, Any]
    steps: dict[str, StepRecord]
    status: JournalStatus = "running"
    updated_at: str = ""
    plan: dict[str, Any] | None = None
    """The plan as reviewed (`Plan.to_dict()`, placeholders unresolved, so no secret): resume
    runs exactly this, even when it is not what `plan.build(config)` gives (a migration)."""
    purpose: str = ""
    """What the run is for when it is not a plain apply, as lists of runs show it."""
    allow_drift: bool = False
    """The user confirmed, when the run started, that it may modify resources the wizard did not
    create (a migration changes an existing cluster and subnet): a resume honours that answer
    instead of stopping at the change it was asked to make."""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def create(cls, plan: Plan, config: WizardConfig, target: str, *,
               allow_drift: bool = False, purpose: str = "") -> Journal:
        """A new journal for `plan` (built from `config`), saved at once so the run is listed."""
        run_id = new_run_id()
        while journal_path(run_id).exists():
            run_id = new_run_id()
        journal = cls(
            run_id=run_id,
            created_at=_now(),
            target=target,
            subscription_id=plan.subscription_id,
            config=config.model_dump(mode="json"),
            plan=plan.to_dict(),
            allow_drift=allow_drift,
            purpose=purpose,
            steps={
                step.key: StepRecord(step.key, step.kind, step.resource_id, step.depends_on)
                for step in plan.steps
            },
        )
        journal.save()
        return journal

    @classmethod
    def load(cls, run_id: str) -> Journal:
        """The journal of `run_id`; `JournalError` naming the file when it is missing or bad."""
        if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
            raise JournalError(f"{run_id!r} is not a run id (see `aks-nat-wizard runs`)")
        return cls.load_path(journal_path(run_id))

    @classmethod
    def load_path(cls, path: Path) -> Journal:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise JournalError(
                f"no journal for run {path.stem}: {path} does not exist "
                "(see `aks-nat-wizard runs` for the runs recorded here)"
            ) from None
        except OSError as exc:
            raise JournalError(f"cannot read the journal {path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            if data.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"unsupported schema_version {data.get('schema_version')!r}")
            status = data["status"]
            if status not in JOURNAL_STATUSES:
                raise ValueError(f"unknown status {status!r}")
            steps = [StepRecord.from_dict(item) for item in data["steps"]]
            return cls(
                run_id=str(data["run_id"]),
                created_at=str(data["created_at"]),
                target=str(data["target"]),
                subscription_id=str(data["subscription_id"]),
                config=dict(data["config"]),
                steps={record.key: record for record in steps},
                status=status,
                updated_at=str(data.get("updated_at", "")),
                plan=data.get("plan") if isinstance(data.get("plan"), dict) else None,
                allow_drift=data.get("allow_drift") is True,
                purpose=str(data.get("purpose") or ""),
            )
        except (ValueError, KeyError, TypeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise JournalError(f"the journal {path} is corrupt: {detail}") from None

    # -- persistence -------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return journal_path(self.run_id)

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "schema_version": SCHEMA_VERSION,
                "run_id": self.run_id,
                "created_at": self.created_at,
                "updated_at": self.updated_at,
                "status": self.status,
                "target": self.target,
                "subscription_id": self.subscription_id,
                "config": self.config,
                "plan": self.plan,
                "allow_drift": self.allow_drift,
                "purpose": self.purpose,
                "steps": [record.to_dict() for record in self.steps.values()],
            }

    def save(self) -> Path:
        """Write the whole journal atomically; safe to call from several threads."""
        with self._lock:
            self.updated_at = _now()
            return write_atomic(self.path, json.dumps(self.to_dict(), indent=2) + "\n")

    # -- queries -----------------------------------------------------------------------------
    def summary(self) -> JournalSummary:
        with self._lock:
            records = list(self.steps.values())
            return JournalSummary(
                run_id=self.run_id,
                created_at=self.created_at,
                status=self.status,
                target=self.target,
                cluster=str(self.config.get("cluster", {}).get("name", "")),
                steps_total=len(records),
                steps_succeeded=sum(r.state == "succeeded" for r in records),
                created_count=sum(r.created_by_run and not r.deleted for r in records),
                path=self.path,
                purpose=self.purpose,
            )

    def outputs(self) -> dict[str, dict[str, Any]]:
        """Each step's saved outputs, for resolving `{{ref:...}}` placeholders."""
        with self._lock:
            return {key: dict(record.outputs) for key, record in self.steps.items()}


def list_runs() -> list[JournalSummary]:
    """Every run recorded here, oldest first; unreadable journals are listed with `problem`."""
    folder = runs_dir()
    if not folder.is_dir():
        return []
    found: list[JournalSummary] = []
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(Journal.load_path(path).summary())
        except JournalError as exc:
            found.append(JournalSummary(
                run_id=path.stem, created_at="", status="unreadable", target="", cluster="",
                steps_total=0, steps_succeeded=0, created_count=0, path=path, problem=str(exc),
            ))
    return found
