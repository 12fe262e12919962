"""A `--sandbox-state` file of the wrong shape, version or content, in real processes: one line
naming the file and the problem, exit 2, the file untouched, never a traceback; and an old JSON
state file is converted, keeping what it held."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.sandbox import Sandbox
from wizard.sandbox.state_file import backup_path

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
RG_ID = f"{SUB}/resourceGroups/rg1"

BAD_STATES: dict[str, tuple[str, str]] = {
    "a list": ("[]", "must hold a JSON object"),
    "a resource without id": (
        json.dumps({"version": 1, "resources": [{"type": "x"}], "operations": []}),
        "resources.0.id"),
    "resources not a list": (json.dumps({"version": 1, "resources": 5}), "resources"),
    "an operation without id": (
        json.dumps({"version": 1, "resources": [],
                    "operations": [{"status": "InProgress", "resourceId": RG_ID,
                                    "action": "create"}]}),
        "operations.0.id"),
    "a future version": (json.dumps({"version": 999, "resources": []}), "version 999"),
    "truncated JSON": ('{"version": 1, "resources": [{"id": "/subscriptions/x", "ty',
                       "not valid JSON"),
    "binary garbage": ("\udcff\udcfe\x00garbage", "neither a sandbox database nor JSON"),
}

COMMANDS: dict[str, list[str]] = {
    "apply": ["apply", "--preset", "managed-basic", "--yes"],
    "plan --preflight": ["plan", "--preset", "managed-basic", "--preflight"],
    "import": ["import", "rg1/aks1"],
    "migrate --script": ["migrate", "rg1/aks1", "--to", "managed", "--script", "out.sh"],
}


def run(home: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "300",
           "AKS_NAT_WIZARD_SANDBOX_SPEED": "0"}
    return subprocess.run([sys.executable, "-m", "wizard", *args[:1], "--sandbox",
                           "--sandbox-state", str(state), *args[1:]],
                          capture_output=True, text=True, env=env, check=False, cwd=home)


def write(path: Path, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    path.write_bytes(raw)
    return raw


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BAD_STATES))
def test_a_bad_state_file_is_one_line_and_exit_2(wizard_home: Path, tmp_path: Path,
                                                 command: str, case: str) -> None:
    content, problem = BAD_STATES[case]
    state = tmp_path / "state.json"
    raw = write(state, content)
    result = run(wizard_home, state, *COMMANDS[command])
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert str(state) in " ".join(output.split()) and problem in " ".join(output.split())
    assert state.read_bytes() == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_damaged_database_is_refused_untouched(wizard_home: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    box = Sandbox(speed=0, state_path=state, faults="", seed="demo")
    box.store.close()
    raw = bytearray(state.read_bytes())
    half = raw[: len(raw) // 2]  # a truncated copy
    state.write_bytes(bytes(half))
    result = run(wizard_home, state, *COMMANDS["plan --preflight"])
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output, output
    assert "damaged" in output and str(state) in " ".join(output.split())
    assert state.read_bytes() == bytes(half)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "other.db"
    conn = sqlite3.connect(state)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ValueError, match="not a sandbox state"):
        Sandbox(speed=0, state_path=state, faults="")


def test_an_old_json_state_is_converted_and_kept_aside(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    old = {"version": 1, "resources": [
        {"id": RG_ID, "name": "rg1", "type": "Microsoft.Resources/resourceGroups",
         "location": "eastus", "properties": {"provisioningState": "Succeeded"}},
        {"id": f"{RG_ID}/providers/Microsoft.Network/natGateways/gw", "name": "gw",
         "type": "Microsoft.Network/natGateways", "location": "eastus",
         "properties": {"provisioningState": "Creating"}}],
        "operations": [{"id": "0b5d6e52-0000-4000-8000-000000000001", "status": "InProgress",
                        "resourceId": f"{RG_ID}/providers/Microsoft.Network/natGateways/gw",
                        "action": "create", "armType": "Microsoft.Network/natGateways",
                        "followers": [], "doneAt": 5.0, "startTime": "2026-01-01T00:00:00"}]}
    state.write_text(json.dumps(old))
    box = Sandbox(speed=1, state_path=state, faults="")
    gw = box.get(f"{RG_ID}/providers/Microsoft.Network/natGateways/gw")
    assert gw is not None and gw["properties"]["provisioningState"] == "Succeeded"
    assert state.read_bytes().startswith(b"SQLite format 3\x00")
    assert json.loads(backup_path(state).read_text()) == old
    again = Sandbox(speed=0, state_path=state, faults="")
    assert {r["name"] for r in again.resources()} == {"rg1", "gw"}
