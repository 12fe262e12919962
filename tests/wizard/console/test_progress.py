"""The progress view: plain lines off a terminal, a redrawn table on one, elapsed times from the
clock it is given, failures with their hints, and names shown as typed (never as markup)."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from wizard.console.progress import PLAIN_PROGRESS_EVERY, Line, ProgressView, lines_for_plan
from wizard.plan import build
from wizard.run.events import (
    RunFinished,
    RunStarted,
    StepFailed,
    StepProgress,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from wizard.storage.presets import load

RUN = "20260101-000000-abcd"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=120, color_system=None,
                   highlight=False), buffer


def lines() -> list[Line]:
    return [Line("a", "first-ip (public ip)"), Line("b", "[bold]gw[/bold] (nat gateway)")]


def test_plain_mode_prints_one_line_per_change_with_elapsed_time() -> None:
    out, buffer = console(terminal=False)
    clock = Clock()
    view = ProgressView(lines(), out, clock=clock)
    assert not view.live_mode
    with view:
        view(RunStarted(RUN, 2))
        view(StepStarted(RUN, "a"))
        clock.now += 2.5
        view(StepSucceeded(RUN, "a", "created"))
        view(StepSkipped(RUN, "b", "not started: a failed"))
        view(RunFinished(RUN, "succeeded"))
    text = buffer.getvalue().splitlines()
    assert text[0] == f"Applying: run {RUN}, 2 step(s)"
    assert text[1].split() == ["running", "first-ip", "(public", "ip)"]
    assert text[2].split()[:2] == ["created", "first-ip"] and text[2].endswith("2.5 s")
    assert "skipped" in text[3] and "not started: a failed" in text[3]
    assert view.elapsed == 2.5


def test_plain_mode_rate_limits_status_messages_of_a_long_step() -> None:
    out, buffer = console(terminal=False)
    clock = Clock()
    view = ProgressView(lines(), out, clock=clock)
    view(StepStarted(RUN, "a"))
    for second in range(1, 25):
        clock.now += 1
        view(StepProgress(RUN, "a", f"creating: InProgress ({second} s)"))
    printed = [line for line in buffer.getvalue().splitlines() if "InProgress" in line]
    assert len(printed) == 24 // int(PLAIN_PROGRESS_EVERY)
    assert "InProgress (10 s)" in printed[0]


def test_a_failure_prints_code_message_and_hint() -> None:
    out, buffer = console(terminal=False)
    view = ProgressView(lines(), out)
    view(StepStarted(RUN, "a"))
    view(StepFailed(RUN, "a", "QuotaExceeded", "no more IPs", "Ask for more quota."))
    text = buffer.getvalue()
    assert "FAILED" in text and "QuotaExceeded: no more IPs" in text
    assert "Ask for more quota." in text
    assert view.state_of("a") == "failed"


def test_labels_are_printed_as_typed_not_as_markup() -> None:
    out, buffer = console(terminal=False)
    view = ProgressView(lines(), out)
    view(StepStarted(RUN, "b"))
    assert "[bold]gw[/bold]" in buffer.getvalue()


def test_terminal_mode_draws_a_table_and_lists_failures_once_stopped() -> None:
    out, buffer = console(terminal=True)
    clock = Clock()
    view = ProgressView(lines(), out, clock=clock)
    assert view.live_mode
    with view:
        view(RunStarted(RUN, 2))
        view(StepStarted(RUN, "a"))
        view(StepStarted(RUN, "b"))
        clock.now += 3
        view(StepProgress(RUN, "b", "creating: InProgress (3 s)"))
        view(StepSucceeded(RUN, "a", "exists"))
        check = Console(file=io.StringIO(), width=120, color_system=None)
        check.print(view.render())
        drawn = check.file.getvalue()  # type: ignore[attr-defined]
        assert "Applying: 1/2 done, 1 running" in drawn
        assert "creating: InProgress (3 s)" in drawn and "3.0 s" in drawn
        assert "[bold]gw[/bold]" in drawn
        view(StepFailed(RUN, "b", "Conflict", "in use", "Try later."))
        view(RunFinished(RUN, "failed"))
        assert "Try later." not in buffer.getvalue()  # not printed under a live table
    after = buffer.getvalue()
    assert after.count("Try later.") == 1
    assert view.counts() == {"exists": 1, "failed": 1}


def test_an_unknown_key_still_gets_a_line() -> None:
    out, _ = console(terminal=False)
    view = ProgressView(lines(), out)
    view(StepStarted(RUN, "zzz"))
    assert view.state_of("zzz") == "running"


def test_events_from_many_threads_are_all_counted() -> None:
    out, _ = console(terminal=False)
    keys = [f"k{i}" for i in range(40)]
    view = ProgressView([Line(k, k) for k in keys], out)

    def work(key: str) -> None:
        view(StepStarted(RUN, key))
        view(StepProgress(RUN, key, "working"))
        view(StepSucceeded(RUN, key, "created"))

    threads = [threading.Thread(target=work, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert view.counts() == {"created": 40}


def test_plan_lines_follow_the_plan_order_and_name_the_kind() -> None:
    plan = build(load("user-assigned"))
    found = lines_for_plan(plan)
    assert [line.key for line in found] == [step.key for step in plan.steps]
    assert found[0].label == f"{plan.steps[0].name} (resource group)"
