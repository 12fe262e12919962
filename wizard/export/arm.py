"""`to_arm_template(plan)`: the plan as an ARM deployment template with `dependsOn`.

Scope: the plan creates its resource group, and a resource-group template cannot create the group
it is deployed into. So the template is subscription-scoped (`subscriptionDeploymentTemplate`): it
creates the resource group, then one nested deployment into that group (a `deploymentTemplate`
2019-04-01 with `expressionEvaluationOptions.scope = inner`) holds every other resource. Deploy it
with `az deployment sub create --location <region> --template-file azuredeploy.json`.

Every plan step is one resource, with the step's API version and request body. Names are
parameters (defaulting to the plan's names); ids inside bodies become `resourceId(...)`
expressions, so the template holds no subscription id and deploys into any subscription.
`dependsOn` lists exactly the plan's dependencies (the resource group's is carried by the nested
deployment itself). Placeholders become what ARM resolves at deploy time: `{{ref:...}}` a
`reference(...)` to the other resource, `{{secret:NAME}}` a `securestring` parameter that has no
default, so no secret is ever written into the template. A role assignment is named
`guid(scope, identity, role)`, stable for one target and unique across them.

Known limit of ARM itself: redeploying the VNet resource, which lists no subnets, asks ARM to
remove the subnets it does not list. Deploy this template to create; change a live network with
`aks-nat-wizard apply`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from wizard.model.config import PUBLIC_IP_ID, PUBLIC_IP_PREFIX_ID, parse_public_ip_id
from wizard.plan import KINDS, Plan, Step, StepKind, placeholders

SUBSCRIPTION_SCHEMA = (
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
)
RESOURCE_GROUP_SCHEMA = (
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
)
CONTENT_VERSION = "1.0.0.0"
NESTED_DEPLOYMENT = "aks-nat-wizard-resources"

RESOURCE_TYPES: dict[StepKind, str] = {
    name: kind.arm_type for name, kind in KINDS.items() if kind.arm_type is not None}
"""Each resource kind's ARM type, from its declaration in `wizard.plan.kinds`."""
_PARAMETER_BASES: dict[StepKind, str] = {
    name: kind.template_parameter for name, kind in KINDS.items()
    if kind.template_parameter is not None}
_ROLE_DEFINITION = re.compile(
    r"^/subscriptions/[^/]+/providers/Microsoft\.Authorization/roleDefinitions/([0-9a-fA-F-]+)$"
)
_AUTHORIZATION = "/providers/Microsoft.Authorization/"


def to_arm_template(plan: Plan) -> dict[str, Any]:
    """The subscription-scoped template for `plan`, as plain JSON data."""
    return _Template(plan).template()


def to_json(template: dict[str, Any]) -> str:
    """Stable text: two-space indents, keys in the order they were built, a final newline."""
    return json.dumps(template, indent=2, ensure_ascii=False) + "\n"


def to_arm_json(plan: Plan) -> str:
    """The `arm` export format: the template for `plan` as JSON text."""
    return to_json(to_arm_template(plan))


def resource_id_expression(plan: Plan, key: str) -> str:
    """The `[...]` expression the template uses for step `key`'s resource id (in `dependsOn`)."""
    return f"[{_Template(plan).resource_id(plan.step(key))}]"


def secret_parameter(name: str) -> str:
    """The template parameter of a `{{secret:NAME}}` (windows-admin-password ->
    windowsAdminPassword)."""
    first, *rest = [part for part in re.split(r"[^A-Za-z0-9]+", name) if part]
    return first.lower() + "".join(part[:1].upper() + part[1:] for part in rest)


def _quote(text: str) -> str:
    """A string literal inside an ARM expression."""
    return "'" + text.replace("'", "''") + "'"


def _parameter(name: str) -> str:
    return f"parameters({_quote(name)})"


