"""LRO timing on an injected clock: nothing finishes early, everything finishes on time."""

from __future__ import annotations

import pytest

from tests.wizard.sandbox.conftest import call
from wizard.sandbox import DEFAULT_DURATIONS, Sandbox
from wizard.sandbox.timing import SPEED_ENV, Durations, resolve_speed

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
RG = f"{SUB}/resourceGroups/rg1"
GW = f"{RG}/providers/Microsoft.Network/natGateways/gw"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def op_path(resp_headers: dict[str, str]) -> str:
    return resp_headers["Azure-AsyncOperation"].split("invalid", 1)[1].split("?")[0]


def test_operation_and_state_flip_together_when_due() -> None:
    clock = FakeClock()
    sandbox = Sandbox(speed=1, faults="", clock=clock)
    call(sandbox, "PUT", RG, {"location": "eastus"})
    put = call(sandbox, "PUT", GW, {"location": "eastus"})
    path = op_path(put.headers)
    assert put.headers["Retry-After"] == "1"  # 1.5 s to go, whole seconds like ARM, down
    clock.now += DEFAULT_DURATIONS[("natGateways", "create")] - 0.01
    status = call(sandbox, "GET", path, api_version=None)
    # The last second: no Retry-After, the client's own interval applies.
    assert status.body["status"] == "InProgress" and "Retry-After" not in status.headers
    assert sandbox.get(GW)["properties"]["provisioningState"] == "Creating"
    clock.now += 0.02
    assert call(sandbox, "GET", path, api_version=None).body["status"] == "Succeeded"
    assert sandbox.get(GW)["properties"]["provisioningState"] == "Succeeded"


def test_delete_operation_and_location_result() -> None:
    clock = FakeClock()
    sandbox = Sandbox(speed=0.5, faults="", clock=clock)
    call(sandbox, "PUT", RG, {"location": "eastus"})
    call(sandbox, "PUT", GW, {"location": "eastus"})
    clock.now += 10
    deleted = call(sandbox, "DELETE", GW)
    assert deleted.status == 202
    location = deleted.headers["Location"].split("invalid", 1)[1].split("?")[0]
    assert call(sandbox, "GET", location, api_version=None).status == 202
    assert sandbox.get(GW)["properties"]["provisioningState"] == "Deleting"
    clock.now += DEFAULT_DURATIONS[("natGateways", "delete")] * 0.5
    assert call(sandbox, "GET", location, api_version=None).status == 204
    assert sandbox.get(GW) is None


def test_cluster_write_while_busy_is_a_conflict() -> None:
    clock = FakeClock()
    sandbox = Sandbox(speed=1, faults="", clock=clock)
    call(sandbox, "PUT", RG, {"location": "eastus"})
    aks = f"{RG}/providers/Microsoft.ContainerService/managedClusters/aks"
    body = {
        "location": "eastus",
        "identity": {"type": "SystemAssigned"},
        "properties": {"agentPoolProfiles": [{"name": "sys", "mode": "System"}]},
    }
    assert call(sandbox, "PUT", aks, body).status == 201
    pool = call(sandbox, "PUT", f"{aks}/agentPools/user", {"properties": {"count": 1}})
    assert pool.status == 409 and pool.body["error"]["code"] == "OperationNotAllowed"
    clock.now += DEFAULT_DURATIONS[("managedClusters", "create")]
    assert (
        call(sandbox, "PUT", f"{aks}/agentPools/user", {"properties": {"count": 1}}).status == 201
    )


def test_speed_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEED_ENV, "0.1")
    assert resolve_speed(None) == 0.1
    assert Sandbox(faults="").speed == 0.1
    assert resolve_speed(2.0) == 2.0  # the argument wins
    monkeypatch.delenv(SPEED_ENV)
    assert resolve_speed(None) == 1.0
    assert (
        Durations(0.1).seconds("managedClusters", "create")
        == DEFAULT_DURATIONS[("managedClusters", "create")] * 0.1
    )
    assert Durations(0).seconds("agentPools", "create") == 0
    assert Durations(3).sleep_scale == 1.0 and Durations(0).sleep_scale == 0.0


def test_default_critical_path_is_ten_to_twenty_seconds() -> None:
    d = DEFAULT_DURATIONS
    path = (
        d[("publicIPAddresses", "create")]
        + d[("natGateways", "create")]
        + d[("virtualNetworks", "create")]
        + d[("subnets", "create")]
        + d[("managedClusters", "create")]
        + d[("agentPools", "create")]
    )
    assert 10 <= path <= 20
    assert d[("managedClusters", "create")] > 10 * d[("publicIPAddresses", "create")]
