"""Does an apply cost the same on a big sandbox state file as on an empty one?

Builds a state file holding about `--resources` resources (default 5,000): the resources one real
apply of `--preset` creates, copied into as many resource groups as it takes. Then runs the same
apply (a new resource group) as a user does, `aks-nat-wizard apply --sandbox --sandbox-state FILE
--yes` in a process of its own at sandbox speed 0, `--runs` times on a fresh copy of the empty
state (the reference) and of the big one, and reports min/median/max wall seconds, the ratio of
the medians (target <= 1.2) and the bytes the process wrote (`wchar` of /proc/self/io: every
write, journal and output included; the same for both, so the difference is the state's).

Run on demand:

    uv run python bench/sandbox_apply.py [--runs 5] [--resources 5000] [--preset user-assigned]

Exit code 0 when the time ratio is at most `--target` and the bytes written on the big state are
at most `--bytes-target` times those on the empty one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TEMPLATE_GROUP = "benchtemplategroup"
RUN_GROUP = "benchrungroup"

#: Runs the CLI in this process and reports the bytes it wrote when it exits.
RUNNER = """
import atexit, sys
def report():
    with open("/proc/self/io") as handle:
        fields = dict(line.split(": ") for line in handle.read().splitlines())
    sys.stderr.write("WCHAR " + fields["wchar"].strip() + "\\n")
atexit.register(report)
from wizard.cli.main import main
sys.argv = ["aks-nat-wizard", *sys.argv[1:]]
main()
"""


def apply_args(state: Path, preset: str, group: str) -> list[str]:
    return ["apply", "--sandbox", "--sandbox-state", str(state), "--preset", preset,
            "--set", f"cluster.resource_group={group}", "--yes"]


def run_apply(state: Path, preset: str, group: str, home: Path) -> tuple[float, int]:
    """Wall seconds and bytes written of one apply in a new process."""
    env = {**os.environ, "AKS_NAT_WIZARD_SANDBOX_SPEED": "0", "AKS_NAT_WIZARD_HOME": str(home),
           "AKS_NAT_WIZARD_SANDBOX_SEED": "", "NO_COLOR": "1",
           # the big state holds hundreds of public IPs in the preset's region
           "AKS_NAT_WIZARD_SANDBOX_PUBLIC_IP_QUOTA": "100000"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, *apply_args(state, preset, group)],
                          capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"apply failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    wchar = next(int(line.split()[1]) for line in done.stderr.splitlines()
                 if line.startswith("WCHAR "))
    return wall, wchar


def template_bodies(preset: str, tmp: Path) -> list[dict[str, Any]]:
    """The stored bodies one real apply creates (in a group named TEMPLATE_GROUP)."""
    from wizard.sandbox import Sandbox

    state = tmp / "template-state"
    run_apply(state, preset, TEMPLATE_GROUP, tmp / "home-template")
    bodies: list[dict[str, Any]] = Sandbox(speed=0, faults="", seed="",
                                           state_path=state).store.snapshot()
    return bodies


def build_big_state(path: Path, bodies: list[dict[str, Any]], count: int) -> int:
    """Write copies of `bodies`, one resource group per copy, until `count` are held."""
    from wizard.sandbox import Sandbox

    text = json.dumps(bodies)
    sandbox = Sandbox(speed=0, faults="", seed="", state_path=path)
    held = 0
    with sandbox.store.transaction():
        copy_index = 0
        while held < count:
            for body in json.loads(text.replace(TEMPLATE_GROUP, f"benchcopy{copy_index}")):
                sandbox.store.put(body)
                held += 1
            copy_index += 1
    close = getattr(sandbox.store, "close", None)
    if close is not None:
        close()
    return held


def line(label: str, values: list[float], unit: str, extra: str = "") -> str:
    return (f"{label:<34} min {min(values):12.3f}  median {statistics.median(values):12.3f}  "
            f"max {max(values):12.3f} {unit}  {extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--preset", default="user-assigned")
    parser.add_argument("--target", type=float, default=1.2)
    parser.add_argument("--bytes-target", type=float, default=1.2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bodies = template_bodies(args.preset, tmp)
        big = tmp / "big-state"
        held = build_big_state(big, bodies, args.resources)
        print(f"apply of preset {args.preset} ({len(bodies)} resources) as a new process, "
              f"speed 0, {args.runs} runs; big state: {held} resources, "
              f"{sum(p.stat().st_size for p in tmp.glob('big-state*')) / 1e6:.1f} MB on disk")
        results: dict[str, tuple[list[float], list[float]]] = {}
        for label, source in (("empty state", None), (f"{held}-resource state", big)):
            walls: list[float] = []
            written: list[float] = []
            for run in range(args.runs):
                state = tmp / f"run-{run}-state"
                for leftover in tmp.glob(f"run-{run}-state*"):
                    leftover.unlink()
                if source is not None:
                    shutil.copyfile(source, state)
                wall, wchar = run_apply(state, args.preset, RUN_GROUP, tmp / f"home-{run}")
                walls.append(wall)
                written.append(wchar / 1e6)
                shutil.rmtree(tmp / f"home-{run}", ignore_errors=True)
            results[label] = (walls, written)
        (empty_walls, empty_bytes), (big_walls, big_bytes) = results.values()
        time_ratio = statistics.median(big_walls) / statistics.median(empty_walls)
        bytes_ratio = statistics.median(big_bytes) / statistics.median(empty_bytes)
        print(line("wall, empty state", empty_walls, "s", "reference"))
        print(line(f"wall, {held}-resource state", big_walls, "s", f"{time_ratio:.2f}x"))
        print(line("MB written, empty state", empty_bytes, "MB", "reference"))
        print(line(f"MB written, {held}-resource state", big_bytes, "MB", f"{bytes_ratio:.2f}x"))
        print(f"time ratio {time_ratio:.2f}x (target <= {args.target:g}), bytes written ratio "
              f"{bytes_ratio:.2f}x (target <= {args.bytes_target:g})")
    return 0 if time_ratio <= args.target and bytes_ratio <= args.bytes_target else 1


if __name__ == "__main__":
    sys.exit(main())
