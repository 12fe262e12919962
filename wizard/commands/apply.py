"""`aks-nat-wizard apply`, `rollback` and `runs`: make the plan happen, undo it, list the runs.

`apply` validates the configuration (every problem listed, exit 2), connects to the target (the
sandbox or a subscription), runs the preflight checks, shows the plan and asks before creating
anything. It then runs the executor with a live progress view. Each run has a journal
(`runs/<run id>.json` in the data folder), so a failed or interrupted run is resumed with
`apply --resume RUN_ID` (the configuration comes from the journal) or undone with
`rollback RUN_ID`; both refuse a target other than the run's own.

Ctrl-C once: no new step starts, steps waiting on Azure stop waiting, the journal stays
resumable, exit 130. Ctrl-C twice: stop at once (the journal is written atomically after every
change, so it stays resumable too).
"""

from __future__ import annotations

import re
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.text import Text

from wizard.commands import common

if TYPE_CHECKING:
    from rich.console import Console

    from wizard.azure.backend import AzureBackend
    from wizard.azure.preflight import PreflightReport
    from wizard.config import WizardConfig
    from wizard.executor import Executor, RunResult
    from wizard.findings import Finding
    from wizard.journal import Journal
    from wizard.plan import Plan

F = TypeVar("F", bound=Callable[..., Any])
RUN_STATUS_STYLE = {"succeeded": "green", "failed": "red", "cancelled": "yellow",
                    "unreadable": "red", "running": "cyan"}
PROG = "aks-nat-wizard"

APPLY_HELP = f"""Create the resources of a configuration, with live progress, resume and rollback.

The configuration is built like `plan` builds it (--preset, --set) and checked first: every
problem is listed and nothing is done (exit 2). Then the target is read (preflight: region,
zones, versions, quota, rights, what already exists), the plan is shown, and you are asked to
confirm, naming the target and the resource group (--yes answers for you; without a terminal
--yes is required).

Steps run in parallel as soon as what they depend on is done. A resource that already exists
with the same settings is reused, never recreated; one that differs (drift) stops the apply
unless --allow-drift. Every run has a run id and a journal: after a failure or Ctrl-C, the exact
commands to resume it or to roll it back are printed.

\b
Where it applies:
  --sandbox [--sandbox-state PATH]   the built-in Azure sandbox (nothing leaves this machine)
  --subscription ID                  your Azure subscription (default: AZURE_SUBSCRIPTION_ID,
                                     or the only one `az login` sees)

\b
Windows node pools need an admin password. Set AKS_NAT_WIZARD_WINDOWS_PASSWORD to choose it;
otherwise a strong one is generated. Either way it is held in memory only: never printed,
never written to the journal, a log or a preset.

\b
Examples:
  {PROG} apply --sandbox --preset user-assigned-per-zone
  {PROG} apply --preset managed-basic --set cluster.name=prod-aks --subscription 0000-...
  {PROG} apply --resume 20261129-031500-3f2a --sandbox
  {PROG} apply --sandbox --preset managed-zonal --yes --output json

\b
JSON output (--output json; progress goes to stderr), stable keys:
  {{"run_id", "status": "succeeded|failed|cancelled|invalid", "target",
   "findings": [...], "steps": [{{"key", "kind", "resource_id", "state", "outcome",
   "created_by_run"}}], "failed": [{{"key", "code", "message", "hint"}}],
   "commands": {{"resume", "rollback", "credentials"}}}}

\b
Exit codes:
  0    done: every resource exists as planned
  1    a step failed (Azure refused, or the target could not be reached); resumable
  2    invalid input, preflight errors, drift without --allow-drift, or not confirmed:
       nothing was changed
  130  interrupted (Ctrl-C); resumable
"""

