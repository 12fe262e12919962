"""Journeys a newcomer takes around a run, on the sandbox, asserting what they see: the review
refusing a drifted target, a failure readable on screen, a live header, the egress addresses
after success, rolling back from success, and an interrupted run picked up from the start
screen (resume, roll back or details, each asked)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import Button, OptionList, Static
from tui_helpers import STATE_FILE, state_resources, wait_until

from screens.app import WizardApp
from screens.execution import ExecutionScreen
from screens.modals import ConfirmModal
from screens.review import ReviewScreen
from screens.run_choice import RunChoiceModal
from wizard.run.journal import Journal
from wizard.run.service import prepare_apply
from wizard.run.target import Target
from wizard.sandbox.scenarios.faults import FAULTS_ENV
from wizard.storage.presets import load


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def start_apply(pilot: object, app: WizardApp, preset: str) -> ExecutionScreen:
    app.open_apply(load(preset))
    await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen))  # type: ignore[arg-type]
    assert isinstance(app.screen, ExecutionScreen)
    return app.screen


async def confirm(pilot: object, app: WizardApp) -> str:
    """Answer yes to the confirmation on screen; what it asked."""
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))  # type: ignore[arg-type]
    modal = app.screen
    assert isinstance(modal, ConfirmModal)
    await pilot.pause()  # type: ignore[attr-defined]
    asked = text_of(modal, "#confirm-body")
    await pilot.click("#yes")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.screen is not modal)  # type: ignore[arg-type]
    return asked


def table_text(screen: object, selector: str) -> str:
    from rich.console import Console

    console = Console(width=160, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(screen.query_one(selector, Static).content)  # type: ignore[attr-defined]
    return console.export_text()


async def test_the_review_shows_what_exists_and_blocks_a_drifted_target(app: WizardApp) -> None:
    existing = prepare_apply(Target(True, STATE_FILE), load("managed-basic")).start()
    assert existing.execute().status == "succeeded"
    before = state_resources()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_from_preset("user-assigned-per-zone")
        await pilot.pause()
        app.go_to_review()
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await wait_until(pilot, lambda: review.prepared is not None)
        line = text_of(review, "#review-preflight")
        assert "Apply is blocked" in line and "differ" in line
        table = table_text(review, "#plan-table")
        assert "exists with other settings" in table and "exists as planned" in table
        assert review.query_one("#apply-button", Button).disabled
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is review  # no confirmation: nothing can be applied
    assert state_resources() == before


async def test_a_failed_step_shows_its_whole_reason_and_what_to_do(
        app: WizardApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULTS_ENV, "managedClusters:PUT:failed_lro:1")
    async with app.run_test(size=(80, 24)) as pilot:
        run = await start_apply(pilot, app, "managed-basic")
        await wait_until(pilot, lambda: run.status == "failed")
        summary = text_of(run, "#run-summary")
        [failure] = run._failures
        assert "managed_cluster" in summary and failure.code in summary
        assert failure.message in " ".join(summary.split()) or failure.message in summary
        assert "What to do:" in summary and failure.hint.split()[0] in summary
        assert "Resume (r)" in summary


async def test_success_says_where_egress_leaves_from_and_how_to_connect(app: WizardApp) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        run = await start_apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "succeeded" and run._egress is not None)
        summary = text_of(run, "#run-summary")
        assert re.search(r"myNatGateway-ip1 \d+\.\d+\.\d+\.\d+", summary), summary
        assert "az aks get-credentials --resource-group myResourceGroup" in summary
        assert "Roll back (u)" in summary
        assert run.check_action("rollback", ()) is True


async def test_a_run_can_be_rolled_back_after_it_succeeded(app: WizardApp) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        run = await start_apply(pilot, app, "managed-basic")
        await wait_until(pilot, lambda: run.status == "succeeded")
        assert state_resources()
        await pilot.press("u")
        asked = await confirm(pilot, app)
        assert "managed cluster myNatCluster" in asked and "resource group" in asked
        await wait_until(pilot, lambda: run.status == "rolled_back")
    assert state_resources() == set()


async def test_the_header_follows_the_run(app: WizardApp,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.sandbox.timing import SPEED_ENV

    monkeypatch.setenv(SPEED_ENV, "0.5")
    async with app.run_test(size=(100, 32)) as pilot:
        run = await start_apply(pilot, app, "user-assigned")
        await wait_until(pilot, lambda: run.status == "running" and any(
            row.row.state == "running" for row in run._rows.values()))
        title = text_of(run, "#run-title")
        assert "running" in title and re.search(r"step \d+ of 8", title), title
        assert "Now:" in title
        run._run.cancel()  # type: ignore[union-attr]
        await wait_until(pilot, lambda: run.status == "cancelled")


async def test_an_interrupted_run_is_resumed_from_the_start_screen_after_asking(
        app: WizardApp) -> None:
    from wizard.plan import build

    config = load("managed-basic")
    connection = Target(True, STATE_FILE).connect()
    journal = Journal.create(build(config, connection.backend.subscription_id), config,
                             connection.description)  # the process died before any step
    async with app.run_test(size=(100, 32)) as pilot:
        runs = app.screen.query_one("#run-list", OptionList)
        await wait_until(pilot, lambda: runs.option_count == 1)
        assert "interrupted" in str(runs.get_option_at_index(0).prompt)
        runs.focus()
        runs.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RunChoiceModal))
        choice = app.screen
        body = str(choice.query_one("#run-choice-body", Static).render())
        assert journal.run_id in body and "0 of 2 steps done" in body
        await pilot.click("#run-choice-details-button")
        await pilot.pause()
        assert str(journal.path) in str(choice.query_one("#run-choice-details", Static).render())
        await pilot.click("#run-choice-resume")
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen)
                         and app.screen.status == "succeeded")
    assert Journal.load(journal.run_id).status == "succeeded"


async def test_an_unreadable_journal_never_hides_the_other_runs_on_the_start_screen(
        app: WizardApp, wizard_home: Path) -> None:
    from wizard.plan import build

    config = load("managed-basic")
    good = Journal.create(build(config), config, "sandbox (test)")
    good.set_status("failed")
    broken = good.path.with_name("20260101-000000-dead.jsonl")
    broken.write_text('{"schema_version": 2, "run_id": "20260101-000000-dead", "plan": 5}\n')
    async with app.run_test(size=(100, 32)) as pilot:
        runs = app.screen.query_one("#run-list", OptionList)
        await wait_until(pilot, lambda: runs.option_count >= 1)
        listed = [str(runs.get_option_at_index(i).prompt) for i in range(runs.option_count)]
        assert any(good.run_id in prompt for prompt in listed)
        assert app.is_running
