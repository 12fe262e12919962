"""The live progress of an apply or a rollback in a terminal: one line per step.

`ProgressView` takes the executor's events (from any thread) and keeps, for each step, its state,
how long it has been running (or took) and the last message Azure gave. On a terminal it redraws
a Rich table in place, several times a second, so a cluster that takes minutes visibly ticks. When
the output is not a terminal (CI logs, a pipe, `> file`) a redrawn table would be noise, so it
prints one plain line per change that matters instead: a step started, finished, was skipped or
failed, and a long operation's status at most every `PLAIN_PROGRESS_EVERY` seconds.

Everything shown comes from Azure or from the plan (names the user typed); it is rendered as
`Text`, never as markup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from wizard.run.events import (
    Event,
    RunFinished,
    RunStarted,
    StepFailed,
    StepProgress,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)

if TYPE_CHECKING:
    from wizard.plan import Plan
    from wizard.run.journal import StepRecord

PLAIN_PROGRESS_EVERY = 10.0
"""Seconds between two status lines of the same running step in plain (non-terminal) output."""

STATE_STYLE = {
    "waiting": "dim",
    "running": "bold cyan",
    "created": "green",
    "updated": "yellow",
    "exists": "cyan",
    "deleted": "green",
    "gone": "cyan",
    "verified": "cyan",
    "recreated": "yellow",
    "skipped": "dim",
    "failed": "bold red",
}
STATE_WORD = {
    "waiting": "waiting",
    "running": "running",
    "created": "created",
    "updated": "updated",
    "exists": "exists",
    "deleted": "deleted",
    "gone": "gone",
    "verified": "verified",
    "recreated": "recreated",
    "skipped": "skipped",
    "failed": "FAILED",
}
DONE_STATES = frozenset({"created", "updated", "exists", "deleted", "gone", "verified",
                         "recreated"})


@dataclass(frozen=True)
class Line:
    """One step as the view names it: its key (what events carry) and a human label."""

    key: str
    label: str


def lines_for_plan(plan: Plan) -> list[Line]:
    """A line per plan step, in plan order: the resource's name and kind."""
    return [Line(step.key, f"{step.name} ({step.kind.replace('_', ' ')})") for step in plan.steps]


def lines_for_records(records: Iterable[StepRecord]) -> list[Line]:
    """A line per journal record (rollback has no plan at hand, only the journal)."""
    return [
        Line(record.key, f"{record.resource_id.rstrip('/').rsplit('/', 1)[-1]} "
                         f"({record.kind.replace('_', ' ')})")
        for record in records
    ]


@dataclass
class _StepView:
    label: str
    state: str = "waiting"
    message: str = ""
    started: float | None = None
    finished: float | None = None
    last_plain: float | None = None


def _seconds(value: float) -> str:
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(int(value), 60)
    return f"{minutes} min {seconds:02d} s"


