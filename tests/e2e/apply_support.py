"""What the apply end-to-end tests share: running the real CLI (in a process, or in process with
the sandboxes it makes recorded), reading a sandbox state file, and the invariants checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from wizard.cli.main import main_group
from wizard.plan import Plan, build
from wizard.run.journal import Journal, JournalError
from wizard.sandbox import Sandbox
from wizard.storage import presets

BUILTINS = tuple(sorted(name for name in presets.builtin_names()))
PASSWORD = "E2e-Sandbox-Pa55word!"


def env_for(home: Path, speed: float = 0, faults: str | None = None) -> dict[str, str]:
    """The environment of a CLI process: its own home, a sandbox speed, faults if any."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("AKS_NAT_WIZARD_")}
    env.update({"AKS_NAT_WIZARD_HOME": str(home), "AKS_NAT_WIZARD_SANDBOX_SPEED": str(speed),
                "AKS_NAT_WIZARD_WINDOWS_PASSWORD": PASSWORD, "NO_COLOR": "1",
                "COLUMNS": "200"})
    if faults:
        env["AKS_NAT_WIZARD_SANDBOX_FAULTS"] = faults
    return env


def command(state: Path, *args: str) -> list[str]:
    """`python -m wizard ARGS --sandbox --sandbox-state STATE` (the console script's code)."""
    return [sys.executable, "-m", "wizard", *args, "--sandbox", "--sandbox-state", str(state)]


def run_cli(home: Path, state: Path, *args: str, speed: float = 0,
            faults: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a real process, to the end."""
    return subprocess.run(command(state, *args), capture_output=True, text=True,
                          env=env_for(home, speed, faults), check=False)


def start_cli(home: Path, state: Path, *args: str, speed: float) -> subprocess.Popen[str]:
    """The CLI in a real process, left running (to be killed or interrupted)."""
    return subprocess.Popen(command(state, *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env_for(home, speed))


def said(text: str) -> str:
    """Output with line wrapping undone."""
    return " ".join(text.split())


def invoke(*args: str) -> Result:
    """The CLI in this process (click's runner), errors raised rather than swallowed."""
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


class RecordingSandbox(Sandbox):
    """A `Sandbox` that remembers every instance, so a test can read the request log of the
    sandbox the CLI made for itself (install with `record_sandboxes`)."""

    made: ClassVar[list[Sandbox]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RecordingSandbox.made.append(self)


def record_sandboxes(monkeypatch: pytest.MonkeyPatch) -> list[Sandbox]:
    RecordingSandbox.made = []
    monkeypatch.setattr("wizard.sandbox.Sandbox", RecordingSandbox)
    return RecordingSandbox.made


# -- reading a sandbox state file ----------------------------------------------------------------

@dataclass(frozen=True)
class SandboxState:
    """A state file as the tests see it: rendered resources and the operations ARM ran."""

    resources: dict[str, dict[str, Any]]
    operations: list[dict[str, Any]]
    raw_resources: list[dict[str, Any]]

    def creates(self) -> Counter[str]:
        """How many create operations each resource id saw (LRO kinds)."""
        return Counter(str(op["resourceId"]).lower() for op in self.operations
                       if op.get("action") == "create")

    def updates(self) -> Counter[str]:
        return Counter(str(op["resourceId"]).lower() for op in self.operations
                       if op.get("action") == "update")


def read_state(state: Path) -> SandboxState:
    """Load a copy of the state file (loading may settle operations; the original is kept)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        for part in state.parent.glob(state.name + "*"):  # the database and its write-ahead log
            shutil.copy(part, copy.parent / (copy.name + part.name[len(state.name):]))
        box = Sandbox(speed=0, state_path=copy, faults="")
        operations, raw_resources = box.store.operations(), box.store.snapshot()
        rendered = {str(r["id"]).lower(): r for r in box.resources()}
        box.store.close()
    return SandboxState(rendered, operations, raw_resources)


def provisioning_state(resource: dict[str, Any]) -> str | None:
    props = resource.get("properties")
    return props.get("provisioningState") if isinstance(props, dict) else None


def plan_of(preset: str, subscription_id: str) -> Plan:
    return build(presets.load(preset), subscription_id)


def assert_all_succeeded(state: SandboxState, plan: Plan) -> None:
    """Every resource of the plan exists, and every resource in the sandbox is Succeeded."""
    for step in plan.steps:
        assert step.resource_id.lower() in state.resources, step.key
    for rid, resource in state.resources.items():
        assert provisioning_state(resource) in (None, "Succeeded"), (rid, resource)


def assert_created_once(state: SandboxState) -> None:
    """No resource id saw two create operations (a resource created twice)."""
    twice = {rid: n for rid, n in state.creates().items() if n > 1}
    assert not twice, twice


def only_journal(home: Path) -> Journal:
    files = sorted((home / "runs").glob("*.jsonl"))
    assert len(files) == 1, files
    return Journal.load_path(files[0])


def kill_when(process: subprocess.Popen[str], condition: Callable[[], bool], what: str) -> None:
    """SIGKILL `process` once `condition()` holds (or it ended by itself); never leave it
    running, whatever fails."""
    import signal

    try:
        wait_for(lambda: condition() or process.poll() is not None, what)
        process.send_signal(signal.SIGKILL)
        process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Poll until `condition()` holds; fail (rather than hang) after `limit` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def journal_states(home: Path) -> dict[str, str]:
    """Step key -> state of the one journal under `home` (empty before it exists)."""
    files = list((home / "runs").glob("*.jsonl")) if (home / "runs").is_dir() else []
    if not files:
        return {}
    try:
        journal = Journal.load_path(files[0])
    except JournalError:
        return {}
    return {key: record.state for key, record in journal.steps.items()}
