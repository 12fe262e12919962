"""How close a sandbox apply comes to the least time its plan allows, and what it saves over
running the doc's commands one after another.

Applies a preset (default `user-assigned-per-zone`) on an in-process sandbox with the emulator's
default simulated durations (speed 1: a cluster takes 8 s, a NAT gateway 1.5 s, ...), through the
real backend and executor, and reports:

- `wall`: the apply's wall time;
- `critical path`: `plan.critical_path(durations)`, the longest chain of step durations, which no
  scheduler can beat; `wall / critical` is the executor's overhead (target <= 1.15);
- `serial sum`: every step's duration added up, what the az script costs run one command after
  another (the doc's way); `serial / wall` is what running the DAG in parallel saves.

Durations come from `wizard.emulator.DEFAULT_DURATIONS` (create actions); kinds the sandbox answers
synchronously (resource group, identity, role assignment) count as 0 s. The measured per-step times
of the run (from the executor's events) are shown beside them.

Run on demand:

    uv run python bench/apply_dag.py [--preset NAME] [--max-parallel N] [--speed X]

Exit code 0 when `wall / critical` meets the target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence

from wizard import presets
from wizard.events import Event, StepStarted, StepSucceeded
from wizard.plan import WINDOWS_PASSWORD_SECRET, StepKind, build

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


def durations_by_kind(speed: float) -> dict[StepKind, float]:
    """Seconds each step kind's create takes on the sandbox at `speed`."""
    from wizard.emulator import DEFAULT_DURATIONS

    found: dict[StepKind, float] = {kind: 0.0 for kind in SYNC_KINDS}
    for kind, resource_type in LRO_TYPES.items():
        found[kind] = DEFAULT_DURATIONS[(resource_type, "create")] * speed
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--preset", default="user-assigned-per-zone")
    parser.add_argument("--max-parallel", type=int, default=4)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as home:
        os.environ["AKS_NAT_WIZARD_HOME"] = home  # the run's journal goes here, not to ~
        return _bench(args.preset, args.max_parallel, args.speed)


def _bench(preset: str, max_parallel: int, speed: float) -> int:
    from wizard.azure.backend import AzureBackend
    from wizard.emulator import Sandbox
    from wizard.executor import Executor, secrets_needed
    from wizard.journal import Journal

    sandbox = Sandbox(speed=speed, faults="")
    backend = AzureBackend.for_sandbox(sandbox)
    config = presets.load(preset)
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
    executor = Executor(backend, journal, max_parallel=max_parallel, secrets=secrets,
                        on_event=on_event)
    begin = time.perf_counter()
    result = executor.apply(plan)
    wall = time.perf_counter() - begin
    if result.status != "succeeded":
        print(f"apply {result.status}: {result.failed}", file=sys.stderr)
        return 1

    durations = durations_by_kind(speed)
    critical = plan.critical_path(durations)
    serial = sum(durations[step.kind] for step in plan.steps)
    measured_serial = sum(took.values())
    ratio = wall / critical if critical else float("inf")
    rows = [
        ("preset", preset, ""),
        ("steps", str(len(plan.steps)), f"max parallel {max_parallel}, speed {speed:g}"),
        ("wall", f"{wall:6.2f} s", "this apply"),
        ("critical path", f"{critical:6.2f} s",
         f"wall / critical = {ratio:.3f} (target <= {RATIO_TARGET})"),
        ("serial sum", f"{serial:6.2f} s", f"serial / wall = {serial / wall:.2f}x"),
        ("measured step sum", f"{measured_serial:6.2f} s",
         f"measured sum / wall = {measured_serial / wall:.2f}x"),
    ]
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")
    print()
    print(f"{'step':<44} {'kind':<16} {'model':>7} {'measured':>9}")
    for step in plan.steps:
        print(f"{step.key:<44} {step.kind:<16} {durations[step.kind]:6.2f}s "
              f"{took.get(step.key, 0.0):8.2f}s")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
