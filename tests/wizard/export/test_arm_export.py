"""The ARM export: valid JSON matching its golden file, one resource per plan step, `dependsOn`
that mirrors the plan, expressions that only use parameters they define, and no secrets or
subscription ids."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from export_cases import CASES, REAL_SUBSCRIPTION, plan_for

from wizard.export import FORMATS
from wizard.export.arm import (
    NESTED_DEPLOYMENT,
    RESOURCE_GROUP_SCHEMA,
    RESOURCE_TYPES,
    SUBSCRIPTION_SCHEMA,
    resource_id_expression,
    to_arm_json,
    to_arm_template,
    to_json,
)
from wizard.plan import PLACEHOLDER_SUBSCRIPTION, Plan

GOLDEN = Path(__file__).parent / "golden"
PARAMETER_USE = re.compile(r"parameters\('([^']*)'\)")


def inner(template: dict[str, Any]) -> dict[str, Any]:
    deployment = template["resources"][1]
    assert deployment["type"] == "Microsoft.Resources/deployments"
    nested: dict[str, Any] = deployment["properties"]["template"]
    return nested


def strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *strings(item)]]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def without(value: Any, key: str) -> Any:
    """A JSON value without any `key` entry (to look at one template level at a time)."""
    if isinstance(value, dict):
        return {k: without(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [without(item, key) for item in value]
    return value


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_template_matches_its_golden_file(case: str) -> None:
    text = to_arm_json(plan_for(case))
    golden = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text)
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_text_is_json_of_the_template_with_stable_formatting(case: str) -> None:
    plan = plan_for(case)
    text = FORMATS["arm"](plan)
    assert json.loads(text) == to_arm_template(plan)
    assert text == to_json(json.loads(text))
    assert text.endswith("}\n") and "\n  \"$schema\"" in text


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_plan_step_is_one_resource_in_plan_order(case: str) -> None:
    plan = plan_for(case)
    template = to_arm_template(plan)
    assert template["$schema"] == SUBSCRIPTION_SCHEMA
    assert template["contentVersion"] == "1.0.0.0"
    group, deployment = template["resources"]
    assert group["type"] == "Microsoft.Resources/resourceGroups"
    assert plan.steps[0].kind == "resource_group"
    assert deployment["name"] == NESTED_DEPLOYMENT
    assert deployment["resourceGroup"] == "[parameters('resourceGroupName')]"
    assert deployment["properties"]["expressionEvaluationOptions"] == {"scope": "inner"}
    nested = inner(template)
    assert nested["$schema"] == RESOURCE_GROUP_SCHEMA
    resources = nested["resources"]
    assert len(resources) == len(plan.steps) - 1
    for step, resource in zip(plan.steps[1:], resources, strict=True):
        assert resource["type"] == RESOURCE_TYPES[step.kind]
        assert resource["apiVersion"] == step.api_version
        for key in ("sku", "zones", "tags"):
            assert resource.get(key) == step.body.get(key), (step.key, key)
        if "location" in step.body:
            assert resource["location"] == "[parameters('location')]"


@pytest.mark.parametrize("case", sorted(CASES))
def test_depends_on_mirrors_the_plan(case: str) -> None:
    plan = plan_for(case)
    template = to_arm_template(plan)
    defaults = {name: definition.get("defaultValue")
                for name, definition in template["parameters"].items()}
    for step, resource in zip(plan.steps[1:], inner(template)["resources"], strict=True):
        wanted = [dep for dep in step.depends_on if plan.step(dep).kind != "resource_group"]
        assert resource.get("dependsOn", []) == [resource_id_expression(plan, dep)
                                                 for dep in wanted]
        for dep, expression in zip(wanted, resource.get("dependsOn", []), strict=True):
            target = plan.step(dep)
            assert RESOURCE_TYPES[target.kind] in expression
            # The expression names the dependency through the parameter holding its name.
            if target.kind != "role_assignment":
                named = {defaults[name] for name in PARAMETER_USE.findall(expression)}
                assert target.name in named, (step.key, dep, expression)
    # The resource group comes first: the nested deployment waits for it.
    assert template["resources"][1]["dependsOn"] == [
        "[subscriptionResourceId('Microsoft.Resources/resourceGroups', "
        "parameters('resourceGroupName'))]"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_expressions_use_only_defined_parameters_and_are_balanced(case: str) -> None:
    template = to_arm_template(plan_for(case))
    nested = inner(template)
    outer_strings = strings(without(template, "template"))
    for scope_strings, parameters in ((outer_strings, template["parameters"]),
                                      (strings(nested["resources"]), nested["parameters"])):
        for text in scope_strings:
            if not text.startswith("[") or text.startswith("[["):
                continue
            assert text.endswith("]"), text
            unquoted = re.sub(r"'(?:[^']|'')*'", "''", text)
            assert unquoted.count("(") == unquoted.count(")"), text
            for name in PARAMETER_USE.findall(text):
                assert name in parameters, (name, text)
    # The nested deployment hands every inner parameter its outer value.
    passed = template["resources"][1]["properties"]["parameters"]
    assert set(passed) == set(nested["parameters"])
    assert all(name in template["parameters"] for name in passed)


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_secret_placeholder_or_subscription_id_is_written(case: str) -> None:
    plan = plan_for(case)
    text = to_arm_json(plan)
    assert "{{" not in text
    assert PLACEHOLDER_SUBSCRIPTION not in text
    assert REAL_SUBSCRIPTION not in text
    assert "/subscriptions/" not in text


@pytest.mark.parametrize("case", ["windows-managed", "windows-user-assigned"])
def test_the_windows_password_is_a_secure_parameter_without_default(case: str) -> None:
    template = to_arm_template(plan_for(case))
    password = template["parameters"]["windowsAdminPassword"]
    assert password["type"] == "securestring" and "defaultValue" not in password
    assert inner(template)["parameters"]["windowsAdminPassword"]["type"] == "securestring"
    cluster = next(resource for resource in inner(template)["resources"]
                   if resource["type"] == RESOURCE_TYPES["managed_cluster"])
    assert cluster["properties"]["windowsProfile"]["adminPassword"] == (
        "[parameters('windowsAdminPassword')]")


def test_without_windows_there_is_no_password_parameter() -> None:
    assert "windowsAdminPassword" not in to_arm_template(plan_for("user-assigned"))["parameters"]


def role_and_cluster(plan: Plan) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    resources = inner(to_arm_template(plan))["resources"]
    roles = [r for r in resources if r["type"] == RESOURCE_TYPES["role_assignment"]]
    cluster = next(r for r in resources if r["type"] == RESOURCE_TYPES["managed_cluster"])
    return roles, cluster


def test_role_assignments_reference_the_identity_and_sit_on_their_subnet() -> None:
    roles, cluster = role_and_cluster(plan_for("user-assigned-per-zone"))
    identity = ("resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', "
                "parameters('identityName'))")
    assert [role["scope"] for role in roles] == [
        f"[format('Microsoft.Network/virtualNetworks/{{0}}/subnets/{{1}}', "
        f"parameters('vnetName'), parameters('subnetName{index}'))]" for index in (1, 2, 3)]
    for role in roles:
        assert role["name"].startswith("[guid(") and identity in role["name"]
        assert role["properties"]["principalId"] == (
            f"[reference({identity}, '2024-11-30').principalId]")
        assert role["properties"]["roleDefinitionId"] == (
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
            "'4d97b98b-1d4f-4787-a291-c67834d212e7')]")
    assert len({role["name"] for role in roles}) == 3
    assert cluster["identity"] == {"type": "UserAssigned",
                                   "userAssignedIdentities": {f"[{identity}]": {}}}


def test_a_child_resource_is_named_parent_slash_child() -> None:
    resources = inner(to_arm_template(plan_for("user-assigned-per-zone")))["resources"]
    subnets = [r["name"] for r in resources if r["type"] == RESOURCE_TYPES["subnet"]]
    pools = [r["name"] for r in resources if r["type"] == RESOURCE_TYPES["agent_pool"]]
    assert subnets[0] == "[format('{0}/{1}', parameters('vnetName'), parameters('subnetName1'))]"
    assert pools == [f"[format('{{0}}/{{1}}', parameters('clusterName'), "
                     f"parameters('agentPoolName{index}'))]" for index in (1, 2)]


def test_parameters_default_to_the_plans_names() -> None:
    plan = plan_for("user-assigned")
    parameters = to_arm_template(plan)["parameters"]
    assert parameters["location"]["defaultValue"] == plan.location
    assert parameters["clusterName"]["defaultValue"] == plan.cluster_name
    assert parameters["resourceGroupName"]["defaultValue"] == plan.resource_group
    named = {definition.get("defaultValue") for definition in parameters.values()}
    assert {step.name for step in plan.steps if step.kind != "role_assignment"} <= named


def test_a_managed_standardv2_cluster_asks_for_the_sku() -> None:
    _, cluster = role_and_cluster(plan_for("managed-standardv2"))
    profile = cluster["properties"]["networkProfile"]["natGatewayProfile"]
    assert profile["sku"] == "StandardV2"
    assert profile["managedOutboundIPProfile"] == {"count": 2}


def test_the_role_assignment_is_made_safe_for_the_cluster_and_says_how() -> None:
    """The documented mechanism (principalType for a new principal) plus the cluster's
    dependsOn on the assignment, each explained in the template's own comments."""
    import json as _json

    from export_cases import plan_for as _plan_for

    from wizard.export.arm import to_arm_json

    template = _json.loads(to_arm_json(_plan_for("user-assigned")))
    inner = template["resources"][1]["properties"]["template"]["resources"]
    (role,) = [r for r in inner if r["type"] == "Microsoft.Authorization/roleAssignments"]
    assert role["properties"]["principalType"] == "ServicePrincipal"
    assert "role-assignments-template#new-service-principal" in role["comments"]
    (cluster,) = [r for r in inner if r["type"] == "Microsoft.ContainerService/managedClusters"]
    assert any("roleAssignments" in dep for dep in cluster["dependsOn"])
    assert "dependsOn lists the role assignment" in cluster["comments"]
