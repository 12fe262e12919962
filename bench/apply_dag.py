"""How close a sandbox apply comes to the least time its plan allows, and what it saves over
running the doc's commands one after another.

Applies a preset (default `user-assigned-per-zone`) on a file-backed sandbox (as the CLI runs it)
through the real backend and executor, `--runs` times at each of `--speeds` (default 1 and 0.2),
with every simulated duration shifted by `--offset` seconds (default 0.01) so that no duration is
a multiple of the 0.25 s poll interval (durations on the grid hide the time a poller waits past an
operation's end). For each speed it reports min/median/max of:

- `wall`: the apply's wall time;
- `critical path`: `plan.critical_path(durations)`, the longest chain of step durations, which no
  scheduler can beat (the reference, computed from the same shifted durations); `wall / critical`
  is the executor's and the polling's overhead (target <= 1.15);
- `serial sum`: every step's duration added up, what the az script costs run one command after
  another (the doc's way); `serial / wall` is what running the DAG in parallel saves.

Kinds the sandbox answers synchronously (resource group, identity, role assignment) count as 0 s.
The measured per-step times of the last run are shown beside the model's.

Run on demand:

    uv run python bench/apply_dag.py [--preset NAME] [--max-parallel N] [--speeds 1,0.2]
                                     [--runs 3] [--offset 0.01] [--memory]

Exit code 0 when the median `wall / critical` meets the target at every speed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from wizard.plan import WINDOWS_PASSWORD_SECRET, Plan, StepKind, build
from wizard.run.events import Event, StepStarted, StepSucceeded
from wizard.storage import presets

RATIO_TARGET = 1.15
#: The emulator's resource type for each step kind whose create is a long-running operation.
LRO_TYPES: dict[StepKind, str] = {
    "public_ip": "publicIPAddresses",
    "nat_gateway": "natGateways",
    "virtual_network": "virtualNetworks",
    "subnet": "subnets",
    "managed_cluster": "managedClusters",
    "agent_pool": "agentPools",
}
SYNC_KINDS: tuple[StepKind, ...] = ("resource_group", "identity", "role_assignment")


def durations_by_kind(speed: float, offset: float) -> dict[StepKind, float]:
    """Seconds each step kind's create takes on the sandbox at `speed`, shifted by `offset`."""
    from wizard.sandbox import DEFAULT_DURATIONS

    found: dict[StepKind, float] = {kind: 0.0 for kind in SYNC_KINDS}
    for kind, resource_type in LRO_TYPES.items():
        found[kind] = (DEFAULT_DURATIONS[(resource_type, "create")] + offset) * speed
    return found


def overrides(offset: float) -> dict[tuple[str, str], float]:
    """The sandbox's duration table (speed 1) with every create shifted by `offset`."""
    from wizard.sandbox import DEFAULT_DURATIONS

    return {(rtype, "create"): DEFAULT_DURATIONS[(rtype, "create")] + offset
            for rtype in LRO_TYPES.values()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--preset", default="user-assigned-per-zone")
    parser.add_argument("--max-parallel", type=int, default=4)
    parser.add_argument("--speeds", default="1,0.2")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--offset", type=float, default=0.01)
    parser.add_argument("--memory", action="store_true", help="keep the sandbox in memory")
    args = parser.parse_args(argv)

    ok = True
    with tempfile.TemporaryDirectory() as home:
        os.environ["AKS_NAT_WIZARD_HOME"] = home  # the run's journal goes here, not to ~
        for speed in (float(s) for s in args.speeds.split(",")):
            ok = _bench(args, speed, Path(home)) and ok
    return 0 if ok else 1


def _one_apply(args: argparse.Namespace, speed: float, state: Path | None
               ) -> tuple[float, dict[str, float], Plan]:
    """Wall seconds, per-step seconds and the plan of one apply on a fresh sandbox."""
    from wizard.azure.backend import AzureBackend
    from wizard.run.executor import Executor, secrets_needed
    from wizard.run.journal import Journal
    from wizard.sandbox import Sandbox

    sandbox = Sandbox(speed=speed, faults="", seed="", state_path=state,
                      durations=overrides(args.offset))
    backend = AzureBackend.for_sandbox(sandbox)
    config = presets.load(args.preset)
    plan = build(config, sandbox.subscription_id)
    secrets = ({WINDOWS_PASSWORD_SECRET: "Bench-Pa55word-Only!"}
               if WINDOWS_PASSWORD_SECRET in secrets_needed(plan) else {})
    started: dict[str, float] = {}
    took: dict[str, float] = {}
    lock = threading.Lock()

    def on_event(event: Event) -> None:
        with lock:
            if isinstance(event, StepStarted):
                started[event.key] = time.perf_counter()
            elif isinstance(event, StepSucceeded):
                took[event.key] = time.perf_counter() - started[event.key]

    # Warm the SDK imports and clients (as the CLI's preflight does before an apply), so the
    # wall time measures the apply, not Python importing the SDKs: one read per step kind.
    for kind in {step.kind: step for step in plan.steps}.values():
        backend.get(kind)
    journal = Journal.create(plan, config, "sandbox (bench)")
    executor = Executor(backend, journal, max_parallel=args.max_parallel, secrets=secrets,
                        on_event=on_event)
    begin = time.perf_counter()
    result = executor.apply(plan)
    wall = time.perf_counter() - begin
    backend.close()
    if result.status != "succeeded":
        raise SystemExit(f"apply {result.status}: {result.failed}")
    return wall, took, plan


def _bench(args: argparse.Namespace, speed: float, home: Path) -> bool:
    walls: list[float] = []
    took: dict[str, float] = {}
    plan: Plan | None = None
    for run in range(args.runs):
        state = None if args.memory else home / f"sandbox-{speed:g}-{run}.db"
        wall, took, plan = _one_apply(args, speed, state)
        walls.append(wall)
    assert plan is not None
    durations = durations_by_kind(speed, args.offset)
    critical = plan.critical_path(durations)
    steps = plan.steps
    serial = sum(durations[step.kind] for step in steps)
    ratios = [wall / critical for wall in walls]
    median_ratio = statistics.median(ratios)

    def spread(values: list[float], fmt: str) -> str:
        return (f"min {min(values):{fmt}}  median {statistics.median(values):{fmt}}  "
                f"max {max(values):{fmt}}")

    print(f"preset {args.preset}: {len(steps)} steps, max parallel {args.max_parallel}, speed "
          f"{speed:g}, durations +{args.offset:g} s, "
          f"{'in memory' if args.memory else 'file-backed'}, {args.runs} runs")
    print(f"  critical path (reference) {critical:7.2f} s")
    print(f"  wall                      {spread(walls, '7.2f')} s")
    print(f"  wall / critical           {spread(ratios, '7.3f')}  (target <= {RATIO_TARGET})")
    print(f"  serial sum                {serial:7.2f} s  serial / median wall = "
          f"{serial / statistics.median(walls):.2f}x")
    print(f"  {'step (last run)':<44} {'kind':<16} {'model':>7} {'measured':>9}")
    for step in steps:
        print(f"  {step.key:<44} {step.kind:<16} {durations[step.kind]:6.2f}s "
              f"{took.get(step.key, 0.0):8.2f}s")
    print()
    return median_ratio <= RATIO_TARGET


if __name__ == "__main__":
    sys.exit(main())
