"""The record of one run, on disk, so a crash, a kill or Ctrl-C never loses track of what was done.

One file per run, `data_dir()/runs/<run id>.jsonl`, in JSON Lines:

- line 1 is a snapshot: the configuration (never a secret: the Windows password lives only in
  memory), the target, the reviewed plan, every step's state, the run's status. It is written
  once, when the run is created (atomically: a temporary file renamed into place);
- every later line is one change: a step's changed fields, or the run's new status. A change is
  appended and fsynced on its own, so a step's change costs the same whatever the plan's size.

Why an append-only log and not a database: one file per run keeps runs independent (one
unreadable journal never hides the others), is readable with `cat`, and an append is the
smallest crash-safe write there is. A kill can only tear the last line; a last line without its
newline is a write that never completed, and is ignored. Anything else that does not read as a
journal (wrong shape, unknown version) is a `JournalError` naming the file, the line and what is
wrong; such a file is never rewritten.

Every line is validated with pydantic models (`Snapshot`, `StepChange`, `StatusChange`), and the
plan with the shape `Plan.to_dict()` writes, so a resume never runs a plan it cannot read.

Whether a run is live is known from its lock (`<run id>.lock` beside the journal, held by the
process applying, resuming or rolling it back, released by the OS when that process dies), not
from the recorded status: a run recorded as running whose lock nobody holds is `interrupted`.

Journals written before this format (one JSON document, `<run id>.json`) are read as they are and
converted to the log the first time a process takes their lock.

Run ids sort by time and are easy to read aloud: `20261129-031500-3f2a` (UTC date, time, random).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wizard.storage.paths import clean_stale_temp_files, ensure_private_dir, runs_dir, write_atomic

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from wizard.model.config import WizardConfig
    from wizard.plan import Plan

SCHEMA_VERSION = 2
LEGACY_SCHEMA_VERSION = 1
StepState = Literal["pending", "running", "succeeded", "failed", "skipped"]
JournalStatus = Literal["running", "succeeded", "failed", "cancelled", "rolled_back"]
RunState = Literal["running", "interrupted", "succeeded", "failed", "cancelled", "rolled_back",
                   "unreadable"]
"""A run's status as lists show it: `running` only while a process holds the run's lock."""
STEP_STATES: tuple[StepState, ...] = ("pending", "running", "succeeded", "failed", "skipped")
JOURNAL_STATUSES: tuple[JournalStatus, ...] = (
    "running", "succeeded", "failed", "cancelled", "rolled_back",
)
RESUMABLE: frozenset[str] = frozenset({"interrupted", "failed", "cancelled"})
"""The statuses a run can be resumed from without asking why (a succeeded one can be too: a
resume then checks that everything is still there)."""


class JournalError(Exception):
    """A journal is missing, unreadable or not a journal; the message names the file."""


class RunBusyError(JournalError):
    """Another process is applying, resuming or rolling back the same run right now."""


def new_run_id(now: datetime | None = None) -> str:
    """`YYYYMMDD-HHMMSS-xxxx` in UTC: sortable by time, short enough to type."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def journal_path(run_id: str) -> Path:
    """Where the journal of `run_id` lives (an older single-document journal if that is what
    exists)."""
    log = runs_dir() / f"{run_id}.jsonl"
    legacy = log.with_suffix(".json")
    return legacy if not log.exists() and legacy.exists() else log


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- the records -------------------------------------------------------------------------------

