"""Fixtures for the Textual screens: a deterministic app on the sandbox, and helpers to drive it.

Determinism for snapshots: the run id and the clock are fixed, the sandbox state file is a
relative path inside a temporary working directory (so the target line is the same on every
machine), and the sandbox is instant (`AKS_NAT_WIZARD_SANDBOX_SPEED=0`, set by tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import FIXED_RUN_ID, STATE_FILE

from screens.app import WizardApp, create_app


@pytest.fixture
def sandbox_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the sandbox state; the run id is fixed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("wizard.run.journal.new_run_id", lambda now=None: FIXED_RUN_ID)
    return tmp_path


@pytest.fixture
def make_app(sandbox_dir: Path) -> Callable[..., WizardApp]:
    def factory(**options: Any) -> WizardApp:
        options.setdefault("sandbox", True)
        options.setdefault("sandbox_state", STATE_FILE)
        return create_app(clock=lambda: 0.0, **options)
    return factory


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WizardApp:
    """An app on the sandbox, its state in a temporary working directory (run ids as usual)."""
    monkeypatch.chdir(tmp_path)
    return create_app(sandbox=True, sandbox_state=STATE_FILE, clock=lambda: 0.0)

