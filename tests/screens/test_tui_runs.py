"""The execution screen after the happy path: a failed run resumed or rolled back, an apply
cancelled and resumed, a rollback stopped half-way and finished, all on the sandbox."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Static
from tui_helpers import STATE_FILE, state_resources, wait_until

from screens.app import WizardApp
from screens.execution import ExecutionScreen
from screens.modals import ConfirmModal
from wizard.run.journal import Journal
from wizard.sandbox.scenarios.faults import FAULTS_ENV
from wizard.sandbox.timing import SPEED_ENV
from wizard.storage.presets import load


def summary(screen: ExecutionScreen) -> str:
    return str(screen.query_one("#run-summary", Static).render())


async def apply(pilot: object, app: WizardApp, preset: str) -> ExecutionScreen:
    app.open_apply(load(preset))
    await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen))  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, ExecutionScreen)
    return screen


async def yes(pilot: object, app: WizardApp) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))  # type: ignore[arg-type]
    modal = app.screen
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.click("#yes")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.screen is not modal)  # type: ignore[arg-type]


async def test_a_failed_run_resumes_to_success(app: WizardApp,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULTS_ENV, "managedClusters:PUT:failed_lro:1")
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "managed-basic")
        await wait_until(pilot, lambda: run.status == "failed")
        assert "The run failed" in summary(run)
        assert run.query_one("#resume-button").display
        monkeypatch.delenv(FAULTS_ENV)  # the cause is gone
        await pilot.press("r")
        await wait_until(pilot, lambda: run.status == "succeeded")
        assert run.run_id is not None and Journal.load(run.run_id).status == "succeeded"


async def test_a_failed_run_rolls_back_to_nothing(app: WizardApp,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULTS_ENV, "managedClusters:PUT:failed_lro:1")
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "failed")
        assert state_resources()
        await pilot.press("u")
        await yes(pilot, app)
        await wait_until(pilot, lambda: run.status == "rolled_back")
        assert "everything this run created is deleted" in summary(run)
        assert state_resources() == set()


async def test_a_cancelled_apply_is_resumed(app: WizardApp,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEED_ENV, "1")  # slow enough to cancel mid-run, even on a busy machine
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "running")
        await pilot.press("ctrl+x")
        await yes(pilot, app)
        await wait_until(pilot, lambda: run.status == "cancelled")
        assert "can be resumed" in summary(run)
        monkeypatch.setenv(SPEED_ENV, "0")
        await pilot.press("r")
        await wait_until(pilot, lambda: run.status == "succeeded")


async def test_a_stopped_rollback_keeps_the_rest_and_a_second_one_finishes(
        app: WizardApp, monkeypatch: pytest.MonkeyPatch) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "succeeded")
        run_id = run.run_id
        assert run_id is not None
        monkeypatch.setenv(SPEED_ENV, "1")  # the cluster delete takes seconds: time to stop
        app.open_run(run_id, "rollback")
        await yes(pilot, app)  # asked once the rollback holds the run and read what exists
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen)
                         and app.screen is not run and app.screen.status == "running")
        undo = app.screen
        assert isinstance(undo, ExecutionScreen)
        await pilot.press("ctrl+x")
        await yes(pilot, app)
        await wait_until(pilot, lambda: undo.status == "cancelled")
        assert "Rollback stopped" in summary(undo)
        left = state_resources()
        assert left  # not everything was deleted
        monkeypatch.setenv(SPEED_ENV, "0")
        await pilot.press("u")
        await yes(pilot, app)
        await wait_until(pilot, lambda: undo.status == "rolled_back")
        assert state_resources() == set()


async def test_quitting_during_a_run_asks_and_leaves_it_resumable(
        app: WizardApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEED_ENV, "1")
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "running")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#no")  # changed my mind: the run goes on
        await pilot.pause()
        assert app.is_running and run.running
        await pilot.press("ctrl+q")
        await yes(pilot, app)
        for _ in range(400):  # the run winds down, then the app closes
            if app.return_code is not None:
                break
            await asyncio.sleep(0.05)
    assert run.run_id is not None
    journal = Journal.load(run.run_id)
    # Stopped and recorded as such (on a loaded machine the run may just have finished).
    assert journal.run_state() == journal.status in ("cancelled", "succeeded")
    assert app.return_code == (130 if journal.status == "cancelled" else 0)
    assert journal.summary().resumable


async def test_the_start_screen_says_what_an_interrupted_migration_was_for(
        app: WizardApp) -> None:
    from textual.widgets import OptionList

    from wizard.plan import build

    config = load("managed-basic")
    journal = Journal.create(build(config), config, "sandbox (test)",
                             purpose="migrate c1: loadBalancer -> managedNATGateway")
    journal.status = "failed"
    journal.save()
    async with app.run_test(size=(100, 32)) as pilot:
        runs = app.screen.query_one("#run-list", OptionList)
        await wait_until(pilot, lambda: runs.option_count == 1)
        prompt = str(runs.get_option_at_index(0).prompt)
        assert "migrate c1: loadBalancer -> managedNATGateway on sandbox (test)" in prompt


async def test_a_drifted_target_is_refused_before_anything_is_created(app: WizardApp) -> None:
    """Seen: the TUI's apply skipped preflight, created 14 resources, then failed on Drift."""
    from wizard.run.service import prepare_apply
    from wizard.run.target import Target

    existing = prepare_apply(Target(True, STATE_FILE), load("managed-basic")).start()
    assert existing.execute().status == "succeeded"
    before = state_resources()
    async with app.run_test(size=(100, 32)) as pilot:
        run = await apply(pilot, app, "user-assigned-per-zone")
        await wait_until(pilot, lambda: run.status == "blocked")
        text = summary(run)
        assert "Nothing was created" in text
        assert "managed cluster myNatCluster" in text and "exists with other settings" in text
        assert run.run_id is None  # no run was started, so there is nothing to resume
    assert state_resources() == before
