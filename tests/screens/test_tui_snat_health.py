"""The existing-cluster path shows the picked cluster's SNAT verdict first, with a plot, and its
recommendation pre-fills the migration: on the demo sandbox, through the program's state file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, Sparkline
from tui_helpers import STATE_FILE, open_migrate, static_text, wait_until

from screens.app import WizardApp, create_app
from screens.execution import ExecutionScreen
from screens.migrate import MigrateScreen
from screens.widgets.snat_health import SnatHealth
from wizard.model import capacity
from wizard.sandbox import Sandbox
from wizard.sandbox.scenarios.traffic import DEMO_TRAFFIC


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WizardApp:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKS_NAT_WIZARD_SANDBOX_SEED", "demo")
    return create_app(sandbox=True, sandbox_state=STATE_FILE, clock=lambda: 0.0)


text = static_text


async def picked(pilot: Any, app: WizardApp, reference: str) -> MigrateScreen:
    screen: MigrateScreen = await open_migrate(pilot, app, reference, health=True)
    await pilot.pause()
    return screen


def peak(cluster: str) -> int:
    return DEMO_TRAFFIC[("demo-rg", cluster)].peak_flows_per_node * 3


async def test_the_verdict_comes_first_with_a_plot(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await picked(pilot, app, "demo-rg/lb-cluster")
        health = screen.query_one(SnatHealth)
        children = list(screen.query_one("#migrate").children)
        assert children.index(health) < children.index(screen.query_one("#cluster-facts"))
        assert "exhausting SNAT ports" in text(health, "#health-verdict")
        assert "Recommendation: move egress to a managed NAT gateway with 2" in \
            text(health, "#health-details")
        used = health.query_one("#health-used", Sparkline)
        failed = health.query_one("#health-failed", Sparkline)
        assert used.display and failed.display
        assert max(used.data or [0]) == 1.0  # the nodes' ports were full at peak
        assert max(failed.data or [0]) > 0


async def test_a_healthy_cluster_says_so_without_a_failure_plot(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await picked(pilot, app, "demo-rg/byo-cluster")
        health = screen.query_one(SnatHealth)
        assert "healthy" in text(health, "#health-verdict")
        assert health.query_one("#health-used", Sparkline).display
        assert not health.query_one("#health-failed", Sparkline).display


async def test_the_recommendation_prefills_and_the_migration_starts_with_it(
        app: WizardApp) -> None:
    expected = capacity.size(concurrent_flows=peak("lb-cluster")).recommended_ips
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await picked(pilot, app, "demo-rg/lb-cluster")
        assert screen.choose_target("managed")
        await pilot.pause()
        assert screen.query_one("#mig-ip-count", Input).value == str(expected)
        assert screen.query_one("#mig-idle", Input).value == "4"
        assert screen.planned is not None
        outbound = screen.planned.target.outbound
        assert getattr(outbound, "ip_count", None) == expected
        assert screen.planned.target.workload.concurrent_flows == peak("lb-cluster")
        await wait_until(pilot, lambda: screen.ready)
        await pilot.click("#migrate-go")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        run = app.screen
        assert isinstance(run, ExecutionScreen)
        await wait_until(pilot, lambda: "now uses" in text(run, "#run-summary"))
    box = Sandbox(speed=0, state_path=Path(STATE_FILE), seed="")
    body = box.get(f"/subscriptions/{box.subscription_id}/resourceGroups/demo-rg/providers/"
                   "Microsoft.ContainerService/managedClusters/lb-cluster")
    assert body is not None
    profile = body["properties"]["networkProfile"]["natGatewayProfile"]
    assert profile["managedOutboundIPProfile"]["count"] == expected
    assert len(profile["effectiveOutboundIPs"]) == expected


async def test_the_go_button_waits_for_the_checks_not_the_metrics(app: WizardApp) -> None:
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await picked(pilot, app, "demo-rg/byo-cluster")
        assert screen.choose_target("user_assigned")
        await wait_until(pilot, lambda: screen.ready)
        assert not screen.query_one("#migrate-go", Button).disabled
        # healthy: nothing to recommend, so the settings are the usual defaults
        assert screen.query_one("#mig-idle", Input).value == ""
