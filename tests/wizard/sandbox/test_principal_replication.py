"""A new identity's principal is unknown to role assignments for a while, as in Azure, unless the
assignment sets principalType (ARM then skips the directory lookup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.wizard.sandbox.conftest import (
    Clients,
    call,
    grant,
    identity,
    make_clients,
    rg,
)
from wizard.sandbox import DEFAULT_DURATIONS, Sandbox, VirtualClock
from wizard.sandbox.ids import TENANT_ID

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
READER = "acdd72a7-3385-44ef-bd42-f6a4c7c7f4d4"


def sandbox_on(clock: VirtualClock, **options: Any) -> Clients:
    return make_clients(Sandbox(faults="", clock=clock, **options))


def raw_grant(clients: Clients, principal: str, principal_type: str | None = None) -> tuple[
        int, dict[str, object]]:
    """A role assignment PUT straight into the emulator, to see ARM's exact answer."""
    props: dict[str, object] = {
        "roleDefinitionId": f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
        "principalId": principal,
    }
    if principal_type:
        props["principalType"] = principal_type
    path = (f"{SUB}/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments/"
            "11111111-2222-3333-4444-555555555555")
    answer = call(clients.sandbox, "PUT", path, {"properties": props}, "2022-04-01")
    return answer.status, answer.body


def test_without_principal_type_a_new_principal_is_not_found_until_it_replicates() -> None:
    clock = VirtualClock()
    clients = sandbox_on(clock, speed=1)
    rg(clients)
    principal = identity(clients).principal_id
    status, body = raw_grant(clients, principal)
    assert status == 400
    assert body == {"error": {"code": "PrincipalNotFound", "message": (
        f"Principal {principal.replace('-', '')} does not exist in the directory {TENANT_ID}. "
        "Check that you have the correct principal ID. If you are creating this principal and "
        "then immediately assigning a role, this error might be related to a replication delay. "
        "In this case, set the role assignment principalType property to a value, such as "
        "ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype")}}
    # The default delay at speed 1 is the timing table's; just before it, still unknown.
    delay = DEFAULT_DURATIONS[("userAssignedIdentities", "replicate")]
    assert clients.sandbox.principal_delay == delay
    clock.advance(delay - 0.01)
    assert raw_grant(clients, principal)[0] == 400
    clock.advance(0.01)
    status, body = raw_grant(clients, principal)
    assert status == 201
    assert body["properties"]["principalType"] == "ServicePrincipal"  # type: ignore[index]


def test_with_principal_type_the_lookup_is_skipped() -> None:
    clients = sandbox_on(VirtualClock(), speed=1, principal_delay=600.0)
    rg(clients)
    principal = identity(clients).principal_id
    status, body = raw_grant(clients, principal, "ServicePrincipal")
    assert status == 201
    assert body["properties"]["principalType"] == "ServicePrincipal"  # type: ignore[index]


def test_an_unknown_principal_is_not_found_however_long_one_waits() -> None:
    clock = VirtualClock()
    clients = sandbox_on(clock, speed=1)
    rg(clients)
    clock.advance(10_000)
    stranger = "12345678-1234-1234-1234-123456789012"
    assert raw_grant(clients, stranger)[0] == 400
    assert raw_grant(clients, stranger, "User")[0] == 201


def test_speed_zero_means_no_delay_unless_a_test_asks() -> None:
    clients = make_clients(Sandbox(speed=0, faults=""))
    assert clients.sandbox.principal_delay == 0
    scope = rg(clients)
    assert grant(clients, scope, identity(clients).principal_id, principal_type=None)

    clock = VirtualClock()
    asked = sandbox_on(clock, speed=0, principal_delay=30.0)
    scope = rg(asked)
    principal = identity(asked).principal_id
    assert raw_grant(asked, principal)[0] == 400
    clock.advance(30)
    assert raw_grant(asked, principal)[0] == 201


def test_the_delay_is_an_attribute_and_counts_from_creation_not_updates() -> None:
    clock = VirtualClock()
    clients = sandbox_on(clock, speed=0)
    clients.sandbox.principal_delay = 20
    rg(clients)
    principal = identity(clients).principal_id
    clock.advance(15)
    assert identity(clients).principal_id == principal  # a second PUT updates the identity
    clock.advance(5)
    assert raw_grant(clients, principal)[0] == 201
    with pytest.raises(ValueError):
        clients.sandbox.principal_delay = -1


def test_a_principal_from_the_state_file_has_replicated(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    first = sandbox_on(VirtualClock(), speed=1, principal_delay=600.0, state_path=state)
    rg(first)
    principal = identity(first).principal_id
    assert raw_grant(first, principal)[0] == 400
    again = sandbox_on(VirtualClock(), speed=1, principal_delay=600.0, state_path=state)
    assert raw_grant(again, principal)[0] == 201


def test_reset_forgets_pending_principals() -> None:
    clients = sandbox_on(VirtualClock(), speed=1, principal_delay=600.0)
    rg(clients)
    principal = identity(clients).principal_id
    directory = clients.sandbox.emulator.directory
    assert not directory.visible(principal)
    clients.sandbox.reset()
    assert directory.visible(principal)


@pytest.mark.parametrize(("speed", "moved"), [(0, 0.0), (0.5, 2.5), (1, 5.0), (3, 5.0)])
def test_a_transport_sleep_moves_a_virtual_clock_by_what_it_would_have_slept(
        speed: float, moved: float) -> None:
    clock = VirtualClock()
    sandbox = Sandbox(speed=speed, faults="", clock=clock)
    before = clock()
    sandbox.transport().sleep(5)
    assert clock() - before == moved
