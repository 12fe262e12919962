"""AzureBackend against the in-process sandbox: every step kind is created, read and deleted
through the real SDK clients, and Azure's errors come back as AzureError with a hint."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.wizard.sandbox_helpers import SECRETS, backend_for, config_for, plan_for, puts
from wizard.azure.backend import AzureBackend, AzureError, only_subscription
from wizard.plan import Step
from wizard.run.executor import referenced_paths, resolve
from wizard.sandbox import Sandbox, VirtualClock


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


@pytest.mark.parametrize("preset", ["user-assigned-per-zone", "windows-managed"])
def test_every_kind_is_created_read_and_deleted(preset: str) -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for(preset))
    wanted = referenced_paths(plan)
    outputs: dict[str, dict[str, Any]] = {}
    messages: list[str] = []
    for step in plan.steps:
        body = resolve(copy.deepcopy(step.body), outputs, SECRETS)
        target = Step(**{**step.__dict__, "body": body})
        assert backend.get(target) is None
        created = backend.create(target, body, messages.append)
        assert str(created["id"]).lower() == step.resource_id.lower()
        fetched = backend.get(target)
        assert fetched is not None and str(fetched["id"]).lower() == step.resource_id.lower()
        outputs[step.key] = {path: _dig(created, path) for path in wanted.get(step.key, ())}
    kinds = {step.kind for step in plan.steps}
    assert sandbox.get(plan.steps[-1].resource_id) is not None
    for step in reversed(plan.steps):
        backend.delete(step, messages.append)
        assert backend.get(step) is None
        backend.delete(step, messages.append)  # already gone: not an error
    assert sandbox.resources() == [] or all(
        not str(r["id"]).lower().startswith(plan.steps[0].resource_id.lower())
        for r in sandbox.resources())
    if preset == "user-assigned-per-zone":
        assert kinds == {"resource_group", "public_ip", "nat_gateway", "virtual_network",
                         "subnet", "identity", "role_assignment", "managed_cluster",
                         "agent_pool"}


def test_progress_is_reported_while_an_operation_runs() -> None:
    sandbox = Sandbox(speed=0.05)
    backend = backend_for(sandbox)
    backend.progress_interval = 0.05
    plan = plan_for(sandbox, config_for("managed-basic"))
    messages: list[str] = []
    for step in plan.steps:
        body = resolve(copy.deepcopy(step.body), {}, SECRETS)
        backend.create(step, body, messages.append)
    assert any(message.startswith("creating:") for message in messages)


def test_sdk_sends_the_plan_body_unchanged() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for("user-assigned"))
    for step in plan.steps[:3]:
        backend.create(step, step.body, lambda _m: None)
    assert [entry.body for entry in puts(sandbox)] == [step.body for step in plan.steps[:3]]


def test_azure_validation_errors_become_azure_error_with_hint() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for("user-assigned"))
    group, ip = plan.steps[0], plan.steps[1]
    backend.create(group, group.body, lambda _m: None)
    gateway = next(step for step in plan.steps if step.kind == "nat_gateway")
    backend.create(ip, ip.body, lambda _m: None)
    bad = copy.deepcopy(gateway.body)
    bad["properties"]["idleTimeoutInMinutes"] = 500
    with pytest.raises(AzureError) as caught:
        backend.create(gateway, bad, lambda _m: None)
    error = caught.value
    assert error.status == 400 and not error.retryable
    assert error.code and error.message and error.hint


def test_missing_parent_is_an_error_not_a_crash() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    plan = plan_for(sandbox, config_for("user-assigned"))
    ip = plan.steps[1]
    with pytest.raises(AzureError) as caught:
        backend.create(ip, ip.body, lambda _m: None)
    assert caught.value.status == 404


def test_from_environment_takes_the_subscription_from_argument_or_env(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "22222222-2222-2222-2222-222222222222")
    assert AzureBackend.from_environment(None).subscription_id.startswith("2222")
    assert AzureBackend.from_environment("33333333-3333-3333-3333-333333333333") \
        .subscription_id.startswith("3333")


def test_clients_are_created_lazily() -> None:
    sandbox = Sandbox(speed=0)
    backend = backend_for(sandbox)
    assert backend._clients == {}
    plan = plan_for(sandbox, config_for("managed-basic"))
    backend.get(plan.steps[0])
    assert set(backend._clients) == {"resource"}


def test_the_only_subscription_the_login_sees_is_chosen() -> None:
    sandbox = Sandbox(speed=0)
    assert only_subscription(sandbox.credential(), **sandbox.client_kwargs()) == \
        sandbox.subscription_id


def _up_to_a_new_identity(sandbox: Sandbox, backend: AzureBackend) -> tuple[Step, dict[str, Any]]:
    """Create every step the role assignment needs, the identity last (so the assignment comes
    right after it, as Azure's replication delay bites); returns the role step and its body."""
    plan = plan_for(sandbox, config_for("user-assigned"))
    wanted = referenced_paths(plan)
    role = next(step for step in plan.steps if step.kind == "role_assignment")
    before = [step for step in plan.steps[:plan.steps.index(role)] if step.kind != "identity"]
    before += [step for step in plan.steps if step.kind == "identity"]
    outputs: dict[str, dict[str, Any]] = {}
    for step in before:
        created = backend.create(step, resolve(copy.deepcopy(step.body), outputs, SECRETS),
                                 lambda _m: None)
        outputs[step.key] = {path: _dig(created, path) for path in wanted.get(step.key, ())}
    return role, resolve(copy.deepcopy(role.body), outputs, SECRETS)


def _role_puts(sandbox: Sandbox) -> list[int]:
    return [entry.status for entry in puts(sandbox) if entry.resource_type == "roleAssignments"]


def test_principal_not_found_right_after_the_identity_is_retried_until_it_replicates() -> None:
    """The sandbox hides a new identity's principal from lookups for 12 s (virtual): a body
    without principalType fails twice with Azure's PrincipalNotFound; the backend's own waits
    (5 s, 10 s, through the transport, so the virtual clock moves) carry it past the delay."""
    clock = VirtualClock()
    sandbox = Sandbox(speed=1, faults="", clock=clock, principal_delay=12.0)
    backend = AzureBackend.for_sandbox(sandbox)
    assert backend.principal_retry_delays[:2] == (5.0, 10.0)
    role, body = _up_to_a_new_identity(sandbox, backend)
    del body["properties"]["principalType"]
    started = clock()
    messages: list[str] = []
    created = backend.create(role, body, messages.append)
    assert created["name"] == role.name
    assert created["properties"]["principalType"] == "ServicePrincipal"  # found by the lookup
    assert _role_puts(sandbox) == [400, 400, 201]
    assert [m for m in messages if "not replicated" in m] == [
        "identity not replicated yet; retrying in 5 s",
        "identity not replicated yet; retrying in 10 s"]
    assert clock() - started == 15.0


def test_principal_not_found_gives_up_when_the_waits_run_out() -> None:
    sandbox = Sandbox(speed=1, faults="", clock=VirtualClock(), principal_delay=1000.0)
    backend = AzureBackend.for_sandbox(sandbox)
    backend.principal_retry_delays = (5.0,)
    role, body = _up_to_a_new_identity(sandbox, backend)
    del body["properties"]["principalType"]
    with pytest.raises(AzureError) as caught:
        backend.create(role, body, lambda _m: None)
    assert caught.value.code == "PrincipalNotFound" and caught.value.status == 400
    assert "replication delay" in str(caught.value) and caught.value.hint
    assert _role_puts(sandbox) == [400, 400]
    assert sandbox.get(role.resource_id) is None


def test_the_plans_role_assignment_is_accepted_before_the_principal_replicates() -> None:
    """The plan sends principalType, so ARM skips the directory lookup: one PUT, no wait."""
    sandbox = Sandbox(speed=1, faults="", clock=VirtualClock(), principal_delay=1000.0)
    backend = AzureBackend.for_sandbox(sandbox)
    role, body = _up_to_a_new_identity(sandbox, backend)
    assert body["properties"]["principalType"] == "ServicePrincipal"
    messages: list[str] = []
    backend.create(role, body, messages.append)
    assert _role_puts(sandbox) == [201]
    assert not any("not replicated" in m for m in messages)
