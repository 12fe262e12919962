"""Soak: many applies on one sandbox with seeded random transient faults, some cancelled half-way
and resumed. The invariant after every run: it ended succeeded, or it is resumable and its resume
succeeded; and no resource was ever created twice (at most one `201 Created` PUT per resource).

The executor is driven in process (the same calls the CLI makes) so the sandbox's request log can
be read; each preset goes to one of two resource groups, so later runs also meet resources that
exist.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from tests.e2e.apply_support import BUILTINS, PASSWORD
from wizard.azure.backend import AzureBackend
from wizard.model.config import WizardConfig
from wizard.plan import WINDOWS_PASSWORD_SECRET, Plan, build
from wizard.run.events import Event, StepSucceeded
from wizard.run.executor import Executor, resume, secrets_needed
from wizard.run.journal import Journal
from wizard.sandbox import Sandbox
from wizard.storage import presets

RUNS = 20
SEED = 20261129


def config_for(preset: str, group: int) -> WizardConfig:
    data = presets.load(preset).model_dump(mode="json")
    data["cluster"]["resource_group"] = f"soak-{preset}-{group}"
    return WizardConfig.model_validate(data)


def secrets_for(plan: Plan) -> dict[str, str]:
    return ({WINDOWS_PASSWORD_SECRET: PASSWORD}
            if WINDOWS_PASSWORD_SECRET in secrets_needed(plan) else {})


def created_counts(sandbox: Sandbox) -> Counter[str]:
    """Resource path -> how many PUTs answered 201 Created (the resource did not exist)."""
    return Counter(entry.path.lower() for entry in sandbox.request_log
                   if entry.method == "PUT" and entry.status == 201
                   and entry.resource_type != "operations")


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(speed=0, faults=f"random:0.12:{SEED}")


def test_many_applies_with_random_faults_and_cancellations(sandbox: Sandbox) -> None:
    chooser = random.Random(SEED)
    backend = AzureBackend.for_sandbox(sandbox)
    backend.principal_retry_delays = (0.0, 0.0, 0.0)
    outcomes: Counter[str] = Counter()
    step_outcomes: Counter[str] = Counter()
    for index in range(RUNS):
        preset = BUILTINS[index % len(BUILTINS)]
        config = config_for(preset, chooser.randrange(2))
        plan = build(config, sandbox.subscription_id)
        journal = Journal.create(plan, config, "sandbox (soak)")
        cancel_after = chooser.randrange(1, len(plan.steps)) if index % 3 == 1 else None
        executor_box: list[Executor] = []
        succeeded: list[str] = []

        def on_event(event: Event, limit: int | None = cancel_after,
                     done: list[str] = succeeded, box: list[Executor] = executor_box) -> None:
            if isinstance(event, StepSucceeded):
                step_outcomes[event.outcome] += 1
                done.append(event.key)
                if limit is not None and len(done) >= limit:
                    box[0].cancel()

        executor = Executor(backend, journal, secrets=secrets_for(plan), on_event=on_event)
        executor_box.append(executor)
        result = executor.apply(plan)
        outcomes[result.status] += 1
        assert result.status in ("succeeded", "cancelled"), (index, preset, result.failed)
        if result.status == "cancelled":
            stored = Journal.load(result.run_id)
            assert stored.status == "cancelled"
            again = resume(result.run_id, backend, secrets=secrets_for(plan),
                           target="sandbox (soak)")
            assert again.status == "succeeded", (index, preset, again.failed)
        final = Journal.load(result.run_id)
        assert final.status == "succeeded"
        for step in plan.steps:
            found: Any = sandbox.get(step.resource_id)
            assert found is not None, (index, step.key)
        twice = {path: n for path, n in created_counts(sandbox).items() if n > 1}
        assert not twice, (index, preset, twice)
    fired = [entry.fault for entry in sandbox.request_log if entry.fault]
    assert len(fired) > RUNS, "the soak should meet many faults"
    assert outcomes["cancelled"] >= 1 and outcomes["succeeded"] >= 1
    assert step_outcomes["created"] and step_outcomes["exists"], step_outcomes
    print(f"soak: {dict(outcomes)} runs, {dict(step_outcomes)} steps, {len(fired)} faults")
