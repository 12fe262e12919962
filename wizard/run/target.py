"""Where a run goes: the sandbox (with its state file) or an Azure subscription, as one value.

A `Target` is what the user chose (flags, or the app's start-up options); `connect()` turns it
into a `Connection`: the backend, and the description a journal records. A journal's
description can be turned back into the flags that reach the same place, so a resume or a
rollback printed for the user points at the run's own target.

`make_backend()` turns the flags into an `AzureBackend` plus that description; the description
is kept in the run's journal, so a resume or a rollback pointed somewhere else is refused instead
of creating or deleting in the wrong place. With `--sandbox` and no state file, the sandbox
persists to `data_dir()/sandbox.json`, so an `apply`, a `rollback` and a `resume` run as separate
processes all see the same emulated Azure.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.storage.paths import data_dir

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
        from wizard.sandbox import Sandbox

        state = Path(sandbox_state).expanduser() if sandbox_state else default_sandbox_state()
        state = state.resolve()
        state.parent.mkdir(parents=True, exist_ok=True)
        box = Sandbox(state_path=state)
        return AzureBackend.for_sandbox(box), describe_sandbox(state)
    backend = AzureBackend.from_environment(subscription)
    return backend, describe_subscription(backend.subscription_id)


_SANDBOX_DESCRIPTION = re.compile(r"^sandbox \(state: (?P<path>.*)\)$")
_SUBSCRIPTION_DESCRIPTION = re.compile(r"^Azure subscription (?P<id>\S+)$")


class TargetError(Exception):
    """The target cannot be reached or the flags contradict each other; `exit_code` is the
    CLI's (2: the flags are wrong, 1: the target did not answer)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Target:
    """The sandbox (and its state file) or Azure (and, when known, the subscription)."""

    sandbox: bool
    sandbox_state: str | None = None
    subscription: str | None = None

    @classmethod
    def from_flags(cls, sandbox: bool, sandbox_state: str | None,
                   subscription: str | None) -> Target:
        """The target the command-line flags name; `TargetError` when they contradict."""
        if sandbox and subscription:
            raise TargetError("--sandbox and --subscription point at different places: "
                              "choose one")
        if sandbox_state and not sandbox:
            raise TargetError("--sandbox-state only makes sense with --sandbox")
        return cls(sandbox, sandbox_state, subscription)

    @classmethod
    def from_description(cls, description: str) -> Target | None:
        """The target a journal's description names, or None for one this version cannot
        parse."""
        sandbox = _SANDBOX_DESCRIPTION.match(description)
        if sandbox:
            return cls(True, sandbox.group("path"))
        subscription = _SUBSCRIPTION_DESCRIPTION.match(description)
        if subscription:
            return cls(False, None, subscription.group("id"))
        return None

    def with_subscription(self, subscription: str | None) -> Target:
        """This target, on `subscription` when none was chosen (a journal's or a config's)."""
        if self.sandbox or self.subscription or not subscription:
            return self
        return Target(False, None, subscription)

    @property
    def state_path(self) -> Path:
        """The sandbox's state file, absolute (the default one when none was given)."""

        state = Path(self.sandbox_state).expanduser() if self.sandbox_state \
            else default_sandbox_state()
        return state.resolve()

    @property
    def label(self) -> str:
        """A short plain description, known without talking to anything."""
        if self.sandbox:

            where = self.sandbox_state or str(default_sandbox_state())
            return f"Sandbox (emulated Azure; nothing is created in Azure; state: {where})"
        if self.subscription:
            return f"Azure subscription {self.subscription}"
        return "Azure (looking up your signed-in subscription...)"

    @property
    def short(self) -> str:
        return "the sandbox" if self.sandbox else "Azure"

    @property
    def flags(self) -> str:
        """The command-line flags that reach this target again."""
        if self.sandbox:
            return f"--sandbox --sandbox-state {shlex.quote(str(self.state_path))}"
        if self.subscription:
            return f"--subscription {shlex.quote(self.subscription)}"
        return ""

    def connect(self) -> Connection:
        """The backend for this target (blocking; imports the Azure SDK). `TargetError` with
        what to do when it cannot be reached."""
        from wizard.azure.backend import AzureError

        try:
            backend, description = make_backend(
                sandbox=self.sandbox, sandbox_state=str(self.state_path) if self.sandbox
                else None, subscription=self.subscription)
        except AzureError as error:
            raise TargetError(f"{error.message} ({error.code}). {error.hint}", 1) from None
        except ValueError as error:  # a bad sandbox speed or fault specification
            raise TargetError(f"cannot start the sandbox: {error}") from None
        except OSError as error:
            raise TargetError(f"cannot open the sandbox state: {error}", 1) from None
        resolved = self if self.sandbox else Target(False, None, backend.subscription_id)
        return Connection(resolved, backend, description)


@dataclass(frozen=True)
class Connection:
    """A target reached: its backend, and its description as journals record it."""

    target: Target
    backend: AzureBackend
    description: str

    @property
    def flags(self) -> str:
        return self.target.flags

    @property
    def is_sandbox(self) -> bool:
        return self.target.sandbox


def flags_for(description: str) -> str | None:
    """The command-line flags that point a command at the target a journal describes."""
    target = Target.from_description(description)
    return target.flags if target is not None else None
