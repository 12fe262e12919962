"""Property: whatever is in a `--sandbox-state` file, `apply`, `plan --preflight`, `import` and
`migrate` end with an exit code and a message, never a traceback; a file refused as a bad state is
left as it was.

Two kinds of damaged file: an old-format JSON state (the demo's) with a value replaced, a key
dropped or the text cut short; and a database state with bytes overwritten or cut short."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.cli.main import main_group
from wizard.sandbox import Sandbox

COMMANDS: dict[str, list[str]] = {
    "apply": ["apply", "--preset", "managed-basic", "--set", "cluster.resource_group=fuzz-rg",
              "--yes"],
    "plan --preflight": ["plan", "--preset", "managed-basic", "--preflight"],
    "import": ["import", "demo-rg/lb-cluster"],
    "migrate": ["migrate", "demo-rg/lb-cluster", "--to", "managed", "--dry-run"],
}
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**12) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


@cache
def demo_json_state() -> str:
    """The demo seed as a format-1 JSON state, the shape older versions wrote."""
    box = Sandbox(speed=0, faults="", seed="demo")
    return json.dumps({"version": 1, "resources": box.store.snapshot(),
                       "operations": box.store.operations()})


@cache
def demo_database_state() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.db"
        box = Sandbox(speed=0, faults="", seed="demo", state_path=path)
        box.store.close()
        return path.read_bytes()


def run_on(raw: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        state.write_bytes(raw)
        args = COMMANDS[command]
        result = CliRunner().invoke(
            main_group, [args[0], "--sandbox", "--sandbox-state", str(state), *args[1:]])
        output = result.output + (result.stderr if result.stderr_bytes is not None else "")
        assert result.exception is None or isinstance(result.exception, SystemExit), output
        assert result.exit_code in (0, 1, 2), output
        assert "Traceback" not in output
        if "sandbox state" in output and result.exit_code == 2:
            assert state.read_bytes() == raw


def mutate_json(data: Any, draw: Any) -> Any:
    """Replace or drop one value somewhere in `data` (a path drawn step by step)."""
    if not isinstance(data, dict | list) or not data or draw(st.integers(0, 3)) == 0:
        return draw(json_values)
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    chosen = draw(st.sampled_from(keys))
    if isinstance(data, dict) and draw(st.integers(0, 4)) == 0:
        return {k: v for k, v in data.items() if k != chosen}
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[chosen] = mutate_json(data[chosen], draw)
    return copy


@FUZZ
@given(data=st.data(), command=st.sampled_from(list(COMMANDS)))
def test_a_damaged_json_state_never_gives_a_traceback(data: st.DataObject, command: str) -> None:
    text = demo_json_state()
    if data.draw(st.booleans(), label="cut short"):
        raw = text.encode()[: data.draw(st.integers(0, len(text) - 1), label="length")]
    else:
        raw = json.dumps(mutate_json(json.loads(text), data.draw)).encode()
    run_on(raw, command)


@FUZZ
@given(data=st.data(), command=st.sampled_from(list(COMMANDS)))
def test_a_damaged_database_state_never_gives_a_traceback(data: st.DataObject,
                                                          command: str) -> None:
    raw = bytearray(demo_database_state())
    if data.draw(st.booleans(), label="cut short"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 8), label="bytes")):
            at = data.draw(st.integers(0, len(raw) - 1), label="at")
            raw[at] = data.draw(st.integers(0, 255), label="value")
    run_on(bytes(raw), command)
