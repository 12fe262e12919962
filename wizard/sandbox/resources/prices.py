"""The Azure Retail Prices API as the sandbox serves it, so the wizard's online path is tried.

`GET https://prices.azure.com/api/retail/prices?currencyCode='USD'&$filter=...`: no sign-in, the
items of the shipped price snapshot (`wizard/data/prices-snapshot.json`) filtered by the
`$filter`'s `field eq 'value'` clauses joined by `and`, in pages of `PAGE_SIZE` with a
`NextPageLink` (`$skip`) as the real API pages (the sandbox pages small, so paging is always
exercised). `currencyCode` other than USD converts at a fixed, made-up rate (`RATES`): the
sandbox is not a source of exchange rates. Faults apply under the resource type `retailPrices`
(`retailPrices:GET:throttle:1` answers 429 with Retry-After once).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from wizard.sandbox.http import Request, Response

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

PRICES_BASE = "https://prices.azure.com"
PRICES_PATH = "/api/retail/prices"
PAGE_SIZE = 2
RATES = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8}
_CLAUSE = re.compile(r"^\s*(\w+)\s+eq\s+'([^']*)'\s*$", re.IGNORECASE)


@dataclass
class PricesApi:
    """The prices host: answers requests, logs (path, status) of each."""

    emulator: Emulator
    request_log: list[tuple[str, int]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, req: Request) -> Response:
        response = self._answer(req)
        with self._lock:
            self.request_log.append((req.path, response.status))
        return response

    def _answer(self, req: Request) -> Response:
        from wizard.plan.cost import load_snapshot

        if req.path.rstrip("/").lower() != PRICES_PATH:
            return Response(404, {"Error": {"Code": "NotFound", "Message": "Not found"}})
        fault = self.emulator.faults.take_request_fault("retailPrices", req.method)
        if fault is not None and fault.kind == "throttle":
            return Response(429, {"Error": {"Code": "TooManyRequests",
                                            "Message": "Too many requests (sandbox fault)."}},
                            {"Retry-After": str(fault.retry_after)})
        if fault is not None and fault.kind == "server_error":
            return Response(fault.status, {"Error": {"Code": "ServerError",
                                                     "Message": "Sandbox fault."}})
        query = {k.lower(): v for k, v in req.query.items()}
        currency = query.get("currencycode", "'USD'").strip("'\" ").upper() or "USD"
        rate = RATES.get(currency)
        if rate is None:
            return Response(400, {"Error": {"Code": "BadRequest",
                                            "Message": f"Invalid currency code {currency}"}})
        clauses = _filters(query.get("$filter", ""))
        if clauses is None:
            return Response(400, {"Error": {"Code": "BadRequest",
                                            "Message": "Invalid OData $filter"}})
        items = []
        for item in load_snapshot().model_dump()["Items"]:
            if all(str(item.get(name, "")) == value for name, value in clauses):
                price = round(float(item["retailPrice"]) * rate, 6)
                items.append({**item, "currencyCode": currency, "retailPrice": price,
                              "unitPrice": price})
        skip = int(query.get("$skip", "0") or 0)
        page = items[skip:skip + PAGE_SIZE]
        following = None
        if skip + PAGE_SIZE < len(items):
            rest = {k: v for k, v in req.query.items() if k.lower() != "$skip"}
            following = (f"{PRICES_BASE}{PRICES_PATH}?"
                         f"{urlencode({**rest, '$skip': skip + PAGE_SIZE})}")
        body: dict[str, Any] = {"BillingCurrency": currency, "CustomerEntityId": "Default",
                                "CustomerEntityType": "Retail", "Items": page,
                                "NextPageLink": following, "Count": len(page)}
        return Response(200, body)


def _filters(text: str) -> list[tuple[str, str]] | None:
    """`a eq 'x' and b eq 'y'` -> [(a, x), (b, y)] (`priceType` is the item's `type`)."""
    if not text.strip():
        return []
    found = []
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        matched = _CLAUSE.match(clause.strip("() "))
        if matched is None:
            return None
        name = matched.group(1)
        found.append(("type" if name.lower() == "pricetype" else name, matched.group(2)))
    return found
