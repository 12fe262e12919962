"""Changing an existing cluster's outbound type, the ways Azure allows, and what it costs.

Azure can switch a running cluster's egress (`az aks update --outbound-type`), but only along
some edges (docs/AZURE_FACTS.md, facts migrate.paths and migrate.standard-to-v2):

- the VNet AKS created: loadBalancer -> managedNATGateway;
- your own VNet: loadBalancer <-> userAssignedNATGateway;
- a managed Standard NAT gateway -> StandardV2 (`az aks update --outbound-type-sku StandardV2`:
  a new gateway, new egress IPs, no way back).

Managed and bring-your-own VNets never cross, and managedNATGateway -> loadBalancer is "Not
Supported" (the outbound-type doc's table since 2026-08). Every change ends with a node image
upgrade of every pool (fact migrate.node-image). `check_transition()` says why a direction is
refused, before anything is read or written.

`plan_migration(current, target_type, overrides, existing=None)` is pure: it returns a
`MigrationPlan` with the target config, the steps to run as an ordinary `Plan` (the executor runs
it: user-assigned pieces first, public IPs, NAT gateway, the existing subnet's association, then
the managed cluster update), the resources it modifies that the wizard did not create (so a front
end asks before touching them), and the notices people most often miss: the egress IPs change,
connections drop, the idle timeout falls from the load balancer's 30 minutes to the NAT gateway's
4 unless set. `existing` (an `ImportedCluster` from `wizard.azure.importer`) supplies what only
Azure knows: the cluster's full body (the update PUTs it back with only the network profile
changed, so nothing else is reset), the subnet's settings and today's egress IPs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from wizard import plan as planner
from wizard.model import fields, regions
from wizard.model.config import (
    LoadBalancerOutbound,
    ManagedOutbound,
    UserAssignedOutbound,
    WizardConfig,
)
from wizard.model.findings import from_validation_error

if TYPE_CHECKING:
    from wizard.azure.importer import ImportedCluster

TargetType = Literal["managed", "user_assigned", "load_balancer"]
TARGET_TYPES: tuple[TargetType, ...] = ("managed", "user_assigned", "load_balancer")
OUTBOUND_WIRE = {
    "managed": "managedNATGateway",
    "user_assigned": "userAssignedNATGateway",
    "load_balancer": "loadBalancer",
}
OUTBOUND_DOC = "https://learn.microsoft.com/azure/aks/egress-outboundtype"
LB_IDLE_DEFAULT = 30
NAT_IDLE_DEFAULT = 4

# Read-only parts of a managed cluster's body: Azure computes them and rejects or ignores them.
_READ_ONLY_TOP = ("id", "name", "type", "systemData", "etag")
_READ_ONLY_PROPERTIES = (
    "provisioningState", "powerState", "fqdn", "azurePortalFQDN", "privateFQDN",
    "currentKubernetesVersion", "maxAgentPools", "resourceUID",
)
_READ_ONLY_POOL = ("provisioningState", "powerState", "currentOrchestratorVersion",
                   "nodeImageVersion")
_READ_ONLY_SUBNET = ("provisioningState", "ipConfigurations", "purpose", "etag")

ADDRESS_KINDS = ("public_ip", "public_ip_prefix")
"""The kinds of step that bring new egress addresses, created first in a migration."""


class MigrationRefused(Exception):
    """The direction is one Azure does not support (or the input cannot be migrated)."""


@dataclass(frozen=True)
class MigrationPlan:
    """Everything a front end shows before a migration, and the steps that perform it."""

    current: WizardConfig
    target: WizardConfig
    source_type: str
    target_type: TargetType
    plan: planner.Plan
    modifies: tuple[str, ...]
    """Resource ids the migration changes that the wizard did not create: confirm first."""
    notices: tuple[str, ...]
    """What users most often miss, in the order to read it."""
    old_egress: tuple[str, ...]
    new_egress: tuple[str, ...]

    @property
    def new_ip_steps(self) -> tuple[planner.Step, ...]:
        """The public IPs and prefixes the migration creates (user_assigned only)."""
        return tuple(step for step in self.plan.steps if step.kind in ADDRESS_KINDS)

    def phases(self) -> tuple[planner.Plan, ...]:
        """The plan in the order to run it with a pause between: when it creates public IPs,
        first only those (so their addresses can be allow-listed before egress moves), then the
        whole plan (the IPs are found in place and skipped). Otherwise the plan, once."""
        ips = self.new_ip_steps
        if not ips:
            return (self.plan,)
        return (subplan(self.plan, {step.key for step in ips}), self.plan)

    @property
    def pause_note(self) -> str:
        """What to tell the user about the pause before egress moves ('' when it moves in one
        run)."""
        return ("The new public IPs are created first and their addresses shown; egress moves "
                "only when you say so." if self.new_ip_steps else "")

    def sections(self) -> list[tuple[str, list[str]]]:
        """What every front end shows before asking, as (heading, items): the steps in order,
        what people most often miss, and what it changes that the wizard did not create."""
        return [
            ("What happens, in order",
             [f"{number}. {step.summary}" for number, step in enumerate(self.plan.steps, 1)]),
            ("What people most often miss", [f"- {notice}" for notice in self.notices]),
            ("Resources the wizard did not create, which this changes",
             [f"- {resource_id}" for resource_id in self.modifies]),
        ]

    def purpose(self, phase: int) -> str:
        """What run `phase` of `phases()` is for, as lists of runs show it."""
        what = (f"migrate {self.target.cluster.name}: {OUTBOUND_WIRE[self.source_type]} -> "
                f"{OUTBOUND_WIRE[self.target_type]}")
        count = len(self.phases())
        if count == 1:
            return what
        step = "new public IPs" if phase < count - 1 else "move egress"
        return f"{what}, {step} ({phase + 1}/{count})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source_type,
            "to": self.target_type,
            "target_config": self.target.model_dump(mode="json"),
            "modifies": list(self.modifies),
            "notices": list(self.notices),
            "old_egress": list(self.old_egress),
            "new_egress": list(self.new_egress),
            "plan": self.plan.to_dict(),
        }


def subplan(plan: planner.Plan, keys: set[str]) -> planner.Plan:
    """The steps of `plan` named in `keys`, with dependencies outside them dropped."""
    steps = tuple(replace(s, depends_on=tuple(d for d in s.depends_on if d in keys))
                  for s in plan.steps if s.key in keys)
    return planner.Plan(steps=steps, subscription_id=plan.subscription_id,
                        resource_group=plan.resource_group, location=plan.location,
                        cluster_name=plan.cluster_name, outbound_type=plan.outbound_type,
                        total_snat_ports=sum(s.snat_ports for s in steps))


def is_byo(config: WizardConfig) -> bool:
    """Does the cluster run on a VNet of your own (as opposed to the one AKS created)?"""
    out = config.outbound
    if isinstance(out, UserAssignedOutbound):
        return True
    if isinstance(out, LoadBalancerOutbound):
        return bool(out.vnet_subnet_id)
    return False


def allowed_targets(config: WizardConfig) -> list[TargetType]:
    """The outbound types `config`'s cluster can move to (for a TUI choice list)."""
    return [t for t in TARGET_TYPES if check_transition(config, t) is None]


