"""The sandbox's Azure Monitor metrics API, through azure-mgmt-monitor and the real transport."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wizard.azure.backend import AzureBackend, AzureError
from wizard.azure.discovery import Discovery
from wizard.azure.metrics import measured_resource, query, read_egress_series
from wizard.model import capacity, health
from wizard.sandbox import Sandbox
from wizard.sandbox.scenarios.traffic import DEMO_TRAFFIC

NOW = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
PEAK = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def demo() -> Sandbox:
    return Sandbox(speed=0, seed="demo")


def lb_id(sandbox: Sandbox, cluster: str) -> str:
    discovery = Discovery(AzureBackend.for_sandbox(sandbox))
    body = discovery.managed_cluster("demo-rg", cluster)
    assert body is not None
    return measured_resource(discovery, body).resource_id


def test_ports_split_by_backend_follow_the_traffic(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    found = query(backend, lb_id(demo, "lb-cluster"), ["UsedSnatPorts", "AllocatedSnatPorts"],
                  PEAK - timedelta(hours=3), PEAK, "PT1H",
                  {"UsedSnatPorts": "maximum", "AllocatedSnatPorts": "maximum"},
                  "BackendIPAddress eq '*'")
    used = [s for s in found if s.metric == "UsedSnatPorts"]
    assert len(used) == 3  # one series per node
    per_node = capacity.load_balancer_ports_per_node(3)
    traffic = DEMO_TRAFFIC[("demo-rg", "lb-cluster")]
    for series in used:
        values = [p.value for p in series.points]
        assert values == [traffic.base_flows_per_node, traffic.base_flows_per_node, per_node]
    request = [e for e in demo.request_log if e.resource_type == "metrics"][-1]
    assert request.path.lower().endswith("/loadbalancers/kubernetes/providers/"
                                         "microsoft.insights/metrics")
    assert request.api_version


def test_a_dimension_filter_on_one_value_keeps_one_series(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    found = query(backend, lb_id(demo, "lb-cluster"), ["SnatConnectionCount"], PEAK,
                  PEAK + timedelta(hours=1), "PT15M", {"SnatConnectionCount": "total"},
                  "ConnectionState eq 'Failed' and BackendIPAddress eq '*'")
    assert len(found) == 3
    assert {s.dimensions["ConnectionState"] for s in found} == {"Failed"}
    traffic = DEMO_TRAFFIC[("demo-rg", "lb-cluster")]
    refused = traffic.peak_flows_per_node - capacity.load_balancer_ports_per_node(3)
    assert all(p.value == 15 * refused for s in found for p in s.points)


def test_unsplit_values_are_summed_over_the_nodes(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    found = query(backend, lb_id(demo, "byo-cluster"), ["AllocatedSnatPorts"], PEAK,
                  PEAK + timedelta(minutes=5), "PT5M", {"AllocatedSnatPorts": "average"})
    assert len(found) == 1
    assert found[0].points[0].value == 3 * capacity.load_balancer_ports_per_node(3)


def test_an_unknown_metric_is_azure_monitors_bad_request(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    with pytest.raises(AzureError) as caught:
        query(backend, lb_id(demo, "lb-cluster"), ["SnatPortsLeft"], PEAK,
              PEAK + timedelta(hours=1), "PT1H", {"SnatPortsLeft": "total"})
    assert caught.value.status == 400
    assert caught.value.code == "BadRequest"
    assert "Failed to find metric configuration" in caught.value.message
    assert "UsedSnatPorts" in caught.value.message


def test_an_unsupported_interval_is_refused(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    with pytest.raises(AzureError) as caught:
        query(backend, lb_id(demo, "lb-cluster"), ["UsedSnatPorts"], PEAK,
              PEAK + timedelta(hours=1), "PT7M", {"UsedSnatPorts": "maximum"})
    assert caught.value.status == 400
    assert "PT7M" in caught.value.message


def test_a_missing_resource_is_not_found(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    missing = lb_id(demo, "lb-cluster").replace("/kubernetes", "/kubernetes-internal")
    with pytest.raises(AzureError) as caught:
        query(backend, missing, ["UsedSnatPorts"], PEAK, PEAK + timedelta(hours=1), "PT1H",
              {"UsedSnatPorts": "maximum"})
    assert caught.value.status == 404


def test_throttling_is_retried_by_azure_core() -> None:
    sandbox = Sandbox(speed=0, seed="demo", faults="metrics:GET:throttle:2")
    backend = AzureBackend.for_sandbox(sandbox)
    discovery = Discovery(backend)
    cluster = discovery.managed_cluster("demo-rg", "lb-cluster")
    assert cluster is not None
    series = read_egress_series(backend, discovery, cluster, 1, NOW)
    statuses = [e.status for e in sandbox.request_log if e.resource_type == "metrics"]
    assert statuses[:3] == [429, 429, 200]
    assert health.assess(series, health.CurrentOutbound("loadBalancer", False)).verdict == \
        "exhausting"


def test_a_gateway_without_traffic_answers_empty_and_says_no_data(demo: Sandbox) -> None:
    backend = AzureBackend.for_sandbox(demo)
    gateway = (f"/subscriptions/{demo.subscription_id}/resourceGroups/demo-rg/providers/"
               "Microsoft.Network/natGateways/shared-natgw")
    found = query(backend, gateway, ["SNATConnectionCount"], PEAK, PEAK + timedelta(hours=1),
                  "PT15M", {"SNATConnectionCount": "total"}, "ConnectionState eq '*'")
    assert found == []
    from wizard.azure.metrics import Measured, _nat_gateway

    series = _nat_gateway(backend, Measured("nat_gateway", gateway, 1), PEAK,
                          PEAK + timedelta(hours=1), "PT15M", 15)
    assert series.empty
    verdict = health.assess(series, health.CurrentOutbound("userAssignedNATGateway", True))
    assert verdict.verdict == "no_data"


def test_the_sdks_own_models_read_the_sandboxs_answer(demo: Sandbox) -> None:
    client = AzureBackend.for_sandbox(demo).client("monitor")
    answer = client.metrics.list(
        lb_id(demo, "lb-cluster").lstrip("/"), timespan="2026-12-01T13:00:00Z/2026-12-01T14:00:00Z",
        interval="PT15M", metricnames="SnatConnectionCount", aggregation="Total",
        filter="ConnectionState eq 'Failed'")
    metric = answer.value[0]
    assert metric.name.value == "SnatConnectionCount"
    series = metric.timeseries[0]
    assert series.metadatavalues[0].name.value == "ConnectionState"
    assert series.metadatavalues[0].value == "Failed"
    assert len(series.data) == 4
    refused = 3 * (DEMO_TRAFFIC[("demo-rg", "lb-cluster")].peak_flows_per_node
                   - capacity.load_balancer_ports_per_node(3))
    assert series.data[0].total == 15 * refused
