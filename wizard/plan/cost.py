"""What a plan's egress costs a month: NAT gateways, public IPs and the data they process.

Prices are a `PriceSheet` for one region and currency, always labelled with where they come from
and their date: the Azure Retail Prices API (fetched by `wizard.azure.prices`, kept in a disk
cache under the data folder with the date they were fetched), or the snapshot shipped with the
wizard (`wizard/data/prices-snapshot.json`), used offline and on the sandbox. Both are read into
the same shape, the API's `Items`.

`price_plan(plan, sheet, data_gb)` prices what the plan creates (a managed cluster's NAT gateway
and IPs are created by AKS, and billed the same way); public IPs that exist already are billed
today and are not counted. `alternatives(config, sheet, data_gb)` gives the comparisons that matter
when choosing: one gateway (StandardV2, zone-redundant) against one Standard gateway per zone,
and managed against user-assigned.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from wizard.model.config import WizardConfig
    from wizard.plan import Plan

HOURS_PER_MONTH = 730
DEFAULT_DATA_GB = 100
"""GB a month through the NAT gateway(s) when the user says nothing (changeable everywhere)."""
CACHE_MAX_AGE_DAYS = 7
NAT_SERVICE = "NAT Gateway"
GATEWAY_METER = "Standard Gateway"
DATA_METER = "Standard Data Processed"
IP_SERVICE = "Virtual Network"
IP_PRODUCT = "IP Addresses"
IP_METER = "Standard IPv4 Static Public IP"
FALLBACK_REGION = "eastus"


class PriceItem(BaseModel):
    """One item of the Retail Prices API's `Items` (the fields the wizard reads)."""

    model_config = ConfigDict(extra="ignore")

    currencyCode: str = "USD"
    retailPrice: float = Field(ge=0)
    armRegionName: str = ""
    meterName: str = ""
    productName: str = ""
    serviceName: str = ""
    unitOfMeasure: str = ""
    type: str = "Consumption"


class PriceFile(BaseModel):
    """The shipped snapshot, and each entry of the disk cache: items plus their provenance."""

    model_config = ConfigDict(extra="ignore")

    source: str
    as_of: str
    note: str = ""
    BillingCurrency: str = "USD"
    Items: list[PriceItem]


class PriceError(Exception):
    """Prices could not be had (a cache or answer that does not parse, a meter missing)."""


@dataclass(frozen=True)
class PriceSheet:
    """The three prices the wizard needs, for one region and currency, with their provenance."""

    region: str
    currency: str
    gateway_hour: float
    data_gb: float
    ip_hour: float
    source: str
    as_of: str
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """`source, date`: shown wherever a cost is shown."""
        return f"{self.source}, {self.as_of}"

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "currency": self.currency,
                "nat_gateway_per_hour": self.gateway_hour, "data_per_gb": self.data_gb,
                "public_ip_per_hour": self.ip_hour, "source": self.source, "as_of": self.as_of,
                "notes": list(self.notes)}


def sheet_from_items(items: list[PriceItem], region: str, currency: str, source: str,
                     as_of: str) -> PriceSheet:
    """The three prices from API items: the region's own meter, else the `Global` one (the NAT
    Gateway meters are published there), else the fallback region's with a note."""
    wanted = region.replace(" ", "").lower()
    notes: list[str] = []

    def pick(service: str, meter: str, product: str | None = None) -> float:
        candidates = [i for i in items if i.serviceName == service and i.meterName == meter
                      and i.type == "Consumption" and (product is None or i.productName == product)
                      and i.currencyCode.upper() == currency.upper()]
        for choice in (wanted, "global", FALLBACK_REGION):
            found = [i for i in candidates if i.armRegionName.lower() == choice]
            if found:
                if choice == FALLBACK_REGION and wanted != FALLBACK_REGION:
                    notes.append(f"no {meter} price for {region}; {FALLBACK_REGION}'s is used")
                return min(i.retailPrice for i in found)
        raise PriceError(f"no price for {service} / {meter} in {currency}")

    return PriceSheet(region=region, currency=currency.upper(),
                      gateway_hour=pick(NAT_SERVICE, GATEWAY_METER),
                      data_gb=pick(NAT_SERVICE, DATA_METER),
                      ip_hour=pick(IP_SERVICE, IP_METER, IP_PRODUCT),
                      source=source, as_of=as_of, notes=tuple(dict.fromkeys(notes)))


