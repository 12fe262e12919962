"""`Basics > Outbound > NAT > ...`: where the user is, which steps are done or skipped."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from screens.widgets.shown import update
from wizard.model.steps import WizardStep


class StepIndicator(Static):
    """One line naming every step: the current one highlighted, a step with an error marked ✗
    (wherever it is), done ones ticked, skipped ones struck through (marks and text attributes,
    so it reads without colour too)."""

    def show(self, steps: tuple[WizardStep, ...], current: str, applies: dict[str, bool],
             with_errors: frozenset[str] = frozenset()) -> None:
        parts: list[Content] = []
        index = [step.id for step in steps].index(current)
        for number, step in enumerate(steps):
            label = f"{number + 1} {step.title}"
            if step.id == current:
                mark = "✗ " if step.id in with_errors else ""
                parts.append(Content.styled(f" {mark}{label} ", "bold reverse"))
            elif not applies.get(step.id, True):
                parts.append(Content.styled(label, "dim strike"))
            elif step.id in with_errors:
                parts.append(Content.styled(f"✗ {label}", "bold $text-error"))
            elif number < index:
                parts.append(Content.styled(f"✓ {label}", "$text-success"))
            else:
                parts.append(Content(label))
        update(self, Content(" > ").join(parts))
