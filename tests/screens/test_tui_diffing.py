"""An edit updates only what it changes: the plan tree by step key (kept nodes stay the same
objects, a renamed step reuses its node, a removed step's node goes), the findings beside the
field they are about, the rows an outbound type shows; and what is shown always equals what a
fresh screen would show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static, Switch
from textual.widgets.tree import TreeNode

from screens.app import WizardApp
from screens.widgets import shown
from screens.widgets.field_row import ChoiceSet, FieldRow, control_id, row_id
from screens.widgets.findings_list import FindingsList
from screens.widgets.plan_tree import PlanTree, node_views
from screens.wizard_screen import WizardScreen


async def _open(app: WizardApp, pilot: Pilot[object], preset: str | None = None,
                data: dict[str, Any] | None = None) -> WizardScreen:
    await pilot.pause()
    if preset:
        app.start_from_preset(preset)
    else:
        app.start_new(data)
    await pilot.pause()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    return screen


async def _type(pilot: Pilot[object], screen: WizardScreen, path: str, keys: str) -> None:
    """Focus the box of `path` (its step shown) and type `keys` at the end, as a user does."""
    from wizard.model.steps import step_of

    step = step_of(path)
    assert step is not None
    if screen.current != step.id:
        screen.show_step(step.id)
        await pilot.pause()
        await pilot.pause()
    box = screen.query_one(f"#{control_id(path)}", Input)
    box.focus()
    box.cursor_position = len(box.value)
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()


def _steps(tree: PlanTree) -> list[TreeNode[str]]:
    return list(tree.root.children)


def _label(node: TreeNode[str]) -> str:
    tree = node.tree
    assert isinstance(tree, PlanTree)
    return tree.shown_label(node).plain


def _screen_lines(tree: PlanTree) -> list[str]:
    """The tree's lines as painted now (what the terminal shows of it)."""
    return [strip.text.rstrip() for strip in tree.render_lines(tree.size.region)]


def assert_tree_matches_plan(app: WizardApp, tree: PlanTree) -> None:
    """The tree shows exactly the plan's steps, in order, with the labels a fresh tree shows."""
    derived = app.draft.derived
    assert derived.plan is not None
    expected = node_views(derived.plan, derived.changed, derived.added)
    assert [node.data for node in _steps(tree)] == [view.key for view in expected]
    assert [_label(node) for node in _steps(tree)] == [view.label().plain for view in expected]
    for node, view in zip(_steps(tree), expected, strict=True):
        if node.children:
            assert [_label(leaf) for leaf in node.children] == [
                leaf.plain for leaf in view.leaves()]


async def test_typing_a_name_relabels_the_changed_steps_and_keeps_the_other_nodes(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot, "user-assigned")
        tree = screen.query_one(PlanTree)
        before = {node.data: node for node in _steps(tree)}
        ids = [node.id for node in _steps(tree)]
        assert _label(before["nat_gateway:myNatGateway"]) == "4. myNatGateway  nat gateway"

        await _type(pilot, screen, "outbound.nat_gateway_name", "X")

        nodes = _steps(tree)
        assert [node.id for node in nodes] == ids  # no node made or dropped: relabelled
        assert nodes[3].data == "nat_gateway:myNatGatewayX"
        # The same gateway under a new name: changed, not new (and not listed as removed).
        assert _label(nodes[3]) == "4. myNatGatewayX * changed  nat gateway"
        assert nodes[2].data == "public_ip:myNatGatewayX-ip1"
        # The subnet points at the renamed gateway: changed, the same node object.
        assert nodes[4] is before["subnet:myVnet/myNatCluster"]
        assert _label(nodes[4]) == "5. myNatCluster * changed  subnet"
        for key in ("resource_group", "virtual_network:myVnet", "identity:myNatClusterId"):
            node = before[key]
            assert node in nodes and "changed" not in _label(node) and "new" not in _label(node)
        assert_tree_matches_plan(app, tree)
        assert "removed" not in str(screen.query_one("#plan-detail", Static).render())
        assert any(line.endswith("4. myNatGatewayX * changed  nat gateway")
                   or "4. myNatGatewayX * changed" in line for line in _screen_lines(tree))


async def test_labels_out_of_view_are_right_when_scrolled_to(
        make_app: Callable[..., WizardApp]) -> None:
    """A 63-step plan: typing the gateway's name renames 51 steps, most of them below the
    panel's fold. Their labels are made when their lines are painted; scrolled to, each shows
    the new name, and none ever shows the old one."""
    from wizard.model import fields
    from wizard.storage import presets

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        data = presets.to_data(presets.load("user-assigned-per-zone"))
        screen = await _open(app, pilot, data=fields.set_text(data, "outbound.ip_count", "16"))
        tree = screen.query_one(PlanTree)
        assert len(_steps(tree)) == 63 and tree.size.height < 63

        await _type(pilot, screen, "outbound.nat_gateway_name", "Q")

        assert_tree_matches_plan(app, tree)
        last_ip = next(node for node in _steps(tree) if "-z3-ip16" in str(node.data))
        tree.scroll_to_node(last_ip, animate=False)
        await pilot.pause()
        painted = "\n".join(_screen_lines(tree))
        assert "myNatGatewayQ-z3-ip16" in painted
        assert "myNatGateway-z3" not in painted