class _Template:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_id = {step.resource_id: step for step in plan.steps}
        self.parameters = self._parameter_names()

    def _parameter_names(self) -> dict[str, str]:
        """Step key -> the parameter holding its name (role assignments are named by guid())."""
        names: dict[str, str] = {}
        for kind, base in _PARAMETER_BASES.items():
            steps = [step for step in self.plan.steps if step.kind == kind]
            for index, step in enumerate(steps, start=1):
                names[step.key] = base if len(steps) == 1 else f"{base}{index}"
        return names

    # -- expressions (without the enclosing brackets) ------------------------------------------
    def parent(self, step: Step) -> Step:
        """The resource a child resource (subnet, agent pool) belongs to."""
        return self.by_id[step.resource_id.rsplit("/", 2)[0]]

    def scope(self, step: Step) -> Step:
        """The resource a role assignment is on."""
        return self.by_id[step.resource_id.split(_AUTHORIZATION, 1)[0]]

    def name_segments(self, step: Step) -> list[str]:
        own = _parameter(self.parameters[step.key])
        if KINDS[step.kind].parent is not None:
            return [*self.name_segments(self.parent(step)), own]
        return [own]

    def role_name(self, step: Step) -> str:
        identity = next(self.plan.step(key) for key in step.depends_on
                        if self.plan.step(key).kind == "identity")
        role = str(step.body["properties"]["roleDefinitionId"]).rsplit("/", 1)[-1]
        return (f"guid({self.resource_id(self.scope(step))}, {self.resource_id(identity)}, "
                f"{_quote(role)})")

    def resource_id(self, step: Step) -> str:
        """The expression of a step's resource id, as seen from inside the resource group."""
        scope = KINDS[step.kind].scope
        if scope == "extension":
            return (f"extensionResourceId({self.resource_id(self.scope(step))}, "
                    f"{_quote(RESOURCE_TYPES[step.kind])}, {self.role_name(step)})")
        if scope == "subscription":
            return (f"subscriptionResourceId({_quote(RESOURCE_TYPES[step.kind])}, "
                    f"{_parameter(self.parameters[step.key])})")
        return (f"resourceId({_quote(RESOURCE_TYPES[step.kind])}, "
                f"{', '.join(self.name_segments(step))})")

    def name(self, step: Step) -> str:
        if step.kind == "role_assignment":
            return f"[{self.role_name(step)}]"
        segments = self.name_segments(step)
        if len(segments) == 1:
            return f"[{segments[0]}]"
        pattern = "/".join(f"{{{index}}}" for index in range(len(segments)))
        return f"[format({_quote(pattern)}, {', '.join(segments)})]"

    def scope_path(self, step: Step) -> str:
        """A role assignment's `scope`: the target's type and name path, relative to the group."""
        target = self.scope(step)
        types = RESOURCE_TYPES[target.kind].split("/")
        segments = self.name_segments(target)
        parts = [f"{types[0]}/{types[1]}/{{0}}",
                 *(f"{kind}/{{{index}}}" for index, kind in enumerate(types[2:], start=1))]
        return f"[format({_quote('/'.join(parts))}, {', '.join(segments)})]"

    # -- values ----------------------------------------------------------------------------
    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.string(key): self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.string(value)
        return value

    def string(self, text: str) -> str:
        if text in self.by_id:
            return f"[{self.resource_id(self.by_id[text])}]"
        existing = self.existing_public_ip(text)
        if existing:
            return existing
        role = _ROLE_DEFINITION.match(text)
        if role:
            return ("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
                    f"{_quote(role.group(1))})]")
        whole = placeholders.whole(text)
        if whole:
            kind, value = whole
            if kind == "secret":
                return f"[{_parameter(secret_parameter(value))}]"
            key, path = placeholders.split_ref(value)
            target = self.plan.step(key)
            reference = f"reference({self.resource_id(target)}, {_quote(target.api_version)}"
            if path.startswith("properties."):
                return f"[{reference}).{path.removeprefix('properties.')}]"
            return f"[{reference}, 'Full').{path}]"
        if placeholders.PATTERN.search(text):
            raise ValueError(f"a placeholder inside a longer string cannot be exported: {text!r}")
        return "[" + text if text.startswith("[") else text

    def existing_public_ip(self, text: str) -> str | None:
        """A public IP or prefix the plan does not create (`outbound.public_ip_ids`,
        `outbound.public_ip_prefix_ids`) as a `resourceId()` of its group and name: the template
        stays free of subscription ids when it is in the plan's subscription, and names the other
        subscription only when it is not."""
        kind: StepKind
        if PUBLIC_IP_ID.fullmatch(text):
            kind = "public_ip"
        elif PUBLIC_IP_PREFIX_ID.fullmatch(text):
            kind = "public_ip_prefix"
        else:
            return None
        subscription, group, name = parse_public_ip_id(text)
        parts = [_quote(group), _quote(RESOURCE_TYPES[kind]), _quote(name)]
        if subscription.lower() != self.plan.subscription_id.lower():
            parts.insert(0, _quote(subscription))
        return f"[resourceId({', '.join(parts)})]"

    # -- resources -------------------------------------------------------------------------
    def resource(self, step: Step) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "type": RESOURCE_TYPES[step.kind],
            "apiVersion": step.api_version,
            "name": self.name(step),
        }
        if step.kind == "role_assignment":
            resource["scope"] = self.scope_path(step)
        for key, item in step.body.items():
            resource[key] = "[parameters('location')]" if key == "location" else self.value(item)
        depends = [f"[{self.resource_id(self.plan.step(dep))}]" for dep in step.depends_on
                   if self.plan.step(dep).kind != "resource_group"]
        if depends:
            resource["dependsOn"] = depends
        comment = _COMMENTS.get(step.kind)
        if comment and (step.kind != "managed_cluster" or any(
                self.plan.step(dep).kind == "role_assignment" for dep in step.depends_on)):
            resource["comments"] = comment
        return resource

    def parameter_definitions(self, with_defaults: bool) -> dict[str, Any]:
        definitions: dict[str, Any] = {}
        inner = [step for step in self.plan.steps if step.kind != "resource_group"]
        if with_defaults:
            group = next(step for step in self.plan.steps if step.kind == "resource_group")
            definitions[self.parameters[group.key]] = _string(
                group.name, "The resource group to create the resources in.")
        definitions["location"] = _string(
            self.plan.location if with_defaults else None, "The Azure region of every resource.")
        for step in inner:
            if step.key in self.parameters:
                definitions[self.parameters[step.key]] = _string(
                    step.name if with_defaults else None, f"Name of: {_one_line(step.summary)}")
        for name in self.secrets():
            definitions[secret_parameter(name)] = {
                "type": "securestring",
                "metadata": {"description": f"The {name.replace('-', ' ')}; never stored."},
            }
        return definitions

    def secrets(self) -> list[str]:
        return sorted({name for step in self.plan.steps
                       for name in placeholders.secrets_in(json.dumps(step.body))})

    def template(self) -> dict[str, Any]:
        group = next(step for step in self.plan.steps if step.kind == "resource_group")
        inner_parameters = self.parameter_definitions(with_defaults=False)
        inner = {
            "$schema": RESOURCE_GROUP_SCHEMA,
            "contentVersion": CONTENT_VERSION,
            "parameters": inner_parameters,
            "resources": [self.resource(step) for step in self.plan.steps
                          if step.kind != "resource_group"],
        }
        group_resource: dict[str, Any] = {
            "type": RESOURCE_TYPES["resource_group"],
            "apiVersion": group.api_version,
            "name": f"[{_parameter(self.parameters[group.key])}]",
        }
        for key, item in group.body.items():
            group_resource[key] = ("[parameters('location')]" if key == "location"
                                   else self.value(item))
        deployment = {
            "type": "Microsoft.Resources/deployments",
            "apiVersion": KINDS["resource_group"].api_version,
            "name": NESTED_DEPLOYMENT,
            "resourceGroup": f"[{_parameter(self.parameters[group.key])}]",
            "dependsOn": [f"[{self.resource_id(group)}]"],
            "properties": {
                "mode": "Incremental",
                "expressionEvaluationOptions": {"scope": "inner"},
                "parameters": {name: {"value": f"[{_parameter(name)}]"}
                               for name in inner_parameters},
                "template": inner,
            },
        }
        plan = self.plan
        return {
            "$schema": SUBSCRIPTION_SCHEMA,
            "contentVersion": CONTENT_VERSION,
            "metadata": {
                "generator": "aks-nat-wizard",
                "description": f"AKS cluster {plan.cluster_name} ({plan.outbound_type}) in "
                f"resource group {plan.resource_group}, {plan.location}: {len(plan.steps)} "
                "resources, from the same plan `aks-nat-wizard apply` runs.",
            },
            "parameters": self.parameter_definitions(with_defaults=True),
            "resources": [group_resource, deployment],
        }


_COMMENTS: dict[StepKind, str] = {
    "role_assignment": (
        "principalType is ServicePrincipal on purpose: for a principal created in the same "
        "deployment (the identity above), ARM documents setting principalType as the way to "
        "avoid the Entra ID replication delay (PrincipalNotFound); see "
        "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template"
        "#new-service-principal."),
    "managed_cluster": (
        "dependsOn lists the role assignment, so the cluster is created only once its identity "
        "holds Network Contributor on the subnet; with principalType set on the assignment, "
        "ARM does not wait for directory replication first."),
}
"""ARM `comments`: why a resource is written the way it is (fact identity.principal-type)."""


def _string(default: str | None, description: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": "string"}
    if default is not None:
        definition["defaultValue"] = default
    definition["metadata"] = {"description": description}
    return definition


def _one_line(text: str) -> str:
    return " ".join(text.split())
