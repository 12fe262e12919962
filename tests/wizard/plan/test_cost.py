"""The cost of a plan: the snapshot offline, the Retail Prices API on the sandbox, the cache."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard import plan as planner
from wizard.azure.backend import AzureBackend
from wizard.azure.prices import (
    API_SOURCE,
    RetailPricesClient,
    current_prices,
    fetch_sheet,
    prices_for_mode,
)
from wizard.model.config import WizardConfig
from wizard.plan import cost
from wizard.sandbox import Sandbox
from wizard.storage import presets

TODAY = date(2026, 12, 2)
SUB = "00000000-0000-0000-0000-000000000001"

# The monthly cost of each built-in preset at the shipped snapshot's prices, 100 GB processed.
GOLDEN = {
    "managed-basic": 41.00,           # 1 gateway 32.85 + 100 GB 4.50 + 1 IP 3.65
    "managed-zonal": 44.65,           # + a second IP
    "user-assigned": 41.00,
    "user-assigned-per-zone": 114.00,  # 3 gateways, 3 IPs
    "windows-managed": 41.00,
}


def priced(name: str, data_gb: float = 100) -> cost.Cost:
    config = presets.load(name)
    sheet = cost.snapshot_sheet(config.cluster.location)
    return cost.price_plan(planner.build(config, SUB), sheet, data_gb, config)


def client_for(sandbox: Sandbox) -> RetailPricesClient:
    client = AzureBackend.for_sandbox(sandbox).client("prices")
    assert isinstance(client, RetailPricesClient)
    return client


def test_every_builtin_preset_is_pinned() -> None:
    assert set(GOLDEN) == set(presets.builtin_names())
    for name, monthly in GOLDEN.items():
        found = priced(name)
        assert found.monthly == monthly, name
        assert found.sheet.currency == "USD"
        assert found.sheet.as_of == cost.load_snapshot().as_of
        assert "snapshot" in found.sheet.source


def test_the_data_processed_figure_changes_the_cost() -> None:
    assert priced("managed-basic", 1100).monthly == pytest.approx(41.00 + 1000 * 0.045)


def test_reused_public_ips_are_not_counted() -> None:
    data = presets.load("user-assigned").model_dump(mode="json")
    data["outbound"]["public_ip_ids"] = [
        f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/"
        "publicIPAddresses/kept"]
    config = WizardConfig.model_validate(data)
    found = cost.price_plan(planner.build(config, SUB), cost.snapshot_sheet("eastus2"), 100)
    assert not [line for line in found.lines if "public IP" in line.what]
    assert found.monthly == pytest.approx(41.00 - 3.65)


def test_a_new_prefix_is_priced_as_the_addresses_it_holds() -> None:
    data = presets.load("user-assigned").model_dump(mode="json")
    data["outbound"].update({"ip_prefix": True, "ip_count": 4})
    config = WizardConfig.model_validate(data)
    found = cost.price_plan(planner.build(config, SUB), cost.snapshot_sheet("eastus2"), 100)
    [ips] = [line for line in found.lines if "public IP" in line.what]
    assert ips.quantity == 4
    assert found.monthly == pytest.approx(41.00 + 3 * 3.65)


def test_the_comparisons_show_one_gateway_against_one_per_zone() -> None:
    options = dict(priced("user-assigned-per-zone").comparisons)
    one, per_zone = list(options.values())[:2]
    assert one == pytest.approx(41.00)
    assert per_zone == pytest.approx(114.00)
    assert any("same price" in name for name in options)


def test_the_json_says_where_the_prices_come_from() -> None:
    payload = priced("managed-basic").to_dict()
    assert payload["prices"]["source"].startswith("snapshot of the Azure Retail Prices API")
    assert payload["prices"]["as_of"] == "2026-12-02"
    assert payload["monthly"] == 41.0


def test_offline_is_the_snapshot_and_auto_without_a_cache_too() -> None:
    assert "snapshot" in current_prices("eastus2", online=False).source
    assert "snapshot" in prices_for_mode("eastus2", mode="auto", today=TODAY).source


def test_an_unknown_region_falls_back_with_a_note() -> None:
    sheet = cost.snapshot_sheet("brazilsouth")
    assert sheet.ip_hour == 0.005
    assert any("brazilsouth" in note for note in sheet.notes)


def test_the_api_through_the_sandbox_pages_and_converts() -> None:
    sandbox = Sandbox(speed=0)
    client = client_for(sandbox)
    sheet, items = fetch_sheet(client, "westeurope", "EUR", TODAY)
    assert sheet.source == API_SOURCE
    assert sheet.currency == "EUR"
    assert sheet.gateway_hour == pytest.approx(0.045 * 0.9)
    assert {item.currencyCode for item in items} == {"EUR"}
    paths = client._client._pipeline._transport.prices.request_log
    assert len(paths) == 2  # the NAT Gateway query has 2 items, the IP one 1: one page each
    nat = client.items("serviceName eq 'Virtual Network' and productName eq 'IP Addresses'")
    assert len(nat) == 9  # 9 regions in the snapshot, 2 a page: NextPageLink followed


def test_throttling_of_the_prices_api_is_retried() -> None:
    sandbox = Sandbox(speed=0, faults="retailPrices:GET:throttle:2")
    client = client_for(sandbox)
    sheet, _ = fetch_sheet(client, "eastus2", "USD", TODAY)
    assert sheet.ip_hour == 0.005
    log = client._client._pipeline._transport.prices.request_log
    assert [status for _, status in log][:3] == [429, 429, 200]


def test_when_the_api_fails_the_snapshot_is_used_and_says_why() -> None:
    sandbox = Sandbox(speed=0, faults="retailPrices:GET:server_error:20")
    sheet = current_prices("eastus2", client=client_for(sandbox), today=TODAY)
    assert "snapshot" in sheet.source
    assert any("Retail Prices API" in note for note in sheet.notes)


def test_fetched_prices_are_cached_with_their_date(wizard_home: Path) -> None:
    sandbox = Sandbox(speed=0)
    first = current_prices("eastus2", client=client_for(sandbox), today=TODAY)
    assert first.source == API_SOURCE
    assert cost.cache_path().is_file()
    again = prices_for_mode("eastus2", mode="auto", today=TODAY + timedelta(days=3))
    assert again.source == f"{API_SOURCE} (cached)"
    assert again.as_of == TODAY.isoformat()
    stale = prices_for_mode("eastus2", mode="auto", today=TODAY + timedelta(days=8))
    assert "snapshot" in stale.source


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(st.binary(max_size=2000))
def test_a_damaged_cache_is_ignored(wizard_home: Path, content: bytes) -> None:
    path = cost.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert cost.cached_sheet("eastus2", "USD", TODAY) is None or content.startswith(b"{")
    assert "snapshot" in prices_for_mode("westus2", mode="auto", today=TODAY).source


def test_plan_json_carries_the_cost_with_its_source_and_date() -> None:
    import json

    from click.testing import CliRunner

    from wizard.cli.main import main_group

    result = CliRunner().invoke(main_group, ["plan", "--preset", "user-assigned-per-zone",
                                             "--data-gb", "200", "--output", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)["cost"]
    assert payload["monthly"] == pytest.approx(114.00 + 100 * 0.045)
    assert payload["data_gb_per_month"] == 200
    assert payload["prices"]["as_of"] == cost.load_snapshot().as_of
    assert "snapshot" in payload["prices"]["source"]
    text = CliRunner().invoke(main_group, ["plan", "--preset", "managed-basic"])
    assert "Monthly cost of the egress: about 41.00 USD a month" in " ".join(text.stdout.split())