async def test_a_keystroke_is_painted_in_one_frame(
        make_app: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed character, the plan tree and the panel it changes reach the terminal in one
    frame: the edit is handled before the screen paints the box (two frames per key cost
    twice the painting, and showed the box a frame ahead of the plan)."""
    from textual.screen import Screen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot, "user-assigned")
        await _type(pilot, screen, "outbound.nat_gateway_name", "")
        tree = screen.query_one(PlanTree)
        frames: list[int] = []
        paint = Screen._compositor_refresh

        def counted(self: Screen[object]) -> None:
            frames.append(1)
            paint(self)

        monkeypatch.setattr(Screen, "_compositor_refresh", counted)
        for key in "abc":
            frames.clear()
            await pilot.press(key)
            await pilot.pause(0.05)
            assert len(frames) == 1, f"{len(frames)} frames for one key"
        assert "myNatGatewayabc" in "\n".join(_screen_lines(tree))


async def test_edits_typed_faster_than_they_are_shown_cost_one_rebuild(
        make_app: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits of one box waiting in the screen's queue are superseded by the newest (each
    carries the whole text): the draft is rebuilt once and ends with the last text."""
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot, "user-assigned")
        rebuilt: list[str] = []
        set_text = app.draft.set_text

        def counted(path: str, raw: str) -> bool:
            rebuilt.append(raw)
            return set_text(path, raw)

        monkeypatch.setattr(app.draft, "set_text", counted)
        path = "outbound.nat_gateway_name"
        for text in ("gw-a", "gw-ab", "gw-abc"):
            screen.post_message(FieldRow.Edited(path, raw=text))
        screen.post_message(FieldRow.Edited("outbound.vnet_name", raw="otherVnet"))
        await pilot.pause()
        await pilot.pause()
        assert rebuilt == ["gw-abc", "otherVnet"]
        assert app.draft.value(path) == "gw-abc"
        assert app.draft.value("outbound.vnet_name") == "otherVnet"


async def test_a_step_added_then_removed_comes_and_goes_with_its_node_only(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot, "user-assigned")
        tree = screen.query_one(PlanTree)
        before = {node.data: node for node in _steps(tree)}

        box = await _select_all(pilot, screen, "outbound.ip_count")
        await pilot.press("2")
        await pilot.pause()
        assert box.value == "2"
        nodes = _steps(tree)
        assert len(nodes) == len(before) + 1
        added = nodes[3]
        assert added.data == "public_ip:myNatGateway-ip2"
        assert _label(added) == "4. myNatGateway-ip2 + new  public ip"
        assert nodes[2] is before["public_ip:myNatGateway-ip1"]
        # Every step after it is renumbered on its own node.
        assert nodes[4] is before["nat_gateway:myNatGateway"]
        assert _label(nodes[4]).startswith("5. myNatGateway * changed")
        assert nodes[-1] is before["managed_cluster"] and _label(nodes[-1]).startswith("9. ")
        assert_tree_matches_plan(app, tree)

        box.value = "1"
        await pilot.pause()
        nodes = _steps(tree)
        assert [node.data for node in nodes] == list(before)
        assert added not in nodes
        assert all(node is before[node.data] for node in nodes)
        assert "removed: public_ip:myNatGateway-ip2" in str(
            screen.query_one("#plan-detail", Static).render())
        assert_tree_matches_plan(app, tree)


