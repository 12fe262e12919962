"""Starting an apply, a resume or a rollback from the app: the run service, from a worker.

These functions block and may import the Azure SDK (through the run service's connection), so
the execution screen calls them from a thread worker only. They are the service's own verbs
(`wizard.run.service`): the screen renders what they return and asks the user in between.
"""

from __future__ import annotations

from wizard.model.config import WizardConfig
from wizard.plan import Plan
from wizard.run.service import (
    ApplyPreparation,
    ResumePreparation,
    RollbackPreparation,
    Run,
    prepare_apply,
    prepare_migration,
    prepare_resume,
    prepare_rollback,
)
from wizard.run.target import Target


def apply(target: Target, config: WizardConfig) -> ApplyPreparation:
    """A new run of `config`, checked against the target (preflight): not started yet."""
    return prepare_apply(target, config)


def generated_password(prepared: ApplyPreparation) -> str | None:
    """The Windows admin password the run generated (to show once), or None."""
    from wizard.plan import WINDOWS_PASSWORD_SECRET

    if not prepared.password_generated:
        return None
    return prepared.secrets.get(WINDOWS_PASSWORD_SECRET)


def egress(run: Run) -> list[str]:
    """`name address` of each public IP the new cluster's egress leaves from (blocking)."""
    from wizard.azure.clusters import egress_now
    from wizard.azure.discovery import Discovery

    plan = run.plan
    return egress_now(Discovery(run.connection.backend), plan.resource_group,
                      plan.cluster_name)


def migration(target: Target, plan: Plan, config: WizardConfig,
              purpose: str = "") -> ApplyPreparation:
    """A run of one phase of a migration, confirmed by the user."""
    return prepare_migration(target, plan, config, purpose)


def resume(target: Target, run_id: str) -> ResumePreparation:
    """Continue `run_id` where it stopped, on the same target it started on."""
    return prepare_resume(target, run_id)


def rollback(target: Target, run_id: str) -> RollbackPreparation:
    """Hold `run_id`'s lock and list what it created and is still there."""
    return prepare_rollback(target, run_id)
