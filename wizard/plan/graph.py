"""The plan's shape: `Step` (one Azure resource) and `Plan` (the steps as a DAG, in order).

One Step is one Azure resource: its ARM id, its request body in ARM's wire shape (a plain dict the
SDK accepts as-is), the steps it depends on, a one-line summary, why it is needed, the SNAT ports it
brings, and the `az` command that does the same. Exports and the executor both read this, so what
the user reviews is what runs. `plan.build` makes one; a run journal keeps it (`to_dict`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from wizard.plan.kinds import KINDS, StepKind

API_VERSIONS: dict[StepKind, str] = {name: kind.api_version for name, kind in KINDS.items()}
"""Each kind's api-version, from its declaration in `wizard.plan.kinds`."""

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
NETWORK_CONTRIBUTOR_ROLE = "4d97b98b-1d4f-4787-a291-c67834d212e7"
WINDOWS_PASSWORD_SECRET = "windows-admin-password"
MANAGED_BY_TAG = {"managed-by": "aks-nat-wizard"}
RUN_TAG = "aks-nat-wizard-run"


@dataclass(frozen=True)
class Step:
    """One Azure resource to create, and everything a person or a program needs to know of it."""

    key: str
    kind: StepKind
    name: str
    resource_id: str
    body: dict[str, Any]
    depends_on: tuple[str, ...]
    summary: str
    why: str
    az: tuple[str, ...]
    snat_ports: int = 0

    @property
    def api_version(self) -> str:
        return KINDS[self.kind].api_version

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "resource_id": self.resource_id,
            "api_version": self.api_version,
            "depends_on": list(self.depends_on),
            "summary": self.summary,
            "why": self.why,
            "snat_ports": self.snat_ports,
            "az": list(self.az),
            "body": self.body,
        }


@dataclass(frozen=True)
class Plan:
    """The steps in a dependency-respecting order, plus the values exports need."""

    steps: tuple[Step, ...]
    subscription_id: str
    resource_group: str
    location: str
    cluster_name: str
    outbound_type: str
    total_snat_ports: int
    _index: dict[str, Step] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({step.key: step for step in self.steps})
        seen: set[str] = set()
        for step in self.steps:
            missing = [dep for dep in step.depends_on if dep not in seen]
            if missing:
                raise ValueError(f"step {step.key} depends on {missing}, not planned before it")
            seen.add(step.key)

    def step(self, key: str) -> Step:
        return self._index[key]

    def dependents(self, key: str) -> list[Step]:
        return [step for step in self.steps if key in step.depends_on]

    def critical_path(self, duration: dict[StepKind, float]) -> float:
        """The longest chain of step durations: the least time a fully parallel apply takes."""
        finish: dict[str, float] = {}
        for step in self.steps:
            start = max((finish[dep] for dep in step.depends_on), default=0.0)
            finish[step.key] = start + duration.get(step.kind, 0.0)
        return max(finish.values(), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (`plan --output json`)."""
        return {
            "schema_version": 1,
            "subscription_id": self.subscription_id,
            "resource_group": self.resource_group,
            "location": self.location,
            "cluster_name": self.cluster_name,
            "outbound_type": self.outbound_type,
            "total_snat_ports": self.total_snat_ports,
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """The plan `to_dict()` wrote (a run journal keeps it so resume runs what was reviewed)."""
        steps = tuple(
            Step(
                key=item["key"], kind=item["kind"], name=item["name"],
                resource_id=item["resource_id"], body=item["body"],
                depends_on=tuple(item["depends_on"]), summary=item["summary"],
                why=item["why"], az=tuple(item["az"]), snat_ports=int(item["snat_ports"]),
            )
            for item in data["steps"]
        )
        return cls(
            steps=steps, subscription_id=data["subscription_id"],
            resource_group=data["resource_group"], location=data["location"],
            cluster_name=data["cluster_name"], outbound_type=data["outbound_type"],
            total_snat_ports=int(data["total_snat_ports"]),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)
