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

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.text import Text

from wizard.cli import common

if TYPE_CHECKING:
    from rich.console import Console

    from wizard.console.progress import ProgressView
    from wizard.model.config import WizardConfig
    from wizard.plan import Plan
    from wizard.run.executor import RunResult
    from wizard.run.journal import Journal
    from wizard.run.service import ApplyPreparation, Run
    from wizard.run.target import Target

F = TypeVar("F", bound=Callable[..., Any])
RUN_STATUS_STYLE = {"succeeded": "green", "failed": "red", "cancelled": "yellow",
                    "interrupted": "yellow", "unreadable": "red", "running": "cyan",
                    "rolled_back": "dim"}
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

def merged_target(ctx: click.Context, sandbox: bool, sandbox_state: str | None
                  ) -> tuple[bool, str | None]:
    """The command's sandbox flags, else the group's (`aks-nat-wizard --sandbox apply ...`)."""
    obj = ctx.find_root().obj
    group = obj if isinstance(obj, dict) else {}
    return (sandbox or bool(group.get("sandbox")),
            sandbox_state or group.get("sandbox_state") or None)


def target_of(ctx: click.Context, sandbox: bool, sandbox_state: str | None,
              subscription: str | None) -> Target:
    """The target the flags (the command's, else the group's) name, or exit 2 saying why."""
    from wizard.run.target import Target, TargetError

    sandbox, sandbox_state = merged_target(ctx, sandbox, sandbox_state)
    try:
        return Target.from_flags(sandbox, sandbox_state, subscription)
    except TargetError as error:
        fail(str(error), error.exit_code)


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
              help="Continue this run where it stopped, or check a finished one again (its "
              "configuration comes from its journal: --preset and --set are refused). Every "
              "step is read again: what is gone is created again, what changed is reported. "
              "See `aks-nat-wizard runs`.")
@click.option("--max-parallel", type=click.IntRange(1, 16), default=None,
              help="At most this many steps at the same time (default: as wide as the plan "
              "allows, up to 16).")
@click.option("--allow-drift", is_flag=True,
              help="Overwrite existing resources whose settings differ from the plan (they are "
              "updated, never deleted, and never counted as created by this run).")
@common.output_option
@click.pass_context
def apply(ctx: click.Context, preset: str | None, sets: tuple[str, ...], sandbox: bool,
          sandbox_state: str | None, subscription: str | None, yes: bool,
          resume_id: str | None, max_parallel: int | None, allow_drift: bool,
          output: str) -> None:
    target = target_of(ctx, sandbox, sandbox_state, subscription)
    try:
        if resume_id is not None:
            if preset or sets or common.inherited_preset(ctx, None):
                fail("--resume takes the configuration from the run's journal; drop "
                     "--preset and --set (start a new apply to change settings)")
            code = _resume(resume_id, target, yes, max_parallel, allow_drift, output)
        else:
            draft = common.load_draft(common.inherited_preset(ctx, preset), sets)
            if draft.config is None or not draft.ok:
                _invalid(output, draft.findings)
            code = _apply_validated(draft.config, target, yes, max_parallel, allow_drift,
                                    output)
    except KeyboardInterrupt:
        _out(output).print(Text("Interrupted before anything was sent: nothing was changed."))
        code = common.EXIT_INTERRUPTED
    ctx.exit(code)


def apply_config(config: WizardConfig, *, sandbox: bool, sandbox_state: str | None = None,
                 subscription: str | None = None, max_parallel: int | None = None,
                 allow_drift: bool = False) -> int:
    """Apply a configuration the user has already reviewed and confirmed (the `--simple`
    prompts): connect, preflight, run with progress. Returns the exit code; never exits."""
    from wizard.model.evaluation import evaluate
    from wizard.run.target import Target, TargetError

    evaluation = evaluate(config)
    try:
        if not evaluation.ok:
            _invalid("text", evaluation.findings)
        try:
            target = Target.from_flags(sandbox, sandbox_state, subscription)
        except TargetError as error:
            fail(str(error), error.exit_code)
        return _apply_validated(config, target, True, max_parallel, allow_drift, "text")
    except click.exceptions.Exit as stop:
        return stop.exit_code
    except KeyboardInterrupt:
        return common.EXIT_INTERRUPTED


def _prepare_apply(config: WizardConfig, target: Target, allow_drift: bool) -> ApplyPreparation:
    from wizard.run.service import RunError, prepare_apply
    from wizard.run.target import TargetError

    try:
        return prepare_apply(target, config, allow_drift=allow_drift)
    except TargetError as error:
        fail(str(error), error.exit_code)
    except RunError as error:
        fail(str(error))


