"""ARM paging: lists answer a page at a time with `nextLink`, and the SDK clients follow it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.wizard.sandbox.conftest import call, make_clients
from tests.wizard.sandbox_helpers import store_group
from wizard.sandbox import Sandbox
from wizard.sandbox.http import Request
from wizard.sandbox.paging import DEFAULT_PAGE_SIZE, PAGE_SIZE_ENV

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
IP_TYPE = "Microsoft.Network/publicIPAddresses"


def hold_ips(sandbox: Sandbox, count: int, group: str = "rg1", location: str = "westeurope",
             start: int = 0) -> None:
    """Store `count` public IPs at once (the store directly: the lists are under test)."""
    with sandbox.store.transaction():
        rg = store_group(sandbox, SUB, group, location)
        for i in range(start, start + count):
            sandbox.store.put({
                "id": f"{rg}/providers/{IP_TYPE}/ip{i}", "name": f"ip{i}", "type": IP_TYPE,
                "location": location, "sku": {"name": "Standard"},
                "properties": {"provisioningState": "Succeeded", "ipAddress": f"20.0.{i}.1"}})


def list_requests(sandbox: Sandbox) -> list[str]:
    return [r.path for r in sandbox.request_log if r.resource_type == "publicIPAddresses"]


def test_a_2500_item_list_arrives_whole_through_the_sdk() -> None:
    sandbox = Sandbox(speed=0, faults="")
    hold_ips(sandbox, 2500)
    clients = make_clients(sandbox)
    names = [ip.name for ip in clients.network.public_ip_addresses.list("rg1")]
    assert len(names) == 2500 and len(set(names)) == 2500
    pages = -(-2500 // DEFAULT_PAGE_SIZE)
    assert len(list_requests(sandbox)) == pages  # the client followed every nextLink
    sandbox.clear_request_log()
    everywhere = {ip.name for ip in clients.network.public_ip_addresses.list_all()}
    assert everywhere == set(names)
    assert len(list_requests(sandbox)) == pages


def test_a_page_holds_page_size_items_and_links_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PAGE_SIZE_ENV, "3")
    sandbox = Sandbox(speed=0, faults="")
    hold_ips(sandbox, 7)
    path = f"{SUB}/resourceGroups/rg1/providers/{IP_TYPE}"
    seen: list[str] = []
    first = call(sandbox, "GET", path)
    body = first.body
    while True:
        seen += [item["name"] for item in body["value"]]
        assert len(body["value"]) <= 3
        if "nextLink" not in body:
            break
        link = urlsplit(body["nextLink"])
        assert body["nextLink"].startswith(sandbox.base_url)
        query = dict(parse_qsl(link.query))
        assert query["api-version"] == "2024-01-01"
        body = sandbox.emulator.handle(_get(link.path, query)).body
    assert seen == [f"ip{i}" for i in range(7)]


def _get(path: str, query: dict[str, str]) -> Request:
    return Request("GET", path, query, {"Authorization": "Bearer x"})


def test_items_added_between_pages_are_not_skipped_or_repeated() -> None:
    sandbox = Sandbox(speed=0, faults="", page_size=4)
    hold_ips(sandbox, 6)
    path = f"{SUB}/resourceGroups/rg1/providers/{IP_TYPE}"
    first = call(sandbox, "GET", path).body
    hold_ips(sandbox, 2, start=6)  # created while the client reads
    link = urlsplit(first["nextLink"])
    rest = sandbox.emulator.handle(_get(link.path, dict(parse_qsl(link.query)))).body
    names = [i["name"] for i in first["value"]] + [i["name"] for i in rest["value"]]
    assert names == [f"ip{i}" for i in range(8)]


def test_a_bad_skip_token_is_arms_400() -> None:
    sandbox = Sandbox(speed=0, faults="")
    hold_ips(sandbox, 1)
    answer = sandbox.emulator.handle(_get(f"{SUB}/resourceGroups/rg1/providers/{IP_TYPE}",
                                          {"api-version": "1", "$skiptoken": "x;drop"}))
    assert answer.status == 400 and answer.body["error"]["code"] == "InvalidSkipToken"


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Sandbox(speed=0, faults="", page_size=0)


def test_the_resource_list_filters_by_type_or_region_on_the_server() -> None:
    sandbox = Sandbox(speed=0, faults="", page_size=5)
    hold_ips(sandbox, 12, group="rg-we", location="westeurope")
    hold_ips(sandbox, 3, group="rg-ne", location="northeurope", start=100)
    clients = make_clients(sandbox)
    found = list(clients.resources.resources.list(filter="location eq 'northeurope'"))
    assert sorted(r.name for r in found) == ["ip100", "ip101", "ip102", "rg-ne"]
    every = list(clients.resources.resources.list(filter=f"resourceType eq '{IP_TYPE}'"))
    assert len(every) == 15 and all(r.type == IP_TYPE for r in every)
    assert all(r.properties is None for r in every)  # envelopes, as ARM's list answers
    unfiltered = call(sandbox, "GET", f"{SUB}/resources", api_version="2021-04-01").body
    assert len(unfiltered["value"]) == 5 and "nextLink" in unfiltered  # 17 held, pages of 5
    refused = sandbox.emulator.handle(_get(f"{SUB}/resources", {
        "api-version": "2021-04-01",
        "$filter": f"resourceType eq '{IP_TYPE}' and location eq 'northeurope'"}))
    assert refused.status == 400
