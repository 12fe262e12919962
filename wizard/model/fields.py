"""Every setting's single declaration, as the front ends need it.

The pydantic models in `config.py` declare each field once (type, limits, title, description).
This module flattens them into `FieldSpec`s keyed by the dotted path users type
(`outbound.ip_count`)
so that the CLI's `--set`, the Textual inputs and the questionary prompts render the same label,
help, choices and bounds and can never drift apart. It also reads and writes those paths in the
plain mapping (a preset's shape) that front ends edit before validation.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from wizard.model.config import (
    ClusterSettings,
    LoadBalancerOutbound,
    ManagedOutbound,
    UserAssignedOutbound,
    WindowsPool,
    WizardConfig,
    Workload,
)
from wizard.model.derived_names import DEFAULT_CLUSTER_NAME, DERIVED, fill_unset, follow_rename

Kind = Literal["text", "int", "bool", "choice", "zones", "list"]
"""`zones`: a list of fixed choices (checkboxes); `list`: free-form items typed as one
comma-separated text (an input box), empty meaning none."""
OUTBOUND_MODELS: dict[str, type[BaseModel]] = {
    "managed": ManagedOutbound,
    "user_assigned": UserAssignedOutbound,
    "load_balancer": LoadBalancerOutbound,
}
SECTIONS: dict[str, type[BaseModel]] = {
    "cluster": ClusterSettings,
    "windows": WindowsPool,
    "workload": Workload,
}


CHOICE_LABELS: dict[str, dict[str, str]] = {
    "outbound.type": {
        "managed": "Managed NAT gateway: AKS creates and owns it",
        "user_assigned": "User-assigned NAT gateway: yours, in your group",
        "load_balancer": "Load balancer (the cluster's egress today)",
    },
    "cluster.network_plugin": {
        "azure": "Azure CNI: pods get VNet IPs",
        "kubenet": "kubenet: pods behind node IPs (retires 2028-03-31)",
    },
    "outbound.sku": {
        "Standard": "Standard: in one zone",
        "StandardV2": "StandardV2: zone-redundant",
    },
    "outbound.layout": {
        "single": "One NAT gateway",
        "per_zone": "One NAT gateway per zone (zone-resilient)",
    },
    "windows.os_sku": {
        "Windows2019": "Windows Server 2019",
        "Windows2022": "Windows Server 2022",
        "Windows2025": "Windows Server 2025",
    },
}
"""How each choice reads on screen; the value stored (and typed with --set) is the key."""


SHOWN_WHEN = {"outbound.vnet_address_space_v6": "cluster.dual_stack"}
"""Settings that only mean something while a switch is on, by the switch's path (every
`windows.*` setting but `windows.enabled` depends on it too; `all_specs` adds those)."""

OUTBOUND_TYPE_HELP = (
    "Managed: AKS creates and owns the NAT gateway and its public IPs, on a VNet it creates. "
    "User-assigned: the wizard creates the VNet, subnet, NAT gateway, public IPs and the "
    "cluster's identity in your resource group, and they stay yours. "
    "(Typed as `managed` or `user_assigned` with --set outbound.type.)")
"""The choice explained in words; the model's description names the raw values."""


@dataclass(frozen=True)
class FieldSpec:
    """What a front end needs to render and parse one setting."""

    path: str
    label: str
    help: str
    kind: Kind
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    optional: bool = False
    outbound_types: tuple[str, ...] = ()
    """For `outbound.*`: the outbound types this field exists in."""
    shown_when: str = ""
    """The switch (a bool setting's path) this setting is asked only while on; "" always."""

    def choice_label(self, choice: str) -> str:
        """A choice as a person reads it (`Azure CNI (pods get VNet IPs)`, not `azure`)."""
        return CHOICE_LABELS.get(self.path, {}).get(choice, choice)

    def applies(self, outbound_type: str) -> bool:
        return not self.outbound_types or outbound_type in self.outbound_types

    @property
    def bounds_text(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum}-{self.maximum}"
        return ""


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    if typing.get_origin(annotation) is Literal:
        return tuple(str(arg) for arg in typing.get_args(annotation))
    return ()


def _spec(path: str, info: FieldInfo, outbound_types: tuple[str, ...] = ()) -> FieldSpec:
    annotation = info.annotation
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    minimum = maximum = None
    for meta in info.metadata:
        if isinstance(meta, Ge):
            minimum = int(meta.ge)  # type: ignore[call-overload]
        if isinstance(meta, Le):
            maximum = int(meta.le)  # type: ignore[call-overload]
    choices = _literal_choices(annotation)
    kind: Kind
    if typing.get_origin(annotation) is list:
        choices = _literal_choices(typing.get_args(annotation)[0])
        kind = "zones" if choices else "list"
    elif choices:
        kind = "choice"
    elif annotation is bool:
        kind = "bool"
    elif annotation is int:
        kind = "int"
    else:
        kind = "text"
    default = info.get_default(call_default_factory=True)
    return FieldSpec(
        path=path,
        label=info.title or path,
        help=info.description or "",
        kind=kind,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        default=default,
        optional=optional,
        outbound_types=outbound_types,
    )


