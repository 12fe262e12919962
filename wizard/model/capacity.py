"""SNAT arithmetic, shared by the rules, the plan and the UI's gauge.

The figures and the sizing formula are docs/AZURE_FACTS.md's snat.limits and snat.sizing: a NAT
gateway IP has 64,512 SNAT ports (per protocol), allows 50,000 concurrent connections to one
destination, and a closed connection's port waits 65 s before reuse to the same destination.
Node count does not enter the formula: a NAT gateway shares ports on demand, it does not
preallocate per node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PORTS_PER_IP = 64_512
FLOWS_PER_IP_PER_DESTINATION = 50_000
MAX_IPS = 16
GATEWAY_FLOW_LIMIT = 2_000_000
PORT_REUSE_WAIT_SECONDS = 65
WINDOWS_OUTBOUND_NAT_PORTS = 64
LOAD_BALANCER_PORTS_PER_IP = 64_000
LOAD_BALANCER_DEFAULT_PORTS: tuple[tuple[int, int], ...] = (
    (50, 1024), (100, 512), (200, 256), (400, 128), (800, 64), (1000, 32),
)
"""The load balancer's automatic allocation (AKS's `allocatedOutboundPorts = 0`): ports each node
gets for a backend pool of up to N nodes (`configure-load-balancer-standard.md`)."""


@dataclass(frozen=True)
class Sizing:
    """How many IPs a workload needs, and which of the three limits decided it."""

    required_ips: int
    """The smallest IP count that covers every stated figure (may exceed 16)."""
    recommended_ips: int
    """`required_ips` capped at 16, the most one NAT gateway takes."""
    deciding_limit: str
    """`total ports`, `busiest destination`, `connection rate`, or `none` if nothing was stated."""

    @property
    def fits_one_gateway(self) -> bool:
        return self.required_ips <= MAX_IPS


@dataclass(frozen=True)
class Capacity:
    """What an IP count buys."""

    ip_count: int

    @property
    def snat_ports(self) -> int:
        return self.ip_count * PORTS_PER_IP

    @property
    def flows_per_destination(self) -> int:
        return self.ip_count * FLOWS_PER_IP_PER_DESTINATION

    @property
    def new_connections_per_second_per_destination(self) -> int:
        """Sustainable rate to one destination given the 65 s reuse wait."""
        return self.flows_per_destination // PORT_REUSE_WAIT_SECONDS

    def utilization(
        self,
        concurrent_flows: int | None = None,
        busiest_destination_flows: int | None = None,
        new_connections_per_second: int | None = None,
    ) -> float:
        """The largest share of any one limit the stated workload uses (1.0 = exactly full)."""
        shares = [0.0]
        if concurrent_flows:
            shares.append(concurrent_flows / self.snat_ports)
        if busiest_destination_flows:
            shares.append(busiest_destination_flows / self.flows_per_destination)
        if new_connections_per_second:
            shares.append(new_connections_per_second * PORT_REUSE_WAIT_SECONDS
                          / self.flows_per_destination)
        return max(shares)


def load_balancer_ports_per_node(nodes: int) -> int:
    """Ports per node the load balancer preallocates automatically for a pool of `nodes`.

    Past 1,000 nodes the table ends; 32 is its smallest step, so that is what is returned.
    """
    for pool_size, ports in LOAD_BALANCER_DEFAULT_PORTS:
        if nodes <= pool_size:
            return ports
    return LOAD_BALANCER_DEFAULT_PORTS[-1][1]


def load_balancer_max_nodes(ip_count: int, ports_per_node: int) -> int:
    """How many nodes the load balancer can give `ports_per_node` each: 64,000 / ports x IPs."""
    return LOAD_BALANCER_PORTS_PER_IP // ports_per_node * ip_count


def size(
    concurrent_flows: int | None = None,
    busiest_destination_flows: int | None = None,
    new_connections_per_second: int | None = None,
) -> Sizing:
    """IPs = max(ceil(busiest / 50,000), ceil(total / 64,512), ceil(rate x 65 / 50,000)), >= 1."""
    candidates: list[tuple[int, str]] = []
    if concurrent_flows:
        candidates.append((math.ceil(concurrent_flows / PORTS_PER_IP), "total ports"))
    if busiest_destination_flows:
        candidates.append((
            math.ceil(busiest_destination_flows / FLOWS_PER_IP_PER_DESTINATION),
            "busiest destination",
        ))
    if new_connections_per_second:
        candidates.append((
            math.ceil(
                new_connections_per_second * PORT_REUSE_WAIT_SECONDS
                / FLOWS_PER_IP_PER_DESTINATION
            ),
            "connection rate",
        ))
    if not candidates:
        return Sizing(required_ips=1, recommended_ips=1, deciding_limit="none")
    required, limit = max(candidates, key=lambda item: item[0])
    required = max(required, 1)
    return Sizing(required_ips=required, recommended_ips=min(required, MAX_IPS),
                  deciding_limit=limit)
