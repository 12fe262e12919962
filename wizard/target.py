"""Which Azure an apply, resume or rollback talks to: the sandbox or a real subscription.

`make_backend()` is the one place the CLI turns its target flags into an `AzureBackend` plus a
description of the target. The description is stored in the run's journal, so a resume or a
rollback pointed somewhere else is refused instead of creating or deleting in the wrong place.

With `--sandbox` and no state file, the sandbox persists to `data_dir()/sandbox.json`, so an
`apply`, a `rollback` and a `resume` run as separate processes all see the same emulated Azure.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wizard.paths import data_dir

if TYPE_CHECKING:
    from wizard.azure.backend import AzureBackend

SANDBOX_STATE_NAME = "sandbox.json"


def default_sandbox_state() -> Path:
    """The sandbox's state file when `--sandbox-state` is not given."""
    return data_dir() / SANDBOX_STATE_NAME


def describe_sandbox(state: Path) -> str:
    return f"sandbox (state: {state})"


def describe_subscription(subscription_id: str) -> str:
    return f"Azure subscription {subscription_id}"


def make_backend(*, sandbox: bool, sandbox_state: str | Path | None,
                 subscription: str | None) -> tuple[AzureBackend, str]:
    """The backend for the chosen target and its human description (kept in the journal)."""
    from wizard.azure.backend import AzureBackend

    if sandbox:
        from wizard.emulator import Sandbox

        state = Path(sandbox_state).expanduser() if sandbox_state else default_sandbox_state()
        state = state.resolve()
        state.parent.mkdir(parents=True, exist_ok=True)
        box = Sandbox(state_path=state)
        return AzureBackend.for_sandbox(box), describe_sandbox(state)
    backend = AzureBackend.from_environment(subscription)
    return backend, describe_subscription(backend.subscription_id)