class ProgressView:
    """Shows a run's events as they come; use as a context manager around the run.

    `live`: force the redrawn table (True) or plain lines (False); default: the console decides
    (`console.is_terminal`). `clock`: monotonic seconds, injectable for tests.
    """

    def __init__(self, lines: Sequence[Line], console: Console, *, title: str = "Applying",
                 live: bool | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.console = console
        self.title = title
        self.live_mode = console.is_terminal if live is None else live
        self._clock = clock
        self._lock = threading.RLock()
        self._steps: dict[str, _StepView] = {line.key: _StepView(line.label) for line in lines}
        self._order = [line.key for line in lines]
        self._started_at: float | None = None
        self._finished_at: float | None = None
        self._status: str | None = None
        self._failures: list[StepFailed] = []
        self._live: Live | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> ProgressView:
        if self.live_mode:
            self._live = Live(console=self.console, get_renderable=self.render,
                              refresh_per_second=8, transient=False, redirect_stdout=False,
                              redirect_stderr=False)
            self._live.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop redrawing (idempotent); on a terminal, then list each failure with its hint."""
        live, self._live = self._live, None
        if live is None:
            return
        live.stop()
        for failure in self._failures:
            self._print_failure(failure)

    # -- events ------------------------------------------------------------------------------
    def __call__(self, event: Event) -> None:
        self.handle(event)

    def handle(self, event: Event) -> None:
        """Record `event` (thread-safe) and, in plain mode, print what changed."""
        with self._lock:
            now = self._clock()
            if isinstance(event, RunStarted):
                self._started_at = now
                self._plain(Text(f"{self.title}: run {event.run_id}, {event.total_steps} "
                                 "step(s)", style="bold"))
                return
            if isinstance(event, RunFinished):
                self._finished_at = now
                self._status = event.status
                return
            step = self._steps.get(event.key)
            if step is None:  # a key the view was not told about: show it anyway
                step = self._steps[event.key] = _StepView(event.key)
                self._order.append(event.key)
            if isinstance(event, StepStarted):
                step.state, step.message = "running", ""
                step.started, step.finished, step.last_plain = now, None, now
                self._plain(self._line("running", step.label))
            elif isinstance(event, StepProgress):
                step.message = event.message
                if step.last_plain is None or now - step.last_plain >= PLAIN_PROGRESS_EVERY:
                    step.last_plain = now
                    self._plain(self._line("running", step.label, event.message))
            elif isinstance(event, StepSucceeded):
                step.state, step.message, step.finished = event.outcome, "", now
                self._plain(self._line(event.outcome, step.label, self._elapsed(step)))
            elif isinstance(event, StepSkipped):
                # A step skipped after it started (cancelled mid-wait) keeps its elapsed time.
                step.state, step.message = "skipped", event.reason
                if step.started is not None:
                    step.finished = now
                self._plain(self._line("skipped", step.label, event.reason))
            elif isinstance(event, StepFailed):
                step.state, step.finished = "failed", now
                step.message = f"{event.code}: {event.message}"
                self._failures.append(event)
                if not self.live_mode:
                    self._print_failure(event)

    # -- queries (tests and the summary) -----------------------------------------------------
    def state_of(self, key: str) -> str:
        with self._lock:
            return self._steps[key].state

    def counts(self) -> dict[str, int]:
        """How many steps are in each state."""
        with self._lock:
            found: dict[str, int] = {}
            for step in self._steps.values():
                found[step.state] = found.get(step.state, 0) + 1
            return found

    @property
    def elapsed(self) -> float:
        """Seconds since the run started (until it finished, once it has)."""
        with self._lock:
            if self._started_at is None:
                return 0.0
            end = self._finished_at if self._finished_at is not None else self._clock()
            return end - self._started_at

    # -- rendering ---------------------------------------------------------------------------
    def render(self) -> RenderableType:
        """The whole view: a header with totals and one row per step."""
        with self._lock:
            counts = self.counts()
            done = sum(n for state, n in counts.items() if state in DONE_STATES)
            header = Text(f"{self.title}: {done}/{len(self._steps)} done", style="bold")
            if counts.get("running"):
                header.append(f", {counts['running']} running")
            if counts.get("failed"):
                header.append(f", {counts['failed']} failed", style="red")
            header.append(f"  {_seconds(self.elapsed)}", style="dim")
            table = Table(box=box.SIMPLE, show_header=False, pad_edge=False, expand=False)
            table.add_column("state", no_wrap=True, min_width=8)
            table.add_column("resource", overflow="fold", ratio=1, min_width=24)
            table.add_column("elapsed", justify="right", no_wrap=True, min_width=7)
            table.add_column("message", overflow="fold", ratio=1)
            for key in self._order:
                step = self._steps[key]
                table.add_row(Text(STATE_WORD.get(step.state, step.state),
                                   style=STATE_STYLE.get(step.state, "")),
                              Text(step.label), Text(self._elapsed(step), style="dim"),
                              Text(step.message, style="red" if step.state == "failed" else ""))
            return Group(header, table)

    def _elapsed(self, step: _StepView) -> str:
        if step.started is None:
            return ""
        end = step.finished if step.finished is not None else self._clock()
        return _seconds(end - step.started)

    def _line(self, state: str, label: str, detail: str = "") -> Text:
        text = Text("  ")
        text.append(f"{STATE_WORD.get(state, state):8}", style=STATE_STYLE.get(state, ""))
        text.append(" ")
        text.append(label)
        if detail:
            text.append(f"  {detail}", style="dim")
        return text

    def _plain(self, text: Text) -> None:
        if not self.live_mode:
            self.console.print(text, soft_wrap=True)

    def _print_failure(self, failure: StepFailed) -> None:
        step = self._steps.get(failure.key)
        label = step.label if step is not None else failure.key
        self.console.print(self._line("failed", label), soft_wrap=True)
        self.console.print(Text(f"           {failure.code}: {failure.message}", style="red"),
                           soft_wrap=True)
        if failure.hint:
            self.console.print(Text(f"           {failure.hint}"), soft_wrap=True)
