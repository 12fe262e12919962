"""The step forms as a newcomer meets them: real choices with human labels, the outbound
comparison on one screen, switches and zone boxes that read without colour."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, RadioButton
from tui_helpers import screen_segments

from screens.app import WizardApp
from screens.widgets.field_row import ChoiceSet, control_id
from screens.wizard_screen import WizardScreen


async def _wizard(app: WizardApp, pilot: object, step: str = "basics") -> WizardScreen:
    app.start_new()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    screen.show_step(step)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def test_the_outbound_choice_and_its_comparison_fit_80x24_without_scrolling(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _wizard(app, pilot, "outbound")
        form = screen.form()
        choice = screen.query_one(f"#{control_id('outbound.type')}", ChoiceSet)
        assert app.focused is choice
        assert form.max_scroll_y == 0  # nothing below the fold
        visible = form.region
        for widget in (choice, *screen.query(".compare-box")):
            assert visible.contains_region(widget.region), widget
        labels = [str(button.label) for button in choice.query(RadioButton)]
        assert labels == ["Managed NAT gateway: AKS creates and owns it",
                          "User-assigned NAT gateway: yours, in your group"]
        text, _ = screen_segments(app)
        assert "user_assigned" not in text and "`" not in text


async def test_choosing_with_the_keyboard_picks_the_highlighted_type(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _wizard(app, pilot, "outbound")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.draft.outbound_type == "user_assigned"
        assert screen.query_one("#compare-user_assigned").has_class("-chosen")
        text, _ = screen_segments(app)
        assert "▐●▌ User-assigned" in text and "▐ ▌ Managed" in text  # not by colour only


async def test_a_switch_says_on_or_off_and_unchecked_zones_are_empty(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _wizard(app, pilot, "windows")
        text, _ = screen_segments(app)
        assert "▎ Off" in text.split("Add a Windows node pool")[1]
        await pilot.press("space")  # the focused Windows switch
        await pilot.pause()
        assert app.draft.data["windows"]["enabled"] is True
        text, _ = screen_segments(app)
        assert "▎ On" in text.split("Add a Windows node pool")[1]
        screen.show_step("nat")
        await pilot.pause()
        zones = screen.query_one(f"#{control_id('outbound.zones')}")
        zones.scroll_visible(animate=False)
        await pilot.pause()
        text, _ = screen_segments(app)
        assert "▐ ▌ Zone 1" in text and "X" not in text.split("Zone 1")[0][-4:]


async def test_jumping_to_a_finding_on_another_step_shows_its_field(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _wizard(app, pilot, "basics")
        app.draft.set_text("cluster.max_pods", "5")  # the last setting of Basics, now wrong
        screen.refresh_derived()
        screen.show_step("nat")
        await pilot.pause()
        bar = str(screen.query_one("#step-indicator").render())
        assert "✗ 1 Basics" in bar and "✓ 1 Basics" not in bar
        assert screen.jump_to("cluster.max_pods")
        await pilot.pause()
        await pilot.pause()
        row = screen.form().row("cluster.max_pods")
        assert screen.current == "basics"
        assert app.focused is row.control
        assert screen.form().region.contains_region(row.region)


async def test_no_figure_is_computed_from_an_invalid_ip_count(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _wizard(app, pilot, "nat")
        box = screen.query_one(f"#{control_id('outbound.ip_count')}", Input)
        box.value = "17"
        await pilot.pause()
        text, _ = screen_segments(app)
        assert "must be between 1 and 16" in " ".join(text.split())
        assert "1,096,704" not in text and "17 IPs" not in text
        box.value = "2"
        await pilot.pause()
        text, _ = screen_segments(app)
        assert "2 IPs buy 129,024 SNAT ports" in " ".join(text.split())


async def test_renaming_the_cluster_renames_the_subnet_and_identity_shown(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app(preset="user-assigned")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        name = screen.query_one(f"#{control_id('cluster.name')}", Input)
        name.value = "second"
        await pilot.pause()
        screen.show_step("network")
        await pilot.pause()
        assert screen.query_one(f"#{control_id('outbound.subnet_name')}", Input).value == "second"
        assert screen.query_one(f"#{control_id('outbound.identity_name')}",
                                Input).value == "secondId"


async def test_saving_a_preset_with_a_bad_name_keeps_the_dialog_and_the_description(
        make_app: Callable[..., WizardApp]) -> None:
    from screens.modals import SavePresetModal
    from screens.review import ReviewScreen
    from wizard.storage import presets

    app = make_app(preset="managed-basic")
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SavePresetModal)
        name = dialog.query_one("#answer-0", Input)
        description = dialog.query_one("#answer-1", Input)
        description.value = ""
        description.focus()
        await pilot.press(*"Team egress")
        name.focus()
        await pilot.press(*"bad name!", "enter")
        await pilot.pause()
        assert app.screen is dialog  # still open, saying why
        text, _ = screen_segments(app)
        assert "is not a usable preset name" in " ".join(text.split())
        assert description.value == "Team egress"
        assert app.focused is name
        for _ in " name!":
            await pilot.press("backspace")
        await pilot.press(*"_name", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert presets.read("user:bad_name").description == "Team egress"
        text, _ = screen_segments(app)
        assert "Saved preset bad_name" in " ".join(text.split())


async def test_after_loading_a_preset_the_focused_field_is_marked_and_typing_appends(
        make_app: Callable[..., WizardApp]) -> None:
    from textual.widgets import OptionList
    from tui_helpers import wait_until

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        presets = app.screen.query_one("#preset-list", OptionList)
        await wait_until(pilot, lambda: presets.option_count > 0)
        presets.focus()
        await pilot.press("enter")  # nothing chosen yet: the first preset is picked
        await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        box = screen.query_one(f"#{control_id('cluster.resource_group')}", Input)
        assert app.focused is box
        assert box.selection.is_empty
        row = screen.form().row("cluster.resource_group")
        assert row.has_pseudo_class("focus-within")
        assert row.styles.border_left[0] == "thick"
        before = box.value
        await pilot.press("2")
        await pilot.pause()
        assert box.value == before + "2"  # the first key adds, it does not wipe
