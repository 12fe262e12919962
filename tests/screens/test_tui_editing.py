"""Editing in the step screens: errors beside the field, Next gated, findings jump to their field,
steps that do not apply are skipped, help is one key away, typed text is data not markup."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.widgets import Button, Input, Static, Switch

from screens.app import WizardApp
from screens.modals import HelpModal
from screens.review import ReviewScreen
from screens.widgets.field_row import ChoiceSet, FieldRow, control_id, row_id
from screens.widgets.findings_list import FindingsList
from screens.widgets.plan_tree import PlanTree
from screens.wizard_screen import WizardScreen
from wizard.model import fields


async def _open_wizard(app: WizardApp, pilot: object) -> WizardScreen:
    app.start_new()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]  # the first box takes focus after a refresh
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    return screen


def _row_text(screen: WizardScreen, path: str) -> str:
    row = screen.query_one(f"#{row_id(path)}", FieldRow)
    return str(row.query_one(".field-findings", Static).render())


async def test_bad_input_shows_the_error_beside_the_field_and_disables_next(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        box = screen.query_one(f"#{control_id('cluster.name')}", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"bad name!")
        await pilot.pause()
        assert app.draft.data["cluster"]["name"] == "bad name!"
        assert _row_text(screen, "cluster.name").startswith("✗")
        assert screen.query_one("#next-button", Button).disabled
        assert screen.check_action("next", ()) is None
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == "basics"  # Next refused
        box.value = "good-name"
        await pilot.pause()
        assert _row_text(screen, "cluster.name") == ""
        assert not screen.query_one("#next-button", Button).disabled
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == "outbound"


async def test_a_number_box_with_letters_is_a_finding_not_a_crash(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.show_step("nat")
        await pilot.pause()
        box = screen.query_one(f"#{control_id('outbound.ip_count')}", Input)
        box.value = "lots"
        await pilot.pause()
        assert "valid integer" in _row_text(screen, "outbound.ip_count")
        assert "last valid settings" in str(screen.query_one(PlanTree).root.label)
        box.value = "17"
        await pilot.pause()
        assert "17" in _row_text(screen, "outbound.ip_count")
        box.value = "3"
        await pilot.pause()
        assert _row_text(screen, "outbound.ip_count") == ""
        assert "193,536 SNAT ports" in str(screen.query_one(PlanTree).root.label)
        hint = str(screen.query_one("#ip-hint", Static).render())
        assert "3 IPs buy 193,536 SNAT ports" in hint


async def test_choosing_a_finding_jumps_to_its_field_on_another_step(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.query_one(f"#{control_id('cluster.system_pool_name')}", Input).value = "Bad_Pool"
        await pilot.pause()
        screen.show_step("windows")
        await pilot.pause()
        findings = screen.query_one(FindingsList)
        assert findings.option_count == 1
        await pilot.click(findings, offset=(4, 1))
        await pilot.pause()
        await pilot.pause()
        assert screen.current == "basics"
        assert app.focused is not None
        assert app.focused.id == control_id("cluster.system_pool_name")


async def test_network_step_is_skipped_for_managed_and_shown_for_user_assigned(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.show_step("nat")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == "windows"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.current == "nat"
        screen.show_step("outbound")
        await pilot.pause()
        choice = screen.query_one(f"#{control_id('outbound.type')}", ChoiceSet)
        choice.focus()
        await pilot.press("down", "enter")  # the second choice, as a user picks it
        await pilot.pause()
        assert app.draft.outbound_type == "user_assigned"
        assert screen.query_one("#compare-user_assigned").has_class("-chosen")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == "nat"
        assert screen.query_one(f"#{row_id('outbound.layout')}").display
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == "network"
        vnet = screen.query_one(f"#{control_id('outbound.vnet_name')}", Input)
        assert vnet.value == "myVnet"  # the declared default, shown once the field exists


async def test_windows_fields_appear_when_the_pool_is_added(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.show_step("windows")
        await pilot.pause()
        assert not screen.query_one(f"#{row_id('windows.name')}").display
        screen.query_one(f"#{control_id('windows.enabled')}", Switch).value = True
        await pilot.pause()
        assert screen.query_one(f"#{row_id('windows.name')}").display
        assert app.draft.data["windows"]["enabled"] is True
        assert "3 resources" in str(screen.query_one(PlanTree).root.label)


async def test_f1_shows_the_focused_fields_declared_help(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.query_one(f"#{control_id('cluster.location')}", Input).focus()
        await pilot.pause()
        # Shown formatted: the `az account list-locations` span styled, without its backticks.
        formatted = fields.spec("cluster.location").help.replace("`", "")
        line = screen.query_one("#help-line", Static).render()
        assert str(line) == formatted
        assert isinstance(line, Content)
        assert [line.plain[span.start:span.end] for span in line.spans] == [
            "az account list-locations"]
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        assert str(app.screen.query_one("#help-text", Static).render()) == formatted
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_markup_typed_by_the_user_is_shown_as_typed(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.query_one(f"#{control_id('cluster.name')}", Input).value = "[bold]x[/bold]"
        await pilot.pause()
        assert "[bold]x[/bold]" in _row_text(screen, "cluster.name")


async def test_review_is_refused_while_errors_remain(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_wizard(app, pilot)
        screen.query_one(f"#{control_id('cluster.resource_group')}", Input).value = "rg."
        await pilot.pause()
        assert screen.check_action("review", ()) is None
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_narrow_terminal_hides_the_panel_until_f2(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_wizard(app, pilot)
        side = screen.query_one("#side")
        assert not side.display or side.region.width == 0
        assert "F2 shows plan" in str(screen.query_one("#narrow-summary", Static).render())
        await pilot.press("f2")
        await pilot.pause()
        assert side.region.width > 0
        assert screen.query_one("#editor").region.width == 0
