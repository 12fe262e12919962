"""SNAT health of a cluster's egress, from the metric series Azure Monitor keeps for it.

Pure: `assess(series, current)` turns what was measured over a window into a verdict a person can
act on (healthy, near exhaustion, exhausting; when and how often), the peak of concurrent flows,
and a recommendation sized with the wizard's own formula (`capacity.size`). Reading the series is
`wizard.azure.metrics`'s job; nothing here does I/O, so every branch is tested with plain data.

What the series mean (docs/AZURE_FACTS.md, "Metrics"):

- load balancer: `UsedSnatPorts` and `AllocatedSnatPorts` per backend (node), summed over the
  nodes for the plot, and the busiest node's used/allocated share, because the load balancer
  preallocates ports per node and one node can run out while the others idle;
  `SnatConnectionCount` split by `ConnectionState`: failed ones are connections refused for want
  of a port;
- NAT gateway: `TotalConnectionCount` (active SNAT connections) against the gateway's ports
  (64,512 per IP, shared on demand), `SNATConnectionCount` by state, `PacketDropCount` and
  `DatapathAvailability`.

The peak of concurrent flows is an estimate from below: the flows holding a port plus the ones
refused in the same minute. A load balancer that refuses connections cannot show the demand it
did not serve; the refused ones are the best measure of it there is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from wizard.model import capacity

Verdict = Literal["healthy", "at_risk", "exhausting", "no_data"]
EgressPath = Literal["load_balancer", "nat_gateway"]

NEAR_EXHAUSTION_SHARE = 0.8
"""A node (load balancer) or gateway using this share of its ports at some point is at risk: a
burst above the measured peak would start failing connections."""
NAT_IDLE_TIMEOUT = 4
"""The NAT gateway's default idle timeout, which the recommendation keeps (use TCP keepalives
rather than a long timeout: a long one holds ports)."""

VERDICT_WORDS: dict[str, str] = {
    "healthy": "healthy",
    "at_risk": "near exhaustion",
    "exhausting": "exhausting SNAT ports",
    "no_data": "no data",
}


@dataclass(frozen=True)
class EgressSeries:
    """One cluster's egress over a window, one value per interval (all tuples the same length).

    Values missing from Azure's answer are 0 (a metric with no traffic has no points)."""

    path: EgressPath
    resource_id: str
    """The load balancer or NAT gateway measured."""
    interval_minutes: int
    times: tuple[datetime, ...]
    used_ports: tuple[float, ...]
    """Load balancer: ports in use, summed over nodes. NAT gateway: active SNAT connections."""
    allocated_ports: tuple[float, ...]
    """Load balancer: ports preallocated, summed over nodes. NAT gateway: its IPs x 64,512."""
    busiest_share: tuple[float, ...]
    """The largest used/allocated share of any one node (NAT gateway: of the gateway)."""
    failed_connections: tuple[float, ...]
    """SNAT connections that failed in each interval."""
    successful_connections: tuple[float, ...] = ()
    dropped_packets: tuple[float, ...] = ()
    availability: tuple[float, ...] = ()
    """Datapath availability in percent (NAT gateway only)."""
    backends: int = 0
    """How many nodes the load balancer reported ports for."""

    @property
    def empty(self) -> bool:
        return not self.times


@dataclass(frozen=True)
class CurrentOutbound:
    """What the cluster egresses through today, as far as the recommendation needs it."""

    outbound_type: str
    """ARM's `outboundType`: loadBalancer, managedNATGateway, userAssignedNATGateway, ..."""
    own_subnet: bool
    """The nodes are on a subnet the user brought (so a NAT gateway would be user-assigned)."""
    ip_count: int = 1
    idle_timeout_minutes: int = 4


