"""`Basics > Outbound > NAT > ...`: where the user is, which steps are done or skipped."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from wizard.steps import WizardStep


class StepIndicator(Static):
    """One line naming every step: the current one highlighted, done ones ticked, skipped ones
    struck through (a text attribute, so it shows without colour too)."""

    def show(self, steps: tuple[WizardStep, ...], current: str, applies: dict[str, bool]) -> None:
        parts: list[Content] = []
        index = [step.id for step in steps].index(current)
        for number, step in enumerate(steps):
            label = f"{number + 1} {step.title}"
            if step.id == current:
                parts.append(Content.styled(f" {label} ", "bold reverse"))
            elif not applies.get(step.id, True):
                parts.append(Content.styled(label, "dim strike"))
            elif number < index:
                parts.append(Content.styled(f"✓ {label}", "$text-success"))
            else:
                parts.append(Content(label))
        self.update(Content(" > ").join(parts))