class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StepRecord(_Record):
    """One plan step as the run saw it."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    key: str
    kind: str
    resource_id: str
    depends_on: tuple[str, ...] = ()
    state: StepState = "pending"
    outcome: str | None = None
    created_by_run: bool = False
    create_sent: bool = False
    deleted: bool = False
    outputs: dict[str, Any] = Field(default_factory=dict)
    error: dict[str, str] | None = None


CHANGEABLE = frozenset(StepRecord.model_fields) - {"key", "kind", "resource_id", "depends_on"}


class PlanStepRecord(_Record):
    """A step of the reviewed plan as `Step.to_dict()` writes it."""

    key: str
    kind: str
    name: str
    resource_id: str
    api_version: str
    depends_on: list[str]
    summary: str
    why: str
    snat_ports: int
    az: list[str]
    body: dict[str, Any]


class PlanRecord(_Record):
    """The reviewed plan as `Plan.to_dict()` writes it; extra top-level keys are what newer
    plans add for people (costs, notes), not what a resume sends."""

    model_config = ConfigDict(extra="ignore")

    schema_version: int
    subscription_id: str
    resource_group: str
    location: str
    cluster_name: str
    outbound_type: str
    total_snat_ports: int
    steps: list[PlanStepRecord]


class Snapshot(_Record):
    """Line 1 of a journal: the whole run as it was when written."""

    schema_version: Literal[2]
    run_id: str
    created_at: str
    updated_at: str = ""
    status: JournalStatus
    target: str
    subscription_id: str
    config: dict[str, Any]
    plan: PlanRecord | None
    allow_drift: bool = False
    purpose: str = ""
    steps: list[StepRecord]


class LegacyJournal(_Record):
    """A journal of schema 1 (one JSON document, rewritten whole after every change)."""

    model_config = ConfigDict(extra="ignore")

    schema_version: Literal[1]
    run_id: str
    created_at: str
    updated_at: str = ""
    status: JournalStatus
    target: str
    subscription_id: str
    config: dict[str, Any]
    plan: PlanRecord | None = None
    allow_drift: bool = False
    purpose: str = ""
    steps: list[StepRecord]


class StepChange(_Record):
    """A later line: these fields of one step changed."""

    at: str
    step: str
    set: dict[str, Any]


class StatusChange(_Record):
    """A later line: the run's status changed."""

    at: str
    status: JournalStatus


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the line"
    return f"{where}: {first['msg']}" + (f" (and {error.error_count() - 1} more)"
                                         if error.error_count() > 1 else "")


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
    resource_group: str = ""

    @property
    def resumable(self) -> bool:
        return self.status in RESUMABLE or self.status == "succeeded"