async def _select_all(pilot: Pilot[object], screen: WizardScreen, path: str) -> Input:
    from wizard.model.steps import step_of

    step = step_of(path)
    assert step is not None
    screen.show_step(step.id)
    await pilot.pause()
    await pilot.pause()
    box = screen.query_one(f"#{control_id(path)}", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    return box


async def test_an_expanded_node_shows_its_new_leaves_and_a_collapsed_one_gets_them_on_expand(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot, "user-assigned")
        tree = screen.query_one(PlanTree)
        nodes = {node.data: node for node in _steps(tree)}
        vnet, cluster = nodes["virtual_network:myVnet"], nodes["managed_cluster"]
        assert not vnet.children  # made on first expand
        vnet.expand()
        await pilot.pause()
        assert _label(vnet.children[0]) == "VNet myVnet (10.0.0.0/16)"

        box = await _select_all(pilot, screen, "outbound.vnet_address_space")
        box.value = "10.0.0.0/12"
        await pilot.pause()
        assert vnet.is_expanded
        assert _label(vnet.children[0]) == "VNet myVnet (10.0.0.0/12)"

        box = await _select_all(pilot, screen, "cluster.node_count")
        box.value = "5"
        await pilot.pause()
        assert not cluster.children
        cluster.expand()
        await pilot.pause()
        assert _label(cluster.children[0]).startswith("AKS cluster myNatCluster: 5 x ")
        assert_tree_matches_plan(app, tree)


def _prompts(findings: FindingsList) -> list[str]:
    return [str(findings.get_option_at_index(i).prompt) for i in range(findings.option_count)]


async def test_a_finding_appears_beside_its_field_only_and_in_the_list(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot)
        findings = screen.query_one(FindingsList)
        initial = _prompts(findings)  # the defaults' notes (idle timeout, SKU)
        assert initial and not any("cluster." in text for text in initial)
        rows = {row.spec.path: row for row in screen.query(FieldRow)}
        pool, name = rows["cluster.system_pool_name"], rows["cluster.name"]

        await _type(pilot, screen, "cluster.system_pool_name", "_X")

        box = pool.query_one(".field-findings", Static)
        assert box.display and str(box.render()).startswith("✗")
        assert pool.has_class("-invalid")
        other = name.query_one(".field-findings", Static)
        assert not other.display and str(other.render()) == ""
        assert not name.has_class("-invalid")
        # An invalid draft has its validation errors only (the rules' notes need a config).
        prompts = _prompts(findings)
        assert len(prompts) == 1 and prompts[0].startswith("✗ cluster.system_pool_name: ")
        assert findings.highlighted == 0

        screen.query_one(f"#{control_id('cluster.system_pool_name')}", Input).value = "nodepool1"
        await pilot.pause()
        assert not box.display and not pool.has_class("-invalid")
        assert _prompts(findings) == initial
        assert [str(o.id) for o in findings.options] == [str(i) for i in range(len(initial))]


async def test_the_findings_list_always_shows_the_drafts_findings_in_order(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        findings = screen.query_one(FindingsList)
        for path, value in (("cluster.system_pool_name", "Bad_Pool"),
                            ("cluster.resource_group", "rg."), ("cluster.resource_group", "rg"),
                            ("cluster.resource_group", "rg."),
                            ("cluster.system_pool_name", "pool1")):
            screen.query_one(f"#{control_id(path)}", Input).value = value
            await pilot.pause()
            expected = app.draft.derived.evaluation.findings
            prompts = _prompts(findings)
            assert len(prompts) == len(expected)
            for text, finding in zip(prompts, expected, strict=True):
                assert f"{finding.field}: " in text
        assert app.draft.derived.errors[0].field == "cluster.resource_group"
        await pilot.click(findings, offset=(4, 1))  # the first finding jumps to its field
        await pilot.pause()
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.id == control_id("cluster.resource_group")


async def test_switching_the_outbound_type_shows_the_rows_it_has_with_the_drafts_values(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot)
        layout = screen.query_one(f"#{row_id('outbound.layout')}", FieldRow)
        vnet = screen.query_one(f"#{row_id('outbound.vnet_name')}", FieldRow)
        assert not layout.display and not vnet.display
        choice = screen.query_one(f"#{control_id('outbound.type')}", ChoiceSet)
        for wanted, shown_rows in (("user_assigned", True), ("managed", False),
                                   ("user_assigned", True)):
            screen.show_step("outbound")
            await pilot.pause()
            choice.choose(wanted)
            await pilot.pause()
            assert app.draft.outbound_type == wanted
            assert layout.display is shown_rows and vnet.display is shown_rows
            assert screen.query_one("#compare-user_assigned").has_class("-chosen") is shown_rows
        box = screen.query_one(f"#{control_id('outbound.vnet_name')}", Input)
        assert box.value == "myVnet"
        screen.show_step("network")
        await pilot.pause()
        assert screen.current == "network"


async def test_a_windows_pool_switched_on_and_off_adds_and_removes_its_node(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot)
        tree = screen.query_one(PlanTree)
        before = list(_steps(tree))
        screen.show_step("windows")
        await pilot.pause()
        switch = screen.query_one(f"#{control_id('windows.enabled')}", Switch)
        switch.value = True
        await pilot.pause()
        nodes = _steps(tree)
        assert nodes[:len(before)] == before and len(nodes) == len(before) + 1
        assert "+ new" in _label(nodes[-1])
        assert screen.query_one(f"#{row_id('windows.name')}").display
        switch.value = False
        await pilot.pause()
        assert _steps(tree) == before
        assert not screen.query_one(f"#{row_id('windows.name')}").display
        assert_tree_matches_plan(app, tree)


async def test_the_same_text_is_not_shown_again(make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open(app, pilot)
        status = screen.query_one("#nav-status", Static)
        assert not shown.update(status, "")  # what it shows already
        assert shown.update(status, Text("Fix 1 error on this step to go on"))
        assert not shown.update(status, Text("Fix 1 error on this step to go on"))
        assert shown.update(status, Text("Fix 1 error on this step to go on", style="bold"))
        assert shown.update(status, "")
        await pilot.pause()
        assert str(status.render()) == ""