def check_transition(current: WizardConfig, target_type: str) -> str | None:
    """None when Azure supports the change; otherwise the reason, in the user's terms."""
    source = current.outbound.type
    if target_type not in TARGET_TYPES:
        return (f"{target_type!r} is not an outbound type; choose managed, user_assigned or "
                "load_balancer")
    if target_type == source == "managed":
        return sku_transition_problem(current)
    if target_type == source:
        return f"the cluster already uses outbound type {OUTBOUND_WIRE[source]}"
    byo = is_byo(current)
    if source == "managed" and target_type == "load_balancer":
        return ("managedNATGateway -> loadBalancer is \"Not Supported\" in Azure's outbound-type "
                "documentation (its migration table of 2026-08): create a new cluster with a "
                "load balancer and move the workloads instead")
    if target_type == "managed" and byo:
        return ("a managed NAT gateway works only with the VNet AKS creates, and this cluster "
                "runs on your own subnet; a cluster cannot move between a managed and a "
                "bring-your-own VNet. Move it to user_assigned instead: a NAT gateway of your "
                "own on that subnet")
    if target_type == "user_assigned" and not byo:
        return ("a user-assigned NAT gateway needs your own VNet and subnet, and this cluster "
                "runs on the VNet AKS created; a cluster cannot move between a managed and a "
                "bring-your-own VNet. Move it to managed instead")
    return None