def _apply_validated(config: WizardConfig, target: Target, yes: bool,
                     max_parallel: int | None, allow_drift: bool, output: str) -> int:
    """Connect, preflight, show the plan, confirm, run: the exit code."""
    from wizard.console import render

    prepared = _prepare_apply(config, target, allow_drift)
    out = _out(output)
    if output != "json":
        out.print(render.plan_table(prepared.plan))
        out.print()
        _show_preflight(prepared)
        out.print()
    blocking = prepared.blocking
    if blocking:
        if output == "json":
            _invalid(output, list(prepared.findings), blocking)
        fail(blocking)
    _say_password(prepared.password_generated, output)
    _confirm(yes, output, prepared.question)
    view = _view_for(prepared.plan, out)
    run = prepared.start(view, max_parallel=max_parallel)
    return _run(run, view, output, list(prepared.findings))


def _show_preflight(prepared: ApplyPreparation) -> None:
    from wizard.cli import preflight as preflight_cli
    from wizard.console import render

    out = common.console()
    report = prepared.report
    if report is not None and any(s != "create" for s in report.step_status.values()):
        out.print(preflight_cli.status_table(prepared.plan, report))
    shown = list(prepared.findings)
    if shown:
        out.print(render.findings_view(shown))
    out.print(render.totals_text(prepared.plan, shown))


def _say_password(generated: bool, output: str) -> None:
    """Tell the user a Windows admin password was generated (never shown, never written)."""
    if not generated:
        return
    from wizard.run.secrets import PASSWORD_ENV

    _out(output).print(Text(
        "The Windows node pool needs an admin password: one was generated for this run and "
        "is kept in memory only (never shown or saved). To choose it yourself, set "
        f"{PASSWORD_ENV} before applying; to change it later: az aks update "
        "--windows-admin-password."), soft_wrap=True)


def _resume(run_id: str, target: Target, yes: bool, max_parallel: int | None,
            allow_drift: bool, output: str) -> int:
    from wizard.run.executor import ExecutorError
    from wizard.run.journal import JournalError
    from wizard.run.service import prepare_resume
    from wizard.run.target import TargetError

    try:
        prepared = prepare_resume(target, run_id, allow_drift=allow_drift)
    except TargetError as error:
        fail(str(error), error.exit_code)
    except (JournalError, ExecutorError) as error:
        fail(str(error))
    _say_password(prepared.password_generated, output)
    if prepared.summary.status == "succeeded":
        _out(output).print(Text(f"Run {run_id} already succeeded; checking that everything is "
                                "still there (what is gone is created again, what changed is "
                                "reported)."), soft_wrap=True)
    else:
        _confirm(yes, output, prepared.question)
    view = _view_for(prepared.plan, _out(output))
    run = prepared.start(view, max_parallel=max_parallel)
    return _run(run, view, output, [])


def _view_for(plan: Plan, out: Console) -> ProgressView:
    from wizard.console.progress import ProgressView, lines_for_plan

    return ProgressView(lines_for_plan(plan), out)


def _run(run: Run, view: ProgressView, output: str, findings: list[Any]) -> int:
    """Run the executor with the progress view; report how it ended; return the exit code."""
    from wizard.run.executor import ExecutorError
    from wizard.run.journal import JournalError
    from wizard.run.service import credentials_command

    out = _out(output)
    say: Callable[[str], None] = lambda message: out.print(Text(message, style="yellow"))  # noqa: E731
    try:
        with cancel_on_interrupt(run.cancel, say), view:
            result = run.execute()
    except (ExecutorError, JournalError) as error:
        fail(str(error))
    journal, plan = run.journal, run.plan
    resume, rollback_cmd = run.resume_command, run.rollback_command
    credentials = credentials_command(plan)
    description = run.connection.description
    code = {"succeeded": common.EXIT_OK, "failed": common.EXIT_FAILED}.get(
        result.status, common.EXIT_INTERRUPTED)
    if output == "json":
        common.print_json({
            "run_id": journal.run_id, "status": result.status, "target": description,
            "findings": common.findings_payload(findings), "steps": _steps_payload(journal),
            "failed": _failed_payload(result),
            "commands": {"resume": resume, "rollback": rollback_cmd,
                         "credentials": credentials},
        })
    counts = view.counts()
    if result.status == "succeeded":
        out.print(Text(f"Done in {view.elapsed:.1f} s: run {journal.run_id} on "
                       f"{description}: {outcome_sentence(counts)}.", style="bold green"),
                  soft_wrap=True)
        out.print(Text(f"Cluster {plan.cluster_name} is in resource group "
                       f"{plan.resource_group}. Get its credentials with:"), soft_wrap=True)
        out.print(Text(f"  {credentials}"), soft_wrap=True)
        if run.connection.is_sandbox:
            out.print(Text("  (this is the sandbox: the command is what you would run after "
                           "applying to Azure)", style="dim"), soft_wrap=True)
        out.print(Text(f"Undo what this run created: {rollback_cmd}"), soft_wrap=True)
        return code
    if result.status == "failed":
        drift = [f for f in result.failed if f.code == "Drift"]
        out.print(Text(f"Run {journal.run_id} failed: {len(result.failed)} step(s) failed "
                       "(above)" + (f", {len(drift)} of them because the resource changed"
                                    if drift else "")
                       + "; what did not depend on them was still done.",
                       style="bold red"), soft_wrap=True)
    else:
        out.print(Text(f"Run {journal.run_id} was interrupted; the journal keeps what was done.",
                       style="bold yellow"), soft_wrap=True)
    out.print(Text(f"run id: {journal.run_id}"))
    out.print(Text(f"Resume it:   {resume}"), soft_wrap=True)
    out.print(Text(f"Roll it back: {rollback_cmd}"), soft_wrap=True)
    return code


