"""Point what every front end connects with (`wizard.run.target.make_backend`) at one sandbox,
so a CLI command, a prompt flow and the test itself see the same emulated Azure."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.azure.backend import AzureBackend
from wizard.sandbox import Sandbox


def reach(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> Sandbox:
    def make_backend(**_: Any) -> tuple[AzureBackend, str]:
        return AzureBackend.for_sandbox(sandbox), "sandbox (test)"

    monkeypatch.setattr("wizard.run.target.make_backend", make_backend)
    return sandbox