def is_sku_change(current: WizardConfig, target_type: str) -> bool:
    """Is this the managed Standard -> StandardV2 move (same outbound type, new gateway SKU)?"""
    return current.outbound.type == target_type == "managed"


def sku_transition_problem(current: WizardConfig) -> str | None:
    """A managed cluster can move from a Standard to a StandardV2 gateway, never back (fact
    migrate.standard-to-v2)."""
    out = current.outbound
    if isinstance(out, ManagedOutbound) and out.sku == "Standard":
        if regions.standard_v2_offer(current.cluster.location) == "not_offered":
            return (f"{current.cluster.location} does not offer StandardV2 NAT gateways, so the "
                    "managed Standard gateway cannot move to StandardV2 there")
        return None
    return ("the cluster already uses a managed StandardV2 NAT gateway; there is no way back "
            "to Standard (AKS replaces the gateway only from Standard to StandardV2)")


def _subnet_parts(subnet_id: str) -> tuple[str, str, str]:
    """(resource group, VNet name, subnet name) of a subnet id."""
    parts = subnet_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    try:
        return (parts[lowered.index("resourcegroups") + 1],
                parts[lowered.index("virtualnetworks") + 1],
                parts[lowered.index("subnets") + 1])
    except (ValueError, IndexError):
        raise MigrationRefused(f"{subnet_id!r} is not a subnet resource id") from None


def _subnet_id(config: WizardConfig, existing: ImportedCluster | None) -> str:
    out = config.outbound
    if existing is not None and existing.network is not None:
        return existing.network.subnet.id
    if isinstance(out, LoadBalancerOutbound) and out.vnet_subnet_id:
        return out.vnet_subnet_id
    if isinstance(out, UserAssignedOutbound):
        sub = config.cluster.subscription_id or planner.PLACEHOLDER_SUBSCRIPTION
        return (f"/subscriptions/{sub}/resourceGroups/{config.cluster.resource_group}/providers/"
                f"Microsoft.Network/virtualNetworks/{out.vnet_name}/subnets/{out.subnet_name}")
    raise MigrationRefused("the cluster's subnet is not known")


def target_data(current: WizardConfig, target_type: TargetType,
                existing: ImportedCluster | None = None) -> dict[str, Any]:
    """The config the cluster has after the change, before the user's overrides: the cluster
    settings unchanged, the outbound section the new type's (defaults where nothing carries
    over; the NAT gateway's idle timeout is its own default, 4, on purpose: see the notices)."""
    data = current.model_dump(mode="json", exclude_none=True)
    out = current.outbound
    zones = list(out.zones)
    ip_count = min(getattr(out, "ip_count", 1), 16)
    if target_type == "managed":
        data["outbound"] = {"type": "managed", "ip_count": ip_count, "zones": zones}
        if is_sku_change(current, target_type):
            # Standard -> StandardV2: the gateway is replaced; the profile otherwise carries over.
            data["outbound"].update(
                sku="StandardV2",
                idle_timeout_minutes=getattr(out, "idle_timeout_minutes", NAT_IDLE_DEFAULT))
    elif target_type == "user_assigned":
        _, vnet_name, subnet_name = _subnet_parts(_subnet_id(current, existing))
        outbound: dict[str, Any] = {
            "type": "user_assigned", "layout": "single", "ip_count": ip_count,
            "zones": zones if len(zones) <= 1 else [],
            "nat_gateway_name": f"{current.cluster.name}-natgw"[:80],
            "vnet_name": vnet_name, "subnet_name": subnet_name,
        }
        if existing is not None and existing.network is not None:
            vnet = existing.network.vnet
            if vnet.address_space:
                outbound["vnet_address_space"] = vnet.address_space[0]
            outbound["subnet_prefix"] = existing.network.subnet.address_prefix
        if existing is not None:
            identities = (existing.cluster.get("identity") or {}).get(
                "userAssignedIdentities") or {}
            for resource_id in identities:
                outbound["identity_name"] = str(resource_id).rsplit("/", 1)[-1]
        data["outbound"] = outbound
    else:
        data["outbound"] = {"type": "load_balancer", "ip_count": ip_count,
                            "idle_timeout_minutes": LB_IDLE_DEFAULT, "zones": zones,
                            "vnet_subnet_id": _subnet_id(current, existing)}
    return data


