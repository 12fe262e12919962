"""Windows OS SKU lifecycle (docs/AZURE_FACTS.md windows.2019, windows.2022, windows.2025): what
can be created for which Kubernetes version, refused with the date and source, warned a year
ahead; "today" injected."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard import plan
from wizard.model import lifecycle, rules
from wizard.model.config import WizardConfig
from wizard.model.evaluation import evaluate

TODAY = date(2026, 12, 2)


def codes(name: str, version: tuple[int, int] | None, on: date = TODAY) -> dict[str, str]:
    return {f.code: f.severity for f in lifecycle.os_sku_findings(name, version, on)}


def test_windows2019_is_refused_with_its_date_and_source() -> None:
    (finding,) = lifecycle.os_sku_findings("Windows2019", None, TODAY)
    assert (finding.severity, finding.code, finding.fact) == (
        "error", "windows.os_sku_retired", "windows.2019")
    assert "2026-03-01" in finding.message and "AKS changelog" in finding.message
    assert "Windows2025" in finding.message  # what to choose instead
    # before its retirement it was creatable (on versions below 1.33)
    assert lifecycle.creatable("Windows2019", (1, 32), date(2026, 2, 28))
    assert not lifecycle.creatable("Windows2019", (1, 33), date(2026, 2, 28))


def test_windows2022_by_version() -> None:
    assert codes("Windows2022", (1, 37)) == {"windows.os_sku_unsupported_version": "error"}
    disputed = codes("Windows2022", (1, 35))
    assert disputed == {"windows.os_sku_version_disputed": "warning",
                        "windows.os_sku_retiring": "warning"}
    assert codes("Windows2022", (1, 33)) == {"windows.os_sku_retiring": "warning"}


def test_the_retirement_warning_is_a_year_ahead_and_says_it_was_extended() -> None:
    (finding,) = lifecycle.os_sku_findings("Windows2022", (1, 33), TODAY)
    assert "2027-03-15" in finding.message and "2028-06-30" in finding.message
    assert lifecycle.os_sku_findings("Windows2022", (1, 33), date(2026, 3, 14)) == []
    assert lifecycle.os_sku_findings("Windows2022", (1, 33), date(2026, 3, 15)) != []


def test_windows2025_needs_133_the_stricter_source() -> None:
    (finding,) = lifecycle.os_sku_findings("Windows2025", (1, 32), TODAY)
    assert finding.code == "windows.os_sku_too_new" and "1.33" in finding.message
    assert "stricter" in finding.message
    assert lifecycle.os_sku_findings("Windows2025", (1, 33), TODAY) == []
    assert lifecycle.os_sku_findings("Windows2025", None, TODAY) == []


@given(st.integers(20, 40), st.dates(date(2026, 1, 1), date(2030, 1, 1)))
def test_creatable_means_no_error(minor: int, on: date) -> None:
    for name in lifecycle.OS_SKUS:
        errors = [f for f in lifecycle.os_sku_findings(name, (1, minor), on)
                  if f.severity == "error"]
        assert (not errors) == lifecycle.creatable(name, (1, minor), on)


def test_the_default_is_creatable_and_not_retiring_today() -> None:
    default = WizardConfig().windows.os_sku
    assert default == lifecycle.DEFAULT_OS_SKU == "Windows2025"
    for minor in (33, 34, 35, 36, 37):
        assert lifecycle.os_sku_findings(default, (1, minor), TODAY) == []


def test_today_is_injectable_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lifecycle.TODAY_ENV, "2026-02-01")
    assert lifecycle.today() == date(2026, 2, 1)
    config = WizardConfig.model_validate({"cluster": {"kubernetes_version": "1.32"},
                                          "windows": {"enabled": True,
                                                      "os_sku": "Windows2019"}})
    (before,) = [f for f in rules.check(config) if f.code.startswith("windows.os_sku")]
    assert before.severity == "warning" and before.code == "windows.os_sku_retiring"
    monkeypatch.setenv(lifecycle.TODAY_ENV, TODAY.isoformat())
    (error,) = [f for f in rules.check(config) if f.code.startswith("windows.os_sku")]
    assert error.severity == "error"
    assert not evaluate(config).ok


def test_a_windows2025_pool_is_sent_fips_enabled() -> None:
    data: dict[str, Any] = {"windows": {"enabled": True, "os_sku": "Windows2025"}}
    pool = plan.build(WizardConfig.model_validate(data)).step("agent_pool:npwin")
    assert pool.body["properties"]["osSKU"] == "Windows2025"
    assert pool.body["properties"]["enableFIPS"] is True
    assert "--enable-fips-image" in pool.az
    older = plan.build(WizardConfig.model_validate(
        {"windows": {"enabled": True, "os_sku": "Windows2022"}})).step("agent_pool:npwin")
    assert "enableFIPS" not in older.body["properties"]
