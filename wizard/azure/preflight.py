"""Preflight: what Azure would refuse, or what would go wrong, seen before anything is created.

`run(config, plan, backend)` reads the subscription (through `Discovery`, i.e. the backend's SDK
clients) and returns a `PreflightReport`: findings (the same `Finding` every front end shows) and
the status of every plan step against what exists:

- `create`: nothing by that name, the step will create it;
- `exists`: a resource by that name already matches the plan, the step is skipped (it is reused;
  the report says whether the wizard made it or it is yours);
- `drift`: a resource by that name differs from the plan; apply stops there unless the user
  passes `--allow-drift` (a resource the wizard did not create is never modified silently).

Checks, each a finding when it fails (codes `preflight.*`, `discovery.*`):
- the region, Kubernetes version, VM sizes and zones exist (`discovery_findings`);
- the signed-in principal may create role assignments on the scope, when the plan has any;
- the region's public IP quota covers the IPs the plan creates (AKS's managed ones included);
- names are free or already ours; a resource that differs is drift or a conflict;
- the subnet's address space fits the nodes and, with Azure CNI, their pods;
- an existing subnet is not bound to another NAT gateway, and a new one does not overlap one
  already in the VNet;
- Windows without OutboundNAT needs Kubernetes >= 1.26, using the region's default version
  when the config leaves it empty.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from wizard.azure.backend import AzureError
from wizard.azure.discovery import Discovery, DiscoveryError, SubnetInfo
from wizard.azure.existing_ips import existing_public_ip_findings
from wizard.azure.offers import fetch_offers, network_findings, offer_findings
from wizard.model import lifecycle, regions
from wizard.model.config import (
    NAT_DOC,
    WINDOWS_OUTBOUND_NAT_MIN_VERSION,
    LoadBalancerOutbound,
    ManagedOutbound,
    UserAssignedOutbound,
    WizardConfig,
    parse_version,
)
from wizard.model.findings import Finding, sort_findings
from wizard.model.rules import subnet_demand
from wizard.plan import KINDS, MANAGED_BY_TAG, Plan, Step

StepStatus = Literal["create", "exists", "drift"]
TAGLESS_KINDS = frozenset(name for name, kind in KINDS.items() if not kind.tagged)
"""Kinds Azure keeps no tags on (`Kind.tagged`), whose maker cannot be told."""
ROLE_ASSIGNMENT_WRITE = "Microsoft.Authorization/roleAssignments/write"
AZURE_CNI_RESERVED = 5
"""Azure keeps the first four and the last address of every subnet."""
RBAC_DOC = "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-steps"
QUOTA_DOC = "https://learn.microsoft.com/azure/quotas/networking-quota-requests"
SUBNET_DOC = "https://learn.microsoft.com/azure/aks/azure-cni-overview#plan-ip-addressing-for-your-cluster"


@dataclass(frozen=True)
class StepReport:
    """What exists for one step: its status, whether the wizard made it, and why it drifted."""

    key: str
    status: StepStatus
    ours: bool | None = False
    """Tagged by the wizard; None for kinds that carry no tags (subnets, role assignments, node
    pools), whose maker cannot be told."""
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreflightReport:
    findings: tuple[Finding, ...]
    step_status: dict[str, StepStatus]
    steps: dict[str, StepReport] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def reused(self) -> list[str]:
        """Keys of steps whose resource already exists as planned (skipped at apply)."""
        return [key for key, status in self.step_status.items() if status == "exists"]

    def to_dict(self) -> dict[str, Any]:
        """The `preflight` object of `plan --preflight --output json`."""
        return {
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
            "steps": {
                key: {"status": report.status, "ours": report.ours,
                      "differences": list(report.differences)}
                for key, report in self.steps.items()
            },
        }


# -- discovery-driven validation ---------------------------------------------------------------

def discovery_findings(config: WizardConfig, discovery: Discovery) -> list[Finding]:
    """What the chosen region offers, checked against the config: region, zones, Kubernetes
    version, VM sizes (`offers.offer_findings` on what `discovery` reads). Each problem is an
    error on the field to change."""
    return offer_findings(config, fetch_offers(discovery, config.cluster.location))


def effective_kubernetes_version(config: WizardConfig, discovery: Discovery) -> str | None:
    """The version the cluster will run: the config's, or the region's default."""
    if config.cluster.kubernetes_version:
        return config.cluster.kubernetes_version
    return discovery.kubernetes_versions(config.cluster.location).default


# -- individual checks -------------------------------------------------------------------------

def _action_allowed(action: str, entries: list[tuple[list[str], list[str]]]) -> bool:
    """ARM's rule: allowed when one permission entry matches in actions and not in notActions."""
    wanted = action.lower()
    for actions, not_actions in entries:
        if any(fnmatch.fnmatchcase(wanted, a.lower()) for a in actions) and not any(
            fnmatch.fnmatchcase(wanted, n.lower()) for n in not_actions
        ):
            return True
    return False