def _apply_overrides(data: dict[str, Any], overrides: Mapping[str, str] | Sequence[str]
                     ) -> dict[str, Any]:
    pairs = list(overrides.items()) if isinstance(overrides, Mapping) else [
        tuple(item.split("=", 1)) if "=" in item else (item, "") for item in overrides]
    for path, value in pairs:
        path = path.strip()
        if path == "outbound.type":
            raise MigrationRefused("choose the new outbound type with the target (--to), not "
                                   "--set outbound.type")
        if path.startswith("cluster."):
            raise MigrationRefused(f"{path} belongs to the existing cluster; a migration changes "
                                   "only the outbound settings")
        try:
            fields.spec(path)
        except KeyError as error:
            raise MigrationRefused(f"--set: {error.args[0]}") from None
        data = fields.set_text(data, path, value)
    return data


def _reused_ips_set_the_sku(data: dict[str, Any],
                            overrides: Mapping[str, str] | Sequence[str]) -> dict[str, Any]:
    """Reused public IPs decide the gateway's SKU (fact sku.v2-ips: the SKUs never mix). The IPs
    a migration offers to reuse are the free Standard ones (`clusters.free_public_ips`), so the
    gateway is Standard unless the user names the SKU too (--set outbound.sku=StandardV2)."""
    paths = (list(overrides) if isinstance(overrides, Mapping)
             else [item.split("=", 1)[0] for item in overrides])
    paths = [path.strip() for path in paths]
    outbound = data.get("outbound") or {}
    if (outbound.get("type") == "user_assigned" and outbound.get("public_ip_ids")
            and "outbound.sku" not in paths):
        data = {**data, "outbound": {**outbound, "sku": "Standard"}}
    return data


