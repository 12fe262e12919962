"""Checks against what the target offers and holds: the wizard learns the regions, then the chosen
region's versions and VM sizes, then the group's VNets in workers; a zone in a region without zones,
an unoffered version or size, a subnet overlapping an existing one, is an error as the user types,
and the boxes complete from what exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input
from tui_helpers import wait_until

from screens.app import WizardApp
from screens.draft import Draft
from screens.widgets.field_row import control_id
from screens.wizard_screen import WizardScreen
from wizard.azure.discovery import Location
from wizard.azure.offers import Offers

REGIONS = (Location("eastus2", "East US 2", ("1", "2", "3")),
           Location("westcentralus", "West Central US", ()))


def _codes(draft: Draft) -> set[str]:
    return {f.code for f in draft.derived.evaluation.findings}


def test_without_regions_nothing_is_checked_against_them() -> None:
    draft = Draft({"cluster": {"location": "westcentralus"}, "outbound": {"zones": ["1"]}})
    assert not {"discovery.no_zones", "discovery.unknown_location"} & _codes(draft)


def test_zones_in_a_region_without_zones_are_an_error_on_the_zones_field() -> None:
    draft = Draft({"cluster": {"location": "westcentralus"}, "outbound": {"zones": ["1", "2"]}})
    draft.set_offers(Offers(REGIONS))
    errors = [f for f in draft.derived.errors if f.code == "discovery.no_zones"]
    assert [f.field for f in errors] == ["outbound.zones"]
    draft.set_value("outbound.zones", [])
    assert "discovery.no_zones" not in _codes(draft)
    draft.set_text("cluster.location", "eastus2")
    draft.set_value("outbound.zones", ["1", "2"])
    assert not draft.derived.errors


def test_an_unknown_region_is_named_with_close_matches() -> None:
    draft = Draft({"cluster": {"location": "eastus3"}})
    draft.set_offers(Offers(REGIONS))
    (error,) = [f for f in draft.derived.errors if f.field == "cluster.location"]
    assert "eastus2" in error.message


async def test_the_app_fetches_the_sandbox_regions_and_checks_zones_live(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_new({"outbound": {"type": "managed", "zones": ["1", "2", "3"]}})
        await pilot.pause()
        await wait_until(pilot, lambda: bool(app.regions))
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        assert not app.draft.derived.errors
        names = {region.name for region in app.regions or []}
        zoneless = next(r.name for r in app.regions or [] if not r.zones)
        assert "southcentralus" in names
        box = screen.query_one(f"#{control_id('cluster.location')}", Input)
        box.value = zoneless
        await pilot.pause()
        assert "discovery.no_zones" in _codes(app.draft)
        assert screen.check_action("review", ()) is not True


async def test_regions_arriving_after_the_wizard_opened_show_their_error_beside_the_field(
        make_app: Callable[..., WizardApp]) -> None:
    from textual.widgets import Static

    from screens.widgets.field_row import FieldRow, row_id

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_new({"cluster": {"location": "westcentralus"},
                       "outbound": {"type": "managed", "zones": ["1"]}})
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        row = screen.query_one(f"#{row_id('outbound.zones')}", FieldRow)
        box = row.query_one(".field-findings", Static)
        await wait_until(pilot, lambda: "no availability zones" in str(box.render()))
        assert str(box.render()).startswith("✗")


async def new_with_regions(pilot: Any, app: WizardApp) -> None:
    """A new configuration, once the target's regions are known."""
    app.start_new()
    await pilot.pause()
    await wait_until(pilot, lambda: bool(app.regions))


async def test_the_location_box_completes_from_the_target_regions(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await new_with_regions(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        box = screen.query_one(f"#{control_id('cluster.location')}", Input)
        await wait_until(pilot, lambda: box.suggester is not None)
        assert box.suggester is not None
        zoneless = next(r.name for r in app.regions or [] if not r.zones)
        assert await box.suggester.get_suggestion(zoneless[:5].lower()) == zoneless


async def test_a_second_configuration_completes_locations_without_fetching_again(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await new_with_regions(pilot, app)
        regions = app.regions
        app.start_new({"cluster": {"name": "second"}})  # e.g. a preset loaded from the palette
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        assert screen.current == "basics"
        name = screen.query_one(f"#{control_id('cluster.name')}", Input)
        assert name.value == "second"
        box = screen.query_one(f"#{control_id('cluster.location')}", Input)
        assert box.suggester is not None
        assert app.regions is regions


async def test_versions_and_vm_sizes_of_the_chosen_region_are_checked_and_completed(
        make_app: Callable[..., WizardApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_new({"cluster": {"location": "eastus2", "kubernetes_version": "1.29",
                                   "node_vm_size": "Standard_NC6s_v3"}})
        await pilot.pause()
        await wait_until(pilot, lambda: bool(app.offers and app.offers.knows_region("eastus2")))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        errors = {f.field: f.code for f in app.draft.derived.errors}
        assert errors == {"cluster.kubernetes_version": "discovery.unknown_version"}
        version = screen.query_one(f"#{control_id('cluster.kubernetes_version')}", Input)
        assert version.suggester is not None
        assert await version.suggester.get_suggestion("1.") == "1.33"  # the region's default
        version.value = "1.33"
        await pilot.pause()
        assert not app.draft.derived.errors
        # The GPU size is restricted in westcentralus only: moving there fetches that region
        # and the same size becomes an error beside its field.
        location = screen.query_one(f"#{control_id('cluster.location')}", Input)
        location.value = "westcentralus"
        await pilot.pause()
        await wait_until(pilot, lambda: bool(app.offers and
                                             app.offers.knows_region("westcentralus")))
        await pilot.pause()
        (error,) = app.draft.derived.errors
        assert (error.field, error.code) == ("cluster.node_vm_size", "discovery.unknown_vm_size")
        assert "not available to this subscription in westcentralus" in error.message
        size = screen.query_one(f"#{control_id('cluster.node_vm_size')}", Input)
        assert size.suggester is not None
        assert await size.suggester.get_suggestion("standard_nc") is None
        assert await size.suggester.get_suggestion("standard_d4s") == "Standard_D4s_v5"


async def test_an_existing_vnet_in_the_group_is_checked_and_completes_the_network_boxes(
        make_app: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_SANDBOX_SEED", "demo")  # demo-rg holds demo-vnet
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_new({"cluster": {"resource_group": "demo-rg", "location": "eastus2"},
                       "outbound": {"type": "user_assigned", "vnet_name": "demo-vnet",
                                    "vnet_address_space": "10.10.0.0/16",
                                    "subnet_name": "nodes", "subnet_prefix": "10.10.0.0/22"}})
        await pilot.pause()
        await wait_until(pilot, lambda: bool(app.offers and app.offers.knows_group("demo-rg")))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        (error,) = app.draft.derived.errors
        assert (error.field, error.code) == ("outbound.subnet_prefix", "existing.subnet_overlap")
        assert "aks-subnet" in error.message
        prefix = screen.query_one(f"#{control_id('outbound.subnet_prefix')}", Input)
        assert prefix.suggester is not None
        assert await prefix.suggester.get_suggestion("10.10.") == "10.10.4.0/22"
        vnet = screen.query_one(f"#{control_id('outbound.vnet_name')}", Input)
        assert vnet.suggester is not None
        assert await vnet.suggester.get_suggestion("demo") == "demo-vnet"
        prefix.value = "10.10.4.0/22"
        await pilot.pause()
        assert not app.draft.derived.errors
