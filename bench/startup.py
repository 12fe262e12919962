"""Start-up time of the wizard vs a bare Textual app, and the wizard's peak memory at review.

Each measurement is a fresh interpreter that records `time.monotonic()` first thing, runs the app
headless and exits as soon as the first screen is ready (`call_after_refresh` from its mount),
printing the elapsed time (and, for the wizard, when the preset list read in a worker after the
first paint is filled in). The reference is a bare App with a Header and a Footer, measured
alternately in the same run; the figure is the ratio of medians (target <= 1.5). A last child
walks the wizard to the review screen and reports its peak RSS (`resource.getrusage`).

    uv run python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = "import time; _t0 = time.monotonic()\n"

BARE = PRELUDE + """
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(f"READY {time.monotonic() - _t0:.6f}")
        self.exit()

Bare().run(headless=True)
"""

WIZARD = PRELUDE + """
from screens.app import create_app

app = create_app(sandbox=True)

def done():
    print(f"READY {time.monotonic() - _t0:.6f}")
    app.set_interval(0.002, filled)

def filled():
    if app.screen.query_one("#preset-list").option_count:
        print(f"FILLED {time.monotonic() - _t0:.6f}")
        app.exit()

app.call_later(lambda: app.screen.call_after_refresh(done))
app.run(headless=True)
"""

REVIEW_RSS = """
import asyncio, resource
from screens.app import create_app

async def main():
    app = create_app(sandbox=True)
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_from_preset("user-assigned-per-zone")
        await pilot.pause()
        app.screen.action_review()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen", app.screen
        print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")

asyncio.run(main())
"""


def _child(code: str, home: str) -> str:
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": home, "AKS_NAT_WIZARD_SANDBOX_SPEED": "0"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, check=True)
    return result.stdout


def _times(code: str, home: str) -> dict[str, float]:
    """The READY (first screen up) and, for the wizard, FILLED (preset list shown) times."""
    found = {}
    for line in _child(code, home).splitlines():
        if line.startswith(("READY ", "FILLED ")):
            name, value = line.split()
            found[name] = float(value)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each app (default 9)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        _times(BARE, home)  # warm the file cache for both
        _times(WIZARD, home)
        bare: list[float] = []
        wizard: list[float] = []
        filled: list[float] = []
        for _ in range(args.runs):
            bare.append(_times(BARE, home)["READY"])
            measured = _times(WIZARD, home)
            wizard.append(measured["READY"])
            filled.append(measured["FILLED"])
        rss_line = next(line for line in _child(REVIEW_RSS, home).splitlines()
                        if line.startswith("RSS"))
    bare_median, wizard_median = statistics.median(bare), statistics.median(wizard)
    rss_kib = int(rss_line.split()[1])
    print(f"bare Textual app (Header+Footer): median {bare_median * 1000:.0f} ms "
          f"over {args.runs} runs")
    print(f"aks-nat-wizard first screen:      median {wizard_median * 1000:.0f} ms "
          f"over {args.runs} runs")
    print(f"ratio: {wizard_median / bare_median:.2f}x (target <= 1.5x)")
    print(f"preset list filled in (read in a worker after the first paint): median "
          f"{statistics.median(filled) * 1000:.0f} ms, "
          f"{statistics.median(filled) / bare_median:.2f}x the bare app")
    print(f"peak RSS at the review screen (user-assigned-per-zone): {rss_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