def role_assignment_findings(plan: Plan, discovery: Discovery) -> list[Finding]:
    if not any(step.kind == "role_assignment" for step in plan.steps):
        return []
    entries = discovery.permissions(plan.resource_group)
    if _action_allowed(ROLE_ASSIGNMENT_WRITE, entries):
        return []
    return [Finding(
        "error", "",
        f"you cannot create role assignments in resource group {plan.resource_group}: the plan "
        "gives the cluster's identity Network Contributor on its subnet, which needs Owner or "
        "User Access Administrator (Microsoft.Authorization/roleAssignments/write) there. Ask an "
        "owner to grant it, or to run the apply",
        RBAC_DOC, "preflight.role_assignment_rights")]


def public_ips_needed(plan: Plan, status: dict[str, StepStatus], config: WizardConfig) -> int:
    """Public IPs this apply adds in the region: the plan's own, plus what AKS creates."""
    count = sum(1 for step in plan.steps
                if step.kind == "public_ip" and status.get(step.key) == "create")
    cluster_new = any(step.kind == "managed_cluster" and status.get(step.key) == "create"
                      for step in plan.steps)
    out = config.outbound
    if cluster_new and isinstance(out, ManagedOutbound | LoadBalancerOutbound):
        count += out.ip_count
    return count


def quota_findings(config: WizardConfig, plan: Plan, status: dict[str, StepStatus],
                   discovery: Discovery) -> list[Finding]:
    needed = public_ips_needed(plan, status, config)
    if not needed:
        return []
    usage = discovery.public_ip_usage(config.cluster.location)
    if usage is None:
        return [Finding("warning", "outbound.ip_count",
                        f"could not read the public IP quota of {config.cluster.location}",
                        QUOTA_DOC, "preflight.quota_unknown")]
    current, limit = usage
    left = max(limit - current, 0)
    if needed <= left:
        return []
    return [Finding(
        "error", "outbound.ip_count",
        f"the plan adds {needed} public IP(s) in {config.cluster.location}, but the region's "
        f"quota has {left} left ({current} of {limit} in use): lower the IP count, delete unused "
        "IPs, or request more quota",
        QUOTA_DOC, "preflight.public_ip_quota")]


def addresses_needed(config: WizardConfig) -> int:
    """Addresses one node subnet needs with one surge node per pool: the same arithmetic as the
    `subnet.too_small` rule (`rules.subnet_demand`), applied here to the subnet's real size."""
    return subnet_demand(config)[1]


