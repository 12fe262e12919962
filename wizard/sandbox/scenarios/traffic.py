"""The outbound traffic the sandbox's clusters make, so its metrics have something to say.

A cluster's demand is a number of concurrent outbound flows per node, one level off-peak and
another in its peak hours (UTC, every day). What Azure Monitor would measure follows from that
demand and from what the cluster egresses through *now* (`handlers.metrics`): a load balancer
gives each node a fixed share of ports and refuses the flows beyond it; a NAT gateway shares its
IPs' ports among all nodes. So a cluster migrated to a big enough NAT gateway turns healthy.

The demo seed's two clusters (`handlers.seed`): `lb-cluster` exhausts its ports at peak hours,
`byo-cluster` stays well within them. Clusters without a profile send nothing: their metrics
come back empty, as Azure's do for a resource without traffic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wizard.sandbox.ids import key


@dataclass(frozen=True)
class Traffic:
    """Concurrent outbound flows per node, off-peak and in the peak hours (UTC)."""

    base_flows_per_node: int
    peak_flows_per_node: int
    peak_hours: tuple[int, ...] = ()
    new_per_flow: float = 0.5
    """New connections per minute for each flow held (churn)."""

    def flows_per_node(self, at: datetime) -> int:
        return self.peak_flows_per_node if at.hour in self.peak_hours else \
            self.base_flows_per_node


DEMO_PEAK_HOURS = (13, 14, 15, 16)
DEMO_TRAFFIC: dict[tuple[str, str], Traffic] = {
    ("demo-rg", "lb-cluster"): Traffic(400, 30_000, DEMO_PEAK_HOURS),
    ("demo-rg", "byo-cluster"): Traffic(150, 500, DEMO_PEAK_HOURS),
}
"""Keyed by (resource group, cluster name), lower case. Code, not state: a sandbox state file
written by an older run gets the same traffic."""


def traffic_of(cluster_id: str) -> Traffic | None:
    """The traffic profile of the cluster with id `cluster_id`, if it has one."""
    parts = key(cluster_id).strip("/").split("/")
    if len(parts) < 8:
        return None
    return DEMO_TRAFFIC.get((parts[3], parts[-1]))
