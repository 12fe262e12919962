"""A run stopped mid-way resumes to completion with nothing created twice: one process killed
outright (SIGKILL: no clean-up at all), one interrupted (SIGINT, Ctrl-C: exit 130, run id and
commands printed). The sandbox runs at a moderate speed so there is a middle to stop in."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.e2e.apply_support import (
    assert_all_succeeded,
    assert_created_once,
    journal_states,
    kill_when,
    only_journal,
    plan_of,
    read_state,
    run_cli,
    said,
    start_cli,
    wait_for,
)
from wizard.sandbox import SUBSCRIPTION_ID

PRESET = "user-assigned-per-zone"
SPEED = 0.3  # the whole run takes about 5 s: long enough to stop it half-way


def assert_completed_once(home: Path, state: Path) -> None:
    """The one run succeeded, created every resource itself, exactly once each."""
    journal = only_journal(home)
    assert journal.status == "succeeded"
    assert all(record.created_by_run for record in journal.steps.values())
    final = read_state(state)
    plan = plan_of(PRESET, SUBSCRIPTION_ID)
    assert_all_succeeded(final, plan)
    assert_created_once(final)
    # Nothing was sent again over what an earlier attempt had already made.
    assert not final.updates(), final.updates()
    # Nothing but the plan's resources, and what AKS makes with a cluster (its system pool,
    # its node resource group): no stray copies under other names.
    planned = {step.resource_id.lower() for step in plan.steps}
    cluster = next(s.resource_id for s in plan.steps if s.kind == "managed_cluster").lower()
    stray = {rid for rid in final.resources if rid not in planned
             and not rid.startswith(cluster + "/") and "/resourcegroups/mc_" not in rid}
    assert stray == set()


def test_a_killed_run_resumes_to_completion_without_creating_anything_twice(
        tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    process = start_cli(home, state, "apply", "--preset", PRESET, "--yes", speed=SPEED)
    kill_when(process, lambda: list(journal_states(home).values()).count("succeeded") >= 4,
              "four steps to succeed")
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    states = journal_states(home)
    assert 4 <= list(states.values()).count("succeeded") < len(states)
    assert only_journal(home).status == "running"  # nobody had time to write anything else

    resumed = run_cli(home, state, "apply", "--resume", only_journal(home).run_id, "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "verified" in resumed.stdout  # what the killed attempt finished is checked again
    assert_completed_once(home, state)


def test_an_interrupted_run_exits_130_with_the_commands_and_resumes(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    process = start_cli(home, state, "apply", "--preset", PRESET, "--yes", speed=SPEED)
    try:
        # Interrupt while the cluster is being created: a step waiting on Azure must let go.
        wait_for(lambda: journal_states(home).get("managed_cluster") == "running"
                 or process.poll() is not None, "the cluster step to start")
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, stdout + stderr
    journal = only_journal(home)
    assert journal.status == "cancelled"
    assert journal.steps["managed_cluster"].state != "succeeded"
    text = said(stdout)
    assert f"run id: {journal.run_id}" in text
    assert f"aks-nat-wizard apply --resume {journal.run_id} --sandbox --sandbox-state {state}" \
        in text
    assert f"aks-nat-wizard rollback {journal.run_id}" in text
    assert "Traceback" not in stderr

    resumed = run_cli(home, state, "apply", "--resume", journal.run_id, "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert_completed_once(home, state)