def subnet_fit_findings(config: WizardConfig, prefixes: dict[str, str]) -> list[Finding]:
    """`prefixes`: subnet name -> the prefix it has (existing) or will have (planned)."""
    needed = addresses_needed(config)
    found = []
    for name, prefix in prefixes.items():
        size = ipaddress.ip_network(prefix, strict=False).num_addresses
        if size < needed:
            pods = (f" x {config.cluster.max_pods + 1} (max pods + 1, Azure CNI)"
                    if config.cluster.network_plugin == "azure" else "")
            found.append(Finding(
                "error", "outbound.subnet_prefix",
                f"subnet {name} ({prefix}) has {size} addresses; the nodes need {needed} (nodes "
                f"plus one surge node per pool{pods}, plus {AZURE_CNI_RESERVED} Azure reserves): "
                "use a larger subnet or fewer nodes or pods",
                SUBNET_DOC, "preflight.subnet_too_small"))
    return found


def subnet_binding_findings(plan: Plan, existing: dict[str, SubnetInfo]) -> list[Finding]:
    """An existing subnet already on a NAT gateway other than the plan's is a conflict."""
    found = []
    for step in plan.steps:
        if step.kind != "subnet" or step.key not in existing:
            continue
        wanted = ((step.body.get("properties") or {}).get("natGateway") or {}).get("id", "")
        current = existing[step.key].nat_gateway_id
        if current and current.lower() != str(wanted).lower():
            found.append(Finding(
                "error", "outbound.subnet_name",
                f"subnet {step.name} is already bound to NAT gateway "
                f"{current.rsplit('/', 1)[-1]}; a subnet has one NAT gateway. Use that gateway "
                "(outbound.nat_gateway_name), another subnet, or detach it first",
                NAT_DOC, "preflight.subnet_has_other_nat_gateway"))
    return found


def windows_version_findings(config: WizardConfig, discovery: Discovery) -> list[Finding]:
    win = config.windows
    if not (win.enabled and win.disable_outbound_nat):
        return []
    version = effective_kubernetes_version(config, discovery)
    parsed = parse_version(version) if version else None
    if parsed is None or parsed[:2] >= WINDOWS_OUTBOUND_NAT_MIN_VERSION:
        return []
    source = "" if config.cluster.kubernetes_version else f" ({config.cluster.location}'s default)"
    return [Finding(
        "error", "cluster.kubernetes_version",
        f"disabling Windows OutboundNAT needs Kubernetes 1.26 or newer; the cluster would run "
        f"{version}{source}: set cluster.kubernetes_version to 1.26 or later",
        NAT_DOC, "preflight.windows_outbound_nat_version")]


def windows_os_sku_findings(config: WizardConfig, discovery: Discovery) -> list[Finding]:
    """The Windows OS SKU's lifecycle on the version the cluster will really run: with no
    version set, the region's default, which only the subscription knows (the rules checked
    an explicit version already)."""
    if not config.windows.enabled or config.cluster.kubernetes_version:
        return []
    version = effective_kubernetes_version(config, discovery)
    parsed = parse_version(version) if version else None
    if parsed is None:
        return []
    return [replace(finding, code=f"preflight.{finding.code}",
                    message=f"{finding.message} ({config.cluster.location}'s default "
                    f"Kubernetes version is {version})")
            for finding in lifecycle.os_sku_findings(config.windows.os_sku, parsed[:2],
                                                     lifecycle.today())
            if finding.severity == "error" or "version" in finding.code]