def plan_migration(current: WizardConfig, target_type: str,
                   overrides: Mapping[str, str] | Sequence[str] = (),
                   existing: ImportedCluster | None = None) -> MigrationPlan:
    """The migration of `current`'s cluster to `target_type`; `MigrationRefused` when Azure does
    not support it or the overrides are invalid. Pure: reads and writes nothing."""
    reason = check_transition(current, target_type)
    if reason is not None:
        raise MigrationRefused(reason)
    chosen: TargetType = target_type  # type: ignore[assignment]
    data = _apply_overrides(target_data(current, chosen, existing), overrides)
    data = _reused_ips_set_the_sku(data, overrides)
    try:
        target = WizardConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{f.field}: {f.message}" for f in from_validation_error(error))
        raise MigrationRefused(f"the new settings are invalid: {problems}") from None
    subscription = current.cluster.subscription_id
    full = planner.build(target, subscription)
    steps: list[planner.Step] = []
    modifies: list[str] = []
    cluster_step = full.step("managed_cluster")
    cluster_deps: tuple[str, ...] = ()
    if isinstance(target.outbound, UserAssignedOutbound):
        pieces = [replace(step, depends_on=tuple(d for d in step.depends_on
                                                 if d != "resource_group"))
                  for step in full.steps if step.kind in (*ADDRESS_KINDS, "nat_gateway")]
        steps += pieces
        gateway = next(step for step in pieces if step.kind == "nat_gateway")
        subnet = _subnet_association(target, _subnet_id(current, existing), gateway, existing)
        allow = _authorized_ranges_step(cluster_step, current, target, existing, pieces)
        if allow is not None:  # the new IPs allowed on the API server before egress moves
            steps.append(allow)
            modifies.append(allow.resource_id)
            subnet = replace(subnet, depends_on=(*subnet.depends_on, allow.key))
        steps.append(subnet)
        modifies.append(subnet.resource_id)
        cluster_deps = (subnet.key,)
    body = _keep_authorized_ranges(
        _cluster_body(cluster_step.body, target, chosen, existing), steps)
    change = ("managed NAT gateway Standard -> StandardV2" if is_sku_change(current, chosen)
              else f"outbound type {OUTBOUND_WIRE[current.outbound.type]} -> "
              f"{OUTBOUND_WIRE[chosen]}")
    cluster_update = replace(
        cluster_step, body=body, depends_on=cluster_deps,
        summary=f"Update cluster {target.cluster.name}: {change}",
        why="Azure switches the cluster's egress to the new path; existing outbound connections "
        "are reset.",
        az=_update_az(target, chosen, is_sku_change(current, chosen)),
    )
    steps.append(cluster_update)
    modifies.append(cluster_update.resource_id)
    if isinstance(current.outbound, UserAssignedOutbound) and chosen == "load_balancer":
        detach = _subnet_detach(current, existing)
        steps.append(replace(detach, depends_on=(cluster_update.key,)))
        modifies.append(detach.resource_id)
    steps += node_image_upgrades(target, full, existing, steps[-1])
    migration = planner.Plan(
        steps=tuple(steps), subscription_id=full.subscription_id,
        resource_group=full.resource_group, location=full.location,
        cluster_name=full.cluster_name, outbound_type=full.outbound_type,
        total_snat_ports=sum(step.snat_ports for step in steps),
    )
    old, new = _egress(current, target, chosen, existing, steps)
    return MigrationPlan(
        current=current, target=target, source_type=current.outbound.type, target_type=chosen,
        plan=migration, modifies=tuple(modifies),
        notices=(*_notices(current, target, chosen, old, new, existing),
                 *_authorized_ranges_notices(chosen, existing)),
        old_egress=old, new_egress=new,
    )


def pool_names(target: WizardConfig, full: planner.Plan,
               existing: ImportedCluster | None) -> list[str]:
    """The cluster's node pools: as Azure lists them when the cluster was imported, else the
    ones its config plans (the system pool, zone pools, Windows pools)."""
    if existing is not None:
        listed = [str(pool.get("name")) for pool in
                  (existing.cluster.get("properties") or {}).get("agentPoolProfiles") or []
                  if pool.get("name")]
        if listed:
            return listed
    return [target.cluster.system_pool_name,
            *(step.name for step in full.steps if step.kind == "agent_pool")]


def node_image_upgrades(target: WizardConfig, full: planner.Plan,
                        existing: ImportedCluster | None,
                        after: planner.Step) -> list[planner.Step]:
    """One node image upgrade per pool after the outbound-type change (fact migrate.node-image:
    the nodes pick the new egress up only when reimaged, and node disruption policy does not do
    it). One pool at a time: AKS refuses concurrent operations on a cluster's pools."""
    c = target.cluster
    cluster_id = full.step("managed_cluster").resource_id
    steps: list[planner.Step] = []
    previous = after
    for name in pool_names(target, full, existing):
        step = planner.Step(
            key=f"node_image_upgrade:{name}",
            kind="node_image_upgrade",
            name=name,
            resource_id=f"{cluster_id}/agentPools/{name}",
            body={},
            depends_on=(previous.key,),
            summary=f"Upgrade the node image of pool {name} (node image only)",
            why="After an outbound-type change the nodes must be reimaged to use the new egress "
            "path; AKS does not do it on its own. The pool's nodes are replaced one by one "
            "(surge), workloads are drained first.",
            az=("az", "aks", "nodepool", "upgrade", "--resource-group", c.resource_group,
                "--cluster-name", c.name, "--name", name, "--node-image-only", "--yes"),
        )
        steps.append(step)
        previous = step
    return steps


