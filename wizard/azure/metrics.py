"""Read a cluster's SNAT metrics from Azure Monitor (azure-mgmt-monitor) into `health` series.

Through the backend's `monitor` client, so the same credential and transport as every other
call (the sandbox answers the same path), and azure-core's retry policy absorbs throttling (429
with Retry-After). The SDK is imported by the backend on first use only.

Which resource is measured follows the cluster's outbound type (docs/AZURE_FACTS.md, "Metrics"):
`loadBalancer` -> AKS's load balancer `kubernetes` in the node resource group; `managedNATGateway`
-> the NAT gateway AKS made there; `userAssignedNATGateway` -> the gateway on the nodes' subnet.
Two metrics calls per cluster: ports (or connections) and connection states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from wizard.model import capacity
from wizard.model.health import CurrentOutbound, Diagnosis, EgressSeries, assess

if TYPE_CHECKING:
    from wizard.azure.discovery import Discovery

METRICS_API_VERSION = "2024-02-01"
"""The metrics API version azure-mgmt-monitor 7 sends (`build_list_request`)."""
DEFAULT_DAYS = 7
MAX_DAYS = 30
"""Azure Monitor keeps platform metrics for 93 days, but a longer window only blurs the peak."""


class MetricsError(Exception):
    """The cluster's egress cannot be measured (no such resource, an outbound type without a
    load balancer or NAT gateway)."""


@dataclass(frozen=True)
class Point:
    at: datetime
    value: float


@dataclass(frozen=True)
class Series:
    """One time series of one metric: its dimension values and its points (one aggregation)."""

    metric: str
    dimensions: dict[str, str]
    points: tuple[Point, ...]


def interval_for(days: float) -> tuple[str, int]:
    """The grain to ask for: fine enough to see a peak hour, coarse enough to stay small."""
    if days <= 1:
        return "PT5M", 5
    if days <= 14:
        return "PT15M", 15
    return "PT1H", 60


def query(backend: Any, resource_id: str, metrics: list[str], start: datetime, end: datetime,
          interval: str, aggregation: dict[str, str], dimension_filter: str | None = None
          ) -> list[Series]:
    """One call of the metrics API: `aggregation` names, per metric, which value to keep.

    Sent through the monitor client's pipeline (credential, retries, transport) but read as raw
    JSON: `metrics.list` deserializes every data point into a model first, which costs four
    times the call itself on a week of points."""
    from azure.core.rest import HttpRequest

    from wizard.azure.backend import _translated

    client = backend.client("monitor")
    send = getattr(client, "send_request", None) or client._send_request
    params = {"api-version": METRICS_API_VERSION, "timespan": f"{_iso(start)}/{_iso(end)}",
              "interval": interval, "metricnames": ",".join(metrics),
              "aggregation": ",".join(sorted({a.capitalize() for a in aggregation.values()}))}
    if dimension_filter:
        params["$filter"] = dimension_filter
    path = f"/{resource_id.strip('/')}/providers/Microsoft.Insights/metrics"
    with _translated(None):
        response = send(HttpRequest("GET", path, params=params))
        response.raise_for_status()
        answer = response.json()
    return parse(answer, aggregation)


def parse(answer: Any, aggregation: dict[str, str]) -> list[Series]:
    """Azure's metrics answer (`value[].timeseries[]`) as `Series`; a metric without series (no
    traffic) gives none."""
    found: list[Series] = []
    for metric in (answer or {}).get("value") or []:
        name = str((metric.get("name") or {}).get("value", ""))
        field = aggregation.get(name, "average").lower()
        for series in metric.get("timeseries") or []:
            dims = {str((item.get("name") or {}).get("value", "")): str(item.get("value", ""))
                    for item in series.get("metadatavalues") or []}
            points = tuple(Point(_parse_time(str(p["timeStamp"])), float(p.get(field) or 0.0))
                           for p in series.get("data") or [] if p.get("timeStamp"))
            found.append(Series(name, dims, points))
    return found


# -- which resource --------------------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """What egress goes through: the resource to measure, and its ports if it is a gateway."""

    path: str
    resource_id: str
    gateway_ip_count: int = 0


def measured_resource(discovery: Discovery, cluster: dict[str, Any]) -> Measured:
    """The load balancer or NAT gateway the cluster's egress goes through (MetricsError if
    none: outbound types `userDefinedRouting`, `none`, `block`)."""
    from wizard.azure.discovery import resource_group_of
    from wizard.azure.importer import subnet_id_of

    props = cluster.get("properties") or {}
    network = props.get("networkProfile") or {}
    outbound = str(network.get("outboundType", "loadBalancer"))
    node_group = str(props.get("nodeResourceGroup", ""))
    subscription = discovery.subscription_id
    if outbound == "loadBalancer":
        return Measured("load_balancer", f"/subscriptions/{subscription}/resourceGroups/"
                        f"{node_group}/providers/Microsoft.Network/loadBalancers/kubernetes")
    if outbound == "managedNATGateway":
        gateways = discovery.nat_gateways(node_group)
        if not gateways:
            raise MetricsError(f"AKS's NAT gateway was not found in {node_group}")
        return Measured("nat_gateway", gateways[0].id, len(gateways[0].public_ip_ids))
    if outbound == "userAssignedNATGateway":
        found = discovery.subnet_by_id(subnet_id_of(cluster))
        gateway_id = found[1].nat_gateway_id if found else None
        if not gateway_id:
            raise MetricsError("the nodes' subnet has no NAT gateway")
        for gateway in discovery.nat_gateways(resource_group_of(gateway_id)):
            if gateway.id.lower() == gateway_id.lower():
                return Measured("nat_gateway", gateway.id, len(gateway.public_ip_ids))
        raise MetricsError(f"the NAT gateway {gateway_id} could not be read")
    raise MetricsError(f"outbound type {outbound} sends egress through neither a load balancer "
                       "nor a NAT gateway; there are no SNAT metrics to read")


def current_outbound(cluster: dict[str, Any]) -> CurrentOutbound:
    """The facts the recommendation needs about the cluster's outbound path today."""
    from wizard.azure.importer import subnet_id_of

    network = (cluster.get("properties") or {}).get("networkProfile") or {}
    outbound = str(network.get("outboundType", "loadBalancer"))
    profile = network.get("natGatewayProfile") or network.get("loadBalancerProfile") or {}
    ips = len(profile.get("effectiveOutboundIPs") or []) or 1
    idle = int(profile.get("idleTimeoutInMinutes") or (30 if outbound == "loadBalancer" else 4))
    return CurrentOutbound(outbound, bool(subnet_id_of(cluster)), ips, idle)


