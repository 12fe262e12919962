"""Each Azure resource kind a plan step can be, declared once: one module per kind.

A module holds one `KIND = Kind(...)`: its `StepKind` name, ARM resource type, api-version,
parent kind, the noun people use, whether it takes tags, and which SDK client, operations
attribute and methods the backend calls (as names, so no SDK is imported here). `KINDS` is the
registry every stage reads: `Step.api_version` (`plan.graph`), the ARM export's types and name
segments, `AzureBackend`'s get / create / delete, and preflight's per-kind tables.

Nothing is discovered implicitly: a new kind is its module, listed in `MODULES` below, and its
name added to `StepKind` (`base.py`); `tests/wizard/plan/test_kinds.py` checks the three agree.
"""

from __future__ import annotations

from types import ModuleType

from wizard.plan.kinds import (
    agent_pool,
    identity,
    managed_cluster,
    nat_gateway,
    node_image_upgrade,
    public_ip,
    public_ip_prefix,
    resource_group,
    role_assignment,
    subnet,
    virtual_network,
)
from wizard.plan.kinds.base import Kind, Scope, StepKind

MODULES: tuple[ModuleType, ...] = (
    resource_group,
    public_ip,
    public_ip_prefix,
    nat_gateway,
    virtual_network,
    subnet,
    identity,
    role_assignment,
    managed_cluster,
    agent_pool,
    node_image_upgrade,
)


def _registry(modules: tuple[ModuleType, ...]) -> dict[StepKind, Kind]:
    kinds: dict[StepKind, Kind] = {}
    for module in modules:
        kind = module.KIND
        if not isinstance(kind, Kind):
            raise TypeError(f"{module.__name__}.KIND is not a Kind")
        if kind.name in kinds:
            raise ValueError(f"kind {kind.name} declared twice")
        if kind.parent is not None and kind.parent not in kinds:
            raise ValueError(f"kind {kind.name}: parent {kind.parent} must be declared before it")
        kinds[kind.name] = kind
    return kinds


KINDS: dict[StepKind, Kind] = _registry(MODULES)
"""Every kind by name, in `MODULES` order."""

__all__ = ["KINDS", "MODULES", "Kind", "Scope", "StepKind"]
