"""Target flags of the commands that read Azure (`import`, `migrate`, `plan --preflight`).

`--sandbox`, `--sandbox-state PATH` and `--subscription ID` may be given to the command or to the
group (`aks-nat-wizard --sandbox import ...`); `connect()` turns them into an `AzureBackend` via
`wizard.run.target.make_backend`, the same way apply does, and turns a failure to connect (no login,
several subscriptions) into a clear error instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from wizard.cli import common

if TYPE_CHECKING:
    from wizard.azure.backend import AzureBackend

F = TypeVar("F", bound=Callable[..., Any])


def target_options(function: F) -> F:
    function = click.option(
        "--subscription", metavar="ID", default=None,
        help="The Azure subscription to read (default: AZURE_SUBSCRIPTION_ID, or the only one "
        "your login sees).")(function)
    function = click.option(
        "--sandbox-state", type=click.Path(dir_okay=False), default=None,
        help="The sandbox's state file (default: the one apply uses).")(function)
    return click.option(
        "--sandbox", is_flag=True, default=False,
        help="Read the built-in Azure sandbox instead of your subscription.")(function)


def _group_value(ctx: click.Context, name: str) -> Any:
    obj = ctx.find_root().obj
    return obj.get(name) if isinstance(obj, dict) else None


def connect(ctx: click.Context, sandbox: bool, sandbox_state: str | None,
            subscription: str | None) -> tuple[AzureBackend, str]:
    """The backend and its description, or exit 1 with what to do."""
    from wizard.azure.backend import AzureError
    from wizard.run.target import make_backend

    use_sandbox = sandbox or bool(_group_value(ctx, "sandbox"))
    state = sandbox_state or _group_value(ctx, "sandbox_state")
    try:
        return make_backend(sandbox=use_sandbox, sandbox_state=state, subscription=subscription)
    except AzureError as error:
        common.fail(f"{error.message} ({error.code}). {error.hint}", common.EXIT_FAILED)
    except ValueError as error:  # a bad sandbox state file, speed or fault specification
        common.fail(f"cannot start the sandbox: {error}")
