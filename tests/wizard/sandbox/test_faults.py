"""Fault injection: transient faults absorbed by azure-core's own retry policy, the grammar,
the env var and the seeded random mode."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError

from tests.wizard.sandbox.conftest import Clients, make_clients, nat_gateway, public_ip, rg
from wizard.sandbox import FAULTS_ENV, FaultPlan, Sandbox


@pytest.mark.parametrize(
    ("kind", "arg", "status"),
    [
        ("throttle", None, 429),
        ("server_error", None, 500),
        ("server_error", "503", 503),
        ("drop_connection", None, 0),
    ],
)
def test_transient_faults_are_retried_by_azure_core(
    clients: Clients, kind: str, arg: str | None, status: int
) -> None:
    rg(clients)
    clients.sandbox.faults.add("natGateways", "PUT", kind, 2, arg)
    clients.sandbox.clear_request_log()
    assert nat_gateway(clients).provisioning_state == "Succeeded"
    puts = [r for r in clients.sandbox.request_log if r.method == "PUT"]
    assert [r.status for r in puts] == [status, status, 201]
    assert [r.fault for r in puts] == [kind, kind, None]


def test_throttle_sends_retry_after(sandbox: Sandbox) -> None:
    from tests.wizard.sandbox.conftest import call

    sandbox.faults.add("resourceGroups", "*", "throttle", 1)
    resp = call(
        sandbox, "GET", "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups"
    )
    assert resp.status == 429 and resp.headers["Retry-After"] == "1"
    assert resp.body["error"]["code"] == "TooManyRequests"


def test_rules_match_type_and_method_only(clients: Clients) -> None:
    rg(clients)
    rule = clients.sandbox.faults.add("natGateways", "DELETE", "server_error", 1)
    public_ip(clients)
    nat_gateway(clients)
    assert rule.count == 1  # neither the IP nor the gateway PUT consumed it
    clients.network.nat_gateways.begin_delete("rg1", "gw1").result()
    assert rule.count == 0


def test_persistent_server_error_surfaces_after_retries(clients: Clients) -> None:
    rg(clients)
    clients.sandbox.faults.add("publicIPAddresses", "PUT", "server_error", 10)
    with pytest.raises(HttpResponseError) as info:
        public_ip(clients)
    assert info.value.status_code == 500
    puts = [r for r in clients.sandbox.request_log if r.method == "PUT" and r.status == 500]
    assert len(puts) == 4  # the first try plus azure-core's three status retries


def test_poll_faults_are_retried(clients: Clients) -> None:
    rg(clients)
    clients.sandbox.faults.add("operations", "GET", "throttle", 2)
    assert public_ip(clients).provisioning_state == "Succeeded"
    polls = [r for r in clients.sandbox.request_log if r.resource_type == "operations"]
    assert [r.status for r in polls][:3] == [429, 429, 200]


def test_grammar() -> None:
    plan = FaultPlan.parse(
        "natGateways:PUT:throttle:2, managedClusters:put:failed_lro=Boom,"
        "*:*:server_error=503:3,random:0.25:7"
    )
    assert [(r.resource_type, r.method, r.kind, r.count, r.arg) for r in plan.rules] == [
        ("natGateways", "PUT", "throttle", 2, None),
        ("managedClusters", "PUT", "failed_lro", 1, "Boom"),
        ("*", "*", "server_error", 3, "503"),
    ]
    assert (plan.rate, plan.seed) == (0.25, 7)
    for bad in ("natGateways:PUT", "x:PUT:explode:1", "random:2", "a:b:throttle:1:2"):
        with pytest.raises(ValueError):
            FaultPlan.parse(bad)


def test_faults_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULTS_ENV, "publicIPAddresses:PUT:failed_lro:1")
    clients = make_clients(Sandbox(speed=0))
    rg(clients)
    with pytest.raises(HttpResponseError) as info:
        public_ip(clients)
    assert info.value.error.code == "SandboxInjectedFailure"
    assert public_ip(clients).provisioning_state == "Succeeded"


def test_random_mode_is_seeded_transient_and_survivable() -> None:
    def run(seed: int) -> list[tuple[str, str, str]]:
        sandbox = Sandbox(speed=0, faults=f"random:0.3:{seed}")
        clients = make_clients(sandbox)
        rg(clients)
        for i in range(8):
            public_ip(clients, f"ip{i}")
        assert len(list(clients.network.public_ip_addresses.list("rg1"))) == 8
        return list(sandbox.faults.fired)

    first = run(11)
    assert first == run(11)
    assert first and {kind for _, _, kind in first} <= {
        "throttle",
        "server_error",
        "drop_connection",
    }
