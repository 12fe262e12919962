"""Real Azure's polling, tested against the sandbox: each client polls at its provider's interval
when no `Retry-After` is sent, and follows `Retry-After` when it is."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.azure.backend import POLLING_INTERVALS, AzureBackend
from wizard.sandbox import Sandbox, SandboxTransport, VirtualClock


class RecordingTransport(SandboxTransport):
    """The sandbox transport, remembering every sleep the SDK asks of it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleeps: list[float] = []

    def sleep(self, duration: float) -> None:
        self.sleeps.append(float(duration))
        super().sleep(duration)


def azure_like_backend(sandbox: Sandbox) -> tuple[AzureBackend, RecordingTransport]:
    """A backend configured as for real Azure (no polling interval given), on the sandbox."""
    transport = RecordingTransport(sandbox.emulator, sandbox.durations.sleep_scale)
    backend = AzureBackend(sandbox.credential(), sandbox.subscription_id, transport=transport,
                           base_url=sandbox.base_url,
                           client_kwargs={"credential_scopes": [sandbox.base_url + "/.default"]})
    return backend, transport


def create_gateway(backend: AzureBackend) -> None:
    backend.client("resource").resource_groups.create_or_update("rg1", {"location": "eastus"})
    poller = backend.client("network").nat_gateways.begin_create_or_update(
        "rg1", "gw", {"location": "eastus", "sku": {"name": "Standard"}})
    assert poller.result().provisioning_state == "Succeeded"


def test_every_client_has_its_providers_interval_unless_one_is_given() -> None:
    backend = AzureBackend(object(), "sub")
    for name, seconds in POLLING_INTERVALS.items():
        assert backend.client_options(name)["polling_interval"] == seconds
    given = AzureBackend(object(), "sub", polling_interval=0.5)
    assert given.client_options("network")["polling_interval"] == 0.5
    with pytest.raises(ValueError):
        backend.client_options("compute")


def test_the_poller_follows_retry_after_when_sent() -> None:
    sandbox = Sandbox(speed=1, faults="", clock=VirtualClock(),
                      durations={("natGateways", "create"): 3.0})
    backend, transport = azure_like_backend(sandbox)
    try:
        create_gateway(backend)
    finally:
        backend.close()
    # 3 s to go: Retry-After 3, then it is done; never the 10 s of the fallback interval.
    assert transport.sleeps == [3.0]


def test_retry_after_then_the_interval_for_the_last_second() -> None:
    sandbox = Sandbox(speed=0.5, faults="", clock=VirtualClock(),
                      durations={("natGateways", "create"): 5.0,
                                 ("natGateways", "update"): 5.2})
    backend, transport = azure_like_backend(sandbox)
    try:
        # 2.5 s of sandbox time are 5 s of the client's (its sleeps are halved): Retry-After 5,
        # then done.
        create_gateway(backend)
        assert transport.sleeps == [5.0]
        transport.sleeps.clear()
        # 2.6 s: Retry-After 5, then 0.1 s left and no Retry-After: the provider's interval.
        backend.client("network").nat_gateways.begin_create_or_update(
            "rg1", "gw", {"location": "eastus", "sku": {"name": "Standard"}}).result()
        assert transport.sleeps == [5.0, POLLING_INTERVALS["network"]]
    finally:
        backend.close()


def test_without_retry_after_the_providers_interval_applies() -> None:
    sandbox = Sandbox(speed=1, faults="", clock=VirtualClock())
    sandbox.emulator.operations.send_retry_after = False
    backend, transport = azure_like_backend(sandbox)
    try:
        create_gateway(backend)
    finally:
        backend.close()
    assert transport.sleeps == [POLLING_INTERVALS["network"]]
