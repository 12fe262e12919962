"""The resource kinds, declared once (`wizard/plan/kinds/`): every `StepKind` has exactly one
module and one registry entry, the registry holds exactly the modules `MODULES` lists, and what a
kind declares (ARM type, api-version, SDK client and methods) is what the ARM export writes and
what the backend sends."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from types import ModuleType
from typing import Any, get_args

import pytest

import wizard.plan.kinds as kinds_package
from tests.wizard.sandbox_helpers import SECRETS, backend_for, config_for, plan_for
from tests.wizard.test_layering import imported_after
from wizard.export.arm import RESOURCE_TYPES, to_arm_template
from wizard.plan import API_VERSIONS, KINDS, Kind, Plan, Step, StepKind, build
from wizard.plan.kinds import MODULES, _registry
from wizard.run.executor import referenced_paths, resolve
from wizard.sandbox import Sandbox
from wizard.storage import presets

NOT_KIND_MODULES = {"base"}


def kind_modules() -> list[str]:
    """The modules of the kinds package, as the file system has them."""
    return sorted(module.name for module in pkgutil.iter_modules(kinds_package.__path__)
                  if module.name not in NOT_KIND_MODULES)


def test_every_step_kind_has_exactly_one_entry() -> None:
    names = [module.KIND.name for module in MODULES]
    assert sorted(names) == sorted(get_args(StepKind))
    assert len(names) == len(set(names))
    assert list(KINDS) == names
    assert all(KINDS[name].name == name for name in KINDS)


def test_each_kind_is_one_module_named_after_it_and_listed() -> None:
    assert kind_modules() == sorted(module.__name__.rsplit(".", 1)[-1] for module in MODULES)
    for module in MODULES:
        assert module.__name__ == f"wizard.plan.kinds.{module.KIND.name}"
        assert [value for value in vars(module).values() if isinstance(value, Kind)] == [
            module.KIND]


def test_adding_a_kind_is_one_module_in_the_list() -> None:
    """The registry is exactly the listed modules' KINDs: one more module listed is one more
    kind (nothing is found implicitly), and a kind declared twice or before its parent is
    refused."""
    extra = ModuleType("wizard.plan.kinds.extra")
    extra.KIND = Kind(  # type: ignore[attr-defined]
        name="extra",  # type: ignore[arg-type]
        noun="extra", api_version="2030-01-01", arm_type="Microsoft.Example/extras",
        parent="virtual_network", client="network", operations="extras")
    grown = _registry((*MODULES, extra))
    assert list(grown) == [*KINDS, "extra"]
    assert {name: kind for name, kind in grown.items() if name != "extra"} == KINDS
    with pytest.raises(ValueError, match="declared twice"):
        _registry((*MODULES, MODULES[0]))
    with pytest.raises(ValueError, match="parent virtual_network must be declared before"):
        _registry((extra, *MODULES))
    assert importlib.import_module("wizard.plan.kinds").KINDS is KINDS


def test_parents_and_scopes() -> None:
    assert {name: kind.parent for name, kind in KINDS.items() if kind.parent} == {
        "subnet": "virtual_network", "agent_pool": "managed_cluster",
        "node_image_upgrade": "managed_cluster"}
    for kind in KINDS.values():
        if kind.parent is not None and kind.arm_type is not None:
            parent_type = KINDS[kind.parent].arm_type
            assert parent_type is not None and kind.arm_type.startswith(parent_type + "/")
    assert KINDS["nat_gateway"].arm_type == "Microsoft.Network/natGateways"
    assert KINDS["nat_gateway"].noun == "NAT gateway"
    assert {name for name, kind in KINDS.items() if kind.scope != "resource_group"} == {
        "resource_group", "role_assignment"}


def test_plan_steps_take_the_kinds_api_version() -> None:
    assert {name: kind.api_version for name, kind in KINDS.items()} == API_VERSIONS
    plan = build(presets.load("user-assigned-per-zone"))
    for step in plan.steps:
        assert step.api_version == KINDS[step.kind].api_version
        assert step.to_dict()["api_version"] == KINDS[step.kind].api_version


def _every_resource(plan: Plan) -> list[dict[str, Any]]:
    template = to_arm_template(plan)
    group, deployment = template["resources"]
    return [group, *deployment["properties"]["template"]["resources"]]


@pytest.mark.parametrize("preset", ["user-assigned-per-zone", "windows-managed"])
def test_the_arm_export_writes_each_kinds_type_and_api_version(preset: str) -> None:
    plan = build(presets.load(preset))
    resources = _every_resource(plan)
    assert len(resources) == len(plan.steps)
    for step, resource in zip(plan.steps, resources, strict=True):
        kind = KINDS[step.kind]
        assert resource["type"] == kind.arm_type == RESOURCE_TYPES[step.kind]
        assert resource["apiVersion"] == kind.api_version
    # tags are written where, and only where, the kind takes them
    assert {step.kind for step in plan.steps if "tags" in step.body} == {
        step.kind for step in plan.steps if KINDS[step.kind].tagged}


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


def test_the_backend_sends_each_kinds_type_and_api_version() -> None:
    """Every resource the backend writes is of the kind's ARM type, written with the kind's
    api-version: the SDK client the kind declares speaks the version the plan names."""
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for("user-assigned-per-zone"))
    wanted = referenced_paths(plan)
    outputs: dict[str, dict[str, Any]] = {}
    for step in plan.steps:
        body = resolve(copy.deepcopy(step.body), outputs, SECRETS)
        created = backend.create(Step(**{**step.__dict__, "body": body}), body, lambda _: None)
        outputs[step.key] = {path: _dig(created, path) for path in wanted.get(step.key, ())}
        assert str(created["type"]).lower() == str(KINDS[step.kind].arm_type).lower()
        fetched = backend.get(step)
        assert fetched is not None and fetched["type"] == created["type"]
    by_id = {step.resource_id.lower(): step for step in plan.steps}
    checked: set[StepKind] = set()
    for request in sandbox.request_log:
        step = by_id.get(request.path.lower())
        if step is None or request.method != "PUT":
            continue
        kind = KINDS[step.kind]
        assert request.api_version == kind.api_version, (step.key, request.api_version)
        checked.add(step.kind)
    assert checked == {step.kind for step in plan.steps}
    backend.close()


def test_every_declared_sdk_method_exists() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    for kind in KINDS.values():
        operations = getattr(backend.client(kind.client), kind.operations)
        for method in (kind.get, kind.create, kind.delete):
            if method is not None:
                assert callable(getattr(operations, method)), (kind.name, method)
        if kind.model is not None:
            module, _, name = kind.model.partition(":")
            assert hasattr(importlib.import_module(module), name)
    backend.close()


def test_the_kinds_import_no_sdk() -> None:
    """Declaring kinds is plain data: the backend's names are strings, its SDKs stay lazy."""
    assert imported_after(["wizard.plan.kinds"]) == {"wizard.plan.kinds": []}
