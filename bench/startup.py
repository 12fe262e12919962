"""Start-up of the real `aks-nat-wizard --sandbox` in a terminal vs a bare Textual app, and the
wizard's peak memory at the review and during an apply.

Each measurement spawns a process in a fresh pseudo-terminal of 100x32 (`pty.fork()`, the size set
with `TIOCSWINSZ` before the program starts), exactly as a user's terminal runs it: the console
script itself (`aks-nat-wizard --sandbox`, beside this interpreter), with a HOME and XDG folders
of its own (a temporary folder: no user presets, runs or state leak in). The clock starts before
the spawn; the output the program writes to the terminal is read as it comes, and two moments
are taken from it:

- first paint: the start screen's text appears on the terminal;
- preset list: a built-in preset's name appears (the list is read in a worker after the first
  paint).

Then the process is killed. The reference is a bare Textual App (a Header and a Footer) run the
same way, its first paint being its title on the terminal; reference and wizard alternate in the
same run, after one warm-up run of each (which also writes the bytecode caches, as any first
start does). Printed: min/median/max of each and the ratios of medians to the reference (target
<= 1.3x for both).

Two more children, each in a home of its own, report their peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`): one walks the wizard with Pilot to the review
screen and waits for its checks, one goes on to the execution screen, confirms the apply on the
sandbox and waits for it to finish. The review walk runs once first, unmeasured: it compiles the
Azure SDK's large model modules to bytecode, a one-time cost of a fresh install.

    uv run python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3
COLUMNS, LINES = 100, 32

BARE_TITLE = "bare-textual-reference"
BARE = f"""
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    TITLE = "{BARE_TITLE}"

    def compose(self):
        yield Header()
        yield Footer()

Bare().run()
"""

FIRST_PAINT = "Build an AKS cluster whose egress"
"""The start screen's first line (screens/start.py)."""
PRESET = "managed-basic"
"""A built-in preset's name, shown once the preset list is filled in."""

UNTIL = """
async def until(pilot, condition):
    for _ in range(2400):
        if condition():
            return
        await pilot.pause(0.05)
    raise SystemExit("the app never got there")
"""

REVIEW_RSS = UNTIL + """
import asyncio, resource
from screens.app import create_app
from screens.review import ReviewScreen
from screens.wizard_screen import WizardScreen

async def main():
    app = create_app(sandbox=True)
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_from_preset("user-assigned-per-zone")
        await until(pilot, lambda: isinstance(app.screen, WizardScreen))
        app.screen.action_review()
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await until(pilot, lambda: app.screen.prepared is not None)
        print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")

asyncio.run(main())
"""

APPLY_RSS = UNTIL + """
import asyncio, resource
from screens.app import create_app
from screens.execution import ExecutionScreen
from screens.modals import ConfirmModal
from screens.review import ReviewScreen
from screens.wizard_screen import WizardScreen


async def main():
    app = create_app(sandbox=True)
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_from_preset("user-assigned-per-zone")
        await until(pilot, lambda: isinstance(app.screen, WizardScreen))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        await until(pilot, lambda: review.prepared is not None)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.pause()
        await pilot.click("#yes")
        await until(pilot, lambda: isinstance(app.screen, ExecutionScreen))
        execution = app.screen
        await until(pilot, lambda: execution.status not in ("starting", "running"))
        assert execution.status == "succeeded", execution.status
        print(f"STEPS {len(execution._rows)}")
        print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")

asyncio.run(main())
"""

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def _env(home: str) -> dict[str, str]:
    """The user's environment without the wizard's own settings, in a home of its own."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AKS_NAT_WIZARD_", "XDG_", "TEXTUAL"))
           and key != "PYTHONDONTWRITEBYTECODE"}  # the warm-up run writes the bytecode caches
    env.update({"HOME": home, "XDG_CONFIG_HOME": f"{home}/config",
                "XDG_DATA_HOME": f"{home}/data", "XDG_STATE_HOME": f"{home}/state",
                "XDG_CACHE_HOME": f"{home}/cache", "TERM": "xterm-256color",
                "COLORTERM": "truecolor", "AKS_NAT_WIZARD_SANDBOX_SPEED": "0"})
    return env


def in_terminal(argv: list[str], env: dict[str, str], markers: list[str],
                timeout: float = 60.0) -> dict[str, float]:
    """Run `argv` in a new 100x32 pseudo-terminal; seconds from before the spawn until each
    of `markers` first appears in what it writes (control sequences removed). Kills it then."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        try:
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ,
                        struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    found: dict[str, float] = {}
    raw = b""
    try:
        while len(found) < len(markers):
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{argv} showed {sorted(set(markers) - set(found))} not "
                                   f"within {timeout:.0f} s; it wrote:\n"
                                   f"{_CONTROL.sub('', raw.decode(errors='replace'))[-2000:]}")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the program ended
                raise RuntimeError(f"{argv} ended before showing {markers}") from None
            if not chunk:
                raise RuntimeError(f"{argv} ended before showing {markers}")
            now = time.perf_counter() - start
            raw += chunk
            text = _CONTROL.sub("", raw.decode(errors="replace"))
            for marker in markers:
                if marker not in found and marker in text:
                    found[marker] = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return found


