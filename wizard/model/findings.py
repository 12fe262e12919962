"""`Finding`: one thing the user should know about a configuration.

Findings come from two places: the model's validation (what Azure would reject, and malformed
input, turned into findings here by `from_validation_error`) and `rules.check()` (risks Azure
accepts, sizing advice); `evaluation.evaluate()` gathers both into one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from wizard.model.config import NAT_DOC

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
_UNION_TAGS = ("managed", "user_assigned", "load_balancer")


@dataclass(frozen=True)
class Finding:
    """One error (blocks apply), warning (a risk) or info (advice), tied to a field."""

    severity: Severity
    field: str
    """Dotted path of the field to change, e.g. `outbound.ip_count`; `""` for the whole config."""
    message: str
    doc: str = NAT_DOC
    code: str = ""
    """A stable identifier of the rule, for tests, JSON output and suppressions."""
    fact: str = ""
    """The id of the fact in docs/AZURE_FACTS.md the finding encodes (`""`: none, e.g. input
    errors or the wizard's own sizing advice)."""

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "doc": self.doc,
            "fact": self.fact,
        }


def field_path(loc: tuple[str | int, ...]) -> str:
    """Pydantic's error location as the dotted path users type, without union tags.

    List positions are dropped too (`outbound.zones.0` is the setting `outbound.zones`), so a
    finding always names a setting a front end shows.
    """
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if len(parts) >= 2 and parts[0] == "outbound" and parts[1] in _UNION_TAGS:
        del parts[1]
    return ".".join(parts)


_PATTERN_HELP: dict[str, str] = {
    "cluster.subscription_id": "a subscription ID is a GUID like "
    "12345678-1234-1234-1234-123456789abc (see `az account show --query id`)",
    "cluster.node_vm_size": "a VM size looks like Standard_D4s_v5 (letters, digits and '_')",
    "windows.vm_size": "a VM size looks like Standard_D4s_v5 (letters, digits and '_')",
    "windows.admin_username": "1-20 letters, digits, '_' or '-', starting with a letter",
    "outbound.vnet_subnet_id": "a subnet's resource id looks like /subscriptions/ID/"
    "resourceGroups/GROUP/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET",
}
_TYPE_HELP: dict[str, str] = {
    "int_parsing": "must be a valid integer, a whole number like 3",
    "int_type": "must be a valid integer, a whole number like 3",
    "int_from_float": "must be a valid integer, a whole number like 3",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list, like 1,2,3",
    "model_attributes_type": "must be a section of settings (a [table] in a preset file)",
    "model_type": "must be a section of settings (a [table] in a preset file)",
    "dict_type": "must be a section of settings (a [table] in a preset file)",
}


def _shown(value: Any) -> str:
    """What the user gave, short enough for one line (it is data: front ends escape it)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _outbound_type(loc: tuple[str | int, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "outbound" and loc[1] in _UNION_TAGS:
        return str(loc[1])
    return "managed"


def _bounds(path: str, loc: tuple[str | int, ...], ctx: dict[str, Any]) -> tuple[Any, Any]:
    """The field's declared range, with the outbound type's own limits; pydantic's ctx else."""
    from wizard.model import fields  # fields imports config only; imported here to keep this light

    low, high = ctx.get("ge"), ctx.get("le")
    try:
        spec = fields.outbound_spec(path, _outbound_type(loc))
    except KeyError:
        return low, high
    return (spec.minimum if spec.minimum is not None else low,
            spec.maximum if spec.maximum is not None else high)


def _message(entry: Any, path: str) -> str:
    """One validation problem in plain words, ending with what the user gave where it helps."""
    kind: str = entry["type"]
    ctx: dict[str, Any] = entry.get("ctx") or {}
    given = entry.get("input")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(path, entry["loc"], ctx)
        if low is not None and high is not None:
            return f"must be between {low:,} and {high:,} (you gave {_shown(given)})"
        return f"{entry['msg']} (you gave {_shown(given)})"
    if kind == "extra_forbidden":
        return "is not a setting the wizard knows (check the spelling)"
    if kind == "union_tag_invalid":
        return (f"must be one of {', '.join(_UNION_TAGS)} "
                f"(you gave {_shown(ctx.get('tag', given))})")
    if kind == "literal_error":
        if path.endswith(".zones"):
            return f"each zone must be 1, 2 or 3 (you gave {_shown(given)})"
        expected = str(entry["msg"]).removeprefix("Input should be ")
        return f"must be {expected} (you gave {_shown(given)})"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HELP.get(path, "it does not have the expected form")
        return f"{_shown(given)} is not valid here: {hint}"
    if kind == "string_too_long":
        return (f"must be at most {ctx.get('max_length')} characters "
                f"(you gave {len(given) if isinstance(given, str) else '?'})")
    if kind in _TYPE_HELP:
        return f"{_TYPE_HELP[kind]} (you gave {_shown(given)})"
    return str(entry["msg"])


def from_validation_error(error: ValidationError) -> list[Finding]:
    """Every problem pydantic found, as error findings naming the field and what is allowed."""
    findings: list[Finding] = []
    for entry in error.errors(include_url=False):
        kind = entry["type"]
        loc = entry["loc"]
        path = field_path(loc)
        if kind == "union_tag_invalid":
            path = f"{path}.type"
        findings.append(Finding("error", path, _message(entry, path), code=f"invalid.{kind}"))
    return findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.field, f.code))
