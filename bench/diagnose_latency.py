"""From picking a cluster to its SNAT verdict, on the sandbox, against one metrics round trip.

What the existing-cluster path does once a cluster is picked (`screens/migrate_runner.diagnose`):
read the cluster, find what its egress goes through, read its SNAT metrics over 7 days (two
metrics calls) and judge them. The reference is the floor of that work, measured in the same run:
one metrics call (the load balancer's ports split by node, same window and grain) through the
same SDK client and in-process transport. Both on the demo sandbox at speed 0, for the demo's
exhausting cluster (`lb-cluster`) and its healthy one (`byo-cluster`).

Reports min / median / max of each over the runs, and the ratio of the medians (the verdict costs
about two round trips plus the reads around them, so expect a little above 2). Run on demand:

    uv run python bench/diagnose_latency.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from wizard.azure.backend import AzureBackend
from wizard.azure.clusters import ClusterSummary
from wizard.azure.discovery import Discovery
from wizard.azure.metrics import DEFAULT_DAYS, diagnose_cluster, interval_for, query
from wizard.sandbox import Sandbox


def timed(function: Callable[[], object], runs: int) -> list[float]:
    """Wall times of `function()` in milliseconds, after two warm-up calls."""
    for _ in range(2):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sandbox = Sandbox(speed=0, seed="demo")
    backend = AzureBackend.for_sandbox(sandbox)
    now = datetime(2026, 12, 2, tzinfo=UTC)
    grain, _ = interval_for(DEFAULT_DAYS)
    lb_of = {}
    for name in ("lb-cluster", "byo-cluster"):
        body = Discovery(backend).managed_cluster("demo-rg", name)
        assert body is not None
        lb_of[name] = (f"/subscriptions/{sandbox.subscription_id}/resourceGroups/"
                       f"{body['properties']['nodeResourceGroup']}/providers/Microsoft.Network/"
                       "loadBalancers/kubernetes")
    print(f"{'cluster':<12} {'what':<22} {'min ms':>8} {'median':>8} {'max':>8}")
    for name in ("lb-cluster", "byo-cluster"):
        choice = ClusterSummary("demo-rg", name, "eastus2", "loadBalancer", name == "byo-cluster")

        def pick_to_verdict(choice: ClusterSummary = choice) -> object:
            discovery = Discovery(backend)  # a fresh pick reads everything again
            body = discovery.managed_cluster(choice.resource_group, choice.name)
            assert body is not None
            return diagnose_cluster(backend, discovery, body, DEFAULT_DAYS, now)[0].verdict

        def one_round_trip(name: str = name) -> object:
            return query(backend, lb_of[name], ["UsedSnatPorts", "AllocatedSnatPorts"],
                         now - timedelta(days=DEFAULT_DAYS), now, grain,
                         {"UsedSnatPorts": "maximum", "AllocatedSnatPorts": "maximum"},
                         "BackendIPAddress eq '*'")

        floor = timed(one_round_trip, args.runs)
        verdict = timed(pick_to_verdict, args.runs)
        for what, samples in (("one metrics call", floor), ("pick -> verdict", verdict)):
            print(f"{name:<12} {what:<22} {min(samples):>8.1f} {statistics.median(samples):>8.1f}"
                  f" {max(samples):>8.1f}")
        ratio = statistics.median(verdict) / statistics.median(floor)
        print(f"{name:<12} {'ratio (medians)':<22} {ratio:>8.2f}x")


if __name__ == "__main__":
    main()
