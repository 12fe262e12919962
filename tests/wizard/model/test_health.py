"""The SNAT verdict and the recommendation, from plain series (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wizard.model import capacity
from wizard.model.health import (
    NEAR_EXHAUSTION_SHARE,
    CurrentOutbound,
    EgressSeries,
    assess,
    sparkline,
)

START = datetime(2026, 11, 25, tzinfo=UTC)
LB = CurrentOutbound("loadBalancer", own_subnet=False, ip_count=1, idle_timeout_minutes=30)


def lb_series(used: list[float], failed: list[float], allocated: float = 3072.0,
              share: list[float] | None = None, minutes: int = 60) -> EgressSeries:
    times = tuple(START + timedelta(minutes=minutes * i) for i in range(len(used)))
    return EgressSeries(
        path="load_balancer", resource_id="/lb", interval_minutes=minutes, times=times,
        used_ports=tuple(used), allocated_ports=tuple(allocated for _ in used),
        busiest_share=tuple(share if share is not None else [u / allocated for u in used]),
        failed_connections=tuple(failed), backends=3)


def test_failures_make_it_exhausting_with_when_and_how_often() -> None:
    used = [500.0] * 48
    failed = [0.0] * 48
    for day in (0, 1):
        for hour in (14, 15):
            used[day * 24 + hour] = 3072.0
            failed[day * 24 + hour] = 60 * 1000.0  # 1,000 refused a minute over an hour
    diagnosis = assess(lb_series(used, failed), LB)
    assert diagnosis.verdict == "exhausting"
    assert diagnosis.exhausted_intervals == 4
    assert diagnosis.exhausted_days == 2
    assert diagnosis.exhausted_hours == (14, 15)
    assert diagnosis.first_failure == START + timedelta(hours=14)
    assert diagnosis.last_failure == START + timedelta(hours=24 + 15)
    assert diagnosis.peak_concurrent_flows == 3072 + 1000
    assert "exhausting" in diagnosis.summary()[0]


def test_the_recommendation_is_the_sizing_formula_for_the_measured_peak() -> None:
    used = [3072.0, 1000.0]
    failed = [60 * 200_000.0, 0.0]  # 200,000 refused a minute at peak
    diagnosis = assess(lb_series(used, failed), LB)
    peak = 3072 + 200_000
    advice = diagnosis.recommendation
    assert advice is not None
    assert advice.concurrent_flows == peak
    assert advice.ip_count == capacity.size(concurrent_flows=peak).recommended_ips == 4
    assert advice.target_type == "managed"
    assert advice.idle_timeout_minutes == 4
    assert advice.change_needed
    assert advice.sets() == ["outbound.ip_count=4", "outbound.idle_timeout_minutes=4",
                             f"workload.concurrent_flows={peak}"]


def test_an_own_subnet_is_recommended_a_user_assigned_gateway() -> None:
    diagnosis = assess(lb_series([3072.0], [600.0]),
                       CurrentOutbound("loadBalancer", own_subnet=True))
    assert diagnosis.recommendation is not None
    assert diagnosis.recommendation.target_type == "user_assigned"


def test_a_peak_beyond_one_gateway_says_to_split() -> None:
    flows = 20 * capacity.PORTS_PER_IP
    diagnosis = assess(lb_series([0.0], [60.0 * flows]), LB)
    advice = diagnosis.recommendation
    assert advice is not None
    assert advice.ip_count == capacity.MAX_IPS
    assert not advice.fits_one_gateway
    assert "split the nodes" in advice.reason


def test_near_the_threshold_is_at_risk_below_it_healthy() -> None:
    at = NEAR_EXHAUSTION_SHARE
    risky = assess(lb_series([100.0], [0.0], share=[at]), LB)
    fine = assess(lb_series([100.0], [0.0], share=[at - 0.01]), LB)
    assert risky.verdict == "at_risk"
    assert fine.verdict == "healthy"
    assert risky.recommendation is not None and risky.recommendation.change_needed
    assert fine.recommendation is not None and not fine.recommendation.change_needed


def test_one_busy_node_is_at_risk_though_the_total_is_low() -> None:
    # 3 nodes x 1,024: one at 1,000 ports, the others idle -> total share 33%, busiest 98%
    diagnosis = assess(lb_series([1000.0], [0.0], share=[1000 / 1024]), LB)
    assert diagnosis.verdict == "at_risk"
    assert diagnosis.peak_share > 0.9


def test_no_points_is_no_data() -> None:
    diagnosis = assess(lb_series([], []), LB)
    assert diagnosis.verdict == "no_data"
    assert diagnosis.recommendation is None
    assert "no SNAT data" in " ".join(diagnosis.summary())


def test_a_nat_gateway_dropping_packets_is_at_risk_and_keeps_its_ip_count() -> None:
    times = (START,)
    series = EgressSeries(path="nat_gateway", resource_id="/ngw", interval_minutes=15,
                          times=times, used_ports=(1000.0,),
                          allocated_ports=(2.0 * capacity.PORTS_PER_IP,), busiest_share=(0.01,),
                          failed_connections=(0.0,), dropped_packets=(12.0,),
                          availability=(99.5,))
    diagnosis = assess(series, CurrentOutbound("managedNATGateway", False, ip_count=2))
    assert diagnosis.verdict == "at_risk"
    assert diagnosis.dropped_packets == 12
    assert diagnosis.min_availability == 99.5
    assert diagnosis.recommendation is not None
    assert diagnosis.recommendation.ip_count == 2
    assert not diagnosis.recommendation.change_needed


def test_json_has_stable_keys() -> None:
    payload = assess(lb_series([3072.0], [600.0]), LB).to_dict()
    assert payload["verdict"] == "exhausting"
    assert payload["recommendation"]["ip_count"] == 1
    assert payload["window"]["start"] == "2026-11-25T00:00:00Z"


def test_a_sparkline_never_averages_a_peak_away() -> None:
    values = [0.0] * 1000
    values[501] = 1.0
    line = sparkline(values, width=10)
    assert len(line) == 10
    assert line.count("█") == 1
    assert set(line) == {"▁", "█"}


@given(st.lists(st.floats(min_value=0, max_value=1e9), max_size=3000),
       st.integers(min_value=1, max_value=200))
def test_a_sparkline_fits_its_width(values: list[float], width: int) -> None:
    line = sparkline(values, width=width)
    assert len(line) <= width
    assert bool(line) == bool(values)