def sku_region_findings(config: WizardConfig, discovery: Discovery) -> list[Finding]:
    """The SKU region table (fact sku.v2-regions) against the subscription's view of the region:
    a region the table does not know is a warning (StandardV2 may be refused), and StandardV2
    public IPs planned zone-redundant in a region the subscription sees without zones too."""
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound):
        return []
    location = config.cluster.location
    found: list[Finding] = []
    if regions.standard_v2_offer(location) == "unknown":
        found.append(Finding(
            "warning", "outbound.sku",
            f"{location} is not in Azure's NAT SKU or region lists, so whether it offers "
            f"StandardV2 NAT gateways is unknown; the plan asks for {out.sku}. If Azure refuses "
            "it, choose the other SKU.", regions.NAT_SKU_DOC, "preflight.sku_region_unknown",
            "sku.v2-regions"))
    here = next((loc for loc in discovery.locations()
                 if regions.region_key(loc.name) == regions.region_key(location)), None)
    if (here is not None and not here.has_zones and out.sku == "StandardV2"
            and isinstance(out, UserAssignedOutbound) and regions.has_zones(location)):
        found.append(Finding(
            "warning", "cluster.location",
            f"The region list says {location} has availability zones, but your subscription "
            "sees none there; the plan creates StandardV2 public IPs in zones 1, 2 and 3, which "
            "Azure would refuse.", regions.REGIONS_DOC, "preflight.zones_disagree",
            "ip.v2-zones"))
    return found


# -- step status -------------------------------------------------------------------------------

Reader = Callable[[Step], "dict[str, Any] | None"]


def step_reports(plan: Plan, read: Reader) -> dict[str, StepReport]:
    """Each step against what exists, with the executor's own comparison (`wizard.plan.drift`)."""
    from wizard.plan import drift

    reports: dict[str, StepReport] = {}
    found: dict[str, dict[str, Any]] = {}
    for step in plan.steps:
        body = _resolve_known(step.body, found)
        actual = read(replace(step, body=body))
        if actual is None:
            reports[step.key] = StepReport(step.key, "create")
            continue
        found[step.key] = actual
        tags = actual.get("tags") or {}
        ours: bool | None = all(tags.get(key) == value for key, value in MANAGED_BY_TAG.items())
        if step.kind in TAGLESS_KINDS:
            ours = None
        differences = drift.compare(body, actual)
        status: StepStatus = "drift" if differences else "exists"
        reports[step.key] = StepReport(step.key, status, ours,
                                       tuple(str(d) for d in differences))
    return reports


_REF = re.compile(r"\{\{ref:(.+):([^:{}]+)\}\}")