class Journal:
    """The state of one run. Change it through `update_step` and `set_status` (each an append
    to the log, safe from several threads), inside `exclusive()` (one process at a time)."""

    def __init__(self, path: Path, snapshot: Snapshot, *, legacy: bool = False) -> None:
        self.path = path
        self.run_id = snapshot.run_id
        self.created_at = snapshot.created_at
        self.updated_at = snapshot.updated_at
        self.status: JournalStatus = snapshot.status
        self.target = snapshot.target
        self.subscription_id = snapshot.subscription_id
        self.config = snapshot.config
        self.plan: dict[str, Any] | None = (
            snapshot.plan.model_dump(mode="json") if snapshot.plan is not None else None)
        """The plan as reviewed (`Plan.to_dict()`, placeholders unresolved, so no secret):
        resume runs exactly this, even when it is not what `plan.build(config)` gives."""
        self.allow_drift = snapshot.allow_drift
        """The user confirmed, when the run started, that it may modify resources the wizard
        did not create (a migration changes an existing cluster and subnet): a resume honours
        that answer instead of stopping at the change it was asked to make."""
        self.purpose = snapshot.purpose
        """What the run is for when it is not a plain apply, as lists of runs show it."""
        self.steps: dict[str, StepRecord] = {record.key: record for record in snapshot.steps}
        self._legacy = legacy
        self._lock = threading.RLock()
        self._held: BaseFileLock | None = None

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def create(cls, plan: Plan, config: WizardConfig, target: str, *,
               allow_drift: bool = False, purpose: str = "") -> Journal:
        """A new journal for `plan` (built from `config`), written at once so it is listed."""
        folder = ensure_private_dir(runs_dir())
        run_id = new_run_id()
        while (folder / f"{run_id}.jsonl").exists() or (folder / f"{run_id}.json").exists():
            run_id = new_run_id()
        now = _now()
        snapshot = Snapshot(
            schema_version=SCHEMA_VERSION, run_id=run_id, created_at=now, updated_at=now,
            status="running", target=target, subscription_id=plan.subscription_id,
            config=config.model_dump(mode="json"),
            plan=PlanRecord.model_validate(plan.to_dict()), allow_drift=allow_drift,
            purpose=purpose,
            steps=[StepRecord(key=step.key, kind=step.kind, resource_id=step.resource_id,
                              depends_on=step.depends_on) for step in plan.steps],
        )
        journal = cls(folder / f"{run_id}.jsonl", snapshot)
        journal.save()
        return journal

    @classmethod
    def load(cls, run_id: str) -> Journal:
        """The journal of `run_id`; `JournalError` naming the file when it is missing or bad."""
        if (not run_id or "/" in run_id or "\\" in run_id or run_id.startswith(".")
                or not run_id.isprintable()):
            raise JournalError(f"{run_id!r} is not a run id (see `aks-nat-wizard runs`)")
        return cls.load_path(journal_path(run_id))

    @classmethod
    def load_path(cls, path: Path) -> Journal:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise JournalError(
                f"no journal for run {path.stem}: {path} does not exist "
                "(see `aks-nat-wizard runs` for the runs recorded here)"
            ) from None
        except OSError as exc:
            raise JournalError(f"cannot read the journal {path}: {exc.strerror}") from None
        if path.suffix == ".json":
            return cls._load_legacy(path, raw)
        snapshot, changes = _parse_log(path, raw)
        if snapshot.run_id != path.stem:
            raise JournalError(f"the journal {path} is corrupt: line 1: it names run "
                               f"{snapshot.run_id!r}, not {path.stem!r}")
        journal = cls(path, snapshot)
        for number, change in changes:
            journal._replay(path, number, change)
        return journal

    @classmethod
    def _load_legacy(cls, path: Path, raw: bytes) -> Journal:
        legacy = _document(path, raw, LegacyJournal, LEGACY_SCHEMA_VERSION, "")
        fields = legacy.model_dump() | {"schema_version": SCHEMA_VERSION}
        journal = cls(path, Snapshot.model_validate(fields), legacy=True)
        _check_steps(journal, path)
        return journal

    def _replay(self, path: Path, number: int, change: StepChange | StatusChange) -> None:
        if isinstance(change, StatusChange):
            self.status = change.status
        else:
            record = self.steps.get(change.step)
            if record is None:
                raise JournalError(f"the journal {path} is corrupt: line {number}: unknown "
                                   f"step {change.step!r}")
            unknown = set(change.set) - CHANGEABLE
            if unknown:
                raise JournalError(f"the journal {path} is corrupt: line {number}: unknown "
                                   f"field(s) {', '.join(sorted(unknown))}")
            try:
                updated = StepRecord.model_validate(record.model_dump() | change.set)
            except ValidationError as exc:
                raise JournalError(f"the journal {path} is corrupt: line {number}: "
                                   f"{_problem(exc)}") from None
            self.steps[change.step] = updated
        self.updated_at = change.at

    def refresh(self) -> None:
        """Read the journal again from disk (another process may have changed it)."""
        fresh = Journal.load_path(self.path)
        with self._lock:
            self.status, self.updated_at = fresh.status, fresh.updated_at
            self.steps = fresh.steps

    # -- persistence -------------------------------------------------------------------------
    def to_snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(
                schema_version=SCHEMA_VERSION, run_id=self.run_id, created_at=self.created_at,
                updated_at=self.updated_at, status=self.status, target=self.target,
                subscription_id=self.subscription_id, config=self.config,
                plan=PlanRecord.model_validate(self.plan) if self.plan is not None else None,
                allow_drift=self.allow_drift, purpose=self.purpose,
                steps=[record.model_copy() for record in self.steps.values()],
            )

    def save(self) -> Path:
        """Write the whole journal as one snapshot line, atomically (a new run, or a journal
        converted from the older format). State changes append instead (`update_step`)."""
        with self._lock:
            self.updated_at = self.updated_at or _now()
            text = self.to_snapshot().model_dump_json() + "\n"
            if self.path.suffix == ".json":
                legacy, self.path = self.path, self.path.with_suffix(".jsonl")
                write_atomic(self.path, text, private=True)
                legacy.unlink(missing_ok=True)
                self._legacy = False
                return self.path
            return write_atomic(self.path, text, private=True)

    def _append(self, line: dict[str, Any]) -> None:
        data = (json.dumps(line, separators=(",", ":")) + "\n").encode("utf-8")
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def update_step(self, key: str, **changes: Any) -> None:
        """Change fields of step `key` and append the change (only what changed is written)."""
        unknown = set(changes) - CHANGEABLE
        if unknown:
            raise ValueError(f"not a step field: {', '.join(sorted(unknown))}")
        with self._lock:
            record = self.steps[key]
            changed = {name: value for name, value in changes.items()
                       if getattr(record, name) != value}
            if not changed:
                return
            for name, value in changed.items():
                setattr(record, name, value)
            self.updated_at = _now()
            self._append({"at": self.updated_at, "step": key,
                          "set": StepRecord.model_validate(record.model_dump()).model_dump(
                              mode="json", include=set(changed))})

    def set_status(self, status: JournalStatus) -> None:
        """Record the run's new status (appended)."""
        with self._lock:
            self.status = status
            self.updated_at = _now()
            self._append({"at": self.updated_at, "status": status})

    # -- one process at a time ---------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.path.with_suffix(".lock")

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold this run's lock while inside, after reading the journal afresh (what another
        process did before is seen); `RunBusyError` at once if another process holds it.
        Re-entrant within the process that holds it."""
        if self._held is not None:
            yield
            return
        from filelock import FileLock, Timeout

        lock = FileLock(self.lock_path, timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise RunBusyError(
                f"run {self.run_id} is being applied or rolled back by another process right "
                "now; wait for it to finish (or stop it), then try again") from None
        self._held = lock
        try:
            self.refresh()
            if self._legacy:
                self.save()
            yield
        finally:
            self._held = None
            lock.release()

    def live(self) -> bool:
        """Whether some process (this one included) holds the run's lock right now."""
        return self._held is not None or lock_held(self.lock_path)

    # -- queries -----------------------------------------------------------------------------
    def run_state(self) -> RunState:
        """The status to show: a run recorded as running that nobody holds is interrupted."""
        if self.status == "running" and not self.live():
            return "interrupted"
        return self.status

    def summary(self) -> JournalSummary:
        with self._lock:
            records = list(self.steps.values())
            plan = self.plan or {}
            cluster = self.config.get("cluster")
            cluster = cluster if isinstance(cluster, dict) else {}
            return JournalSummary(
                run_id=self.run_id,
                created_at=self.created_at,
                status=self.run_state(),
                target=self.target,
                cluster=str(plan.get("cluster_name") or cluster.get("name") or ""),
                steps_total=len(records),
                steps_succeeded=sum(r.state == "succeeded" for r in records),
                created_count=sum(r.created_by_run and not r.deleted for r in records),
                path=self.path,
                purpose=self.purpose,
                resource_group=str(plan.get("resource_group")
                                   or cluster.get("resource_group") or ""),
            )

    def outputs(self) -> dict[str, dict[str, Any]]:
        """Each step's saved outputs, for resolving `{{ref:...}}` placeholders."""
        with self._lock:
            return {key: dict(record.outputs) for key, record in self.steps.items()}


