"""SNAT arithmetic: the sizing formula on hand-computed cases, and its properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.model import capacity
from wizard.model.capacity import Capacity, size

flows = st.none() | st.integers(min_value=0, max_value=100_000_000)
rates = st.none() | st.integers(min_value=0, max_value=10_000_000)


@pytest.mark.parametrize(
    ("concurrent", "busiest", "rate", "required", "limit"),
    [
        (None, None, None, 1, "none"),
        (0, 0, 0, 1, "none"),
        (None, 100_000, None, 2, "busiest destination"),  # 100,000 / 50,000
        (None, 100_001, None, 3, "busiest destination"),
        (None, 50_000, None, 1, "busiest destination"),
        (1_000_000, None, None, 16, "total ports"),  # ceil(1,000,000 / 64,512) = 16
        (64_512, None, None, 1, "total ports"),
        (64_513, None, None, 2, "total ports"),
        (None, None, 800, 2, "connection rate"),  # ceil(800 x 65 / 50,000) = ceil(1.04)
        (None, None, 769, 1, "connection rate"),  # 769 x 65 = 49,985
        (200_000, 160_000, 100, 4, "total ports"),  # 4 (ceil 3.1) vs 4 (ceil 3.2) vs 1: first max
        (100_000, 300_000, 100, 6, "busiest destination"),
        (2_000_000, None, None, 32, "total ports"),  # ceil(31.0) = 32 > 16
    ],
)
def test_the_formula_on_hand_computed_cases(concurrent: int | None, busiest: int | None,
                                            rate: int | None, required: int, limit: str) -> None:
    sizing = size(concurrent, busiest, rate)
    assert sizing.required_ips == required
    assert sizing.deciding_limit == limit
    assert sizing.recommended_ips == min(required, 16)
    assert sizing.fits_one_gateway == (required <= 16)


def test_what_an_ip_count_buys() -> None:
    two = Capacity(2)
    assert two.snat_ports == 129_024
    assert two.flows_per_destination == 100_000
    assert two.new_connections_per_second_per_destination == 100_000 // 65 == 1538


def test_utilization_is_the_tightest_limit() -> None:
    one = Capacity(1)
    assert one.utilization() == 0.0
    assert one.utilization(concurrent_flows=32_256) == pytest.approx(0.5)
    assert one.utilization(concurrent_flows=32_256, busiest_destination_flows=40_000) == (
        pytest.approx(0.8))
    assert one.utilization(new_connections_per_second=1000) == pytest.approx(65_000 / 50_000)


@pytest.mark.parametrize(("nodes", "ports"), [(1, 1024), (50, 1024), (51, 512), (100, 512),
                                              (101, 256), (400, 128), (800, 64), (801, 32),
                                              (1000, 32), (5000, 32)])
def test_load_balancer_default_ports_per_node(nodes: int, ports: int) -> None:
    assert capacity.load_balancer_ports_per_node(nodes) == ports


def test_load_balancer_nodes_covered() -> None:
    assert capacity.load_balancer_max_nodes(1, 1024) == 62  # 64,000 // 1024
    assert capacity.load_balancer_max_nodes(2, 1024) == 124
    assert capacity.load_balancer_max_nodes(1, 32) == 2000


@given(flows, flows, rates)
def test_the_result_covers_every_stated_figure(concurrent: int | None, busiest: int | None,
                                               rate: int | None) -> None:
    sizing = size(concurrent, busiest, rate)
    bought = Capacity(sizing.required_ips)
    assert sizing.required_ips >= 1
    assert bought.snat_ports >= (concurrent or 0)
    assert bought.flows_per_destination >= (busiest or 0)
    assert bought.flows_per_destination >= (rate or 0) * capacity.PORT_REUSE_WAIT_SECONDS
    assert bought.utilization(concurrent, busiest, rate) <= 1.0


@given(flows, flows, rates)
def test_the_result_is_the_smallest_that_covers(concurrent: int | None, busiest: int | None,
                                                rate: int | None) -> None:
    required = size(concurrent, busiest, rate).required_ips
    if required > 1:
        assert Capacity(required - 1).utilization(concurrent, busiest, rate) > 1.0


@given(flows, flows, rates, st.integers(min_value=0, max_value=1_000_000),
       st.sampled_from(range(3)))
def test_more_demand_never_needs_fewer_ips(concurrent: int | None, busiest: int | None,
                                           rate: int | None, extra: int, which: int) -> None:
    before = size(concurrent, busiest, rate)
    figures = [concurrent, busiest, rate]
    figures[which] = (figures[which] or 0) + extra
    after = size(*figures)
    assert after.required_ips >= before.required_ips
    assert after.recommended_ips >= before.recommended_ips
    assert after.recommended_ips <= capacity.MAX_IPS


@given(st.integers(min_value=1, max_value=16), st.integers(min_value=1, max_value=16))
def test_capacity_grows_with_ips(low: int, high: int) -> None:
    low, high = sorted((low, high))
    assert Capacity(low).snat_ports <= Capacity(high).snat_ports
    assert Capacity(low).flows_per_destination <= Capacity(high).flows_per_destination


@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=1, max_value=5000))
def test_load_balancer_ports_shrink_as_the_pool_grows(small: int, large: int) -> None:
    small, large = sorted((small, large))
    assert (capacity.load_balancer_ports_per_node(small)
            >= capacity.load_balancer_ports_per_node(large))
    assert math.log2(capacity.load_balancer_ports_per_node(large)).is_integer()
