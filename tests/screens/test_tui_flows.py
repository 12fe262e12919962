"""Whole flows on the sandbox, one per built-in preset's path: start screen -> steps -> review
-> confirmation -> a succeeded execution screen, asserting on what each screen shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from tui_helpers import FIXED_RUN_ID, choose_option, wait_until

from screens.app import WizardApp
from screens.execution import ExecutionScreen
from screens.modals import ConfirmModal
from screens.review import ReviewScreen
from screens.widgets.plan_tree import PlanTree
from screens.wizard_screen import WizardScreen
from wizard.run.journal import Journal

# preset -> the steps the wizard walks through (Network only for user-assigned)
PATHS = {
    "managed-basic": ["basics", "outbound", "nat", "windows"],
    "user-assigned": ["basics", "outbound", "nat", "network", "windows"],
    "user-assigned-per-zone": ["basics", "outbound", "nat", "network", "windows"],
    "windows-managed": ["basics", "outbound", "nat", "windows"],
}
RESOURCES = {"managed-basic": 2, "user-assigned": 8, "user-assigned-per-zone": 18,
             "windows-managed": 3}


def text_of(app: WizardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.mark.parametrize("preset", sorted(PATHS))
async def test_preset_flow_to_a_succeeded_run(make_app: Callable[..., WizardApp],
                                              preset: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: any(
            lists.option_count > 0 for lists in app.screen.query("#preset-list").results(
                OptionList)))
        await choose_option(pilot, "preset-list", f"built-in:{preset}")
        await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen))
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        tree = wizard.query_one(PlanTree)
        assert f"Plan: {RESOURCES[preset]} resources" in str(tree.root.label)

        visited = [wizard.current]
        while True:
            await pilot.press("ctrl+n")
            await pilot.pause()
            if not isinstance(app.screen, WizardScreen):
                break
            visited.append(wizard.current)
        assert visited == PATHS[preset]

        review = app.screen
        assert isinstance(review, ReviewScreen)
        headline = text_of(app, "#review-headline")
        assert "myNatCluster" in headline and "myResourceGroup" in headline
        assert f"{RESOURCES[preset]} resources" in headline
        script = review.exports["az"]
        assert "az aks create" in script
        if preset.startswith("user-assigned"):
            assert "az network nat gateway create" in script
        if preset == "windows-managed":
            assert "--disable-windows-outbound-nat" in script

        await pilot.press("a")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        body = str(confirm.query_one("#confirm-body", Static).render())
        assert "myResourceGroup" in body and "Sandbox" in body

        await pilot.click("#yes")
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutionScreen))
        execution = app.screen
        assert isinstance(execution, ExecutionScreen)
        await wait_until(pilot, lambda: execution.status not in ("starting", "running"))
        assert execution.status == "succeeded"
        assert execution.run_id == FIXED_RUN_ID
        states = {row.row.state for row in execution._rows.values()}
        assert states == {"succeeded"}
        assert len(execution._rows) == RESOURCES[preset]
        summary = text_of(app, "#run-summary")
        assert ("az aks get-credentials --resource-group myResourceGroup --name myNatCluster"
                in summary)
        assert "Done." in summary
        assert Journal.load(FIXED_RUN_ID).status == "succeeded"


async def open_review(pilot: Pilot[Any], app: WizardApp) -> ReviewScreen:
    """The review of the managed-basic preset, reached as a user would (ctrl+r)."""
    app.start_from_preset("built-in:managed-basic")
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
    review = app.screen
    assert isinstance(review, ReviewScreen)
    return review


async def test_reviewing_again_from_the_review_screen_stays_on_it(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        first = await open_review(pilot, app)
        app.go_to_review()  # what the palette's "Review the plan" does, from this screen
        await pilot.pause()
        assert app.screen is first
        assert [type(s).__name__ for s in app.screen_stack] == [
            "StartScreen", "WizardScreen", "ReviewScreen"]


async def test_the_review_saves_the_shown_export_and_reports_a_bad_path(
        make_app: Callable[..., WizardApp], tmp_path: Path) -> None:
    from textual.widgets import Input

    from screens.modals import AskModal

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        review = await open_review(pilot, app)
        for target, written in ((tmp_path / "create.sh", True),
                                (tmp_path / "create.sh" / "inside-a-file.sh", False)):
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, AskModal))
            app.screen.query_one("#answer-0", Input).value = str(target)
            await pilot.click("#yes")
            await wait_until(pilot, lambda: app.screen is review)
            await pilot.pause()
            assert target.exists() is written
        script = (tmp_path / "create.sh").read_text()
        assert script == review.exports[review._shown_export()]
        assert (tmp_path / "create.sh").stat().st_mode & 0o100  # executable
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Saved the") for m in messages)
        assert any(m.startswith("Could not write") for m in messages)