def _parse_log(path: Path, raw: bytes) -> tuple[Snapshot, list[tuple[int, StepChange
                                                                      | StatusChange]]]:
    lines = raw.split(b"\n")
    complete = lines[:-1]  # the part after the last newline is a torn write (or empty)
    if not complete:
        raise JournalError(f"the journal {path} is corrupt: it is empty or was cut off before "
                           "its first line was written")
    snapshot = _document(path, complete[0], Snapshot, SCHEMA_VERSION, "line 1: ")
    journal_steps = [record.key for record in snapshot.steps]
    if len(set(journal_steps)) != len(journal_steps):
        raise JournalError(f"the journal {path} is corrupt: line 1: a step is listed twice")
    changes: list[tuple[int, StepChange | StatusChange]] = []
    for number, line in enumerate(complete[1:], start=2):
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"line {number} is not a JSON object")
            change: StepChange | StatusChange = (
                StatusChange.model_validate(data) if "status" in data
                else StepChange.model_validate(data))
        except ValidationError as exc:
            raise JournalError(f"the journal {path} is corrupt: line {number}: "
                               f"{_problem(exc)}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise JournalError(f"the journal {path} is corrupt: {exc}") from None
        changes.append((number, change))
    _check_plan(path, snapshot)
    return snapshot, changes


_Document = TypeVar("_Document", Snapshot, LegacyJournal)


def _document(path: Path, raw: bytes, model: type[_Document], version: int,
              where: str) -> _Document:
    """One JSON object of schema `version` read as `model`; `JournalError` saying what is
    wrong (`where` names the line)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{where}not a JSON object")
        if data.get("schema_version") != version:
            raise ValueError(f"{where}unsupported schema_version {data.get('schema_version')!r}")
        return model.model_validate(data)
    except ValidationError as exc:
        raise JournalError(f"the journal {path} is corrupt: {where}{_problem(exc)}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise JournalError(f"the journal {path} is corrupt: {exc}") from None


def _check_plan(path: Path, snapshot: Snapshot) -> None:
    if snapshot.plan is None:
        return
    from wizard.plan import API_VERSIONS

    unknown = sorted({step.kind for step in snapshot.plan.steps} - set(API_VERSIONS))
    if unknown:
        raise JournalError(f"the journal {path} is corrupt: line 1: unknown step kind(s) "
                           + ", ".join(repr(kind) for kind in unknown))
    plan_keys = [step.key for step in snapshot.plan.steps]
    if plan_keys != [record.key for record in snapshot.steps]:
        raise JournalError(f"the journal {path} is corrupt: its plan and its steps list "
                           "different steps")


def _check_steps(journal: Journal, path: Path) -> None:
    if journal.plan is not None and [s["key"] for s in journal.plan["steps"]] != list(
            journal.steps):
        raise JournalError(f"the journal {path} is corrupt: its plan and its steps list "
                           "different steps")


def lock_held(lock_path: Path) -> bool:
    """Whether a process holds the run lock at `lock_path` (without waiting for it)."""
    if not lock_path.exists():
        return False
    from filelock import FileLock, Timeout

    probe = FileLock(lock_path, timeout=0, thread_local=False)
    try:
        probe.acquire()
    except Timeout:
        return True
    except OSError:
        return False
    probe.release()
    return False


def list_runs() -> list[JournalSummary]:
    """Every run recorded here, oldest first; an unreadable journal is listed with `problem`
    and never hides the others. Temporary files a killed write left behind are removed."""
    folder = runs_dir()
    if not folder.is_dir():
        return []
    clean_stale_temp_files(folder)
    found: list[JournalSummary] = []
    paths = {path.stem: path for path in sorted(folder.glob("*.json"))}
    paths.update({path.stem: path for path in sorted(folder.glob("*.jsonl"))})
    for _, path in sorted(paths.items()):
        try:
            found.append(Journal.load_path(path).summary())
        except JournalError as exc:
            found.append(JournalSummary(
                run_id=path.stem, created_at="", status="unreadable", target="", cluster="",
                steps_total=0, steps_succeeded=0, created_count=0, path=path, problem=str(exc),
            ))
    return found