def load_snapshot() -> PriceFile:
    """The snapshot shipped with the wizard."""
    text = resources.files("wizard").joinpath("data/prices-snapshot.json").read_text("utf-8")
    return PriceFile.model_validate_json(text)


def snapshot_sheet(region: str, currency: str = "USD") -> PriceSheet:
    """Prices from the shipped snapshot (USD only: other currencies need the live API)."""
    snapshot = load_snapshot()
    notes: tuple[str, ...] = ()
    if currency.upper() != snapshot.BillingCurrency:
        notes = (f"the snapshot has {snapshot.BillingCurrency} prices only, not {currency}",)
        currency = snapshot.BillingCurrency
    sheet = sheet_from_items(snapshot.Items, region, currency,
                             f"snapshot of the {snapshot.source} shipped with the wizard",
                             snapshot.as_of)
    return replace(sheet, notes=sheet.notes + notes)


# -- the disk cache --------------------------------------------------------------------------

class PriceCache(BaseModel):
    """`prices-cache.json` under the data folder: fetched items per region and currency."""

    entries: dict[str, PriceFile] = Field(default_factory=dict)


def cache_path() -> Path:
    from wizard.storage.paths import data_dir

    return data_dir() / "prices-cache.json"


def _cache_key(region: str, currency: str) -> str:
    return f"{region.replace(' ', '').lower()}/{currency.upper()}"


def read_cache(path: Path | None = None) -> PriceCache:
    """The cache, or an empty one when it is missing or does not parse (it is only a cache)."""
    target = path or cache_path()
    try:
        return PriceCache.model_validate_json(target.read_text("utf-8"))
    except (OSError, ValueError, ValidationError):
        return PriceCache()


def cached_sheet(region: str, currency: str, today: date, path: Path | None = None,
                 max_age_days: int = CACHE_MAX_AGE_DAYS) -> PriceSheet | None:
    """Prices fetched at most `max_age_days` ago, or None."""
    entry = read_cache(path).entries.get(_cache_key(region, currency))
    if entry is None:
        return None
    try:
        fetched = date.fromisoformat(entry.as_of)
    except ValueError:
        return None
    if (today - fetched).days > max_age_days or fetched > today:
        return None
    try:
        return sheet_from_items(entry.Items, region, currency, entry.source, entry.as_of)
    except PriceError:
        return None


def write_cache(region: str, currency: str, items: list[PriceItem], source: str, fetched: date,
                path: Path | None = None) -> Path:
    """Keep fetched items with their date (atomically; other entries are kept)."""
    from wizard.storage.paths import ensure_dir, write_atomic

    target = path or cache_path()
    cache = read_cache(target)
    cache.entries[_cache_key(region, currency)] = PriceFile(
        source=source, as_of=fetched.isoformat(), BillingCurrency=currency.upper(), Items=items)
    ensure_dir(target.parent)
    return write_atomic(target, cache.model_dump_json(indent=1) + "\n")


# -- pricing a plan --------------------------------------------------------------------------

@dataclass(frozen=True)
class CostLine:
    what: str
    quantity: float
    unit: str
    unit_price: float
    monthly: float

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "quantity": self.quantity, "unit": self.unit,
                "unit_price": self.unit_price, "monthly": round(self.monthly, 2)}