# -- reading a cluster -----------------------------------------------------------------------

def read_egress_series(backend: Any, discovery: Discovery, cluster: dict[str, Any],
                       days: float = DEFAULT_DAYS, now: datetime | None = None) -> EgressSeries:
    """The cluster's SNAT series over the last `days` days (two metrics calls)."""
    measured = measured_resource(discovery, cluster)
    grain, minutes = interval_for(days)
    end = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    end -= timedelta(minutes=(end.hour * 60 + end.minute) % minutes)  # whole slots only
    start = end - timedelta(days=days)
    if measured.path == "load_balancer":
        return _load_balancer(backend, measured, start, end, grain, minutes)
    return _nat_gateway(backend, measured, start, end, grain, minutes)


def _load_balancer(backend: Any, m: Measured, start: datetime, end: datetime, grain: str,
                   minutes: int) -> EgressSeries:
    ports = query(backend, m.resource_id, ["UsedSnatPorts", "AllocatedSnatPorts"], start, end,
                  grain, {"UsedSnatPorts": "maximum", "AllocatedSnatPorts": "maximum"},
                  "BackendIPAddress eq '*'")
    states = query(backend, m.resource_id, ["SnatConnectionCount"], start, end, grain,
                   {"SnatConnectionCount": "total"}, "ConnectionState eq '*'")
    times = _times(ports + states)
    used: dict[str, dict[datetime, float]] = {}
    allocated: dict[str, dict[datetime, float]] = {}
    for series in ports:
        backend_ip = series.dimensions.get("BackendIPAddress", "")
        target = used if series.metric == "UsedSnatPorts" else allocated
        bucket = target.setdefault(backend_ip, {})
        for point in series.points:
            bucket[point.at] = bucket.get(point.at, 0.0) + point.value
    failed, ok = _by_state(states)
    shares = []
    for at in times:
        share = 0.0
        for backend_ip, values in used.items():
            limit = allocated.get(backend_ip, {}).get(at, 0.0)
            if limit > 0:
                share = max(share, values.get(at, 0.0) / limit)
        shares.append(share)
    return EgressSeries(
        path="load_balancer", resource_id=m.resource_id, interval_minutes=minutes, times=times,
        used_ports=tuple(sum(v.get(at, 0.0) for v in used.values()) for at in times),
        allocated_ports=tuple(sum(v.get(at, 0.0) for v in allocated.values()) for at in times),
        busiest_share=tuple(shares),
        failed_connections=tuple(failed.get(at, 0.0) for at in times),
        successful_connections=tuple(ok.get(at, 0.0) for at in times),
        backends=len(used))


