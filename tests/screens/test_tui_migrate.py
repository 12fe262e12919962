"""The start screen's path for an existing cluster: pick it, pick the new outbound type (refused
directions greyed with the reason), read what changes, confirm, and watch it run, on the seeded
sandbox, through the same state file the program uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, OptionList, Static
from tui_helpers import STATE_FILE, open_migrate, static_text, wait_until

from screens.app import WizardApp, create_app
from screens.execution import ExecutionScreen
from screens.migrate import MigrateScreen
from screens.modals import ConfirmModal
from wizard.sandbox import Sandbox

CLUSTERS = "/providers/Microsoft.ContainerService/managedClusters/"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WizardApp:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKS_NAT_WIZARD_SANDBOX_SEED", "demo")
    return create_app(sandbox=True, sandbox_state=STATE_FILE, clock=lambda: 0.0)


def state() -> Sandbox:
    """The sandbox as the program left it in its state file."""
    return Sandbox(speed=0, state_path=Path(STATE_FILE), seed="")


def cluster(name: str) -> dict[str, Any]:
    box = state()
    found = box.get(f"/subscriptions/{box.subscription_id}/resourceGroups/demo-rg{CLUSTERS}"
                    f"{name}")
    assert found is not None
    return found


text = static_text


async def open_cluster(pilot: Any, app: WizardApp, reference: str) -> MigrateScreen:
    screen: MigrateScreen = await open_migrate(pilot, app, reference)
    return screen


async def confirm(pilot: Any, app: WizardApp, screen: MigrateScreen) -> str:
    await wait_until(pilot, lambda: screen.ready)
    assert not screen.query_one("#migrate-go", Button).disabled
    await pilot.click("#migrate-go")
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, ConfirmModal)
    body = str(modal.query_one("#confirm-body", Static).render())
    await pilot.click("#yes")
    await pilot.pause()
    return body


async def test_refused_directions_are_listed_with_the_reason_and_cannot_be_chosen(
        app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_cluster(pilot, app, "demo-rg/lb-cluster")
        targets = screen.query_one("#target-list", OptionList)
        disabled = {o.id: str(o.prompt) for o in targets.options if o.disabled}
        assert set(disabled) == {"user_assigned", "load_balancer"}
        assert "your own VNet" in disabled["user_assigned"]
        assert "already uses" in disabled["load_balancer"]
        assert not screen.choose_target("user_assigned")
        assert screen.planned is None and screen.query_one("#migrate-go", Button).disabled
        assert "loadBalancer" in text(screen, "#cluster-facts")


async def test_load_balancer_to_managed_nat_end_to_end(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_cluster(pilot, app, "demo-rg/lb-cluster")
        assert screen.choose_target("managed")
        await pilot.pause()
        details = text(screen, "#migration-details")
        assert "idle timeout falls from 30 minutes" in details
        screen.query_one("#mig-idle", Input).value = "10"
        await pilot.pause()
        assert "from 30 minutes (load balancer) to 10" in text(screen, "#migration-details")
        screen.query_one("#mig-idle", Input).value = "130"
        await pilot.pause()
        assert "Cannot migrate" in text(screen, "#migration-details")
        assert screen.query_one("#migrate-go", Button).disabled
        screen.query_one("#mig-idle", Input).value = "30"
        await pilot.pause()
        await wait_until(pilot, lambda: screen.checks is not None)
        assert "idle timeout falls" not in text(screen, "#migration-details")
        body = await confirm(pilot, app, screen)
        assert "loadBalancer to managedNATGateway" in body and "lb-cluster" in body
        run = app.screen
        assert isinstance(run, ExecutionScreen)
        await wait_until(pilot, lambda: "now uses" in text(run, "#run-summary"))
        assert run.status == "succeeded"
        assert "managedNATGateway" in text(run, "#run-summary")
        network = cluster("lb-cluster")["properties"]["networkProfile"]
        assert network["outboundType"] == "managedNATGateway"
        assert network["natGatewayProfile"]["idleTimeoutInMinutes"] == 30


async def test_own_vnet_to_user_assigned_pauses_after_the_new_ips(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_cluster(pilot, app, "demo-rg/byo-cluster")
        assert screen.choose_target("user_assigned")
        await pilot.pause()
        screen.query_one("#mig-ip-count", Input).value = "2"
        await pilot.pause()
        await wait_until(pilot, lambda: screen.checks is not None)
        assert "aks-subnet" in text(screen, "#migration-details")  # the subnet it changes
        body = await confirm(pilot, app, screen)
        assert "created first" in body
        run = app.screen
        assert isinstance(run, ExecutionScreen)
        await wait_until(pilot, lambda: run.egress_pending and
                         "New egress IPs" in text(run, "#run-summary"))
        summary = text(run, "#run-summary")
        assert "byo-cluster-natgw-ip1" in summary and "byo-cluster-natgw-ip2" in summary
        # Egress has not moved: only the IPs exist so far.
        assert cluster("byo-cluster")["properties"]["networkProfile"]["outboundType"] == \
            "loadBalancer"
        assert run.query_one("#move-button", Button).display
        await pilot.press("m")
        await wait_until(pilot, lambda: "now uses" in text(run, "#run-summary"))
        assert not run.egress_pending
        network = cluster("byo-cluster")["properties"]["networkProfile"]
        assert network["outboundType"] == "userAssignedNATGateway"
        assert "byo-cluster-natgw-ip1" in text(run, "#run-summary")


async def test_a_subscription_without_clusters_says_how_to_get_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AKS_NAT_WIZARD_SANDBOX_SEED", raising=False)
    app = create_app(sandbox=True, sandbox_state=STATE_FILE, clock=lambda: 0.0)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MigrateScreen)
        await wait_until(pilot, lambda: "no AKS clusters" in text(screen, "#cluster-status"))
        assert "AKS_NAT_WIZARD_SANDBOX_SEED=demo" in text(screen, "#cluster-status")
        await pilot.press("escape")
        assert not isinstance(app.screen, MigrateScreen)


async def test_the_palette_opens_the_existing_cluster_path(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"existing cluster")
        await wait_until(pilot, lambda: "Existing cluster" in str(
            app.screen.query_one("CommandList", OptionList).get_option_at_index(0).prompt)
            if app.screen.query("CommandList") and
            app.screen.query_one("CommandList", OptionList).option_count else False)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MigrateScreen))


async def test_reusing_an_existing_public_ip_moves_egress_in_one_go(app: WizardApp) -> None:
    from textual.widgets import SelectionList

    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_cluster(pilot, app, "demo-rg/byo-cluster")
        assert screen.choose_target("user_assigned")
        await pilot.pause()
        reuse = screen.query_one("#mig-reuse", SelectionList)
        assert reuse.display
        offered = {str(reuse.get_option_at_index(i).value).rsplit("/", 1)[-1]
                   for i in range(reuse.option_count)}
        assert offered == {"reserved-egress-ip"}  # shared-natgw-ip1 is held by a gateway
        reuse.select_all()
        await pilot.pause()
        await wait_until(pilot, lambda: screen.checks is not None)
        assert screen.planned is not None and not screen.planned.new_ip_steps
        assert screen.query_one("#mig-ip-count", Input).disabled
        assert "existing public IPs you listed" in text(screen, "#migration-details")
        body = await confirm(pilot, app, screen)
        assert "created first" not in body
        run = app.screen
        assert isinstance(run, ExecutionScreen)
        await wait_until(pilot, lambda: "now uses" in text(run, "#run-summary"))
        assert "reserved-egress-ip" in text(run, "#run-summary")
        network = cluster("byo-cluster")["properties"]["networkProfile"]
        assert network["outboundType"] == "userAssignedNATGateway"


async def test_leaving_while_the_clusters_are_read_is_quiet(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        for _ in range(3):
            await pilot.press("m")
            await pilot.press("escape")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, MigrateScreen)
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MigrateScreen)
        await wait_until(pilot, lambda: bool(screen.clusters))


async def test_the_migration_saves_as_an_az_script(app: WizardApp, tmp_path: Path) -> None:
    from screens.modals import AskModal

    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_cluster(pilot, app, "demo-rg/lb-cluster")
        assert screen.check_action("save_script", ()) is None  # nothing planned yet
        assert screen.choose_target("managed")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal))
        target = tmp_path / "lb-to-managed.sh"
        app.screen.query_one("#answer-0", Input).value = str(target)
        await pilot.click("#yes")
        await wait_until(pilot, target.exists)
        script = target.read_text()
        assert "az aks update" in script and "--outbound-type managedNATGateway" in script


async def test_opening_the_path_again_from_the_palette_replaces_the_screen(
        app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("m")
        first = app.screen
        assert isinstance(first, MigrateScreen)
        app.open_migrate()  # what the palette's command does, from this very screen
        await pilot.pause()
        second = app.screen
        assert isinstance(second, MigrateScreen) and second is not first
        assert len(app.screen_stack) == 2
        await wait_until(pilot, lambda: bool(second.clusters))
