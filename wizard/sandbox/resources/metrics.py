"""Azure Monitor's metrics API on the sandbox's load balancers and NAT gateways.

`GET /{resourceUri}/providers/Microsoft.Insights/metrics` with Azure's query parameters:
`timespan` (`start/end`, ISO 8601), `interval` (an ISO 8601 duration among the grains Azure
offers), `metricnames` (comma separated), `aggregation` (Average, Minimum, Maximum, Total,
Count), `$filter` (`Dim eq 'value'`, `Dim eq '*'` to split by a dimension, joined by `and`/`or`).
The answer has Azure's shape (`value[].timeseries[].metadatavalues/data`); a metric the resource
type does not have is Azure Monitor's 400 `BadRequest` "Failed to find metric configuration ...",
with the error at the top level of the body as Azure Monitor sends it.

The resources measured: AKS's `kubernetes` load balancer in a cluster's node resource group (the
sandbox does not store it as a resource, so it exists while the cluster's outbound type is
loadBalancer) and any stored NAT gateway. The values follow from the owning cluster's traffic
profile (`handlers.traffic`) and from what it egresses through now: each node gets the load
balancer's preallocated ports and fails the flows beyond them; a NAT gateway shares its IPs'
64,512 ports each among all nodes. A resource whose cluster has no traffic has no time series.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from wizard.model import capacity
from wizard.sandbox.errors import ArmError, bad_request, not_found
from wizard.sandbox.http import Request, Response
from wizard.sandbox.ids import key, resource_group_of
from wizard.sandbox.kinds import Json, ref_id
from wizard.sandbox.resources._lookup import CLUSTER, NAT_GATEWAY, SUBNET, refs
from wizard.sandbox.scenarios.traffic import Traffic, traffic_of

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator
    from wizard.sandbox.router import Router

ROUTE = "/{resource:.+}/providers/Microsoft.Insights/metrics"
LOAD_BALANCER = "microsoft.network/loadbalancers"
NAT = "microsoft.network/natgateways"
AGGREGATIONS = ("Average", "Minimum", "Maximum", "Total", "Count")
GRAINS = {"PT1M": 1, "PT5M": 5, "PT15M": 15, "PT30M": 30, "PT1H": 60, "PT6H": 360,
          "PT12H": 720, "P1D": 1440}
MAX_POINTS = 50_000

# name -> (unit, dimensions), from the supported-metrics tables (docs/AZURE_FACTS.md, "Metrics")
CATALOG: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    LOAD_BALANCER: {
        "AllocatedSnatPorts": ("Count", ("FrontendIPAddress", "BackendIPAddress", "ProtocolType",
                                         "IsAwaitingRemoval")),
        "UsedSnatPorts": ("Count", ("FrontendIPAddress", "BackendIPAddress", "ProtocolType",
                                    "IsAwaitingRemoval")),
        "SnatConnectionCount": ("Count", ("FrontendIPAddress", "BackendIPAddress",
                                          "ConnectionState")),
        "VipAvailability": ("Count", ("FrontendIPAddress", "FrontendPort")),
    },
    NAT: {
        "SNATConnectionCount": ("Count", ("Protocol", "ConnectionState")),
        "TotalConnectionCount": ("Count", ("Protocol",)),
        "PacketDropCount": ("Count", ()),
        "DatapathAvailability": ("Count", ()),
    },
}
_CLAUSE = re.compile(r"^\s*(\w+)\s+eq\s+'([^']*)'\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Measured:
    """What one resource carries: its owning cluster's demand, the nodes, the capacity."""

    kind: str
    traffic: Traffic | None
    nodes: int
    ports_per_node: int
    """Load balancer: ports preallocated per node. NAT gateway: unused."""
    gateway_ports: int
    """NAT gateway: the ports of all its IPs. Load balancer: unused."""
    frontend: str


def register(router: Router) -> None:
    """Add the metrics endpoint (on any resource id) to `router`."""
    router.add(ROUTE, "metrics", {"GET": list_metrics})