def _nat_gateway(backend: Any, m: Measured, start: datetime, end: datetime, grain: str,
                 minutes: int) -> EgressSeries:
    states = query(backend, m.resource_id, ["SNATConnectionCount"], start, end, grain,
                   {"SNATConnectionCount": "total"}, "ConnectionState eq '*'")
    rest = query(backend, m.resource_id,
                 ["TotalConnectionCount", "PacketDropCount", "DatapathAvailability"], start, end,
                 grain, {"TotalConnectionCount": "maximum", "PacketDropCount": "total",
                         "DatapathAvailability": "minimum"})
    times = _times(states + rest)
    values: dict[str, dict[datetime, float]] = {}
    for series in rest:
        bucket = values.setdefault(series.metric, {})
        for point in series.points:
            bucket[point.at] = bucket.get(point.at, 0.0) + point.value
    failed, ok = _by_state(states)
    ports = float(m.gateway_ip_count * capacity.PORTS_PER_IP)
    active = values.get("TotalConnectionCount", {})
    return EgressSeries(
        path="nat_gateway", resource_id=m.resource_id, interval_minutes=minutes, times=times,
        used_ports=tuple(active.get(at, 0.0) for at in times),
        allocated_ports=tuple(ports for _ in times),
        busiest_share=tuple(active.get(at, 0.0) / ports if ports else 0.0 for at in times),
        failed_connections=tuple(failed.get(at, 0.0) for at in times),
        successful_connections=tuple(ok.get(at, 0.0) for at in times),
        dropped_packets=tuple(values.get("PacketDropCount", {}).get(at, 0.0) for at in times),
        availability=tuple(values["DatapathAvailability"][at] for at in times
                           if at in values.get("DatapathAvailability", {})))


def _by_state(states: list[Series]) -> tuple[dict[datetime, float], dict[datetime, float]]:
    failed: dict[datetime, float] = {}
    ok: dict[datetime, float] = {}
    for series in states:
        state = series.dimensions.get("ConnectionState", "").lower()
        target = failed if state == "failed" else ok if state == "successful" else None
        if target is None:
            continue
        for point in series.points:
            target[point.at] = target.get(point.at, 0.0) + point.value
    return failed, ok


def _times(series: list[Series]) -> tuple[datetime, ...]:
    return tuple(sorted({point.at for s in series for point in s.points}))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def diagnose_cluster(backend: Any, discovery: Discovery, cluster: dict[str, Any],
                     days: float = DEFAULT_DAYS, now: datetime | None = None
                     ) -> tuple[Diagnosis, EgressSeries]:
    """Read the cluster's series and judge them: what `diagnose`, the prompts and the TUI show."""
    series = read_egress_series(backend, discovery, cluster, days, now)
    return assess(series, current_outbound(cluster)), series
