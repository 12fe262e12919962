"""CPU per keystroke in the wizard's TUI vs a bare Textual `Input`, typed the same way.

Each measurement is a fresh interpreter that runs an app headless (`App.run_test()`), focuses a
text box, types a few warm-up characters, then types `--chars` more with Pilot, one key at a time
(each key is processed and the screen refreshed before the next), and reports the CPU time of the
typing (`time.process_time()`, every thread of the process) divided by the number of keys.

- reference: a bare App holding one `Input`;
- the wizard, on each case: the biggest built-in preset (`user-assigned-per-zone`, 18 steps) and
  a 63-step plan (that preset with 16 public IPs per zone), typing into the NAT gateway's name
  (`outbound.nat_gateway_name`, Network step), so every key changes the plan: findings, plan
  build, plan diff, the forms and the side panel;
- for information, the same screen with every edit ignored (the draft never changes): what
  Textual spends on the key and on painting this screen before the wizard does anything.

Frames per key (screen paints while typing) are printed beside each figure.

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

MODE, CASE, FIELD, WARM, CHARS, DRIVER = sys.argv[1], sys.argv[2], sys.argv[3], \
    int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
KEYS = "abcdefghij"


async def idle(app):
    # Until the process stops working: the key, every message it caused and the frame it
    # painted are done (what Textual's own wait_for_idle does).
    while True:
        before = time.process_time()
        await asyncio.sleep(0.02)
        if time.process_time() - before < 0.001:
            return


async def settle(pilot, app):
    # Let the workers (what the sandbox offers) finish, so they are not measured.
    for _ in range(400):
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def type_keys(pilot, count, offset=0):
    from textual import events

    app = pilot.app
    for index in range(count):
        key = KEYS[(index + offset) % len(KEYS)]
        if DRIVER == "pilot":
            await pilot.press(key)
        else:  # as the terminal driver sends a key, then wait until it is all done
            app.post_message(events.Key(key, key))
            await idle(app)
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
    if CASE == "floor":  # the same screen with every edit ignored: what the screen alone costs
        from screens.draft import Draft

        Draft.set_text = lambda self, path, raw: False
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
        from textual.screen import Screen

        frames = []
        paint = Screen._compositor_refresh

        def counted(self):
            frames.append(1)
            paint(self)

        Screen._compositor_refresh = counted
        start = time.process_time()
        await type_keys(pilot, CHARS, WARM)
        spent = time.process_time() - start
        Screen._compositor_refresh = paint
        assert control.value == typed, (control.value, typed)
        found = {"per_key": spent / CHARS, "value": control.value,
                 "frames": len(frames) / CHARS}
        if MODE != "bare" and CASE != "floor":
            draft = app.draft
            plan = draft.derived.plan
            assert draft.value(FIELD) == control.value, (draft.value(FIELD), control.value)
            assert not draft.derived.stale and plan is not None
            found["steps"] = len(plan.steps)
        if MODE != "bare":
            found["widgets"] = len(list(app.screen.walk_children()))
        print(json.dumps(found))


asyncio.run(main())
"""


def _child(mode: str, case: str, field: str, warm: int, chars: int, driver: str,
           home: str) -> dict[str, object]:
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": home, "AKS_NAT_WIZARD_SANDBOX_SPEED": "0",
           "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "XDG_STATE_HOME": home}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, case, field, str(warm), str(chars), driver],
        capture_output=True, text=True, cwd=ROOT, env=env)
    if result.returncode:
        raise SystemExit(f"{mode} {case} failed:\n{result.stderr}")
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def _ms(values: list[float]) -> str:
    return (f"min {min(values) * 1000:6.1f}  median {statistics.median(values) * 1000:6.1f}  "
            f"max {max(values) * 1000:6.1f} ms")


def _frames(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} frames/key"


DRIVERS = {
    "terminal": "keys posted to the app as the terminal driver posts them, each followed by a "
                "wait until the process is idle",
    "pilot": "keys pressed with Pilot.press, which also waits for every widget on the screen "
             "to run a callback (a cost of the harness that grows with the widget count)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each app (default 5)")
    parser.add_argument("--chars", type=int, default=30, help="keys typed per run (default 30)")
    parser.add_argument("--warm", type=int, default=5,
                        help="keys typed before measuring (default 5)")
    parser.add_argument("--field", default="outbound.nat_gateway_name",
                        help="the wizard box typed into (default outbound.nat_gateway_name)")
    parser.add_argument("--driver", choices=[*DRIVERS, "both"], default="both",
                        help="how keys are typed (default both; the target is judged on "
                        "terminal)")
    args = parser.parse_args()
    cases = ("biggest-preset", "63-step", "floor")
    drivers = list(DRIVERS) if args.driver == "both" else [args.driver]
    measured: dict[tuple[str, str], list[float]] = {}
    frames: dict[tuple[str, str], list[float]] = {}
    found: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="keystroke-bench-") as home:
        for _ in range(args.runs):
            for driver in drivers:
                for case in cases:  # the reference before each case: alternating
                    for mode in ("bare", "wizard"):
                        result = _child(mode, case if mode == "wizard" else "", args.field,
                                        args.warm, args.chars, driver, home)
                        key = (driver, case if mode == "wizard" else "bare")
                        measured.setdefault(key, []).append(float(str(result["per_key"])))
                        frames.setdefault(key, []).append(float(str(result["frames"])))
                        if mode == "wizard":
                            found[case] = result.get("steps", found.get("biggest-preset"))
                            found["widgets"] = result["widgets"]
    print(f"CPU per keystroke (process_time, all threads), {args.chars} keys typed into "
          f"{args.field} after {args.warm} warm-up keys; {args.runs} runs of each, fresh "
          f"interpreters, reference and wizard alternating; the wizard's screen holds "
          f"{found['widgets']} widgets")
    met = True
    for driver in drivers:
        print(f"\n{driver}: {DRIVERS[driver]}")
        bare = measured[(driver, "bare")]
        reference = statistics.median(bare)
        print(f"  reference, a bare Textual Input:          {_ms(bare)}  "
              f"{_frames(frames[(driver, 'bare')])}")
        for case in cases:
            values = measured[(driver, case)]
            ratio = statistics.median(values) / reference
            shown = f"{_ms(values)}  ratio {ratio:.1f}x"
            if case == "floor":
                print(f"  wizard, every edit ignored (the screen's own cost, not judged): "
                      f"{shown}  {_frames(frames[(driver, case)])}")
                continue
            if driver == "terminal":
                met = met and ratio <= TARGET
            print(f"  wizard, {case:<14} ({found[case]} steps): {shown} "
                  f"(target <= {TARGET:.0f}x)  {_frames(frames[(driver, case)])}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
