"""How long each simulated long-running operation takes, and the speed knob.

Defaults are real Azure scaled down about 30-60x, keeping the proportions (a cluster takes far
longer than a public IP) so progress views look like the real thing. Along the critical path
resource group -> public IP -> NAT gateway -> VNet+subnet -> identity -> role assignment ->
cluster -> agent pools (in parallel) a full apply takes about 15 s at speed 1.

Besides operations, one delay that is not an operation: ("userAssignedIdentities", "replicate"),
how long a new identity's principal stays unknown to role assignments (`directory.Directory`).

`AKS_NAT_WIZARD_SANDBOX_SPEED` multiplies every duration: `0` is instant (tests), `0.1` is ten
times faster, `2` twice as slow. A constructor argument beats the variable.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

SPEED_ENV = "AKS_NAT_WIZARD_SANDBOX_SPEED"

#: (resource type, action) -> seconds at speed 1. Actions: create, update, delete, replicate.
DEFAULT_DURATIONS: dict[tuple[str, str], float] = {
    ("resourceGroups", "delete"): 2.0,
    ("publicIPAddresses", "create"): 0.5,
    ("publicIPAddresses", "update"): 0.3,
    ("publicIPAddresses", "delete"): 0.5,
    ("publicIPPrefixes", "create"): 0.5,
    ("publicIPPrefixes", "update"): 0.3,
    ("publicIPPrefixes", "delete"): 0.5,
    ("natGateways", "create"): 1.5,
    ("natGateways", "update"): 1.0,
    ("natGateways", "delete"): 1.0,
    ("virtualNetworks", "create"): 1.0,
    ("virtualNetworks", "update"): 0.5,
    ("virtualNetworks", "delete"): 1.0,
    ("subnets", "create"): 0.5,
    ("subnets", "update"): 0.5,
    ("subnets", "delete"): 0.5,
    ("managedClusters", "create"): 8.0,
    ("managedClusters", "update"): 5.0,
    ("managedClusters", "delete"): 5.0,
    ("agentPools", "create"): 4.0,
    ("agentPools", "update"): 3.0,
    ("agentPools", "delete"): 3.0,
    # A new identity's principal reaching the directory replica role assignments read (Azure:
    # seconds to a few minutes).
    ("userAssignedIdentities", "replicate"): 2.0,
}
FALLBACK_DURATION = 0.5


def resolve_speed(speed: float | None) -> float:
    """The speed factor: the argument, else the environment variable, else 1."""
    if speed is None:
        raw = os.environ.get(SPEED_ENV, "").strip()
        speed = float(raw) if raw else 1.0
    if speed < 0:
        raise ValueError(f"sandbox speed must be >= 0, got {speed}")
    return speed


class Durations:
    """Simulated durations after applying the speed factor and any per-type overrides."""

    def __init__(
        self, speed: float, overrides: Mapping[tuple[str, str], float] | None = None
    ) -> None:
        self.speed = speed
        self._table = dict(DEFAULT_DURATIONS)
        if overrides:
            self._table.update(overrides)

    def seconds(self, resource_type: str, action: str) -> float:
        """Seconds an operation of `action` on `resource_type` takes at this speed."""
        return self._table.get((resource_type, action), FALLBACK_DURATION) * self.speed

    @property
    def sleep_scale(self) -> float:
        """Factor for client-side sleeps (Retry-After, polling): never slower than real time."""
        return min(self.speed, 1.0)


class VirtualClock:
    """Sandbox time that moves only when a client sleeps through the sandbox's transport (or a
    test calls `advance`): long waits (LRO polling, retry back-offs, a principal's replication)
    then take no wall-clock time while keeping their order and proportions. Pass it as
    `Sandbox(clock=VirtualClock())`; thread-safe, since SDK pollers sleep on their own threads."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` (never backwards)."""
        if seconds > 0:
            with self._lock:
                self._now += seconds
