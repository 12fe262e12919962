"""Preflight on the sandbox: each check passing and failing, and each step's status."""

from __future__ import annotations

from typing import Any

import pytest

from wizard import plan as planner
from wizard.azure import preflight
from wizard.azure.backend import AzureBackend
from wizard.azure.discovery import Discovery, KubernetesMinor, KubernetesVersions
from wizard.model.config import WizardConfig
from wizard.run.events import StepSucceeded
from wizard.run.executor import Executor
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox
from wizard.sandbox.resources.discovery import PRINCIPAL_ENV, QUOTA_ENV


def config(outbound: dict[str, Any], **cluster: Any) -> WizardConfig:
    cluster.setdefault("resource_group", "new-rg")
    cluster.setdefault("location", "eastus2")
    return WizardConfig.model_validate({"cluster": cluster, "outbound": outbound})


USER_ASSIGNED = {"type": "user_assigned", "zones": "1"}
ON_DEMO_VNET = {"type": "user_assigned", "vnet_name": "demo-vnet",
                "vnet_address_space": "10.10.0.0/16"}


def run(cfg: WizardConfig, backend: AzureBackend) -> preflight.PreflightReport:
    return preflight.run(cfg, planner.build(cfg, backend.subscription_id), backend)


def codes(report: preflight.PreflightReport, severity: str = "error") -> set[str]:
    return {f.code for f in report.findings if f.severity == severity}


def test_a_new_cluster_in_a_new_group_passes_and_creates_everything(
        backend: AzureBackend) -> None:
    report = run(config(USER_ASSIGNED), backend)
    assert report.ok, report.findings
    assert set(report.step_status.values()) == {"create"}
    assert report.to_dict()["ok"] is True


def test_principal_without_role_assignment_rights(backend: AzureBackend,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PRINCIPAL_ENV, "contributor")
    report = run(config(USER_ASSIGNED), backend)
    assert codes(report) == {"preflight.role_assignment_rights"}
    assert "User Access Administrator" in report.findings[0].message
    # A managed NAT gateway assigns no role: a contributor may apply it.
    assert run(config({"type": "managed"}), backend).ok


def test_owner_on_an_existing_group_may_assign_roles(backend: AzureBackend,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PRINCIPAL_ENV, "owner")
    cfg = config({**ON_DEMO_VNET, "subnet_name": "aks-subnet",
                  "subnet_prefix": "10.10.0.0/22"}, resource_group="demo-rg")
    assert "preflight.role_assignment_rights" not in codes(run(cfg, backend))


