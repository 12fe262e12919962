"""Does listing grow linearly with what the sandbox holds?

Fills a sandbox with N virtual networks (one subnet each, in groups of 10) for N = 50, 500 and
5,000, then lists them the way the wizard does (`Discovery.virtual_networks()`: the network SDK's
`list_all`, following `nextLink`) through the real transport, and a list scoped to one group of
10. Each size is measured `--runs` times on a fresh `Discovery` (no cache) and reported as
min/median/max seconds, with the reference (N = 50) and each size's cost per item as a ratio of
the reference's: linear growth keeps the per-item ratio near 1; the scoped list should cost the
same whatever the subscription holds.

Run on demand (the state lives in memory, or in a file with --file):

    uv run python bench/sandbox_discovery.py [--runs 5] [--sizes 50,500,5000] [--file]

Exit code 0 when the per-item ratio at the largest size is at most `--target` (default 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SUB = "00000000-0000-0000-0000-000000000001"
VNET = "Microsoft.Network/virtualNetworks"
SUBNET = f"{VNET}/subnets"


def fill(sandbox: Any, count: int) -> None:
    """`count` VNets with one subnet each, 10 per resource group, written in one transaction."""
    with sandbox.store.transaction():
        for group_index in range((count + 9) // 10):
            rg = f"/subscriptions/{SUB}/resourceGroups/rg{group_index}"
            sandbox.store.put({"id": rg, "name": f"rg{group_index}", "location": "westeurope",
                               "type": "Microsoft.Resources/resourceGroups",
                               "properties": {"provisioningState": "Succeeded"}})
            for i in range(group_index * 10, min(count, group_index * 10 + 10)):
                vnet = f"{rg}/providers/{VNET}/vnet{i}"
                sandbox.store.put({
                    "id": vnet, "name": f"vnet{i}", "type": VNET, "location": "westeurope",
                    "tags": {}, "properties": {
                        "provisioningState": "Succeeded",
                        "addressSpace": {"addressPrefixes": [f"10.{i % 250}.0.0/16"]}}})
                sandbox.store.put({
                    "id": f"{vnet}/subnets/default", "name": "default", "type": SUBNET,
                    "properties": {"provisioningState": "Succeeded",
                                   "addressPrefix": f"10.{i % 250}.0.0/22"}})


def timed(action: Callable[[], int], runs: int) -> tuple[list[float], int]:
    times, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        found = action()
        times.append(time.perf_counter() - started)
    return times, found


def line(label: str, times: list[float], extra: str = "") -> str:
    return (f"{label:<28} min {min(times):8.4f}  median {statistics.median(times):8.4f}  "
            f"max {max(times):8.4f} s  {extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--file", action="store_true", help="persist the sandbox to a file")
    parser.add_argument("--target", type=float, default=2.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from wizard.azure.backend import AzureBackend
    from wizard.azure.discovery import Discovery
    from wizard.sandbox import Sandbox

    print(f"sandbox list: VNets (one subnet each), {args.runs} runs per size, "
          f"{'file-backed' if args.file else 'in memory'}")
    per_item: dict[int, float] = {}
    scoped: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            state = Path(tmp) / f"state-{size}" if args.file else None
            sandbox = Sandbox(speed=0, faults="", seed="", state_path=state)
            fill(sandbox, size)
            backend = AzureBackend.for_sandbox(sandbox)

            def everything(backend: AzureBackend = backend) -> int:
                return len(Discovery(backend).virtual_networks())

            def one_group(backend: AzureBackend = backend) -> int:
                return len(Discovery(backend).virtual_networks("rg0"))

            everything()  # warm the clients and imports once per size
            times, found = timed(everything, args.runs)
            assert found == size, (found, size)
            median = statistics.median(times)
            per_item[size] = median / size
            ratio = per_item[size] / per_item[sizes[0]]
            label = "reference" if size == sizes[0] else f"per-item ratio {ratio:5.2f}x"
            print(line(f"list all, N={size}", times, label))
            group_times, group_found = timed(one_group, args.runs * 4)  # short: more runs
            assert group_found == min(size, 10)
            scoped[size] = statistics.median(group_times)
            print(line(f"list one group of 10, N={size}", group_times,
                       f"{scoped[size] / scoped[sizes[0]]:5.2f}x the N={sizes[0]} case"))
            backend.close()
    worst = per_item[sizes[-1]] / per_item[sizes[0]]
    print(f"per-item cost at N={sizes[-1]}: {worst:.2f}x the N={sizes[0]} reference "
          f"(target <= {args.target:g})")
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