def _rss_child(code: str, home: str) -> dict[str, int]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=_env(home))
    if result.returncode:
        raise SystemExit(f"the memory child failed:\n{result.stderr}")
    return {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()
            if line.startswith(("RSS ", "STEPS "))}


def _ms(values: list[float]) -> str:
    return (f"min {min(values) * 1000:5.0f}  median {statistics.median(values) * 1000:5.0f}  "
            f"max {max(values) * 1000:5.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each app (default 7)")
    args = parser.parse_args()
    script = Path(sys.executable).with_name("aks-nat-wizard")
    if not script.exists():
        raise SystemExit(f"no console script at {script}: run `uv sync` first")
    wizard_argv = [str(script), "--sandbox"]
    bare_argv = [sys.executable, "-c", BARE]
    bare: list[float] = []
    paint: list[float] = []
    filled: list[float] = []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:
        env = _env(home)
        in_terminal(bare_argv, env, [BARE_TITLE])  # warm the file cache for both
        in_terminal(wizard_argv, env, [FIRST_PAINT, PRESET])
        for _ in range(args.runs):
            bare.append(in_terminal(bare_argv, env, [BARE_TITLE])[BARE_TITLE])
            times = in_terminal(wizard_argv, env, [FIRST_PAINT, PRESET])
            paint.append(times[FIRST_PAINT])
            filled.append(times[PRESET])
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:
        # A first walk to the review compiles the Azure SDK's model modules to bytecode (up to
        # ~260 MiB more, once per install): measured after it, as every later run sees it.
        _rss_child(REVIEW_RSS, home)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:
        review = _rss_child(REVIEW_RSS, home)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:  # no cache from before
        apply = _rss_child(APPLY_RSS, home)
    reference = statistics.median(bare)
    print(f"from spawn, in a {COLUMNS}x{LINES} pseudo-terminal, {args.runs} runs of each, "
          f"alternating, HOME and XDG folders of their own")
    print(f"reference, a bare Textual app (Header+Footer), its title painted: {_ms(bare)}")
    print("aks-nat-wizard --sandbox (the console script):")
    met = True
    for what, values in (("first paint (the start screen's text)", paint),
                         (f"preset list ({PRESET} shown)", filled)):
        ratio = statistics.median(values) / reference
        met = met and ratio <= TARGET
        print(f"  {what:<38} {_ms(values)}  ratio {ratio:.2f}x (target <= {TARGET}x)")
    print(f"peak RSS at the review screen (user-assigned-per-zone): "
          f"{review['RSS'] / 1024:.0f} MiB")
    print(f"peak RSS during an apply on the sandbox (user-assigned-per-zone, "
          f"{apply['STEPS']} steps, walked with Pilot to its end): {apply['RSS'] / 1024:.0f} MiB")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