@cache
def all_specs() -> dict[str, FieldSpec]:
    """Every setting by dotted path, in the order the wizard asks for them."""
    specs: dict[str, FieldSpec] = {}
    for name in ("description",):
        specs[name] = _spec(name, WizardConfig.model_fields[name])
    for name, info in ClusterSettings.model_fields.items():
        specs[f"cluster.{name}"] = _spec(f"cluster.{name}", info)
    owners: dict[str, list[str]] = {}
    infos: dict[str, FieldInfo] = {}
    for kind, model in OUTBOUND_MODELS.items():
        for name, info in model.model_fields.items():
            owners.setdefault(name, []).append(kind)
            infos.setdefault(name, info)
    type_spec = _spec("outbound.type", ManagedOutbound.model_fields["type"])
    specs["outbound.type"] = FieldSpec(
        path="outbound.type", label=type_spec.label, help=OUTBOUND_TYPE_HELP, kind="choice",
        choices=tuple(OUTBOUND_MODELS), default="managed",
    )
    for name, info in infos.items():
        if name == "type":
            continue
        path = f"outbound.{name}"
        specs[path] = _spec(path, info, tuple(owners[name]))
    for section in ("windows", "workload"):
        for name, info in SECTIONS[section].model_fields.items():
            specs[f"{section}.{name}"] = _spec(f"{section}.{name}", info)
    shown_when = {**{path: "windows.enabled" for path in specs
                     if path.startswith("windows.") and path != "windows.enabled"},
                  **SHOWN_WHEN}
    for path, switch in shown_when.items():
        specs[path] = dataclasses.replace(specs[path], shown_when=switch)
    for path in DERIVED:
        specs[path] = dataclasses.replace(
            specs[path], help=f"{specs[path].help} Named after the cluster until you change it.")
    return specs


def spec(path: str) -> FieldSpec:
    """The declaration of `path`; KeyError names the closest real paths."""
    specs = all_specs()
    if path not in specs:
        import difflib

        close = difflib.get_close_matches(path, list(specs), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown setting {path!r}{hint}")
    return specs[path]


def outbound_spec(path: str, outbound_type: str) -> FieldSpec:
    """Like `spec`, but with the limits of the given outbound type (ip_count differs for LB)."""
    base = spec(path)
    section, _, name = path.partition(".")
    model = OUTBOUND_MODELS.get(outbound_type)
    if section != "outbound" or model is None or name not in model.model_fields or name == "type":
        return base
    return dataclasses.replace(_spec(path, model.model_fields[name], base.outbound_types),
                               shown_when=base.shown_when)


_ASCII_INT = re.compile(r"[+-]?[0-9](?:[0-9_,]*[0-9])?")


def parse_value(field: FieldSpec, raw: str) -> Any:
    """Text as typed (CLI, prompt, input box) into the value the model expects.

    Malformed text is passed through unchanged so that validation reports it against the field.
    """
    text = raw.strip()
    if field.kind == "int":
        if text == "" and field.optional:
            return None
        if not _ASCII_INT.fullmatch(text):
            return text  # Python's int() also reads other scripts' digits; Azure does not
        return int(text.replace("_", "").replace(",", ""))
    if field.kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "y", "1", "on"):
            return True
        if lowered in ("false", "no", "n", "0", "off"):
            return False
        return text
    if field.kind == "zones":
        if text.lower() in ("", "none", "[]", "no-zone", "nozone"):
            return []
        return [part for part in text.replace("[", "").replace("]", "").replace('"', "")
                .replace(",", " ").split() if part]
    if field.kind == "list":
        if text.lower() in ("", "none", "[]"):
            return []
        return [part for part in text.replace("[", " ").replace("]", " ").replace('"', " ")
                .replace("'", " ").replace(",", " ").split() if part]
    if text == "" and field.optional:
        return None
    return text


def format_value(value: Any) -> str:
    """A value as an input box or prompt shows it; `parse_value` reads it back."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def get_path(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with `path` set; switching `outbound.type` keeps the shared fields only."""
    result = copy.deepcopy(data)
    if path == "cluster.name" and isinstance(value, str):
        old = get_path(data, "cluster.name")
        follow_rename(result, old if isinstance(old, str) else DEFAULT_CLUSTER_NAME, value)
    parts = path.split(".")
    node = result
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value
    if path == "outbound.type" and isinstance(value, str) and value in OUTBOUND_MODELS:
        allowed = OUTBOUND_MODELS[value].model_fields
        outbound = result["outbound"]
        for key in [k for k in outbound if k not in allowed]:
            del outbound[key]
        name = get_path(result, "cluster.name")
        result["outbound"] = fill_unset(outbound, name if isinstance(name, str)
                                        else DEFAULT_CLUSTER_NAME, lambda key: key in allowed)
    return result


def set_text(data: dict[str, Any], path: str, raw: str) -> dict[str, Any]:
    """`set_path` with the text parsed for that field (what `--set path=value` does)."""
    outbound_type = str(get_path(data, "outbound.type") or "managed")
    return set_path(data, path, parse_value(outbound_spec(path, outbound_type), raw))
