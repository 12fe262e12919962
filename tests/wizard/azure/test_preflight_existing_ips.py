"""Preflight of reused public IPs (`outbound.public_ip_ids`) on the demo sandbox: each check
passing and failing, a re-run after apply, and the quota that does not count them."""

from __future__ import annotations

from typing import Any

import pytest
from azure.mgmt.network import models as nm

from wizard import plan as planner
from wizard.azure import preflight
from wizard.azure.backend import AzureBackend
from wizard.model.config import WizardConfig
from wizard.run.executor import Executor
from wizard.run.journal import Journal
from wizard.sandbox.resources.discovery import QUOTA_ENV
from wizard.sandbox.scenarios.seeds import DEMO_GROUP, DEMO_RESERVED_IP

OTHER_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"


def ip_id(backend: AzureBackend, name: str, group: str = DEMO_GROUP,
          subscription: str | None = None) -> str:
    return (f"/subscriptions/{subscription or backend.subscription_id}/resourceGroups/{group}/"
            f"providers/Microsoft.Network/publicIPAddresses/{name}")


def make_ip(backend: AzureBackend, name: str, *, location: str = "eastus2",
            sku: str = "Standard", method: str = "Static", version: str = "IPv4",
            zones: list[str] | None = None) -> str:
    """A public IP in demo-rg, made through the backend's own network client."""
    body = nm.PublicIPAddress(location=location, sku=nm.PublicIPAddressSku(name=sku),
                              public_ip_allocation_method=method,
                              public_ip_address_version=version, zones=zones)
    ops = backend.client("network").public_ip_addresses
    return str(ops.begin_create_or_update(DEMO_GROUP, name, body).result().id)


def config(ids: list[str], **outbound: Any) -> WizardConfig:
    outbound.setdefault("zones", "1")
    outbound.setdefault("sku", "Standard")  # the reused IPs below are Standard ones
    return WizardConfig.model_validate({
        "cluster": {"resource_group": "new-rg", "location": "eastus2"},
        "outbound": {"type": "user_assigned", "public_ip_ids": ids, "ip_count": len(ids),
                     **outbound},
    })


def run(cfg: WizardConfig, backend: AzureBackend) -> preflight.PreflightReport:
    return preflight.run(cfg, planner.build(cfg, backend.subscription_id), backend)


def ip_findings(report: preflight.PreflightReport) -> dict[str, str]:
    """code -> message of the reused-IP findings (every one is an error on the field)."""
    found = [f for f in report.findings if f.code.startswith("preflight.public_ip_")
             and f.code != "preflight.public_ip_quota"]
    assert all(f.severity == "error" and f.field == "outbound.public_ip_ids" for f in found)
    return {f.code: f.message for f in found}


def test_the_reserved_demo_ip_passes(backend: AzureBackend) -> None:
    report = run(config([ip_id(backend, DEMO_RESERVED_IP)]), backend)
    assert report.ok, report.findings
    assert ip_findings(report) == {}
    assert not [key for key in report.step_status if key.startswith("public_ip:")]


def test_a_missing_ip_or_group(backend: AzureBackend) -> None:
    report = run(config([ip_id(backend, "ghost"), ip_id(backend, "x", group="no-such-rg")]),
                 backend)
    assert list(ip_findings(report)) == ["preflight.public_ip_missing"] and not report.ok
    messages = sorted(f.message for f in report.findings
                      if f.code == "preflight.public_ip_missing")
    assert len(messages) == 2
    assert messages[0].startswith("public IP ghost does not exist in resource group demo-rg")
    assert messages[1].startswith("public IP x does not exist in resource group no-such-rg")
    assert "az network public-ip show --ids" in messages[0]


def test_an_ip_of_another_subscription(backend: AzureBackend) -> None:
    other = ip_id(backend, DEMO_RESERVED_IP, subscription=OTHER_SUBSCRIPTION)
    found = ip_findings(run(config([other]), backend))
    assert list(found) == ["preflight.public_ip_subscription"]
    assert OTHER_SUBSCRIPTION in found["preflight.public_ip_subscription"]
    assert backend.subscription_id in found["preflight.public_ip_subscription"]


def test_an_ip_of_another_region(backend: AzureBackend) -> None:
    far = make_ip(backend, "far-ip", location="westeurope", zones=["1", "2", "3"])
    found = ip_findings(run(config([far]), backend))
    assert list(found) == ["preflight.public_ip_region"]
    assert "westeurope" in found["preflight.public_ip_region"]
    assert "eastus2" in found["preflight.public_ip_region"]


@pytest.mark.parametrize(("gateway_sku", "ip_sku"), [
    ("Standard", "StandardV2"), ("StandardV2", "Standard"), ("Standard", "Basic")])