@dataclass(frozen=True)
class Cost:
    """A monthly cost, line by line, with the prices' provenance."""

    lines: tuple[CostLine, ...]
    sheet: PriceSheet
    data_gb: float
    comparisons: tuple[tuple[str, float], ...] = field(default_factory=tuple)

    @property
    def monthly(self) -> float:
        return round(sum(line.monthly for line in self.lines), 2)

    def text(self) -> str:
        """One line: `about 40.15 USD a month (…, at 100 GB processed; source, date)`."""
        return (f"about {self.monthly:,.2f} {self.sheet.currency} a month "
                f"(at {self.data_gb:g} GB processed; prices: {self.sheet.label})")

    def to_dict(self) -> dict[str, Any]:
        return {"monthly": self.monthly, "currency": self.sheet.currency,
                "data_gb_per_month": self.data_gb,
                "lines": [line.to_dict() for line in self.lines],
                "prices": self.sheet.to_dict(),
                "comparisons": [{"option": name, "monthly": round(value, 2)}
                                for name, value in self.comparisons]}


def _lines(gateways: int, ips: int, sheet: PriceSheet, data_gb: float,
           who: str) -> tuple[CostLine, ...]:
    hours = HOURS_PER_MONTH
    found = []
    if gateways:
        found.append(CostLine(f"NAT gateway{'s' if gateways > 1 else ''}{who}", gateways,
                              "gateway-month", sheet.gateway_hour * hours,
                              gateways * sheet.gateway_hour * hours))
        found.append(CostLine("data processed by the NAT gateway(s)", data_gb, "GB",
                              sheet.data_gb, data_gb * sheet.data_gb))
    if ips:
        found.append(CostLine(f"new public IPs{who}", ips, "IP-month", sheet.ip_hour * hours,
                              ips * sheet.ip_hour * hours))
    return tuple(found)


def counts(plan: Plan) -> tuple[int, int, str]:
    """(NAT gateways, new public IPs, by whom) the plan brings into being. A new prefix counts
    as the addresses it holds, each priced like a public IP (an estimate: the price snapshot
    has no prefix meter)."""
    from wizard.model.config import prefix_addresses

    gateways = sum(1 for step in plan.steps if step.kind == "nat_gateway")
    ips = sum(1 for step in plan.steps if step.kind == "public_ip") + sum(
        prefix_addresses(step.body["properties"]) or 0
        for step in plan.steps if step.kind == "public_ip_prefix")
    if gateways:
        return gateways, ips, ""
    for step in plan.steps:
        if step.kind != "managed_cluster":
            continue
        network = step.body.get("properties", {}).get("networkProfile", {})
        if network.get("outboundType") == "managedNATGateway":
            count = int(network.get("natGatewayProfile", {}).get("managedOutboundIPProfile", {})
                        .get("count", 1))
            return 1, count, " (created by AKS)"
    return 0, ips, ""


def price_plan(plan: Plan, sheet: PriceSheet, data_gb: float = DEFAULT_DATA_GB,
               config: WizardConfig | None = None) -> Cost:
    """What the plan's egress costs a month at `sheet`'s prices (with `config`, the
    comparisons too)."""
    gateways, ips, who = counts(plan)
    comparisons = alternatives(config, sheet, data_gb) if config is not None else ()
    return Cost(_lines(gateways, ips, sheet, data_gb, who), sheet, data_gb, comparisons)


def alternatives(config: WizardConfig, sheet: PriceSheet,
                 data_gb: float = DEFAULT_DATA_GB) -> tuple[tuple[str, float], ...]:
    """The options people weigh, each as (name, monthly): one zone-redundant StandardV2
    gateway against one Standard gateway per zone (with the same IPs each), and managed against
    user-assigned (the same price: AKS bills the gateway it makes like any other)."""
    out = config.outbound
    ip_count = getattr(out, "ip_count", 1)
    zones = max(len(getattr(out, "zones", []) or []), 3)

    def monthly(gateways: int, ips: int) -> float:
        return round(sum(line.monthly for line in _lines(gateways, ips, sheet, data_gb, "")), 2)

    return (
        (f"one StandardV2 gateway, {ip_count} IP(s), zone-redundant", monthly(1, ip_count)),
        (f"{zones} Standard gateways, one per zone, {ip_count} IP(s) each",
         monthly(zones, zones * ip_count)),
        (f"managed or user-assigned, one gateway, {ip_count} IP(s) (same price)",
         monthly(1, ip_count)),
    )

