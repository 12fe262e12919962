"""Killed at any moment, a run is resumed (or rolled back) to exactly the right result.

`apply` is killed outright (SIGKILL: no clean-up at all) at 10 moments spread over its run, and
`rollback` at 5; each is then finished by a resume (or a second rollback). Every planned
resource must then exist exactly once, and after the rollback only what existed before. The
moments are counted in journal changes (each an appended line), so they do not depend on how
fast the machine is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.apply_support import (
    assert_all_succeeded,
    assert_created_once,
    kill_when,
    plan_of,
    read_state,
    run_cli,
    start_cli,
)
from wizard.run.journal import Journal
from wizard.sandbox import SUBSCRIPTION_ID

PRESET = "user-assigned"
SPEED = 0.2  # about 2 s a run: long enough to land between any two changes


def journal_lines(home: Path) -> int:
    folder = home / "runs"
    files = list(folder.glob("*.jsonl")) if folder.is_dir() else []
    return files[0].read_bytes().count(b"\n") if files else 0


def kill_after(home: Path, state: Path, lines: int, *args: str) -> None:
    """Start the CLI and SIGKILL it once its journal holds `lines` lines (or it ends)."""
    process = start_cli(home, state, *args, speed=SPEED)
    kill_when(process, lambda: journal_lines(home) >= lines, f"{lines} journal lines")


def the_run(home: Path) -> Journal:
    [path] = (home / "runs").glob("*.jsonl")
    return Journal.load_path(path)


def total_lines(tmp_path: Path) -> int:
    """How many lines a whole run writes (measured once, on a run that is not killed)."""
    home, state = tmp_path / "measure-home", tmp_path / "measure.json"
    done = run_cli(home, state, "apply", "--preset", PRESET, "--yes")
    assert done.returncode == 0, done.stderr
    return journal_lines(home)


@pytest.fixture(scope="module")
def lines_per_run(tmp_path_factory: pytest.TempPathFactory) -> int:
    return total_lines(tmp_path_factory.mktemp("measure"))


@pytest.mark.parametrize("moment", range(10))
def test_apply_killed_at_any_moment_resumes_to_every_resource_once(
        tmp_path: Path, lines_per_run: int, moment: int) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    at = 2 + (lines_per_run - 3) * moment // 9  # from just after the start to the very end
    kill_after(home, state, at, "apply", "--preset", PRESET, "--yes")
    listed = run_cli(home, state, "runs", "--output", "json")
    assert '"running"' not in listed.stdout  # its process is gone: interrupted, not running
    run_id = the_run(home).run_id
    resumed = run_cli(home, state, "apply", "--resume", run_id, "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "Traceback" not in resumed.stderr
    final = read_state(state)
    plan = plan_of(PRESET, SUBSCRIPTION_ID)
    assert_all_succeeded(final, plan)
    assert_created_once(final)
    journal = the_run(home)
    assert journal.status == "succeeded"
    assert all(record.created_by_run for record in journal.steps.values())


@pytest.mark.parametrize("moment", range(5))
def test_rollback_killed_at_any_moment_finishes_to_what_existed_before(
        tmp_path: Path, moment: int) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    before = set(read_state(state).resources)
    done = run_cli(home, state, "apply", "--preset", PRESET, "--yes")
    assert done.returncode == 0, done.stderr
    applied = journal_lines(home)
    deletes = len(plan_of(PRESET, SUBSCRIPTION_ID).steps)  # one line per delete (+ errors)
    kill_after(home, state, applied + 1 + deletes * moment // 4, "rollback",
               the_run(home).run_id, "--yes")
    again = run_cli(home, state, "rollback", the_run(home).run_id, "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    assert set(read_state(state).resources) == before
    assert the_run(home).status == "rolled_back"
