"""CPU per keystroke in the wizard's TUI vs a bare Textual `Input`, typed the same way.

Each measurement is a fresh interpreter that runs an app headless (`App.run_test()`), focuses a
text box, types a few warm-up characters, then types `--chars` more with Pilot, one key at a time
(each key is processed and the screen refreshed before the next), and reports the CPU time of the
typing (`time.process_time()`, every thread of the process) divided by the number of keys.

- reference: a bare App holding one `Input`;
- the wizard, on each case: the biggest built-in preset (`user-assigned-per-zone`, 18 steps) and
  a 63-step plan (that preset with 16 public IPs per zone), typing into the NAT gateway's name
  (`outbound.nat_gateway_name`, Network step), so every key changes the plan: findings, plan
  build, plan diff, the forms and the side panel.

Reference and wizard are measured alternately in the same run; printed: min/median/max of each
and the ratio of medians (target <= 3x the bare Input).

    uv run python bench/keystroke.py [--runs N] [--chars N] [--field PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0

CHILD = r"""
import asyncio, json, sys, time

MODE, CASE, FIELD, WARM, CHARS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), \
    int(sys.argv[5])
KEYS = "abcdefghij"


async def settle(pilot, app):
    # Let the workers (what the sandbox offers) finish, so they are not measured.
    for _ in range(400):
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def type_keys(pilot, count, offset=0):
    for index in range(count):
        await pilot.press(KEYS[(index + offset) % len(KEYS)])
    await pilot.pause()


def bare_app():
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input("myNatGateway", id="box")

    app = Bare()

    async def box(pilot):
        return app.query_one("#box")

    return app, box


def wizard_app():
    from screens.app import create_app
    from screens.widgets.field_row import control_id
    from wizard.model import fields
    from wizard.model.steps import step_of
    from wizard.storage import presets

    data = presets.to_data(presets.load("user-assigned-per-zone"))
    if CASE == "63-step":
        data = fields.set_text(data, "outbound.ip_count", "16")
    app = create_app(sandbox=True)

    def open_box():
        app.start_new(data)
        return None

    async def box(pilot):
        screen = app.wizard_screen()
        screen.show_step(step_of(FIELD).id)
        await pilot.pause()  # the step focuses its first box after a refresh
        await pilot.pause()
        return screen.query_one(f"#{control_id(FIELD)}")

    return app, open_box, box


async def main():
    if MODE == "bare":
        app, box = bare_app()
        open_box = None
    else:
        app, open_box, box = wizard_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        if open_box is not None:
            open_box()
        await settle(pilot, app)
        control = await box(pilot)
        control.focus()
        control.cursor_position = len(control.value)
        await pilot.pause()
        assert app.focused is control, app.focused
        typed = control.value + "".join(KEYS[i % len(KEYS)] for i in range(WARM + CHARS))
        await type_keys(pilot, WARM)
        await settle(pilot, app)
        start = time.process_time()
        await type_keys(pilot, CHARS, WARM)
        spent = time.process_time() - start
        assert control.value == typed, (control.value, typed)
        found = {"per_key": spent / CHARS, "value": control.value}
        if MODE != "bare":
            draft = app.draft
            plan = draft.derived.plan
            assert draft.value(FIELD) == control.value, (draft.value(FIELD), control.value)
            assert not draft.derived.stale and plan is not None
            found["steps"] = len(plan.steps)
        print(json.dumps(found))


asyncio.run(main())
"""


def _child(mode: str, case: str, field: str, warm: int, chars: int, home: str) -> dict[str, object]:
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": home, "AKS_NAT_WIZARD_SANDBOX_SPEED": "0",
           "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "XDG_STATE_HOME": home}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, case, field, str(warm), str(chars)],
        capture_output=True, text=True, cwd=ROOT, env=env)
    if result.returncode:
        raise SystemExit(f"{mode} {case} failed:\n{result.stderr}")
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def _ms(values: list[float]) -> str:
    return (f"min {min(values) * 1000:6.1f}  median {statistics.median(values) * 1000:6.1f}  "
            f"max {max(values) * 1000:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each app (default 5)")
    parser.add_argument("--chars", type=int, default=30, help="keys typed per run (default 30)")
    parser.add_argument("--warm", type=int, default=5,
                        help="keys typed before measuring (default 5)")
    parser.add_argument("--field", default="outbound.nat_gateway_name",
                        help="the wizard box typed into (default outbound.nat_gateway_name)")
    args = parser.parse_args()
    cases = ("biggest-preset", "63-step")
    met = True
    with tempfile.TemporaryDirectory(prefix="keystroke-bench-") as home:
        bare: list[float] = []
        wizard: dict[str, list[float]] = {case: [] for case in cases}
        steps: dict[str, object] = {}
        for _ in range(args.runs):
            for case in cases:
                bare.append(float(str(_child("bare", "", "", args.warm, args.chars,
                                             home)["per_key"])))
                found = _child("wizard", case, args.field, args.warm, args.chars, home)
                wizard[case].append(float(str(found["per_key"])))
                steps[case] = found["steps"]
    print(f"CPU per keystroke, {args.chars} keys typed after {args.warm} warm-up keys, "
          f"{args.runs} runs each, fresh interpreters, alternating")
    print(f"reference, a bare Textual Input:          {_ms(bare)}")
    reference = statistics.median(bare)
    for case in cases:
        median = statistics.median(wizard[case])
        ratio = median / reference
        met = met and ratio <= TARGET
        print(f"wizard, {case:<14} ({steps[case]} steps): {_ms(wizard[case])}  "
              f"ratio {ratio:.1f}x (target <= {TARGET:.0f}x)")
    print(f"typing into {args.field}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