def _authorized_ranges_step(cluster_step: planner.Step, current: WizardConfig,
                            target: WizardConfig, existing: ImportedCluster | None,
                            pieces: list[planner.Step]) -> planner.Step | None:
    """The phase-2 step that adds the new IPs to the API server's authorized IP ranges
    (`wizard.plan.authorized_ranges`), when the cluster has ranges; None otherwise."""
    from wizard.plan import authorized_ranges

    ranges = authorized_ranges.current_ranges(existing.cluster if existing else None)
    ips = [step for step in pieces if step.kind in ADDRESS_KINDS]
    if not ranges or not ips:
        return None
    problem = authorized_ranges.too_many(ranges, len(ips))
    if problem is not None:
        raise MigrationRefused(problem)
    as_is = _cluster_body(cluster_step.body, current, current.outbound.type, existing)
    if existing is not None:  # egress stays exactly as it is until the next steps
        network = existing.cluster.get("properties", {}).get("networkProfile") or {}
        as_is["properties"]["networkProfile"] = copy.deepcopy(network)
    return authorized_ranges.ranges_step(cluster_step, as_is, ranges, ips)


def _authorized_ranges_notices(chosen: TargetType,
                               existing: ImportedCluster | None) -> list[str]:
    """A managed NAT gateway's IPs cannot be allowed before the move: say so."""
    from wizard.plan import authorized_ranges

    ranges = authorized_ranges.current_ranges(existing.cluster if existing else None)
    return [authorized_ranges.managed_notice(ranges)] if ranges and chosen == "managed" else []


def _keep_authorized_ranges(body: dict[str, Any], steps: list[planner.Step]) -> dict[str, Any]:
    """The cluster update keeps the ranges the authorized-ranges step extended."""
    from wizard.plan import authorized_ranges

    allow = next((s for s in steps if s.key == authorized_ranges.STEP_KEY), None)
    if allow is None:
        return body
    wanted = authorized_ranges.current_ranges(allow.body)
    return authorized_ranges.with_ranges(body, wanted)


def _subnet_association(target: WizardConfig, subnet_id: str, gateway: planner.Step,
                        existing: ImportedCluster | None) -> planner.Step:
    out = target.outbound
    assert isinstance(out, UserAssignedOutbound)
    group, vnet_name, subnet_name = _subnet_parts(subnet_id)
    properties: dict[str, Any] = {"addressPrefix": out.subnet_prefix}
    if existing is not None and existing.network is not None and existing.network.subnet_body:
        properties = _subnet_properties(existing.network.subnet_body)
    properties["natGateway"] = {"id": gateway.resource_id}
    return planner.Step(
        key=f"subnet:{vnet_name}/{subnet_name}",
        kind="subnet",
        name=subnet_name,
        resource_id=subnet_id,
        body={"properties": properties},
        depends_on=(gateway.key,),
        summary=f"Associate your existing subnet {subnet_name} with NAT gateway {gateway.name}",
        why="Associating the subnet is what moves the nodes' egress to the NAT gateway; its "
        "other settings are sent back unchanged.",
        az=("az", "network", "vnet", "subnet", "update", "--resource-group", group,
            "--vnet-name", vnet_name, "--name", subnet_name, "--nat-gateway", gateway.resource_id),
    )


def _subnet_detach(current: WizardConfig, existing: ImportedCluster | None) -> planner.Step:
    subnet_id = _subnet_id(current, existing)
    group, vnet_name, subnet_name = _subnet_parts(subnet_id)
    out = current.outbound
    properties: dict[str, Any] = {"addressPrefix": getattr(out, "subnet_prefix", "")}
    if existing is not None and existing.network is not None and existing.network.subnet_body:
        properties = _subnet_properties(existing.network.subnet_body)
    properties["natGateway"] = None
    return planner.Step(
        key=f"subnet:{vnet_name}/{subnet_name}",
        kind="subnet", name=subnet_name, resource_id=subnet_id,
        body={"properties": properties}, depends_on=(),
        summary=f"Detach the NAT gateway from subnet {subnet_name}",
        why="While the subnet has a NAT gateway, it carries the nodes' egress whatever the "
        "cluster says; detaching it hands egress to the load balancer.",
        az=("az", "network", "vnet", "subnet", "update", "--resource-group", group,
            "--vnet-name", vnet_name, "--name", subnet_name, "--remove", "natGateway"),
    )


