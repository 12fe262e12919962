"""The plan: deterministic, a DAG in dependency order, the rights and zones Azure requires, and
request bodies whose shape is exactly what the Azure SDK models send.

This is the only test module that imports the Azure SDKs: it uses their own models to prove each
body's field names and nesting."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.wizard.sdk_models import PASSWORD, assert_round_trips, resolved
from wizard.model import regions
from wizard.model.config import WizardConfig
from wizard.plan import NETWORK_CONTRIBUTOR_ROLE, Plan, Step, build
from wizard.storage import presets

PRESETS = presets.builtin_names()
PLACEHOLDER = re.compile(r"\{\{(ref|secret):([^}]*)\}\}")
ZONE_SETS: list[list[str]] = [[], ["1"], ["2"], ["1", "2"], ["1", "3"], ["1", "2", "3"]]


@st.composite
def configs(draw: st.DrawFn) -> WizardConfig:
    """Any valid configuration: every outbound type, SKU, layout, zone set and Windows choice."""
    kind = draw(st.sampled_from(["managed", "user_assigned", "load_balancer"]))
    outbound: dict[str, Any] = {
        "type": kind,
        "ip_count": draw(st.integers(1, 16)),
        "idle_timeout_minutes": draw(st.integers(4, 120)),
        "zones": draw(st.sampled_from(ZONE_SETS)),
    }
    if kind != "load_balancer":
        outbound["sku"] = draw(st.sampled_from(["Standard", "StandardV2"]))
    if kind == "user_assigned":
        outbound["layout"] = draw(st.sampled_from(["single", "per_zone"]))
        outbound["subnet_prefix"] = draw(st.sampled_from(["10.0.0.0/22", "10.0.8.0/24"]))
    data = {
        "cluster": {
            "name": draw(st.sampled_from(["myNatCluster", "c1", "prod-egress_01"])),
            "node_count": draw(st.integers(1, 5)),
            "kubernetes_version": draw(st.sampled_from(["", "1.33"])),
        },
        "outbound": outbound,
        "windows": {"enabled": draw(st.booleans()),
                    "disable_outbound_nat": kind != "load_balancer" and draw(st.booleans())},
    }
    try:
        return WizardConfig.model_validate(data)
    except ValidationError:
        assume(False)
        raise


def preset_plan(name: str, **changes: Any) -> Plan:
    data = presets.load(name).model_dump(mode="json")
    for path, value in changes.items():
        section, field = path.split("__")
        data[section][field] = value
    return build(WizardConfig.model_validate(data))


def steps_of(plan: Plan, kind: str) -> list[Step]:
    return [step for step in plan.steps if step.kind == kind]


# -- determinism ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_the_same_config_gives_the_same_json_in_a_fresh_process(name: str) -> None:
    here = build(presets.load(name)).to_json()
    code = ("import sys; from wizard import plan; from wizard.storage import presets; "
            f"sys.stdout.write(plan.build(presets.load({name!r})).to_json())")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    assert there == here
    assert json.loads(here)["steps"][0]["key"] == "resource_group"


@settings(max_examples=60, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_building_twice_gives_byte_identical_json(config: WizardConfig) -> None:
    copy = WizardConfig.model_validate(config.model_dump(mode="json"))
    assert build(config).to_json() == build(copy).to_json()


# -- the DAG -------------------------------------------------------------------------------------
@settings(max_examples=80, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_every_dependency_precedes_its_dependent_and_there_is_no_cycle(
        config: WizardConfig) -> None:
    plan = build(config)
    keys = [step.key for step in plan.steps]
    assert len(set(keys)) == len(keys)
    position = {key: index for index, key in enumerate(keys)}
    for step in plan.steps:
        assert len(set(step.depends_on)) == len(step.depends_on)
        for dep in step.depends_on:
            assert position[dep] < position[step.key], (dep, step.key)
    # Kahn's algorithm consumes every step only if there is no cycle.
    remaining = {step.key: set(step.depends_on) for step in plan.steps}
    while remaining:
        ready = [key for key, deps in remaining.items() if not deps]
        assert ready, f"cycle among {sorted(remaining)}"
        for key in ready:
            del remaining[key]
        for deps in remaining.values():
            deps.difference_update(ready)
    assert plan.steps[0].kind == "resource_group"
    assert all(step.depends_on for step in plan.steps[1:])


def test_per_zone_pools_depend_on_their_zones_subnet() -> None:
    plan = preset_plan("user-assigned-per-zone", windows__enabled=True)
    subnets = {step.resource_id: step for step in steps_of(plan, "subnet")}
    pools = steps_of(plan, "agent_pool")
    assert len(pools) == 5  # zones 2 and 3 for Linux, 1-3 for Windows
    for pool in pools:
        subnet = subnets[pool.body["properties"]["vnetSubnetID"]]
        zone = pool.body["properties"]["availabilityZones"]
        assert subnet.key in pool.depends_on
        assert subnet.name.endswith(f"-z{zone[0]}")
    cluster = plan.step("managed_cluster")
    system_pool = cluster.body["properties"]["agentPoolProfiles"][0]
    assert system_pool["availabilityZones"] == ["1"]
    assert subnets[system_pool["vnetSubnetID"]].name.endswith("-z1")


def test_node_pools_and_subnets_are_written_one_at_a_time() -> None:
    """AKS refuses concurrent node pool operations on a cluster and the network RP concurrent
    subnet writes on a VNet, so each waits for the one before it."""
    plan = preset_plan("user-assigned-per-zone", windows__enabled=True)
    for kind in ("agent_pool", "subnet"):
        steps = steps_of(plan, kind)
        for earlier, later in itertools.pairwise(steps):
            assert earlier.key in later.depends_on, (kind, later.key)


def test_the_cluster_waits_for_every_role_assignment() -> None:
    for name in ("user-assigned", "user-assigned-per-zone"):
        plan = build(presets.load(name))
        cluster = plan.step("managed_cluster")
        roles = steps_of(plan, "role_assignment")
        assert roles and all(role.key in cluster.depends_on for role in roles)


@pytest.mark.parametrize("name", ["user-assigned", "user-assigned-per-zone"])
def test_the_identity_gets_network_contributor_on_each_subnet(name: str) -> None:
    plan = build(presets.load(name))
    identity = steps_of(plan, "identity")[0]
    scopes = []
    for role in steps_of(plan, "role_assignment"):
        properties = role.body["properties"]
        role_definition = f"/roleDefinitions/{NETWORK_CONTRIBUTOR_ROLE}"
        assert properties["roleDefinitionId"].endswith(role_definition)
        assert properties["principalId"] == f"{{{{ref:{identity.key}:properties.principalId}}}}"
        assert properties["principalType"] == "ServicePrincipal"
        assert identity.key in role.depends_on
        scope, _, name_part = role.resource_id.partition("/providers/Microsoft.Authorization/")
        assert name_part == f"roleAssignments/{role.name}"
        uuid.UUID(role.name)
        scopes.append(scope)
    assert sorted(scopes) == sorted(step.resource_id for step in steps_of(plan, "subnet"))


# -- zones ---------------------------------------------------------------------------------------
@settings(max_examples=80, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_public_ip_zones_always_equal_their_nat_gateways_zone(config: WizardConfig) -> None:
    plan = build(config)
    ips = {step.resource_id: step for step in steps_of(plan, "public_ip")}
    attached = []
    for gateway in steps_of(plan, "nat_gateway"):
        for reference in gateway.body["properties"]["publicIpAddresses"]:
            ip = ips[reference["id"]]
            attached.append(ip.key)
            if gateway.body["sku"]["name"] == "StandardV2":
                # A zone-redundant gateway on zone-redundant IPs where the region has zones.
                expected = ["1", "2", "3"] if regions.has_zones(config.cluster.location) \
                    else None
                assert ip.body.get("zones") == expected
            else:
                assert ip.body.get("zones") == gateway.body.get("zones")
            assert ip.body["sku"]["name"] == gateway.body["sku"]["name"]
            assert ip.key in gateway.depends_on
    assert sorted(attached) == sorted(ip.key for ip in ips.values())


@settings(max_examples=60, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_standardv2_gateways_have_no_zones(config: WizardConfig) -> None:
    plan = build(config)
    for gateway in steps_of(plan, "nat_gateway"):
        if gateway.body["sku"]["name"] == "StandardV2":
            assert "zones" not in gateway.body
            assert "--zone" not in gateway.az
        else:
            assert len(gateway.body.get("zones", [])) <= 1


def test_a_managed_standardv2_gateway_is_asked_for_by_sku() -> None:
    v2 = preset_plan("managed-basic", outbound__sku="StandardV2").step("managed_cluster")
    profile = v2.body["properties"]["networkProfile"]["natGatewayProfile"]
    assert profile["sku"] == "StandardV2"
    assert v2.az[v2.az.index("--outbound-type-sku") + 1] == "StandardV2"



def test_a_managed_standard_gateway_is_asked_for_by_sku_too() -> None:
    """What the user picked is what is sent: never 'left to AKS', whose default at API
    2026-08-01 would build StandardV2 where the region offers it."""
    standard = preset_plan("managed-basic", cluster__location="canadaeast",
                           outbound__sku="Standard").step("managed_cluster")
    assert standard.body["properties"]["networkProfile"]["natGatewayProfile"]["sku"] == "Standard"
    assert standard.az[standard.az.index("--outbound-type-sku") + 1] == "Standard"
    assert "SKU left to AKS" not in standard.summary
    assert "managed Standard NAT gateway" in standard.summary


def test_without_a_sku_the_region_decides_standard_v2_or_standard() -> None:
    def sku_sent(location: str) -> str:
        config = WizardConfig.model_validate({"cluster": {"location": location}})
        profile = build(config).step("managed_cluster").body["properties"]["networkProfile"]
        return str(profile["natGatewayProfile"]["sku"])

    assert sku_sent("eastus2") == "StandardV2"
    assert sku_sent("canadaeast") == "Standard"
    assert sku_sent("West India") == "Standard"


def test_standard_v2_public_ips_are_zone_redundant_where_the_region_has_zones() -> None:
    zoned = preset_plan("user-assigned", outbound__sku="StandardV2")
    ip = steps_of(zoned, "public_ip")[0]
    assert ip.body["zones"] == ["1", "2", "3"]
    assert ip.az[ip.az.index("--zone"):ip.az.index("--zone") + 4] == ("--zone", "1", "2", "3")
    flat = preset_plan("user-assigned", cluster__location="northcentralus",
                       outbound__sku="StandardV2")
    assert "zones" not in steps_of(flat, "public_ip")[0].body


# -- request bodies against the SDK models --------------------------------------------------------
EVERY_VARIANT = [
    ("managed-basic", {}),
    ("managed-zonal", {}),
    ("managed-basic", {"outbound__sku": "StandardV2"}),
    ("user-assigned", {"windows__enabled": True}),
    ("user-assigned", {"outbound__sku": "StandardV2", "outbound__zones": ["1", "2", "3"]}),
    ("user-assigned-per-zone", {"windows__enabled": True}),
    ("windows-managed", {}),
    ("windows-managed", {"windows__disable_outbound_nat": False}),
]


@pytest.mark.parametrize(("name", "changes"), EVERY_VARIANT)
def test_every_body_round_trips_through_its_sdk_model(name: str, changes: dict[str, Any]) -> None:
    plan = preset_plan(name, **changes)
    for step in plan.steps:
        assert_round_trips(step)


def test_a_load_balancer_cluster_body_round_trips() -> None:
    config = WizardConfig.model_validate({"outbound": {"type": "load_balancer", "ip_count": 3}})
    for step in build(config).steps:
        assert_round_trips(step)


def test_the_round_trip_check_catches_a_misspelt_field() -> None:
    step = build(presets.load("user-assigned")).steps[3]
    assert step.kind == "nat_gateway"
    broken = dict(step.body, properties={**step.body["properties"], "idleTimeoutMinutes": 4})
    with pytest.raises(AssertionError, match="idleTimeoutMinutes is not a field"):
        assert_round_trips(Step(**{**step.__dict__, "body": broken}))
    with pytest.raises(AssertionError, match="etag is read-only"):
        assert_round_trips(Step(**{**step.__dict__, "body": {**step.body, "etag": "x"}}))
    identity = next(s for s in build(presets.load("user-assigned")).steps if s.kind == "identity")
    with pytest.raises(AssertionError):
        assert_round_trips(Step(**{**identity.__dict__, "body": {**identity.body, "tag": {}}}))


def test_the_sdk_reads_the_settings_the_plan_means() -> None:
    """Beyond the shape: the typed model sees the values under the names the SDK docs use."""
    from azure.mgmt.containerservice.models import AgentPool, ManagedCluster

    plan = preset_plan("managed-zonal", outbound__sku="StandardV2", windows__enabled=True)
    cluster = ManagedCluster(resolved(plan.step("managed_cluster").body))
    profile = cluster.properties.network_profile.nat_gateway_profile
    assert cluster.properties.network_profile.outbound_type == "managedNATGateway"
    assert profile.sku == "StandardV2"
    assert profile.managed_outbound_ip_profile.count == 2
    assert profile.idle_timeout_in_minutes == 4
    assert cluster.properties.agent_pool_profiles[0].availability_zones == ["1", "2", "3"]
    assert cluster.properties.windows_profile.admin_password == PASSWORD
    pool = AgentPool(resolved(steps_of(plan, "agent_pool")[0].body))
    assert pool.properties.windows_profile.disable_outbound_nat is True
    assert pool.properties.os_type == "Windows"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(configs())
def test_a_plan_survives_its_json_form(config: WizardConfig) -> None:
    """A run journal keeps the plan as JSON; resume must get back exactly the same plan."""
    plan = build(config)
    again = Plan.from_dict(json.loads(plan.to_json()))
    assert again == plan
    assert again.to_json() == plan.to_json()
