"""What a run's journal costs on disk: bytes written per step change, for a small and a wide plan.

Applies two plans on an in-process sandbox at speed 0 (instant), through the real executor and
journal, counting every byte the journal writes (whole-file writes and appends alike). A step
goes through about three changes (running, create sent, succeeded); the figure to watch is the
ratio between the wide plan's bytes per change and the small one's: a journal that rewrites
itself grows it with the plan's size (the bytes of a run grow with the square of the plan), an
append-only one keeps it near 1.

    uv run python bench/journal_bytes.py [--runs 5]

Prints, for each plan, the steps, the changes, the bytes written in all and per change (min,
median and max over the runs), then the ratio wide/small per change. Exit 0 when the ratio is at
most 1.5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.model.config import WizardConfig
from wizard.plan import WINDOWS_PASSWORD_SECRET, build
from wizard.storage import presets

RATIO_TARGET = 1.5


def _wide() -> WizardConfig:
    data = presets.load("user-assigned-per-zone").model_dump(mode="json")
    data["outbound"]["ip_count"] = 16
    return WizardConfig.model_validate(data)


PLANS: dict[str, Callable[[], WizardConfig]] = {
    "small (user-assigned, 8 steps)": lambda: presets.load("user-assigned"),
    "wide (user-assigned-per-zone, 16 IPs x 3 zones)": _wide,
}


def measure(config: WizardConfig) -> tuple[int, int, int]:
    """(steps, writes after the first, bytes those writes wrote) for one apply of `config`:
    the first write is the run's creation, the rest are its state changes."""
    import wizard.run.journal as journal_module
    from wizard.azure.backend import AzureBackend
    from wizard.run.executor import Executor
    from wizard.run.journal import Journal
    from wizard.sandbox import Sandbox

    written = {"bytes": 0, "writes": 0, "first": 0}
    real_atomic = journal_module.write_atomic
    real_write = os.write

    def counting_atomic(path: Path, text: str, **kwargs: Any) -> Path:
        size = len(text.encode("utf-8"))
        if not written["first"]:
            written["first"] = size
        else:
            written["bytes"] += size
            written["writes"] += 1
        return real_atomic(path, text, **kwargs)

    def counting_write(descriptor: int, data: bytes) -> int:
        written["bytes"] += len(data)
        written["writes"] += 1
        return real_write(descriptor, data)

    box = Sandbox(speed=0)
    backend = AzureBackend.for_sandbox(box)
    backend.principal_retry_delays = (0.0, 0.0, 0.0)
    plan = build(config, box.subscription_id)
    journal_module.write_atomic = counting_atomic  # type: ignore[assignment]
    os.write = counting_write
    try:
        journal = Journal.create(plan, config, "sandbox (bench)")
        result = Executor(backend, journal, max_parallel=16,
                          secrets={WINDOWS_PASSWORD_SECRET: "Bench-Pa55word-Only!"}).apply(plan)
    finally:
        journal_module.write_atomic = real_atomic
        os.write = real_write
    if result.status != "succeeded":
        raise SystemExit(f"the bench apply failed: {result.failed}")
    return len(plan.steps), written["writes"], written["bytes"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        os.environ["AKS_NAT_WIZARD_HOME"] = home
        per_change: dict[str, float] = {}
        for label, make in PLANS.items():
            config = make()
            samples = [measure(config) for _ in range(args.runs)]
            steps, writes, _ = samples[0]
            totals = sorted(sample[2] for sample in samples)
            per = sorted(sample[2] / sample[1] for sample in samples)
            per_change[label] = statistics.median(per)
            print(f"{label}: {steps} steps, {writes} state changes; bytes they wrote "
                  f"min {totals[0]:,} / median {statistics.median(totals):,.0f} / "
                  f"max {totals[-1]:,}; per change min {per[0]:,.0f} / median "
                  f"{per_change[label]:,.0f} / max {per[-1]:,.0f} B")
    small, wide = per_change.values()
    ratio = wide / small
    print(f"bytes per state change, wide / small: {ratio:.2f}x (target <= {RATIO_TARGET}x)")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