def test_public_ip_quota(backend: AzureBackend, discovery: Discovery,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    used, _ = discovery.public_ip_usage("eastus2")  # type: ignore[misc]
    monkeypatch.setenv(QUOTA_ENV, str(used + 1))  # one public IP left in the region
    one = run(config({**USER_ASSIGNED, "ip_count": 1}), backend)
    assert "preflight.public_ip_quota" not in codes(one)
    two = run(config({**USER_ASSIGNED, "ip_count": 2}), backend)
    assert codes(two) == {"preflight.public_ip_quota"}
    assert "1 left" in two.findings[0].message
    managed = run(config({"type": "managed", "ip_count": 3}), backend)  # AKS's own IPs count
    assert codes(managed) == {"preflight.public_ip_quota"}


def test_subnet_too_small_uses_the_existing_subnets_real_size(backend: AzureBackend) -> None:
    # The config says /22, but small-subnet exists as a /28: the real size decides.
    cfg = config({**ON_DEMO_VNET, "subnet_name": "small-subnet",
                  "subnet_prefix": "10.10.8.0/22"}, resource_group="demo-rg")
    report = run(cfg, backend)
    assert "preflight.subnet_too_small" in codes(report)
    assert "10.10.8.0/28" in next(f.message for f in report.findings
                                  if f.code == "preflight.subnet_too_small")
    fits = config({**ON_DEMO_VNET, "subnet_name": "aks-subnet", "subnet_prefix": "10.10.0.0/22"},
                  resource_group="demo-rg")
    assert "preflight.subnet_too_small" not in codes(run(fits, backend))


def test_a_new_subnet_too_small_for_the_pods(backend: AzureBackend) -> None:
    cfg = config({**USER_ASSIGNED, "subnet_prefix": "10.0.0.0/26"}, node_count=3)
    assert "preflight.subnet_too_small" in codes(run(cfg, backend))


def test_subnet_bound_to_another_nat_gateway(backend: AzureBackend) -> None:
    cfg = config({**ON_DEMO_VNET, "subnet_name": "shared-subnet",
                  "subnet_prefix": "10.10.9.0/24"}, resource_group="demo-rg")
    report = run(cfg, backend)
    assert "preflight.subnet_has_other_nat_gateway" in codes(report)
    finding = next(f for f in report.findings
                   if f.code == "preflight.subnet_has_other_nat_gateway")
    assert finding.field == "outbound.subnet_name" and "shared-natgw" in finding.message
    # Naming that very gateway reuses it: no conflict.
    reuse = config({**ON_DEMO_VNET, "subnet_name": "shared-subnet",
                    "subnet_prefix": "10.10.9.0/24", "nat_gateway_name": "shared-natgw"},
                   resource_group="demo-rg")
    assert "preflight.subnet_has_other_nat_gateway" not in codes(run(reuse, backend))


def test_a_new_subnet_overlapping_one_in_the_existing_vnet(backend: AzureBackend) -> None:
    clash = config({**ON_DEMO_VNET, "subnet_name": "new-subnet",
                    "subnet_prefix": "10.10.2.0/23"}, resource_group="demo-rg")
    report = run(clash, backend)
    (finding,) = [f for f in report.findings if f.code == "existing.subnet_overlap"]
    assert finding.field == "outbound.subnet_prefix"
    assert "aks-subnet (10.10.0.0/22)" in finding.message and "10.10.4.0/23" in finding.message
    free = config({**ON_DEMO_VNET, "subnet_name": "new-subnet",
                   "subnet_prefix": "10.10.4.0/23"}, resource_group="demo-rg")
    assert "existing.subnet_overlap" not in codes(run(free, backend))


class OldDefault(Discovery):
    """The region's default version is older than Windows without OutboundNAT allows."""

    def kubernetes_versions(self, location: str) -> KubernetesVersions:
        return KubernetesVersions(location, (KubernetesMinor("1.25", ("1.25.6",), True),))


WINDOWS = {"enabled": True, "disable_outbound_nat": True}


def test_windows_outbound_nat_needs_126_using_the_regions_default(
        backend: AzureBackend) -> None:
    cfg = WizardConfig.model_validate({"cluster": {"resource_group": "new-rg"},
                                       "outbound": {"type": "managed"}, "windows": WINDOWS})
    old = preflight.windows_version_findings(cfg, OldDefault(backend))
    assert [f.code for f in old] == ["preflight.windows_outbound_nat_version"]
    assert "1.25.6" in old[0].message and "default" in old[0].message
    # The sandbox's regions default to 1.33: fine.
    assert "preflight.windows_outbound_nat_version" not in codes(run(cfg, backend))
    kept = WizardConfig.model_validate({"cluster": {"resource_group": "new-rg"},
                                        "outbound": {"type": "managed"},
                                        "windows": {**WINDOWS, "disable_outbound_nat": False}})
    assert preflight.windows_version_findings(kept, OldDefault(backend)) == []


def apply(cfg: WizardConfig, backend: AzureBackend) -> list[str]:
    plan = planner.build(cfg, backend.subscription_id)
    outcomes: list[str] = []
    executor = Executor(backend, Journal.create(plan, cfg, "sandbox"),
                        on_event=lambda e: outcomes.append(e.outcome)
                        if isinstance(e, StepSucceeded) else None)
    assert executor.apply(plan).status == "succeeded"
    return outcomes


def test_after_apply_every_step_exists_and_is_ours_then_drift_is_seen(
        backend: AzureBackend) -> None:
    cfg = config(USER_ASSIGNED)
    apply(cfg, backend)
    report = run(cfg, backend)
    assert set(report.step_status.values()) == {"exists"}
    assert {key for key, step in report.steps.items() if step.ours is None} == {
        "subnet:myVnet/myNatCluster", "role_assignment:myNatCluster"}
    assert all(step.ours for step in report.steps.values() if step.ours is not None)
    assert "preflight.reused" in codes(report, "info")
    changed = config({**USER_ASSIGNED, "idle_timeout_minutes": 10})
    drift = run(changed, backend)
    drifted = [key for key, status in drift.step_status.items() if status == "drift"]
    assert drifted == ["nat_gateway:myNatGateway"]
    assert codes(drift, "warning") == {"preflight.drift"}
    assert "idleTimeoutInMinutes" in drift.steps["nat_gateway:myNatGateway"].differences[0]


def test_a_name_taken_by_someone_elses_resource_is_a_conflict(backend: AzureBackend) -> None:
    cfg = config({**ON_DEMO_VNET, "vnet_address_space": "10.20.0.0/16",
                  "subnet_prefix": "10.20.0.0/22"}, resource_group="demo-rg")
    report = run(cfg, backend)
    assert report.step_status["virtual_network:demo-vnet"] == "drift"
    assert not report.steps["virtual_network:demo-vnet"].ours
    conflict = next(f for f in report.findings if f.code == "preflight.name_conflict")
    assert conflict.field == "outbound.vnet_name" and "--allow-drift" in conflict.message
    assert report.step_status["resource_group"] == "exists"  # someone's group, reused as is


def test_preflight_reads_only(demo: Sandbox, backend: AzureBackend,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    run(config(USER_ASSIGNED), backend)
    run(config({**ON_DEMO_VNET, "subnet_name": "shared-subnet", "subnet_prefix": "10.10.9.0/24"},
               resource_group="demo-rg"), backend)
    assert {entry.method for entry in demo.request_log} == {"GET"}


def test_addresses_needed_counts_pods_surge_and_reserved() -> None:
    azure = config(USER_ASSIGNED, node_count=3, max_pods=30)
    assert preflight.addresses_needed(azure) == 4 * 31 + 5
    kubenet = config(USER_ASSIGNED, node_count=3, network_plugin="kubenet")
    assert preflight.addresses_needed(kubenet) == 4 + 5


def test_action_matching_follows_arm_wildcards() -> None:
    allowed = preflight._action_allowed
    write = preflight.ROLE_ASSIGNMENT_WRITE
    assert allowed(write, [(["*"], [])])
    assert not allowed(write, [(["*"], ["Microsoft.Authorization/*/Write"])])
    assert allowed(write, [(["Microsoft.Authorization/roleAssignments/*"], [])])
    assert not allowed(write, [(["*/read"], [])])
    assert allowed(write, [(["*/read"], []), (["microsoft.authorization/*"], [])])


class _Regions:
    """Only what sku_region_findings reads: the subscription's regions and their zones."""

    def __init__(self, *locations: Any) -> None:
        self._locations = list(locations)

    def locations(self) -> list[Any]:
        return self._locations


def test_a_region_the_sku_table_does_not_know_is_a_warning() -> None:
    from wizard.azure.discovery import Location

    cfg = config({"type": "managed"}, location="marsnorth")
    (finding,) = preflight.sku_region_findings(
        cfg, _Regions(Location("marsnorth", "Mars North")))  # type: ignore[arg-type]
    assert (finding.severity, finding.code, finding.fact) == (
        "warning", "preflight.sku_region_unknown", "sku.v2-regions")
    assert preflight.sku_region_findings(config({"type": "managed"}),
                                         _Regions()) == []  # type: ignore[arg-type]


def test_zone_redundant_ips_in_a_region_the_subscription_sees_without_zones() -> None:
    from wizard.azure.discovery import Location

    cfg = config({"type": "user_assigned", "sku": "StandardV2"})
    flat = _Regions(Location("eastus2", "East US 2"))
    (finding,) = preflight.sku_region_findings(cfg, flat)  # type: ignore[arg-type]
    assert finding.code == "preflight.zones_disagree"
    zoned = _Regions(Location("eastus2", "East US 2", ("1", "2", "3")))
    assert preflight.sku_region_findings(cfg, zoned) == []  # type: ignore[arg-type]


def test_a_standard_v2_plan_passes_preflight_in_the_sandbox(backend: AzureBackend) -> None:
    report = run(config({"type": "user_assigned", "sku": "StandardV2"}), backend)
    assert report.ok, report.findings
    assert not {f.code for f in report.findings} & {"preflight.sku_region_unknown",
                                                    "preflight.zones_disagree"}