ROLLBACK_HELP = f"""Delete exactly the resources that run RUN_ID created, and nothing else.

Resources that existed before the run (reused, or only updated with --allow-drift) are kept.
Dependents are deleted before what they depend on; independent ones in parallel. Point it at the
run's own target (the same --sandbox / --sandbox-state / --subscription as the apply): another
target is refused. Running it again after a failure continues where it stopped.

\b
Examples:
  {PROG} runs
  {PROG} rollback 20261129-031500-3f2a --sandbox
  {PROG} rollback 20261129-031500-3f2a --subscription 0000-... --yes

\b
Exit codes:
  0    everything the run created is deleted (or there was nothing to delete)
  1    a delete failed (run the command again to retry)
  2    unknown run, other target, or not confirmed: nothing was deleted
  130  interrupted (Ctrl-C)
"""

RUNS_HELP = f"""List the runs recorded on this machine, oldest first.

Each run shows its id, when it started, its target, its status (running, succeeded, failed,
cancelled, rolled_back) and how many of its steps are done. Use the id with
`{PROG} apply --resume RUN_ID` or `{PROG} rollback RUN_ID`.

\b
JSON output (--output json): a list of {{"run_id", "created_at", "status", "target", "cluster",
"steps_total", "steps_succeeded", "created_count", "journal", "problem"}}.
"""


def fail(message: str, code: int = common.EXIT_INVALID) -> NoReturn:
    """`common.fail`, but never folding a long word: messages here carry paths and commands to
    copy, which must stay whole on screen."""
    common.console(stderr=True).print(Text("error: ", style="bold red") + Text(message),
                                      soft_wrap=True)
    raise click.exceptions.Exit(code)


def target_options(function: F) -> F:
    """`--sandbox`, `--sandbox-state`, `--subscription`, worded for commands that write."""
    function = click.option(
        "--subscription", metavar="ID", default=None,
        help="The Azure subscription to work in (default: the configuration's "
        "cluster.subscription_id, AZURE_SUBSCRIPTION_ID, or the only one your login sees)."
    )(function)
    function = click.option(
        "--sandbox-state", type=click.Path(dir_okay=False), default=None,
        help="The sandbox's state file (default: sandbox.json in the data folder, shared by "
        "apply, resume and rollback).")(function)
    return click.option(
        "--sandbox", is_flag=True, default=False,
        help="Work on the built-in Azure sandbox instead of your subscription.")(function)


def yes_option(function: F) -> F:
    return click.option("--yes", "-y", is_flag=True,
                        help="Do not ask for confirmation (required without a terminal).")(function)


# -- the target ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """The backend, its description (as journals record it) and the flags that reach it again."""

    backend: AzureBackend
    description: str
    flags: str


_SANDBOX_DESCRIPTION = re.compile(r"^sandbox \(state: (?P<path>.*)\)$")
_SUBSCRIPTION_DESCRIPTION = re.compile(r"^Azure subscription (?P<id>\S+)$")


def flags_for(description: str) -> str | None:
    """The command-line flags that point a command at the target a journal describes."""
    sandbox = _SANDBOX_DESCRIPTION.match(description)
    if sandbox:
        return f"--sandbox --sandbox-state {shlex.quote(sandbox.group('path'))}"
    subscription = _SUBSCRIPTION_DESCRIPTION.match(description)
    if subscription:
        return f"--subscription {shlex.quote(subscription.group('id'))}"
    return None


def merged_target(ctx: click.Context, sandbox: bool, sandbox_state: str | None
                  ) -> tuple[bool, str | None]:
    """The command's sandbox flags, else the group's (`aks-nat-wizard --sandbox apply ...`)."""
    obj = ctx.find_root().obj
    group = obj if isinstance(obj, dict) else {}
    return (sandbox or bool(group.get("sandbox")),
            sandbox_state or group.get("sandbox_state") or None)


def connect(sandbox: bool, sandbox_state: str | None, subscription: str | None) -> Target:
    """Connect to the chosen target, or exit with what to do (1: unreachable, 2: bad flags)."""
    from wizard.azure.backend import AzureError
    from wizard.target import make_backend

    if sandbox_state and not sandbox:
        fail("--sandbox-state only makes sense with --sandbox")
    try:
        backend, description = make_backend(sandbox=sandbox, sandbox_state=sandbox_state,
                                            subscription=subscription)
    except AzureError as error:
        fail(f"{error.message} ({error.code}). {error.hint}", common.EXIT_FAILED)
    except ValueError as error:  # a bad sandbox speed or fault specification
        fail(f"cannot start the sandbox: {error}")
    except OSError as error:
        fail(f"cannot open the sandbox state: {error}", common.EXIT_FAILED)
    return Target(backend, description, flags_for(description) or "")


