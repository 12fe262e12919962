"""`Sandbox`: the public face of the emulator, what the backend and tests hold.

It wires store, router, faults, durations and clock into an `Emulator` and hands out what an SDK
client needs (`client_kwargs()`: base URL, in-process transport, credential scopes, a short
polling interval), plus inspection helpers for tests (`get`, `resources`, `request_log`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wizard.sandbox.app import Emulator, LoggedRequest
from wizard.sandbox.credential import SandboxCredential
from wizard.sandbox.paging import resolve_page_size
from wizard.sandbox.resources import register_all
from wizard.sandbox.router import Router
from wizard.sandbox.scenarios.faults import FaultPlan
from wizard.sandbox.scenarios.seeds import SEED_ENV, apply_seed
from wizard.sandbox.store import Store
from wizard.sandbox.timing import Durations, resolve_speed
from wizard.sandbox.transport import SandboxTransport

BASE_URL = "https://management.sandbox.invalid"
SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000001"
POLLING_INTERVAL = 0.25  # seconds at speed 1; the transport scales sleeps by the speed


class Sandbox:
    """An in-process Azure Resource Manager for the wizard's SDK clients.

    `speed`: duration multiplier (None -> `AKS_NAT_WIZARD_SANDBOX_SPEED`, else 1; 0 = instant).
    `state_path`: the state file (an SQLite database, see `store`; an old JSON state is
    converted), shared safely by several processes.
    `faults`: a FaultPlan or its string grammar (None -> `AKS_NAT_WIZARD_SANDBOX_FAULTS`).
    `clock`: monotonic seconds, injectable for deterministic tests.
    `durations`: per (resource type, action) overrides in seconds at speed 1.
    `seed`: a starting state (None -> `AKS_NAT_WIZARD_SANDBOX_SEED`; "demo": a resource group
    with a VNet and two load-balancer clusters, see `handlers.seed`), written once.
    `principal_delay`: seconds on `clock` before a new identity's principal is visible to role
    assignments without `principalType` (None -> the ("userAssignedIdentities", "replicate")
    duration times the speed, so 0 at speed 0); also settable later as an attribute.
    `page_size`: items per list page before a `nextLink` (None ->
    `AKS_NAT_WIZARD_SANDBOX_PAGE_SIZE`, else `paging.DEFAULT_PAGE_SIZE`).
    """

    def __init__(
        self,
        speed: float | None = None,
        state_path: Path | None = None,
        faults: str | FaultPlan | None = None,
        clock: Callable[[], float] = time.monotonic,
        durations: Mapping[tuple[str, str], float] | None = None,
        seed: str | None = None,
        principal_delay: float | None = None,
        page_size: int | None = None,
    ) -> None:
        self.speed = resolve_speed(speed)
        if faults is None:
            self.faults = FaultPlan.from_env()
        elif isinstance(faults, str):
            self.faults = FaultPlan.parse(faults)
        else:
            self.faults = faults
        self.durations = Durations(self.speed, durations)
        self.store = Store(Path(state_path) if state_path is not None else None)
        self.router = register_all(Router())
        self.emulator = Emulator(self.store, self.durations, self.faults, clock, BASE_URL,
                                 SUBSCRIPTION_ID, self.router)
        self.emulator.page_size = resolve_page_size(page_size)
        self.principal_delay = (principal_delay if principal_delay is not None
                                else self.durations.seconds("userAssignedIdentities", "replicate"))
        apply_seed(self.emulator, seed if seed is not None else os.environ.get(SEED_ENV))

    @property
    def principal_delay(self) -> float:
        """Seconds (sandbox clock) a new identity's principal stays unknown to role assignments
        that do not set `principalType`; applies to identities created after it is set."""
        return self.emulator.directory.delay

    @principal_delay.setter
    def principal_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"principal_delay must be >= 0, got {seconds}")
        self.emulator.directory.delay = float(seconds)

    @property
    def base_url(self) -> str:
        """The https base URL the SDK clients must use."""
        return BASE_URL

    @property
    def subscription_id(self) -> str:
        """The one subscription that exists in the sandbox."""
        return SUBSCRIPTION_ID

    def transport(self) -> SandboxTransport:
        """A new azure-core transport bound to this sandbox."""
        return SandboxTransport(self.emulator, self.durations.sleep_scale)

    def credential(self) -> SandboxCredential:
        """A credential whose token the sandbox accepts."""
        return SandboxCredential()

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for any mgmt client constructor (besides credential/subscription)."""
        return {
            "base_url": BASE_URL,
            "transport": self.transport(),
            "credential_scopes": [BASE_URL + "/.default"],
            "polling_interval": POLLING_INTERVAL,
        }

    def get(self, resource_id: str) -> dict[str, Any] | None:
        """A resource as ARM would return it, or None."""
        return self.emulator.get_rendered(resource_id)

    def resources(self) -> list[dict[str, Any]]:
        """A snapshot of every resource, rendered."""
        return self.emulator.rendered_all()

    @property
    def request_log(self) -> list[LoggedRequest]:
        """Every request seen so far (a snapshot)."""
        return self.emulator.request_log

    def clear_request_log(self) -> None:
        """Forget the requests seen so far."""
        self.emulator.clear_log()

    def reset(self) -> None:
        """Back to empty: no resources, operations, faults or log."""
        self.store.clear()
        self.faults.clear()
        self.emulator.directory.clear()
        self.emulator.clear_log()
