"""Which Windows Server OS SKUs AKS lets you create, for which Kubernetes versions, until when.

The table is docs/AZURE_FACTS.md's `windows.2019`, `windows.2022` and `windows.2025`. Where the
sources disagree, the stricter reading is encoded and the finding says so:

- Windows2022: the 2024 announcement (retire 2027-03-15, not creatable on 1.35+) was extended in
  the 2026-06-19 release (retire 2028-06-30, not supported on 1.37+). Refused on 1.37+ (both
  agree), a warning on 1.35-1.36, and the retirement warning uses the earlier date.
- Windows2025: creatable from 1.32 per the changelog, from 1.33 per terraform-provider-azurerm's
  notes; the wizard asks for 1.33.

"Today" is injectable: `os_sku_findings(..., today=...)`; the rule uses `today()`, which reads
`AKS_NAT_WIZARD_TODAY` (an ISO date) when set, so a whole CLI run can be pinned to a date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from wizard.model.findings import Finding

WINDOWS_DOC = "https://learn.microsoft.com/azure/aks/upgrade-windows-os"
CHANGELOG = WINDOWS_DOC
"""The facts come from the AKS changelog (docs/AZURE_FACTS.md); findings link the doc page that
explains moving to a newer Windows Server."""
TODAY_ENV = "AKS_NAT_WIZARD_TODAY"
WARN_WITHIN_DAYS = 365

Version = tuple[int, int]


@dataclass(frozen=True)
class OsSkuLife:
    """What AKS allows of one Windows OS SKU."""

    name: str
    fact: str
    no_new_pools_from: date | None
    """From this date no new pool can be created with it (retired)."""
    retires: date | None
    """Announced retirement (the stricter date where sources disagree)."""
    retirement_note: str
    min_version: Version | None
    """Oldest Kubernetes minor it can be created on."""
    refused_from: Version | None
    """Kubernetes minors from which it cannot be created."""
    warned_from: Version | None
    """Kubernetes minors from which one source says it cannot be created and another allows it."""
    needs_fips: bool = False


OS_SKUS: dict[str, OsSkuLife] = {
    "Windows2019": OsSkuLife(
        "Windows2019", "windows.2019", date(2026, 3, 1), date(2026, 3, 1),
        "retired on 2026-03-01 (AKS changelog)", None, (1, 33), None),
    "Windows2022": OsSkuLife(
        "Windows2022", "windows.2022", None, date(2027, 3, 15),
        "retires on 2027-03-15 per the 2024 announcement, extended to 2028-06-30 by the "
        "2026-06-19 release (AKS changelog); the wizard warns on the earlier date", None,
        (1, 37), (1, 35)),
    "Windows2025": OsSkuLife(
        "Windows2025", "windows.2025", None, None, "", (1, 33), None, None, needs_fips=True),
}
DEFAULT_OS_SKU = "Windows2025"
"""Creatable on every Kubernetes version AKS offers in 2026-12 and supported longest; AKS makes it
the Windows default from Kubernetes 1.37."""


def today() -> date:
    """The date the lifecycle is checked against: `AKS_NAT_WIZARD_TODAY`, else the clock's."""
    pinned = os.environ.get(TODAY_ENV, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            pass
    return date.today()


def _v(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def creatable(name: str, version: Version | None, on: date) -> bool:
    """Can a new pool of this SKU be created on this Kubernetes minor (None: not known) today?"""
    life = OS_SKUS[name]
    if life.no_new_pools_from and on >= life.no_new_pools_from:
        return False
    if version is None:
        return True
    if life.min_version and version < life.min_version:
        return False
    return not (life.refused_from and version >= life.refused_from)


def creatable_skus(version: Version | None, on: date) -> list[str]:
    """The Windows OS SKUs a new pool can have, newest first."""
    return [name for name in sorted(OS_SKUS, reverse=True) if creatable(name, version, on)]


def os_sku_findings(name: str, version: Version | None, on: date,
                    field: str = "windows.os_sku") -> list[Finding]:
    """Errors for a SKU AKS would refuse, warnings for one that retires within a year or that
    one source already refuses on this version. `version` None: the region's default, unknown
    offline (preflight checks it with the real default)."""
    life = OS_SKUS[name]
    others = ", ".join(s for s in creatable_skus(version, on) if s != name) or "none"
    where = f"Kubernetes {_v(version)}" if version else "the region's default Kubernetes version"
    if life.no_new_pools_from and on >= life.no_new_pools_from:
        return [Finding(
            "error", field,
            f"{name} {life.retirement_note}: AKS creates no new {name} pools. Choose {others}.",
            CHANGELOG, "windows.os_sku_retired", life.fact)]
    if version is not None and life.min_version and version < life.min_version:
        return [Finding(
            "error", field,
            f"{name} pools need Kubernetes {_v(life.min_version)} or newer, not {_v(version)}"
            + (" (the changelog says 1.32; the wizard follows the stricter 1.33)"
               if name == "Windows2025" else "") + f". Choose {others}, or a newer version.",
            CHANGELOG, "windows.os_sku_too_new", life.fact)]
    if version is not None and life.refused_from and version >= life.refused_from:
        return [Finding(
            "error", field,
            f"{name} cannot be created on Kubernetes {_v(life.refused_from)} and newer "
            f"({where}). Choose {others}.",
            CHANGELOG, "windows.os_sku_unsupported_version", life.fact)]
    found: list[Finding] = []
    if version is not None and life.warned_from and version >= life.warned_from:
        found.append(Finding(
            "warning", field,
            f"{name} on {where}: the 2024 announcement said no new {name} pools from Kubernetes "
            f"{_v(life.warned_from)}; the 2026-06-19 release allows them until "
            f"{_v(life.refused_from or life.warned_from)}. Prefer {others}.",
            CHANGELOG, "windows.os_sku_version_disputed", life.fact))
    if life.retires and (life.retires - on).days <= WARN_WITHIN_DAYS:
        found.append(Finding(
            "warning", field,
            f"{name} {life.retirement_note}, within a year: the pool will need moving to a "
            f"newer Windows Server. Choose {others} now if you can.",
            WINDOWS_DOC, "windows.os_sku_retiring", life.fact))
    return found
