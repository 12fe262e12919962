"""Fault injection: make the sandbox misbehave the way Azure sometimes does.

Kinds:
- `throttle`: answer 429 with `Retry-After` (seconds, default 1).
- `server_error`: answer 500 (or 503 with `server_error=503`).
- `failed_lro`: accept the request, then let its long-running operation end `Failed`
  (`failed_lro=SomeCode` sets the error code; default `SandboxInjectedFailure`).
- `drop_connection`: the transport raises the connection error `requests` raises when the server
  closes the socket without answering; azure-core retries it.

`throttle`, `server_error` and `drop_connection` are transient: azure-core's retry policy absorbs
them. A rule matches a resource type (the URL segment: `natGateways`, `managedClusters`,
`agentPools`, `subnets`, `resourceGroups`, `roleAssignments`, `operations` for LRO polls, ... or
`*`) and a method (`PUT`, `GET`, `DELETE`, ... or `*`), and fires `count` times.

The random mode (for soak tests) injects only transient kinds, each request with probability
`rate`, from a seeded generator, and never more than two in a row so the retry budget holds.

Grammar of `AKS_NAT_WIZARD_SANDBOX_FAULTS` (and of `FaultPlan.parse`), items separated by commas:

    TYPE:METHOD:KIND[=ARG][:COUNT]     e.g. natGateways:PUT:throttle:2
    random:RATE[:SEED]                 e.g. random:0.1:42

Example: `natGateways:PUT:throttle:2,managedClusters:PUT:failed_lro:1,*:GET:server_error=503:1`.
"""

from __future__ import annotations

import os
import random
import threading
from dataclasses import dataclass, field

FAULTS_ENV = "AKS_NAT_WIZARD_SANDBOX_FAULTS"
KINDS = ("throttle", "server_error", "failed_lro", "drop_connection")
TRANSIENT_KINDS = ("throttle", "server_error", "drop_connection")
MAX_RANDOM_STREAK = 2


@dataclass
class FaultRule:
    """Fire `kind` on the next `count` requests matching (resource_type, method)."""

    resource_type: str
    method: str
    kind: str
    count: int = 1
    arg: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")
        if self.count < 0:
            raise ValueError("fault count must be >= 0")
        self.method = self.method.upper()

    def matches(self, resource_type: str, method: str) -> bool:
        """Whether this rule applies to a request on `resource_type` with `method`."""
        type_ok = self.resource_type == "*" or self.resource_type.lower() == resource_type.lower()
        method_ok = self.method == "*" or self.method == method.upper()
        return type_ok and method_ok and self.count > 0


@dataclass(frozen=True)
class Fault:
    """One fired fault, as the app acts on it."""

    kind: str
    arg: str | None = None

    @property
    def retry_after(self) -> int:
        """Seconds for the Retry-After header of a throttle."""
        return int(self.arg) if self.arg else 1

    @property
    def status(self) -> int:
        """HTTP status of a server_error."""
        return int(self.arg) if self.arg else 500

    @property
    def code(self) -> str:
        """Error code of a failed_lro."""
        return self.arg or "SandboxInjectedFailure"


@dataclass
class FaultPlan:
    """The rules in force plus an optional seeded random mode. Thread-safe."""

    rules: list[FaultRule] = field(default_factory=list)
    rate: float = 0.0
    seed: int = 0
    fired: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(self.seed)
        self._streak = 0

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """Build a plan from the grammar in the module docstring."""
        plan = cls()
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            parts = item.split(":")
            if parts[0].lower() == "random":
                if len(parts) not in (2, 3):
                    raise ValueError(f"bad random fault item {item!r}: random:RATE[:SEED]")
                plan.set_random(float(parts[1]), int(parts[2]) if len(parts) == 3 else 0)
                continue
            if len(parts) not in (3, 4):
                raise ValueError(f"bad fault item {item!r}: TYPE:METHOD:KIND[=ARG][:COUNT]")
            kind, _, arg = parts[2].partition("=")
            count = int(parts[3]) if len(parts) == 4 else 1
            plan.add(parts[0], parts[1], kind, count, arg or None)
        return plan

    @classmethod
    def from_env(cls) -> FaultPlan:
        """The plan named by `AKS_NAT_WIZARD_SANDBOX_FAULTS` (empty when unset)."""
        return cls.parse(os.environ.get(FAULTS_ENV, ""))

    def add(
        self, resource_type: str, method: str, kind: str, count: int = 1, arg: str | None = None
    ) -> FaultRule:
        """Add a rule at runtime; returns it (its `count` goes down as it fires)."""
        rule = FaultRule(resource_type, method, kind, count, arg)
        with self._lock:
            self.rules.append(rule)
        return rule

    def set_random(self, rate: float, seed: int = 0) -> None:
        """Turn on the random mode (rate 0 turns it off)."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("fault rate must be within 0..1")
        with self._lock:
            self.rate, self.seed = rate, seed
            self._rng = random.Random(seed)
            self._streak = 0

    def clear(self) -> None:
        """Remove every rule and stop the random mode."""
        with self._lock:
            self.rules.clear()
            self.rate = 0.0
            self.fired.clear()

    def _take(self, resource_type: str, method: str, kinds: tuple[str, ...]) -> Fault | None:
        for rule in self.rules:
            if rule.kind in kinds and rule.matches(resource_type, method):
                rule.count -= 1
                self.fired.append((resource_type, method.upper(), rule.kind))
                return Fault(rule.kind, rule.arg)
        return None

    def take_request_fault(self, resource_type: str, method: str) -> Fault | None:
        """A transient fault to answer this request with, if any fires."""
        with self._lock:
            fault = self._take(resource_type, method, TRANSIENT_KINDS)
            if fault is not None:
                return fault
            if self.rate <= 0.0:
                return None
            roll = self._rng.random()
            kind = self._rng.choice(TRANSIENT_KINDS)
            if roll < self.rate and self._streak < MAX_RANDOM_STREAK:
                self._streak += 1
                self.fired.append((resource_type, method.upper(), kind))
                arg = "503" if kind == "server_error" and roll < self.rate / 2 else None
                return Fault(kind, arg)
            self._streak = 0
            return None

    def take_lro_failure(self, resource_type: str, method: str) -> Fault | None:
        """Whether the LRO this request starts must end Failed."""
        with self._lock:
            return self._take(resource_type, method, ("failed_lro",))