def list_metrics(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    resource_id = "/" + params["resource"].strip("/")
    arm_type = _arm_type(resource_id)
    query = {k.lower(): v for k, v in req.query.items()}
    names = [n.strip() for n in (query.get("metricnames") or "").split(",") if n.strip()]
    if not names:
        raise bad_request("BadRequest", "metricnames is required by the sandbox.")
    catalog = CATALOG.get(arm_type, {})
    known = {name.lower(): name for name in catalog}
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        provider, _, rtype = arm_type.partition("/")
        return Response(400, {
            "code": "BadRequest",
            "message": f"Failed to find metric configuration for provider: {provider}, resource "
            f"Type: {rtype}, metric: {unknown[0]}, Valid metrics: {','.join(catalog)}"})
    measured = _measured(emu, resource_id, arm_type)
    start, end = _timespan(query.get("timespan"))
    minutes = _grain(query.get("interval") or "PT1M")
    aggregations = _aggregations(query.get("aggregation") or "Average")
    filters = _filters(query.get("$filter") or "")
    points = int((end - start).total_seconds() // 60 // minutes)
    if points > MAX_POINTS:
        raise bad_request("BadRequest", f"The query would return {points} points per series; "
                          f"the limit is {MAX_POINTS}. Use a longer interval.")
    value = []
    for requested in names:
        name = known[requested.lower()]
        unit, dimensions = catalog[name]
        for dim in filters:
            if dim.lower() not in {d.lower() for d in dimensions}:
                raise bad_request("BadRequest", f"Metric {name} has no dimension {dim}; its "
                                  f"dimensions: {', '.join(dimensions) or 'none'}.")
        value.append({
            "id": f"{resource_id}/providers/Microsoft.Insights/metrics/{name}",
            "type": "Microsoft.Insights/metrics",
            "name": {"value": name, "localizedValue": name},
            "unit": unit, "errorCode": "Success",
            "timeseries": _timeseries(measured, name, start, end, minutes, aggregations,
                                      filters),
        })
    return Response(200, {
        "cost": 0, "timespan": f"{_iso(start)}/{_iso(end)}",
        "interval": _grain_name(minutes), "namespace": _namespace(arm_type),
        "resourceregion": "", "value": value})


# -- the resources ---------------------------------------------------------------------------

def _arm_type(resource_id: str) -> str:
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return ""
    at = len(lowered) - 1 - lowered[::-1].index("providers")
    return "/".join(lowered[at + 1:at + 3])


def _namespace(arm_type: str) -> str:
    return {LOAD_BALANCER: "Microsoft.Network/loadBalancers",
            NAT: "Microsoft.Network/natGateways"}.get(arm_type, arm_type)


def _missing(resource_id: str) -> ArmError:
    return not_found("ResourceNotFound", f"The Resource '{resource_id}' was not found.")


def _clusters_with_node_group(emu: Emulator, node_group: str) -> list[Json]:
    return [c for c in emu.store.of_type(CLUSTER)
            if str(c.get("properties", {}).get("nodeResourceGroup", "")).lower()
            == node_group.lower()]


def _nodes(emu: Emulator, cluster: Json, subnet_keys: set[str] | None = None) -> int:
    from wizard.sandbox.resources.managed_clusters import pools_of

    total = 0
    for pool in pools_of(emu, cluster["id"]):
        props = pool.get("properties", {})
        subnet = props.get("vnetSubnetID")
        if subnet_keys is not None and (not subnet or key(str(subnet)) not in subnet_keys):
            continue
        total += int(props.get("count") or 0)
    return total


def _measured(emu: Emulator, resource_id: str, arm_type: str) -> _Measured:
    group = resource_group_of(resource_id)
    if group is None or arm_type not in CATALOG:
        raise _missing(resource_id)
    if arm_type == LOAD_BALANCER:
        name = resource_id.rstrip("/").rsplit("/", 1)[-1]
        owners = [c for c in _clusters_with_node_group(emu, group[1])
                  if c["properties"]["networkProfile"].get("outboundType") == "loadBalancer"]
        if name.lower() != "kubernetes" or not owners:
            raise _missing(resource_id)
        cluster = owners[0]
        nodes = _nodes(emu, cluster)
        profile = cluster["properties"]["networkProfile"].get("loadBalancerProfile") or {}
        ports = int(profile.get("allocatedOutboundPorts") or 0) or \
            capacity.load_balancer_ports_per_node(max(nodes, 1))
        ips = profile.get("effectiveOutboundIPs") or [{}]
        frontend = ref_id(ips[0]) or "frontend"
        return _Measured("lb", traffic_of(cluster["id"]), nodes, ports, 0,
                         frontend.rsplit("/", 1)[-1])
    gateway = emu.store.get(resource_id)
    if gateway is None or str(gateway.get("type", "")).lower() != NAT_GATEWAY.lower():
        raise _missing(resource_id)
    props = gateway.get("properties", {})
    addresses = len(refs(props, "publicIpAddresses"))
    for prefix_id in refs(props, "publicIpPrefixes"):
        prefix = emu.store.get(prefix_id) or {}
        length = int(prefix.get("properties", {}).get("prefixLength") or 32)
        addresses += 2 ** (32 - length)
    owner, nodes = _gateway_cluster(emu, gateway)
    return _Measured("nat", traffic_of(owner["id"]) if owner else None, nodes, 0,
                     capacity.PORTS_PER_IP * addresses, "")


def _gateway_cluster(emu: Emulator, gateway: Json) -> tuple[Json | None, int]:
    """The cluster whose nodes egress through `gateway`, and how many of its nodes do."""
    group = resource_group_of(gateway["id"])
    for cluster in _clusters_with_node_group(emu, group[1] if group else ""):
        if cluster["properties"]["networkProfile"].get("outboundType") == "managedNATGateway":
            return cluster, _nodes(emu, cluster)
    subnets = {key(s["id"]) for s in emu.store.of_type(SUBNET)
               if key(ref_id(s.get("properties", {}).get("natGateway")) or "-")
               == key(gateway["id"])}
    for cluster in emu.store.of_type(CLUSTER):
        if cluster["properties"]["networkProfile"].get("outboundType") != \
                "userAssignedNATGateway":
            continue
        nodes = _nodes(emu, cluster, subnets)
        if nodes:
            return cluster, nodes
    return None, 0


# -- the series ------------------------------------------------------------------------------

def _raw(m: _Measured, metric: str, at: datetime) -> list[tuple[dict[str, str], float]]:
    """Per-minute values at `at`, one per combination of dimension values."""
    if m.traffic is None or m.nodes <= 0:
        return []
    demand = m.traffic.flows_per_node(at)
    if m.kind == "lb":
        out: list[tuple[dict[str, str], float]] = []
        for index in range(m.nodes):
            dims = {"FrontendIPAddress": m.frontend, "BackendIPAddress": f"10.224.0.{4 + index}",
                    "ProtocolType": "TCP", "IsAwaitingRemoval": "False"}
            used = min(demand, m.ports_per_node)
            if metric == "AllocatedSnatPorts":
                out.append((dims, float(m.ports_per_node)))
            elif metric == "UsedSnatPorts":
                out.append((dims, float(used)))
            elif metric == "SnatConnectionCount":
                conn = {k: dims[k] for k in ("FrontendIPAddress", "BackendIPAddress")}
                out.append(({**conn, "ConnectionState": "Successful"},
                            used * m.traffic.new_per_flow))
                failed = max(demand - m.ports_per_node, 0)
                if failed:
                    out.append(({**conn, "ConnectionState": "Failed"}, float(failed)))
        if metric == "VipAvailability":
            out.append(({"FrontendIPAddress": m.frontend, "FrontendPort": "0"}, 100.0))
        return out
    total = demand * m.nodes
    held = min(total, m.gateway_ports)
    refused = max(total - m.gateway_ports, 0)
    if metric == "TotalConnectionCount":
        return [({"Protocol": "TCP"}, float(held))]
    if metric == "SNATConnectionCount":
        found = [({"Protocol": "TCP", "ConnectionState": "Successful"},
                  held * m.traffic.new_per_flow)]
        if refused:
            found.append(({"Protocol": "TCP", "ConnectionState": "Failed"}, float(refused)))
        return found
    if metric == "PacketDropCount":
        return [({}, float(refused))]
    return [({}, 100.0)]


def _segments(start: datetime, minutes: int) -> Iterator[tuple[datetime, int]]:
    """`[start, start + minutes)` cut at hour boundaries (demand is constant within an hour)."""
    at, left = start, minutes
    while left > 0:
        to_hour = 60 - at.minute if at.second == 0 else 60
        step = min(left, to_hour)
        yield at, step
        at += timedelta(minutes=step)
        left -= step


def _timeseries(m: _Measured, metric: str, start: datetime, end: datetime, minutes: int,
                aggregations: list[str], filters: dict[str, set[str]]) -> list[Json]:
    split = list(filters)  # a filtered dimension is named in each series, as Azure does
    wanted = {dim.lower(): None if "*" in values else {v.lower() for v in values}
              for dim, values in filters.items()}
    by_hour: dict[int, dict[tuple[str, ...], float]] = {}

    def merged_at(moment: datetime) -> dict[tuple[str, ...], float]:
        """Per-minute values at `moment`, grouped by the split dimensions (demand is the same
        all hour, so once per hour of the day)."""
        found = by_hour.get(moment.hour)
        if found is None:
            found = {}
            for dims, value in _raw(m, metric, moment):
                lowered = {k.lower(): v for k, v in dims.items()}
                if any(allowed is not None and lowered.get(dim, "").lower() not in allowed
                       for dim, allowed in wanted.items()):
                    continue
                group = tuple(lowered.get(dim.lower(), "") for dim in split)
                found[group] = found.get(group, 0.0) + value
            by_hour[moment.hour] = found
        return found

    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    at = start
    while at + timedelta(minutes=minutes) <= end:
        per_group: dict[tuple[str, ...], list[tuple[float, int]]] = {}
        for seg_start, seg_minutes in _segments(at, minutes):
            for group, value in merged_at(seg_start).items():
                per_group.setdefault(group, []).append((value, seg_minutes))
        for group, samples in per_group.items():
            groups.setdefault(group, []).append(_point(at, samples, minutes, aggregations))
        at += timedelta(minutes=minutes)
    return [{"metadatavalues": [{"name": {"value": dim, "localizedValue": dim}, "value": val}
                                for dim, val in zip(split, group, strict=True)],
             "data": data}
            for group, data in sorted(groups.items())]


def _point(at: datetime, samples: list[tuple[float, int]], minutes: int,
           aggregations: list[str]) -> dict[str, Any]:
    point: dict[str, Any] = {"timeStamp": _iso(at)}
    total = sum(value * span for value, span in samples)
    for aggregation in aggregations:
        if aggregation == "Total":
            point["total"] = total
        elif aggregation == "Average":
            point["average"] = total / minutes
        elif aggregation == "Maximum":
            point["maximum"] = max(value for value, _ in samples)
        elif aggregation == "Minimum":
            point["minimum"] = min(value for value, _ in samples)
        elif aggregation == "Count":
            point["count"] = float(sum(span for _, span in samples))
    return point


# -- the query parameters --------------------------------------------------------------------

def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as err:
        raise bad_request("BadRequest", f"Invalid timespan value {text!r}.") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _timespan(text: str | None) -> tuple[datetime, datetime]:
    if not text or "/" not in text:
        raise bad_request("BadRequest", "The sandbox needs timespan=START/END (ISO 8601).")
    first, _, second = text.partition("/")
    start, end = _parse_time(first).astimezone(UTC), _parse_time(second).astimezone(UTC)
    if end <= start:
        raise bad_request("BadRequest", f"The timespan {text} ends before it starts.")
    return start.replace(second=0, microsecond=0), end


def _grain(text: str) -> int:
    minutes = GRAINS.get(text.upper())
    if minutes is None:
        raise bad_request("BadRequest", f"Invalid interval {text}; supported: "
                          f"{', '.join(GRAINS)}.")
    return minutes


def _grain_name(minutes: int) -> str:
    return next(name for name, value in GRAINS.items() if value == minutes)


def _aggregations(text: str) -> list[str]:
    known = {a.lower(): a for a in AGGREGATIONS}
    found = []
    for item in text.split(","):
        name = known.get(item.strip().lower())
        if name is None:
            raise bad_request("BadRequest", f"Invalid aggregation {item.strip()!r}; supported: "
                              f"{', '.join(AGGREGATIONS)}.")
        found.append(name)
    return found


def _filters(text: str) -> dict[str, set[str]]:
    """`A eq 'a1' and B eq 'b1' or B eq 'b2' and C eq '*'` -> {A: {a1}, B: {b1, b2}, C: {*}}."""
    found: dict[str, set[str]] = {}
    if not text.strip():
        return found
    for clause in re.split(r"\s+and\s+|\s+or\s+", text.strip(), flags=re.IGNORECASE):
        matched = _CLAUSE.match(clause.strip("() "))
        if matched is None:
            raise bad_request("BadRequest", f"The sandbox cannot read the $filter clause "
                              f"{clause!r}; use Dimension eq 'value'.")
        dim = matched.group(1)
        existing = next((d for d in found if d.lower() == dim.lower()), dim)
        found.setdefault(existing, set()).add(matched.group(2))
    return found


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()[:19] + "Z"