@dataclass(frozen=True)
class Recommendation:
    """What to change, in the wizard's own settings, with the reason in words."""

    target_type: str
    """The wizard's outbound type: managed or user_assigned."""
    ip_count: int
    idle_timeout_minutes: int
    concurrent_flows: int
    deciding_limit: str
    fits_one_gateway: bool
    change_needed: bool
    reason: str

    def sets(self) -> list[str]:
        """The migration's settings as `--set PATH=VALUE` strings (they pre-fill a migration)."""
        found = [f"outbound.ip_count={self.ip_count}",
                 f"outbound.idle_timeout_minutes={self.idle_timeout_minutes}"]
        if self.concurrent_flows:
            found.append(f"workload.concurrent_flows={self.concurrent_flows}")
        return found

    def to_dict(self) -> dict[str, Any]:
        return {"outbound_type": self.target_type, "ip_count": self.ip_count,
                "idle_timeout_minutes": self.idle_timeout_minutes,
                "concurrent_flows": self.concurrent_flows,
                "deciding_limit": self.deciding_limit,
                "fits_one_gateway": self.fits_one_gateway,
                "change_needed": self.change_needed, "reason": self.reason,
                "sets": self.sets()}


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one cluster's egress over the window, and what to do about it."""

    verdict: Verdict
    path: EgressPath
    resource_id: str
    window_start: datetime | None
    window_end: datetime | None
    peak_concurrent_flows: int
    peak_at: datetime | None
    peak_share: float
    """The busiest node's (or the gateway's) highest used/allocated share."""
    failed_connections: int
    exhausted_intervals: int
    """Intervals with at least one failed connection."""
    exhausted_days: int
    exhausted_hours: tuple[int, ...]
    """Hours of the day (UTC) in which failures happen, most frequent first."""
    first_failure: datetime | None
    last_failure: datetime | None
    dropped_packets: int
    min_availability: float | None
    recommendation: Recommendation | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    def summary(self) -> list[str]:
        """The diagnosis in plain sentences, verdict first."""
        lines = [f"Verdict: {self.words}."]
        through = "load balancer" if self.path == "load_balancer" else "NAT gateway"
        if self.verdict == "no_data":
            lines.append(f"Azure Monitor has no SNAT data for the cluster's {through} in this "
                         "window: it sent no outbound traffic, or the window is too recent.")
            lines += list(self.notes)
            return lines
        if self.verdict == "exhausting":
            hours = ", ".join(f"{h:02d}:00" for h in self.exhausted_hours[:4])
            lines.append(
                f"{_n(self.failed_connections)} outbound connections failed for want of a SNAT "
                f"port, in {self.exhausted_intervals} interval(s) over {self.exhausted_days} "
                f"day(s), mostly in the hour(s) starting {hours} UTC; first "
                f"{_when(self.first_failure)}, last {_when(self.last_failure)}.")
        elif self.verdict == "at_risk":
            lines.append(f"No connection failed, but the busiest {_unit(self.path)} used "
                         f"{self.peak_share:.0%} of its SNAT ports at peak: a burst above that "
                         "starts failing connections.")
        else:
            lines.append(f"No connection failed; the busiest {_unit(self.path)} used at most "
                         f"{self.peak_share:.0%} of its SNAT ports.")
        lines.append(f"Peak concurrent outbound flows: about {_n(self.peak_concurrent_flows)} "
                     f"({_when(self.peak_at)}).")
        if self.dropped_packets:
            lines.append(f"The NAT gateway dropped {_n(self.dropped_packets)} packets.")
        if self.min_availability is not None and self.min_availability < 100:
            lines.append(f"Lowest datapath availability: {self.min_availability:.1f}%.")
        if self.recommendation is not None:
            lines.append(self.recommendation.reason)
        lines += list(self.notes)
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict, "words": self.words, "path": self.path,
            "resource_id": self.resource_id,
            "window": {"start": _iso(self.window_start), "end": _iso(self.window_end)},
            "peak_concurrent_flows": self.peak_concurrent_flows,
            "peak_at": _iso(self.peak_at), "peak_share": round(self.peak_share, 4),
            "failed_connections": self.failed_connections,
            "exhausted_intervals": self.exhausted_intervals,
            "exhausted_days": self.exhausted_days,
            "exhausted_hours_utc": list(self.exhausted_hours),
            "first_failure": _iso(self.first_failure), "last_failure": _iso(self.last_failure),
            "dropped_packets": self.dropped_packets,
            "min_availability": self.min_availability,
            "recommendation": self.recommendation.to_dict() if self.recommendation else None,
            "notes": list(self.notes),
        }