def _subnet_properties(body: Mapping[str, Any]) -> dict[str, Any]:
    props = dict(copy.deepcopy(body.get("properties") or {}))
    for key in _READ_ONLY_SUBNET:
        props.pop(key, None)
    return props


def _cluster_body(planned: dict[str, Any], target: WizardConfig, chosen: TargetType,
                  existing: ImportedCluster | None) -> dict[str, Any]:
    """The PUT body of the update: the cluster as Azure has it, network profile changed."""
    if existing is None:
        body = copy.deepcopy(planned)
    else:
        body = copy.deepcopy(existing.cluster)
        for key in _READ_ONLY_TOP:
            body.pop(key, None)
        props = body.setdefault("properties", {})
        for key in _READ_ONLY_PROPERTIES:
            props.pop(key, None)
        for pool in props.get("agentPoolProfiles") or []:
            for key in _READ_ONLY_POOL:
                pool.pop(key, None)
        windows = props.get("windowsProfile")
        if isinstance(windows, dict):
            windows.pop("adminPassword", None)
    network = body.setdefault("properties", {}).setdefault("networkProfile", {})
    out = target.outbound
    network["outboundType"] = OUTBOUND_WIRE[chosen]
    network.pop("loadBalancerProfile", None)
    network.pop("natGatewayProfile", None)
    if isinstance(out, ManagedOutbound):
        profile: dict[str, Any] = {
            "managedOutboundIPProfile": {"count": out.ip_count},
            "idleTimeoutInMinutes": out.idle_timeout_minutes,
        }
        profile["sku"] = out.sku  # always sent (fact sku.managed-explicit)
        network["natGatewayProfile"] = profile
    elif isinstance(out, LoadBalancerOutbound):
        network["loadBalancerProfile"] = {
            "managedOutboundIPs": {"count": out.ip_count},
            "idleTimeoutInMinutes": out.idle_timeout_minutes,
        }
    return body


def _update_az(target: WizardConfig, chosen: TargetType,
               sku_change: bool = False) -> tuple[str, ...]:
    c = target.cluster
    az = ["az", "aks", "update", "--resource-group", c.resource_group, "--name", c.name]
    out = target.outbound
    if sku_change and isinstance(out, ManagedOutbound):
        # The V2 announcement's command: the outbound type stays, only the SKU changes.
        return (*az, "--outbound-type-sku", out.sku)
    az += ["--outbound-type", OUTBOUND_WIRE[chosen]]
    if isinstance(out, ManagedOutbound):
        az += ["--outbound-type-sku", out.sku,
               "--nat-gateway-managed-outbound-ip-count", str(out.ip_count),
               "--nat-gateway-idle-timeout", str(out.idle_timeout_minutes)]
    elif isinstance(out, LoadBalancerOutbound):
        az += ["--load-balancer-managed-outbound-ip-count", str(out.ip_count),
               "--load-balancer-idle-timeout", str(out.idle_timeout_minutes)]
    return tuple(az)


