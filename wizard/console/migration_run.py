"""Running one phase of a migration in a terminal: a journal, the executor, one line per step.

`aks-nat-wizard migrate` and the `--simple` prompts both run `MigrationPlan.phases()` one by one
and must say the same things: each finished step, a failure with Azure's code and hint, and, when
a run stops, the commands that resume it or undo what it created. The journal is created with
`allow_drift=True`: the user has already confirmed the changes to the cluster and subnet the
wizard did not create, and the journal records that, so a resume needs no `--allow-drift`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from wizard.model.config import WizardConfig
    from wizard.plan import Plan

PHASE_OK, PHASE_FAILED, PHASE_INTERRUPTED = 0, 1, 130
"""The exit codes a phase ends with (the CLI's)."""


@dataclass(frozen=True)
class PhaseResult:
    """How a phase ended, and the commands that continue or undo its run."""

    code: int
    """`PHASE_OK`, `PHASE_FAILED` or `PHASE_INTERRUPTED`."""
    run_id: str
    resume: str
    rollback: str


def target_flags(description: str) -> str:
    """The flags that point a command at the target `description` names ('' when unknown)."""
    from wizard.run.target import flags_for

    return flags_for(description) or ""


def run_phase(plan: Plan, config: WizardConfig, backend: Any, description: str,
              console: Console, purpose: str = "") -> PhaseResult:
    """Apply `plan` (drift allowed: the user confirmed the changes), printing one line per
    finished step; on failure or Ctrl-C, print the run id and how to resume or roll back."""
    from wizard.run.events import Event, StepFailed, StepSucceeded
    from wizard.run.service import prepare_migration
    from wizard.run.target import Connection, Target

    def show(event: Event) -> None:
        if isinstance(event, StepSucceeded):
            console.print(Text(f"  {event.outcome:8} {event.key}"))
        elif isinstance(event, StepFailed):
            console.print(Text(f"  failed   {event.key}: {event.code}: {event.message}",
                               style="red"))
            console.print(Text(f"           {event.hint}"))

    target = Target.from_description(description) or Target(False)
    connection = Connection(target, backend, description)
    run = prepare_migration(connection, plan, config, purpose).start(show)
    journal = run.journal
    resume, undo = run.resume_command, run.rollback_command
    outcome = PhaseResult(PHASE_OK, journal.run_id, resume, undo)
    try:
        result = run.execute()
    except KeyboardInterrupt:
        run.cancel()
        console.print(Text(f"run id: {journal.run_id} (interrupted; resume with: {resume})"))
        return PhaseResult(PHASE_INTERRUPTED, journal.run_id, resume, undo)
    if result.status != "succeeded":
        console.print(Text(f"run id: {journal.run_id}. Resume with: {resume}; undo what it "
                           f"created with: {undo}"))
        return PhaseResult(PHASE_FAILED, journal.run_id, resume, undo)
    return outcome
