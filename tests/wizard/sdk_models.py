"""Plan bodies checked against the Azure SDK models they are sent as.

Every key must be a field the model knows at that level (the new-style models keep unknown keys
silently, so a misspelt field would otherwise reach Azure), none may be read-only, and every enum
value must be one of the model's known values exactly (Azure compares many case-sensitively).
msrest-style models (identity, role assignment) drop what they do not know, so a round trip that
loses a key fails.
"""

from __future__ import annotations

import enum
import importlib
import json
import re
import sys
import typing
from typing import Any

from wizard.plan import Step

PLACEHOLDER = re.compile(r"\{\{(ref|secret):([^}]*)\}\}")
PRINCIPAL = "9b1f3a44-6c2d-4e8f-8a1b-2c3d4e5f6a7b"
PASSWORD = "Example-Passw0rd-123!"


def resolved(body: dict[str, Any]) -> dict[str, Any]:
    """The body with its placeholders replaced by plausible values, as the executor sends it."""
    text = PLACEHOLDER.sub(lambda m: PRINCIPAL if m.group(1) == "ref" else PASSWORD,
                           json.dumps(body))
    value: dict[str, Any] = json.loads(text)
    return value


def model_classes() -> dict[str, tuple[type[Any], str]]:
    """Step kind -> (the SDK model its body is, "new" or "msrest" style)."""
    from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
    from azure.mgmt.containerservice.models import AgentPool, ManagedCluster
    from azure.mgmt.msi.models import Identity
    from azure.mgmt.network.models import (
        NatGateway,
        PublicIPAddress,
        PublicIPPrefix,
        Subnet,
        VirtualNetwork,
    )
    from azure.mgmt.resource.resources.models import ResourceGroup

    return {
        "resource_group": (ResourceGroup, "new"),
        "public_ip": (PublicIPAddress, "new"),
        "public_ip_prefix": (PublicIPPrefix, "new"),
        "nat_gateway": (NatGateway, "new"),
        "virtual_network": (VirtualNetwork, "new"),
        "subnet": (Subnet, "new"),
        "identity": (Identity, "msrest"),
        "role_assignment": (RoleAssignmentCreateParameters, "msrest"),
        "managed_cluster": (ManagedCluster, "new"),
        "agent_pool": (AgentPool, "new"),
    }


def assert_known_fields(model: Any, raw: dict[str, Any], where: str) -> None:
    """Every key of `raw` is a writable field of the (new-style) model at that level, all the way
    down: the models keep unknown keys silently, so a misspelt field would otherwise pass."""
    fields = {field._rest_name: (attribute, field)
              for attribute, field in type(model)._attr_to_rest_field.items()}
    enums = enum_fields(type(model))
    for key, value in raw.items():
        assert key in fields, f"{where}.{key} is not a field of {type(model).__name__}"
        attribute, field = fields[key]
        visibility = getattr(field, "_visibility", None)
        assert visibility is None or "create" in visibility, f"{where}.{key} is read-only"
        if attribute in enums:
            known = [member.value for member in enums[attribute]]
            items = value if isinstance(value, list) else [value]
            for item in items:
                assert item in known, f"{where}.{key}: {item!r} is not one of {known}"
        assert_same_shape(getattr(model, attribute), value, f"{where}.{key}")


def assert_same_shape(typed: Any, raw: Any, where: str) -> None:
    if hasattr(type(typed), "_attr_to_rest_field"):
        assert isinstance(raw, dict), where
        assert_known_fields(typed, raw, where)
    elif isinstance(typed, list):
        assert isinstance(raw, list) and len(raw) == len(typed), where
        for index, (item, raw_item) in enumerate(zip(typed, raw, strict=True)):
            assert_same_shape(item, raw_item, f"{where}[{index}]")
    elif isinstance(typed, dict):
        assert isinstance(raw, dict) and set(raw) == set(typed), where
        for key in raw:
            assert_same_shape(typed[key], raw[key], f"{where}[{key}]")
    else:
        assert typed == raw, f"{where}: the model reads {typed!r} from {raw!r}"


def assert_round_trips(step: Step) -> None:
    if step.kind == "node_image_upgrade":
        # A POST action (upgradeNodeImageVersion) that takes no body.
        assert step.body == {}, step.key
        return
    model_class, style = model_classes()[step.kind]
    body = resolved(step.body)
    if style == "new":
        model = model_class(body)
        assert_known_fields(model, body, step.key)
        assert model.as_dict() == body
    else:
        model = model_class.deserialize(body)
        # msrest drops what it does not know, so a wrong name shows up as a difference here.
        assert model.serialize() == body, step.key
        if step.kind == "role_assignment":
            from azure.mgmt.authorization.models import PrincipalType

            principal_type = body["properties"].get("principalType")
            assert principal_type in [m.value for m in PrincipalType], step.key


def enum_fields(model_class: type[Any]) -> dict[str, type[enum.Enum]]:
    """attribute -> the enum its annotation names (`Union[str, SomeEnum, None]`, or a list)."""
    module = sys.modules[model_class.__module__]
    package = importlib.import_module(model_class.__module__.rsplit(".", 1)[0])
    hints = typing.get_type_hints(model_class, globalns={**vars(module), "_models": package})
    found: dict[str, type[enum.Enum]] = {}
    for attribute, hint in hints.items():
        stack = [hint]
        while stack:
            current = stack.pop()
            if isinstance(current, type) and issubclass(current, enum.Enum):
                found[attribute] = current
            stack.extend(typing.get_args(current))
    return found