def _egress(current: WizardConfig, target: WizardConfig, chosen: TargetType,
            existing: ImportedCluster | None, steps: list[planner.Step]
            ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if existing is not None and existing.egress_ips:
        old = tuple(f"{ip.name} ({ip.address or 'address not assigned'})"
                    for ip in existing.egress_ips)
    else:
        count = getattr(current.outbound, "ip_count", 1)
        old = (f"{count} IP(s) of the current {OUTBOUND_WIRE[current.outbound.type]} egress "
               "(import the cluster to list them)",)
    reused = [*getattr(target.outbound, "public_ip_ids", []),
              *getattr(target.outbound, "public_ip_prefix_ids", [])]
    if chosen == "user_assigned" and reused:
        new = tuple(_reused_ip(ip_id) for ip_id in reused)
    elif chosen == "user_assigned":
        new = tuple(f"{step.name} (address assigned when it is created, shown before the "
                    "cluster update)" for step in steps if step.kind in ADDRESS_KINDS)
    elif chosen == "managed":
        count = getattr(target.outbound, "ip_count", 1)
        new = (f"{count} IP(s) AKS creates in the node resource group during the update; their "
               "addresses are known only afterwards (`aks-nat-wizard import` lists them)",)
    else:
        count = getattr(target.outbound, "ip_count", 1)
        new = (f"{count} IP(s) AKS creates for the load balancer during the update",)
    return old, new


def _reused_ip(ip_id: str) -> str:
    from wizard.model.config import parse_public_ip_id

    _, group, name = parse_public_ip_id(ip_id)
    what, stays = (("prefix", "its addresses stay") if "/publicipprefixes/" in ip_id.lower()
                   else ("IP", "its address stays"))
    return f"{name} (your existing {what} in resource group {group}; {stays} the same)"


def _notices(current: WizardConfig, target: WizardConfig, chosen: TargetType,
             old: tuple[str, ...], new: tuple[str, ...],
             existing: ImportedCluster | None) -> list[str]:
    moves = ("Egress moves to the existing public IPs you listed. Make sure they are allowed "
             "downstream (firewall allow-lists, authorized IP ranges) BEFORE migrating"
             if getattr(target.outbound, "public_ip_ids", []) else
             "Egress moves to new public IPs. Update firewall allow-lists and authorized IP "
             "ranges downstream BEFORE migrating")
    notices = [
        moves + ". Today: " + "; ".join(old) + ". After: " + "; ".join(new) + ".",
        "Existing outbound connections drop when egress moves; long-lived connections must "
        "reconnect. Plan a maintenance window.",
    ]
    old_idle = getattr(current.outbound, "idle_timeout_minutes", LB_IDLE_DEFAULT)
    new_idle = getattr(target.outbound, "idle_timeout_minutes", NAT_IDLE_DEFAULT)
    if chosen != "load_balancer" and new_idle < old_idle:
        notices.append(
            f"The idle timeout falls from {old_idle} minutes (load balancer) to {new_idle} "
            "(NAT gateway): idle connections are cut sooner. Prefer TCP keepalives in the "
            "applications, or raise the idle timeout (outbound.idle_timeout_minutes, 4-120; "
            "longer holds SNAT ports longer).")
    if chosen == "user_assigned":
        subnet = _subnet_parts(_subnet_id(current, existing))[2]
        notices.append(
            f"Your existing subnet {subnet} is modified (associated with the new NAT gateway): "
            "from that moment every VM in it, not just the cluster's nodes, egresses through the "
            "NAT gateway. The wizard did not create this subnet, so it asks before changing it.")
        notices.append(
            "The cluster's identity keeps its rights on the subnet (az granted Network "
            "Contributor when the cluster was created on it); you need "
            "Microsoft.Network/natGateways/join/action on the NAT gateway to associate it.")
    if chosen == "managed" and current.outbound.type == "managed":
        notices.append(
            "AKS replaces the Standard NAT gateway with a StandardV2 one of the same name: "
            "StandardV2 needs StandardV2 public IPs, so the egress IPs change and existing "
            "connections reset as the gateway is swapped. There is no way back to Standard, and "
            "once on StandardV2 the choice between managed and your own outbound IPs is fixed.")
    elif chosen == "managed":
        notices.append("There is no supported way back from managedNATGateway to loadBalancer "
                       "(\"Not Supported\" in the outbound-type documentation).")
    if chosen == "load_balancer":
        notices.append("The NAT gateway and its public IPs stay (detached from the subnet): "
                       "delete them once egress through the load balancer works.")
    return notices