def assess(series: EgressSeries, current: CurrentOutbound) -> Diagnosis:
    """The verdict on `series` (see the module docstring) and the recommendation for `current`."""
    if series.empty or (not any(series.used_ports) and not any(series.failed_connections)):
        return Diagnosis("no_data", series.path, series.resource_id,
                         series.times[0] if series.times else None,
                         series.times[-1] if series.times else None, 0, None, 0.0, 0, 0, 0,
                         (), None, None, 0, None, None)
    minutes = max(series.interval_minutes, 1)
    demand = [used + failed / minutes
              for used, failed in zip(series.used_ports, series.failed_connections, strict=True)]
    peak_index = max(range(len(demand)), key=lambda i: demand[i])
    peak = round(demand[peak_index])
    failures = [i for i, value in enumerate(series.failed_connections) if value > 0]
    hours = Counter(series.times[i].hour for i in failures)
    share = max(series.busiest_share, default=0.0)
    dropped = round(sum(series.dropped_packets))
    availability = min(series.availability) if series.availability else None
    if failures:
        verdict: Verdict = "exhausting"
    elif share >= NEAR_EXHAUSTION_SHARE or dropped:
        verdict = "at_risk"
    else:
        verdict = "healthy"
    return Diagnosis(
        verdict=verdict, path=series.path, resource_id=series.resource_id,
        window_start=series.times[0], window_end=series.times[-1],
        peak_concurrent_flows=peak, peak_at=series.times[peak_index], peak_share=share,
        failed_connections=round(sum(series.failed_connections)),
        exhausted_intervals=len(failures),
        exhausted_days=len({series.times[i].date() for i in failures}),
        exhausted_hours=tuple(hour for hour, _ in sorted(hours.items(),
                                                          key=lambda kv: (-kv[1], kv[0]))),
        first_failure=series.times[failures[0]] if failures else None,
        last_failure=series.times[failures[-1]] if failures else None,
        dropped_packets=dropped, min_availability=availability,
        recommendation=recommend(peak, verdict, current),
    )


def recommend(peak_flows: int, verdict: Verdict, current: CurrentOutbound) -> Recommendation:
    """A NAT gateway sized for the measured peak with `capacity.size` (concurrent flows only:
    the metrics do not say how flows split over destinations)."""
    sizing = capacity.size(concurrent_flows=peak_flows or None)
    on_nat = current.outbound_type in ("managedNATGateway", "userAssignedNATGateway")
    if current.outbound_type == "userAssignedNATGateway" or (not on_nat and current.own_subnet):
        target = "user_assigned"
    else:
        target = "managed"
    ips = sizing.recommended_ips
    if on_nat:
        ips = max(ips, current.ip_count)
    change = ips > current.ip_count if on_nat else verdict in ("exhausting", "at_risk")
    carries = (f"{ips} public IP(s) give {_n(ips * capacity.PORTS_PER_IP)} SNAT ports shared on "
               "demand by all nodes")
    split = ("" if sizing.fits_one_gateway else
             f" The peak needs {sizing.required_ips} IPs, more than one NAT gateway takes "
             f"({capacity.MAX_IPS}): split the nodes over subnets with a gateway each.")
    kind = "a managed NAT gateway" if target == "managed" else "a user-assigned NAT gateway"
    if not change:
        reason = (f"Recommendation: no change needed. If you move to {kind}, {carries}, for a "
                  f"measured peak of about {_n(peak_flows)} flows.{split}"
                  if not on_nat else
                  f"Recommendation: no change needed; {carries}.{split}")
    elif on_nat:
        reason = (f"Recommendation: give the NAT gateway {ips} public IP(s): {carries}, for a "
                  f"measured peak of about {_n(peak_flows)} flows.{split}")
    else:
        reason = (f"Recommendation: move egress to {kind} with {ips} public IP(s) and an idle "
                  f"timeout of {NAT_IDLE_TIMEOUT} minutes: {carries}, where the load balancer "
                  f"preallocates a fixed share per node, for a measured peak of about "
                  f"{_n(peak_flows)} flows.{split} Use TCP keepalives rather than a long idle "
                  "timeout.")
    return Recommendation(target_type=target, ip_count=ips, idle_timeout_minutes=NAT_IDLE_TIMEOUT,
                          concurrent_flows=peak_flows, deciding_limit=sizing.deciding_limit,
                          fits_one_gateway=sizing.fits_one_gateway, change_needed=change,
                          reason=reason)


def _unit(path: EgressPath) -> str:
    return "node" if path == "load_balancer" else "NAT gateway"


def _n(value: int) -> str:
    return f"{value:,}"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "never"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: tuple[float, ...] | list[float], width: int = 56,
              top: float | None = None) -> str:
    """`values` as a line of block characters, `width` wide at most: each character is the
    largest value of its share of the window (a peak is never averaged away)."""
    if not values or width <= 0:
        return ""
    size = max(1, -(-len(values) // width))
    buckets = [max(values[i:i + size]) for i in range(0, len(values), size)]
    ceiling = top if top is not None else max(buckets)
    if ceiling <= 0:
        return SPARK_BLOCKS[0] * len(buckets)
    last = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[min(last, max(0, round(v / ceiling * last)))] for v in buckets)


def usage_share(series: EgressSeries) -> list[float]:
    """Used / allocated ports per interval (the plot's main line)."""
    return [used / allocated if allocated else 0.0
            for used, allocated in zip(series.used_ports, series.allocated_ports, strict=True)]
