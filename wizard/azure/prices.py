"""A small client of the Azure Retail Prices API, and where the wizard's prices come from.

The API is public (no sign-in): `GET https://prices.azure.com/api/retail/prices` with an OData
`$filter` and `currencyCode='EUR'`; each answer has `Items` and a `NextPageLink` to follow
(docs/AZURE_FACTS.md, "Prices"). The client is an azure-core `PipelineClient`, so throttling
(429 with Retry-After) and dropped connections are retried by azure-core's retry policy, and the
sandbox's transport answers it in-process like every other call.

`current_prices` picks the source: the disk cache if fresh, else the API (then cached), else the
shipped snapshot, which is also what offline and sandbox use. Each `PriceSheet` says which.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from wizard.plan.cost import (
    IP_METER,
    IP_PRODUCT,
    IP_SERVICE,
    NAT_SERVICE,
    PriceError,
    PriceItem,
    PriceSheet,
    cached_sheet,
    sheet_from_items,
    snapshot_sheet,
    write_cache,
)

PRICES_URL = "https://prices.azure.com/api/retail/prices"
API_SOURCE = "Azure Retail Prices API"
MAX_PAGES = 20


class RetailPricesClient:
    """`items(filter, currency)`: every item matching, following `NextPageLink`."""

    def __init__(self, transport: Any = None, base_url: str = PRICES_URL) -> None:
        from azure.core import PipelineClient
        from azure.core.pipeline.policies import HeadersPolicy, RetryPolicy, UserAgentPolicy

        self.base_url = base_url
        self._client: Any = PipelineClient(
            base_url, transport=transport,
            policies=[HeadersPolicy({"Accept": "application/json"}),
                      UserAgentPolicy("aks-nat-wizard"), RetryPolicy()])

    def items(self, odata_filter: str, currency: str = "USD") -> list[PriceItem]:
        from azure.core.exceptions import AzureError as CoreAzureError
        from azure.core.rest import HttpRequest
        from pydantic import ValidationError

        url: str | None = (self.base_url + "?" + urlencode(
            {"currencyCode": f"'{currency.upper()}'", "$filter": odata_filter}))
        found: list[PriceItem] = []
        for _ in range(MAX_PAGES):
            if not url:
                return found
            try:
                response = self._client.send_request(HttpRequest("GET", url))
            except CoreAzureError as error:
                raise PriceError(f"the Retail Prices API could not be reached: {error}") \
                    from error
            if response.status_code != 200:
                raise PriceError(f"the Retail Prices API answered {response.status_code}")
            try:
                body = response.json()
                found += [PriceItem.model_validate(item) for item in body.get("Items") or []]
            except (ValueError, ValidationError, AttributeError) as error:
                raise PriceError("the Retail Prices API's answer does not parse") from error
            url = body.get("NextPageLink") or None
        raise PriceError(f"the Retail Prices API kept paging past {MAX_PAGES} pages")

    def close(self) -> None:
        self._client.close()


def fetch_sheet(client: RetailPricesClient, region: str, currency: str,
                today: date) -> tuple[PriceSheet, list[PriceItem]]:
    """The region's prices from the API (two queries: the NAT Gateway meters, the IPs)."""
    region_name = region.replace(" ", "").lower()
    items = client.items(f"serviceName eq '{NAT_SERVICE}' and priceType eq 'Consumption'",
                         currency)
    items += client.items(f"serviceName eq '{IP_SERVICE}' and productName eq '{IP_PRODUCT}' "
                          f"and meterName eq '{IP_METER}' and armRegionName eq '{region_name}'",
                          currency)
    sheet = sheet_from_items(items, region, currency, API_SOURCE, today.isoformat())
    return sheet, items


def current_prices(region: str, currency: str = "USD", *, online: bool = True,
                   client: RetailPricesClient | None = None,
                   today: date | None = None) -> PriceSheet:
    """Fresh cached prices, else the API's (cached for next time), else the snapshot's; the
    sheet's `source` and `as_of` say which, and its notes why the snapshot was used."""
    day = today or datetime.now(UTC).date()
    if not online:
        return snapshot_sheet(region, currency)
    cached = cached_sheet(region, currency, day)
    if cached is not None:
        return replace(cached, source=f"{cached.source} (cached)")
    owned = client is None
    chosen = client or RetailPricesClient()
    try:
        sheet, items = fetch_sheet(chosen, region, currency, day)
    except PriceError as error:
        fallback = snapshot_sheet(region, currency)
        return replace(fallback, notes=(*fallback.notes, str(error)))
    finally:
        if owned:
            chosen.close()
    with contextlib.suppress(OSError):  # only a cache
        write_cache(region, currency, items, API_SOURCE, day)
    return sheet


PRICE_MODES = ("auto", "online", "snapshot")


def prices_for_mode(region: str, currency: str = "USD", mode: str = "auto",
                    client: RetailPricesClient | None = None,
                    today: date | None = None) -> PriceSheet:
    """`auto`: fresh cached prices, else the snapshot (no network); `online`: the cache, else
    the API (then cached), else the snapshot; `snapshot`: the shipped snapshot."""
    day = today or datetime.now(UTC).date()
    if mode == "online":
        return current_prices(region, currency, client=client, today=day)
    if mode == "auto":
        cached = cached_sheet(region, currency, day)
        if cached is not None:
            return replace(cached, source=f"{cached.source} (cached)")
    return snapshot_sheet(region, currency)