def _require_same_target(journal: Journal, target: Target,
                         command: Callable[[str, str], str]) -> None:
    """Exit 2 when `target` is not the run's own, naming the flags that reach the right one."""
    if target.description == journal.target:
        return
    again = flags_for(journal.target)
    how = f" Use: {command(journal.run_id, again)}" if again else ""
    fail(f"run {journal.run_id} was applied to {journal.target}, but this command points "
                f"at {target.description}; refusing to work on a different target.{how}")


def resume_command(run_id: str, flags: str) -> str:
    return f"{PROG} apply --resume {run_id} {flags}".rstrip()


def rollback_command(run_id: str, flags: str) -> str:
    return f"{PROG} rollback {run_id} {flags}".rstrip()


def credentials_command(plan: Plan) -> str:
    return ("az aks get-credentials "
            f"--resource-group {shlex.quote(plan.resource_group)} "
            f"--name {shlex.quote(plan.cluster_name)} "
            f"--subscription {shlex.quote(plan.subscription_id)}")


# -- Ctrl-C ------------------------------------------------------------------------------------

@contextmanager
def cancel_on_interrupt(cancel: Callable[[], None], say: Callable[[str], None]
                        ) -> Iterator[Callable[[], bool]]:
    """While inside: the first SIGINT calls `cancel()` (the run winds down, resumable); a second
    one exits at once with 130. Yields a function telling whether SIGINT was received.

    Outside the main thread (signal handlers cannot be installed there) it changes nothing.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: bool(received)
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if len(received) == 1:
            say("Interrupted: no new step starts; waiting for the running ones to stop (press "
                "Ctrl-C again to quit at once; the journal stays resumable).")
            cancel()
            return
        sys.stderr.write("\x1b[?25h" if sys.stderr.isatty() else "")
        sys.stderr.flush()
        import os

        os._exit(common.EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(received)
    finally:
        signal.signal(signal.SIGINT, previous)


# -- output helpers ------------------------------------------------------------------------------

def _out(output: str) -> Console:
    """Where people-facing text goes: stdout, or stderr when stdout carries JSON."""
    return common.console(stderr=output == "json")


def _interactive() -> bool:
    """Whether there is a person at a terminal to answer a question."""
    return sys.stdin.isatty()


def _confirm(yes: bool, output: str, question: str) -> None:
    """Ask `question`; exit 2 when declined or when there is nobody to ask."""
    if yes:
        return
    if output == "json" or not _interactive():
        fail("confirmation needed and there is no terminal to ask: pass --yes to go "
                    "ahead without a prompt")
    try:
        agreed = click.confirm(question, default=False, err=output == "json")
    except click.Abort:
        _out(output).print()
        fail("not confirmed: nothing was changed", common.EXIT_INTERRUPTED)
    if not agreed:
        fail("not confirmed: nothing was changed")


def _steps_payload(journal: Journal) -> list[dict[str, Any]]:
    return [{"key": r.key, "kind": r.kind, "resource_id": r.resource_id, "state": r.state,
             "outcome": r.outcome, "created_by_run": r.created_by_run}
            for r in journal.steps.values()]


def _failed_payload(result: RunResult) -> list[dict[str, str]]:
    return [{"key": f.key, "code": f.code, "message": f.message, "hint": f.hint}
            for f in result.failed]


def _invalid(output: str, findings: Any, message: str | None = None) -> NoReturn:
    """Exit 2 listing every problem (and a JSON object when asked for one)."""
    if output == "json":
        common.print_json({"run_id": None, "status": "invalid", "target": None,
                           "findings": common.findings_payload(findings), "steps": [],
                           "failed": [], "commands": {}})
    else:
        common.print_findings(findings)
    if message:
        fail(message)
    raise click.exceptions.Exit(common.EXIT_INVALID)


# -- apply -------------------------------------------------------------------------------------

@click.command("apply", help=APPLY_HELP)
@common.config_options
@target_options
@yes_option
@click.option("--resume", "resume_id", metavar="RUN_ID", default=None,
              help="Continue this run where it stopped (its configuration comes from its "
              "journal: --preset and --set are refused). See `aks-nat-wizard runs`.")
@click.option("--max-parallel", type=click.IntRange(1, 16), default=4, show_default=True,
              help="At most this many steps at the same time.")
@click.option("--allow-drift", is_flag=True,
              help="Overwrite existing resources whose settings differ from the plan (they are "
              "updated, never deleted, and never counted as created by this run).")
@common.output_option
@click.pass_context
def apply(ctx: click.Context, preset: str | None, sets: tuple[str, ...], sandbox: bool,
          sandbox_state: str | None, subscription: str | None, yes: bool,
          resume_id: str | None, max_parallel: int, allow_drift: bool, output: str) -> None:
    sandbox, sandbox_state = merged_target(ctx, sandbox, sandbox_state)
    if sandbox and subscription:
        fail("--sandbox and --subscription point at different places: choose one")
    try:
        if resume_id is not None:
            if preset or sets or common.inherited_preset(ctx, None):
                fail("--resume takes the configuration from the run's journal; drop "
                            "--preset and --set (start a new apply to change settings)")
            code = _resume(resume_id, sandbox, sandbox_state, subscription, yes,
                           max_parallel, allow_drift, output)
        else:
            draft = common.load_draft(common.inherited_preset(ctx, preset), sets)
            if draft.config is None or not draft.ok:
                _invalid(output, draft.findings)
            code = _apply_validated(draft.config, draft.findings, sandbox, sandbox_state,
                                    subscription, yes, max_parallel, allow_drift, output)
    except KeyboardInterrupt:
        _out(output).print(Text("Interrupted before anything was sent: nothing was changed."))
        code = common.EXIT_INTERRUPTED
    ctx.exit(code)


def apply_config(config: WizardConfig, *, sandbox: bool, sandbox_state: str | None = None,
                 subscription: str | None = None, max_parallel: int = 4,
                 allow_drift: bool = False) -> int:
    """Apply a configuration the user has already reviewed and confirmed (the `--simple`
    prompts): connect, preflight, run with progress. Returns the exit code; never exits."""
    from wizard.findings import evaluate

    evaluation = evaluate(config)
    try:
        if not evaluation.ok:
            _invalid("text", evaluation.findings)
        return _apply_validated(config, evaluation.findings, sandbox, sandbox_state,
                                subscription, True, max_parallel, allow_drift, "text")
    except click.exceptions.Exit as stop:
        return stop.exit_code
    except KeyboardInterrupt:
        return common.EXIT_INTERRUPTED


def _apply_validated(config: WizardConfig, findings: Sequence[Finding], sandbox: bool,
                     sandbox_state: str | None, subscription: str | None, yes: bool,
                     max_parallel: int, allow_drift: bool, output: str) -> int:
    """Connect, preflight, show the plan, confirm, run: the exit code."""
    from wizard import plan as planner
    from wizard import render
    from wizard.journal import Journal

    target = connect(sandbox, sandbox_state, subscription or config.cluster.subscription_id)
    plan = planner.build(config, target.backend.subscription_id)
    report = _preflight(config, plan, target)
    blocking = _blocking(report, allow_drift)
    out = _out(output)
    if output != "json":
        out.print(render.plan_table(plan))
        out.print()
        _show_preflight(plan, report, findings)
        out.print()
    if blocking:
        if output == "json":
            _invalid(output, list(findings) + list(report.findings), blocking)
        fail(blocking)
    secrets = _secrets(plan, output)
    to_create = sum(1 for status in report.step_status.values() if status == "create")
    reused = len(plan.steps) - to_create
    question = (f"Create {to_create} resource(s) in resource group {plan.resource_group} "
                f"(cluster {plan.cluster_name}) on {target.description}"
                + (f", reusing {reused} that already exist" if reused else "") + "?")
    _confirm(yes, output, question)
    journal = Journal.create(plan, config, target.description)
    return _run(journal, plan, target, secrets, max_parallel, allow_drift, output,
                list(findings))


def _preflight(config: WizardConfig, plan: Plan, target: Target) -> PreflightReport:
    from wizard.azure import preflight

    return preflight.run(config, plan, target.backend)


def _blocking(report: PreflightReport, allow_drift: bool) -> str | None:
    """Why the apply must not start, or None."""
    if not report.ok:
        return "the preflight checks found problems (listed above): nothing was changed"
    drifted = [key for key, status in report.step_status.items() if status == "drift"]
    if drifted and not allow_drift:
        return (f"{len(drifted)} existing resource(s) differ from the plan ("
                + ", ".join(drifted) + "): change the configuration to match, or pass "
                "--allow-drift to overwrite them. Nothing was changed.")
    return None


def _show_preflight(plan: Plan, report: PreflightReport, findings: Any) -> None:
    from wizard import render
    from wizard.commands import preflight_cli

    out = common.console()
    if report.step_status and any(s != "create" for s in report.step_status.values()):
        out.print(preflight_cli.status_table(plan, report))
    shown = list(findings) + list(report.findings)
    if shown:
        out.print(render.findings_view(shown))
    out.print(render.totals_text(plan, shown))


def _secrets(plan: Plan, output: str) -> dict[str, str]:
    """The Windows admin password when the plan needs one (never shown, never written)."""
    from wizard.executor import secrets_needed
    from wizard.plan import WINDOWS_PASSWORD_SECRET

    if WINDOWS_PASSWORD_SECRET not in secrets_needed(plan):
        return {}
    import os

    from wizard.secrets import PASSWORD_ENV, SecretError, windows_password

    try:
        password = windows_password()
    except SecretError as error:
        fail(str(error))
    if not os.environ.get(PASSWORD_ENV):
        _out(output).print(Text(
            "The Windows node pool needs an admin password: one was generated for this run and "
            "is kept in memory only (never shown or saved). To choose it yourself, set "
            f"{PASSWORD_ENV} before applying; to change it later: az aks update "
            "--windows-admin-password."), soft_wrap=True)
    return {WINDOWS_PASSWORD_SECRET: password}


def _resume(run_id: str, sandbox: bool, sandbox_state: str | None,
            subscription: str | None, yes: bool, max_parallel: int, allow_drift: bool,
            output: str) -> int:
    from wizard.executor import recorded_plan
    from wizard.journal import Journal, JournalError

    try:
        journal = Journal.load(run_id)
    except JournalError as error:
        fail(str(error))
    if journal.status == "rolled_back":
        fail(f"run {run_id} was rolled back; start a new apply instead")
    target = connect(sandbox, sandbox_state, subscription or journal.subscription_id)
    _require_same_target(journal, target, resume_command)
    plan = recorded_plan(journal)
    secrets = _secrets(plan, output)
    summary = journal.summary()
    if journal.status == "succeeded":
        _out(output).print(Text(f"Run {run_id} already succeeded; checking that everything is "
                                "still there."))
    else:
        _confirm(yes, output, f"Resume run {run_id} ({summary.steps_succeeded}/"
                 f"{summary.steps_total} steps done) in resource group {plan.resource_group} "
                 f"on {target.description}?")
    return _run(journal, plan, target, secrets, max_parallel, allow_drift, output, [])


def _run(journal: Journal, plan: Plan, target: Target, secrets: dict[str, str],
         max_parallel: int, allow_drift: bool, output: str, findings: list[Any]) -> int:
    """Run the executor with the progress view; report how it ended; return the exit code."""
    from wizard.executor import Executor, ExecutorError
    from wizard.progress import ProgressView, lines_for_plan

    out = _out(output)
    view = ProgressView(lines_for_plan(plan), out)
    executor: Executor = Executor(target.backend, journal, max_parallel=max_parallel,
                                  secrets=secrets, on_event=view, allow_drift=allow_drift)
    say: Callable[[str], None] = lambda message: out.print(Text(message, style="yellow"))  # noqa: E731
    try:
        with cancel_on_interrupt(executor.cancel, say), view:
            result = executor.apply(plan)
    except ExecutorError as error:
        fail(str(error))
    resume = resume_command(journal.run_id, target.flags)
    rollback_cmd = rollback_command(journal.run_id, target.flags)
    credentials = credentials_command(plan)
    code = {"succeeded": common.EXIT_OK, "failed": common.EXIT_FAILED}.get(
        result.status, common.EXIT_INTERRUPTED)
    if output == "json":
        common.print_json({
            "run_id": journal.run_id, "status": result.status, "target": target.description,
            "findings": common.findings_payload(findings), "steps": _steps_payload(journal),
            "failed": _failed_payload(result),
            "commands": {"resume": resume, "rollback": rollback_cmd,
                         "credentials": credentials},
        })
    outcomes = [r.outcome for r in journal.steps.values()]
    if result.status == "succeeded":
        created = outcomes.count("created")
        reused = outcomes.count("exists")
        updated = outcomes.count("updated")
        out.print(Text(f"Done in {view.elapsed:.1f} s: run {journal.run_id} on "
                       f"{target.description}: {created} created, {reused} already there"
                       + (f", {updated} updated" if updated else "") + ".",
                       style="bold green"), soft_wrap=True)
        out.print(Text(f"Cluster {plan.cluster_name} is in resource group "
                       f"{plan.resource_group}. Get its credentials with:"), soft_wrap=True)
        out.print(Text(f"  {credentials}"), soft_wrap=True)
        if target.description.startswith("sandbox"):
            out.print(Text("  (this is the sandbox: the command is what you would run after "
                           "applying to Azure)", style="dim"), soft_wrap=True)
        out.print(Text(f"Undo what this run created: {rollback_cmd}"), soft_wrap=True)
        return code
    if result.status == "failed":
        out.print(Text(f"Run {journal.run_id} failed: {len(result.failed)} step(s) failed "
                       "(above); what did not depend on them was still done.",
                       style="bold red"), soft_wrap=True)
    else:
        out.print(Text(f"Run {journal.run_id} was interrupted; the journal keeps what was done.",
                       style="bold yellow"), soft_wrap=True)
    out.print(Text(f"run id: {journal.run_id}"))
    out.print(Text(f"Resume it:   {resume}"), soft_wrap=True)
    out.print(Text(f"Roll it back: {rollback_cmd}"), soft_wrap=True)
    return code


# -- rollback ----------------------------------------------------------------------------------

@click.command("rollback", help=ROLLBACK_HELP)
@click.argument("run_id", metavar="RUN_ID")
@target_options
@yes_option
@click.option("--max-parallel", type=click.IntRange(1, 16), default=4, show_default=True,
              help="At most this many deletes at the same time.")
@common.output_option
@click.pass_context
def rollback(ctx: click.Context, run_id: str, sandbox: bool, sandbox_state: str | None,
             subscription: str | None, yes: bool, max_parallel: int, output: str) -> None:
    from wizard.executor import ExecutorError, to_undo
    from wizard.executor import rollback as undo
    from wizard.journal import Journal, JournalError
    from wizard.progress import ProgressView, lines_for_records

    try:
        journal = Journal.load(run_id)
    except JournalError as error:
        fail(str(error))
    sandbox, sandbox_state = merged_target(ctx, sandbox, sandbox_state)
    if sandbox and subscription:
        fail("--sandbox and --subscription point at different places: choose one")
    target = connect(sandbox, sandbox_state, subscription or journal.subscription_id)
    _require_same_target(journal, target, rollback_command)
    out = _out(output)
    doomed = [record for record in journal.steps.values() if to_undo(record)]
    if not doomed:
        out.print(Text(f"Run {run_id} created nothing that still exists: nothing to delete."))
        if output == "json":
            common.print_json({"run_id": run_id, "status": "rolled_back", "deleted": []})
        ctx.exit(common.EXIT_OK)
    out.print(Text(f"Run {run_id} created these {len(doomed)} resource(s); rollback deletes "
                   "them and nothing else:", style="bold"), soft_wrap=True)
    for record in doomed:
        out.print(Text(f"  {record.kind.replace('_', ' '):16} {record.resource_id}"),
                  soft_wrap=True)
    _confirm(yes, output, f"Delete these {len(doomed)} resource(s) on {target.description}?")
    view = ProgressView(lines_for_records(doomed), out, title="Rolling back")
    stop = threading.Event()
    say: Callable[[str], None] = lambda message: out.print(Text(message, style="yellow"))  # noqa: E731
    try:
        with cancel_on_interrupt(stop.set, say), view:
            result = undo(run_id, target.backend, view, max_parallel=max_parallel,
                          target=target.description, cancel=stop)
    except ExecutorError as error:
        fail(str(error))
    if result.status == "cancelled":
        out.print(Text(f"Interrupted: what was deleted is gone. Run the rollback again to "
                       f"finish: {rollback_command(run_id, target.flags)}"), soft_wrap=True)
        if output == "json":
            common.print_json({"run_id": run_id, "status": "cancelled",
                               "deleted": [r.key for r in Journal.load(run_id).steps.values()
                                           if r.deleted]})
        ctx.exit(common.EXIT_INTERRUPTED)
    if output == "json":
        common.print_json({"run_id": run_id, "status": result.status,
                           "deleted": [r.key for r in Journal.load(run_id).steps.values()
                                       if r.deleted],
                           "failed": _failed_payload(result)})
    if result.status == "rolled_back":
        out.print(Text(f"Rolled back run {run_id}: what it created is gone; what existed "
                       "before it was kept.", style="bold green"))
        ctx.exit(common.EXIT_OK)
    out.print(Text(f"Some deletes failed (above). Try again: "
                   f"{rollback_command(run_id, target.flags)}", style="bold red"),
              soft_wrap=True)
    ctx.exit(common.EXIT_FAILED)


# -- runs --------------------------------------------------------------------------------------

@click.command("runs", help=RUNS_HELP)
@common.output_option
def runs(output: str) -> None:
    from wizard.journal import list_runs
    from wizard.paths import runs_dir

    found = list_runs()
    if output == "json":
        common.print_json([
            {"run_id": s.run_id, "created_at": s.created_at, "status": s.status,
             "target": s.target, "cluster": s.cluster, "steps_total": s.steps_total,
             "steps_succeeded": s.steps_succeeded, "created_count": s.created_count,
             "journal": str(s.path), "problem": s.problem, "purpose": s.purpose}
            for s in found])
        return
    out = common.console()
    if not found:
        out.print(Text(f"No runs recorded yet (journals live in {runs_dir()})."))
        return
    out.print(Text(f"Runs recorded in {runs_dir()} (oldest first):", style="bold"),
              soft_wrap=True)
    out.print(Text(f"  {'RUN ID':20}  {'STARTED (UTC)':19}  {'STATUS':11}  {'DONE':>5}  CLUSTER",
                   style="dim"))
    for s in found:
        line = Text(f"  {s.run_id:20}  ")
        line.append(f"{s.created_at.replace('T', ' ').replace('+00:00', ''):19}  ")
        line.append(f"{s.status:11}", style=RUN_STATUS_STYLE.get(s.status, ""))
        line.append(f"  {f'{s.steps_succeeded}/{s.steps_total}' if not s.problem else '-':>5}  ")
        line.append(s.cluster)
        out.print(line, soft_wrap=True)
        detail = (f"{s.purpose} on {s.target}" if s.purpose else f"on {s.target}") \
            if not s.problem else s.problem
        out.print(Text(f"      {detail}", style="red" if s.problem else "dim"), soft_wrap=True)

