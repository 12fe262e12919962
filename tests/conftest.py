"""Shared test set-up: every test gets its own AKS_NAT_WIZARD_HOME, and the sandbox is instant."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from wizard.sandbox import Sandbox

os.environ.setdefault("AKS_NAT_WIZARD_SANDBOX_SPEED", "0")
# The Windows OS lifecycle is checked against "today": pinned, so results do not change with the
# calendar (tests that move it set it themselves).
os.environ.setdefault("AKS_NAT_WIZARD_TODAY", "2026-12-02")


@pytest.fixture(autouse=True)
def wizard_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty home for user presets and runs, so no test touches the real one."""
    home = tmp_path_factory.mktemp("wizard-home")
    monkeypatch.setenv("AKS_NAT_WIZARD_HOME", str(home))
    return home


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The demo-seeded sandbox (a VNet and two load-balancer clusters), which `--sandbox` in
    the same process reaches too."""
    from tests.sandbox_target import reach
    from wizard.sandbox import Sandbox

    return reach(monkeypatch, Sandbox(speed=0, seed="demo"))