def test_the_ip_sku_must_match_the_gateway(backend: AzureBackend, gateway_sku: str,
                                           ip_sku: str) -> None:
    method = "Dynamic" if ip_sku == "Basic" else "Static"
    made = make_ip(backend, f"sku-{ip_sku.lower()}", sku=ip_sku, method=method,
                   zones=None if ip_sku == "Basic" else ["1", "2", "3"])
    zones = "" if gateway_sku == "StandardV2" else "1"
    found = ip_findings(run(config([made], sku=gateway_sku, zones=zones), backend))
    assert "preflight.public_ip_sku" in found
    assert f"has SKU {ip_sku}" in found["preflight.public_ip_sku"]
    assert f"a {gateway_sku} NAT gateway needs {gateway_sku} public IPs" in \
        found["preflight.public_ip_sku"]


def test_a_standardv2_ip_suits_a_standardv2_gateway(backend: AzureBackend) -> None:
    v2 = make_ip(backend, "v2-ip", sku="StandardV2", zones=["1", "2", "3"])
    assert ip_findings(run(config([v2], sku="StandardV2", zones=""), backend)) == {}


def test_a_dynamic_ip_is_refused(backend: AzureBackend) -> None:
    dynamic = make_ip(backend, "dynamic-ip", sku="Basic", method="Dynamic")
    found = ip_findings(run(config([dynamic], zones=""), backend))
    assert "allocated Dynamic" in found["preflight.public_ip_not_static"]


def test_an_ipv6_ip_is_refused(backend: AzureBackend) -> None:
    six = make_ip(backend, "v6-ip", version="IPv6", zones=["1", "2", "3"])
    found = ip_findings(run(config([six]), backend))
    assert list(found) == ["preflight.public_ip_not_ipv4"]


def test_an_ip_of_another_nat_gateway_is_refused(backend: AzureBackend) -> None:
    found = ip_findings(run(config([ip_id(backend, "shared-natgw-ip1")], zones=""), backend))
    assert list(found) == ["preflight.public_ip_in_use"]
    assert "NAT gateway shared-natgw" in found["preflight.public_ip_in_use"]


def test_an_ip_held_by_a_load_balancer_is_refused(backend: AzureBackend) -> None:
    cluster = backend.client("containerservice").managed_clusters.get(DEMO_GROUP, "lb-cluster")
    held = cluster.network_profile.load_balancer_profile.effective_outbound_i_ps[0].id
    found = ip_findings(run(config([held], zones=""), backend))
    assert list(found) == ["preflight.public_ip_in_use"]
    assert "ipConfiguration" in found["preflight.public_ip_in_use"]
    assert "loadBalancers/kubernetes" in found["preflight.public_ip_in_use"]


@pytest.mark.parametrize(("gateway_zones", "ip_zones", "ok"), [
    ("1", ["1"], True),
    ("1", ["1", "2", "3"], True),  # zone-redundant
    ("1", ["2"], False),
    ("1", None, False),  # no zone: not for a zonal gateway
    ("", ["2"], True),  # a gateway without a zone takes any
    ("", None, True),
])
def test_the_ip_zone_must_suit_the_gateway(backend: AzureBackend, gateway_zones: str,
                                           ip_zones: list[str] | None, ok: bool) -> None:
    made = make_ip(backend, f"zone-{'-'.join(ip_zones or ['none'])}", zones=ip_zones)
    found = ip_findings(run(config([made], zones=gateway_zones), backend))
    assert ("preflight.public_ip_zone" not in found) is ok, found
    if not ok:
        assert "zone 1" in found["preflight.public_ip_zone"]


def test_a_rerun_after_apply_finds_the_ip_on_its_own_gateway(backend: AzureBackend) -> None:
    cfg = config([ip_id(backend, DEMO_RESERVED_IP)])
    plan = planner.build(cfg, backend.subscription_id)
    assert Executor(backend, Journal.create(plan, cfg, "sandbox")).apply(plan).status == \
        "succeeded"
    report = run(cfg, backend)
    assert report.ok, report.findings
    assert set(report.step_status.values()) == {"exists"}
    # Another plan's gateway may not take it now.
    other = config([ip_id(backend, DEMO_RESERVED_IP)], nat_gateway_name="otherGateway")
    assert "preflight.public_ip_in_use" in ip_findings(run(other, backend))


def test_reused_ips_do_not_count_against_the_quota(backend: AzureBackend,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    used, _ = preflight.Discovery(backend).public_ip_usage("eastus2")  # type: ignore[misc]
    monkeypatch.setenv(QUOTA_ENV, str(used))  # no public IP left in the region
    reused = run(config([ip_id(backend, DEMO_RESERVED_IP)]), backend)
    assert reused.ok, reused.findings
    created = WizardConfig.model_validate({
        "cluster": {"resource_group": "new-rg", "location": "eastus2"},
        "outbound": {"type": "user_assigned", "sku": "Standard", "zones": "1"}})
    assert "preflight.public_ip_quota" in {f.code for f in run(created, backend).findings}
