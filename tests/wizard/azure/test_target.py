"""make_backend: the sandbox target persists to data_dir()/sandbox.json by default, so separate
processes (apply, then rollback) see the same emulated Azure."""

from __future__ import annotations

from pathlib import Path

from tests.wizard.sandbox_helpers import config_for
from wizard.plan import build
from wizard.run.executor import Executor, rollback
from wizard.run.journal import Journal
from wizard.run.target import make_backend


def test_default_sandbox_state_lives_in_the_data_dir(wizard_home: Path) -> None:
    backend, description = make_backend(sandbox=True, sandbox_state=None, subscription=None)
    state = (wizard_home / "sandbox.json").resolve()
    assert description == f"sandbox (state: {state})"
    assert backend.subscription_id


def test_two_backends_on_one_state_file_share_resources(tmp_path: Path) -> None:
    state = tmp_path / "box.json"
    first, target = make_backend(sandbox=True, sandbox_state=state, subscription=None)
    config = config_for("managed-basic")
    plan = build(config, first.subscription_id)
    journal = Journal.create(plan, config, target)
    assert Executor(first, journal).apply(plan).status == "succeeded"
    assert state.is_file()

    second, same_target = make_backend(sandbox=True, sandbox_state=str(state), subscription=None)
    assert same_target == target
    assert second.get(plan.steps[-1]) is not None
    assert rollback(journal.run_id, second, target=same_target).status == "rolled_back"
    third, _ = make_backend(sandbox=True, sandbox_state=state, subscription=None)
    assert third.get(plan.steps[0]) is None