def _resolve_known(value: Any, found: dict[str, dict[str, Any]]) -> Any:
    """`value` with each `{{ref:STEP:path}}` whose step's resource exists replaced by the value
    Azure has (an identity's principalId), as the executor does at apply time."""
    if isinstance(value, str):
        match = _REF.fullmatch(value)
        if match and match.group(1) in found:
            data: Any = found[match.group(1)]
            for part in match.group(2).split("."):
                data = data.get(part) if isinstance(data, dict) else None
            return data if data is not None else value
        return value
    if isinstance(value, dict):
        return {k: _resolve_known(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_known(item, found) for item in value]
    return value


def status_findings(plan: Plan, reports: dict[str, StepReport]) -> list[Finding]:
    """Reused resources (info) and drift or name conflicts (warnings: apply stops there)."""
    found = []
    for step in plan.steps:
        report = reports[step.key]
        owner = {True: "created by the wizard", False: "not created by the wizard",
                 None: "its maker unknown: Azure keeps no tags on it"}[report.ours]
        if report.status == "exists":
            found.append(Finding(
                "info", _field_of(step),
                f"{step.kind.replace('_', ' ')} {step.name} already exists as planned "
                f"({owner}): it is reused, not changed", NAT_DOC, "preflight.reused"))
        elif report.status == "drift":
            detail = "; ".join(report.differences[:3])
            if report.ours is not False:
                message = (f"{step.kind.replace('_', ' ')} {step.name} exists ({owner}) but "
                           f"differs from the plan: {detail}. Apply stops there unless you pass "
                           "--allow-drift to update it")
                code = "preflight.drift"
            else:
                message = (f"the name {step.name} is taken by a {step.kind.replace('_', ' ')} "
                           f"{owner} whose settings differ: {detail}. Choose another name, or "
                           "pass --allow-drift to apply to modify it")
                code = "preflight.name_conflict"
            found.append(Finding("warning", _field_of(step), message, NAT_DOC, code))
    return found


def _field_of(step: Step) -> str:
    return KINDS[step.kind].config_field


def _existing_subnets(plan: Plan, config: WizardConfig, discovery: Discovery
                      ) -> dict[str, SubnetInfo]:
    out = config.outbound
    if not isinstance(out, UserAssignedOutbound):
        return {}
    vnet = discovery.virtual_network(config.cluster.resource_group, out.vnet_name) \
        if discovery.resource_group(config.cluster.resource_group) else None
    if vnet is None:
        return {}
    found = {}
    for step in plan.steps:
        if step.kind == "subnet":
            subnet = vnet.subnet(step.name)
            if subnet is not None:
                found[step.key] = subnet
    return found


def subnet_overlap_findings(config: WizardConfig, discovery: Discovery) -> list[Finding]:
    """A new subnet whose range overlaps a subnet already in the (existing) VNet: Azure would
    refuse it half-way through the apply. (An existing VNet or subnet with other ranges is
    drift, reported with each step's status.)"""
    out = config.outbound
    group = config.cluster.resource_group
    if not isinstance(out, UserAssignedOutbound) or discovery.resource_group(group) is None:
        return []
    vnet = discovery.virtual_network(group, out.vnet_name)
    return [f for f in network_findings(config, vnet) if f.code == "existing.subnet_overlap"]


def _subnet_prefixes(plan: Plan, existing: dict[str, SubnetInfo]) -> dict[str, str]:
    prefixes = {}
    for step in plan.steps:
        if step.kind != "subnet":
            continue
        if step.key in existing and existing[step.key].address_prefix:
            prefixes[step.name] = existing[step.key].address_prefix
        else:
            props = step.body.get("properties") or {}
            # A dual-stack subnet lists its IPv4 and IPv6 ranges; the IPv4 one is checked.
            prefixes[step.name] = str(props.get("addressPrefix")
                                      or next(iter(props.get("addressPrefixes") or []), ""))
    return prefixes


# -- the whole preflight -----------------------------------------------------------------------

def run(config: WizardConfig, plan: Plan, backend: Any, *,
        discovery: Discovery | None = None, read: Reader | None = None) -> PreflightReport:
    """Every check against the subscription `backend` reaches. Never raises for what Azure
    answers: an unreadable answer becomes a finding.

    `read(step)` returns the resource's ARM body or None; by default the backend's own read
    (the one the executor uses), so preflight and apply agree on what exists.
    """
    discovery = discovery or Discovery(backend)
    read = read or _backend_reader(backend)
    found: list[Finding] = []
    try:
        found += discovery_findings(config, discovery)
        reports = step_reports(plan, read)
        status = {key: report.status for key, report in reports.items()}
        found += status_findings(plan, reports)
        found += role_assignment_findings(plan, discovery)
        found += quota_findings(config, plan, status, discovery)
        existing = _existing_subnets(plan, config, discovery)
        found += subnet_fit_findings(config, _subnet_prefixes(plan, existing))
        found += subnet_binding_findings(plan, existing)
        found += subnet_overlap_findings(config, discovery)
        found += existing_public_ip_findings(config, plan, read, discovery.subscription_id)
        found += sku_region_findings(config, discovery)
        if not any(f.code == "discovery.unknown_location" for f in found):
            found += windows_version_findings(config, discovery)
            found += windows_os_sku_findings(config, discovery)
    except (DiscoveryError, AzureError) as error:
        found.append(Finding("error", "", f"could not read the subscription: {error}", NAT_DOC,
                             "preflight.unreadable"))
        reports = {}
    return PreflightReport(tuple(sort_findings(found)),
                           {key: report.status for key, report in reports.items()}, reports)


def _backend_reader(backend: Any) -> Reader:
    read = backend.get

    def reader(step: Step) -> dict[str, Any] | None:
        result = read(step)
        return dict(result) if result is not None else None

    return reader