def outcome_sentence(counts: dict[str, int]) -> str:
    """`3 created, 2 already there, 1 checked and still there, 1 created again`."""
    words = (("created", "created"), ("exists", "already there"), ("updated", "updated"),
             ("verified", "checked and still there"), ("recreated", "created again (it was "
                                                       "gone)"))
    parts = [f"{counts[key]} {text}" for key, text in words if counts.get(key)]
    return ", ".join(parts) or "nothing to do"


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
    from wizard.console.progress import ProgressView, lines_for_records
    from wizard.run.executor import ExecutorError
    from wizard.run.journal import JournalError
    from wizard.run.service import prepare_rollback, rollback_command
    from wizard.run.target import TargetError

    target = target_of(ctx, sandbox, sandbox_state, subscription)
    try:
        prepared = prepare_rollback(target, run_id)
    except TargetError as error:
        fail(str(error), error.exit_code)
    except (JournalError, ExecutorError) as error:
        fail(str(error))
    with prepared:
        out = _out(output)
        again = rollback_command(run_id, prepared.connection.flags)
        doomed = prepared.doomed
        if not doomed:
            out.print(Text(f"Run {run_id} created nothing that still exists: nothing to "
                           "delete."))
            if output == "json":
                common.print_json({"run_id": run_id, "status": "rolled_back", "deleted": []})
            ctx.exit(common.EXIT_OK)
        out.print(Text(f"Run {run_id} created these {len(doomed)} resource(s); rollback deletes "
                       "them and nothing else:", style="bold"), soft_wrap=True)
        for item in doomed:
            gone = "" if item.exists else "  (already gone)"
            out.print(Text(f"  {item.kind.replace('_', ' '):16} {item.resource_id}{gone}"),
                      soft_wrap=True)
        try:
            _confirm(yes, output, prepared.question)
        except click.exceptions.Exit:
            prepared.close()
            raise
        records = [prepared.journal.steps[item.key] for item in doomed]
        view = ProgressView(lines_for_records(records), out, title="Rolling back")
        stop = threading.Event()
        say: Callable[[str], None] = lambda message: out.print(Text(message, style="yellow"))  # noqa: E731
        with cancel_on_interrupt(stop.set, say), view:
            result = prepared.run(view, cancel=stop, max_parallel=max_parallel)
    deleted = [r.key for r in prepared.journal.steps.values() if r.deleted]
    if result.status == "cancelled":
        out.print(Text(f"Interrupted: what was deleted is gone. Run the rollback again to "
                       f"finish: {again}"), soft_wrap=True)
        if output == "json":
            common.print_json({"run_id": run_id, "status": "cancelled", "deleted": deleted})
        ctx.exit(common.EXIT_INTERRUPTED)
    if output == "json":
        common.print_json({"run_id": run_id, "status": result.status, "deleted": deleted,
                           "failed": _failed_payload(result)})
    if result.status == "rolled_back":
        out.print(Text(f"Rolled back run {run_id}: what it created is gone; what existed "
                       "before it was kept.", style="bold green"))
        ctx.exit(common.EXIT_OK)
    out.print(Text(f"Some deletes failed (above). Try again: {again}", style="bold red"),
              soft_wrap=True)
    ctx.exit(common.EXIT_FAILED)


# -- runs --------------------------------------------------------------------------------------

@click.command("runs", help=RUNS_HELP)
@common.output_option
def runs(output: str) -> None:
    from wizard.run.service import list_runs
    from wizard.storage.paths import runs_dir

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
        if s.status == "interrupted":
            detail += " (its process stopped: resume or roll it back)"
        out.print(Text(f"      {detail}", style="red" if s.problem else "dim"), soft_wrap=True)
