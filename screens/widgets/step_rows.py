"""The execution screen's rows: one per plan step, showing its state as events arrive."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.content import Content
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


@dataclass
class RowState:
    """What is known of one step in this run."""

    key: str
    title: str
    state: str = "waiting"
    detail: str = ""
    hint: str = ""
    started: float | None = None
    finished: float | None = None
    extra: list[str] = field(default_factory=list)


class StepRow(Static):
    """A step's line (and, when it failed, Azure's error and what to do)."""

    def __init__(self, state: RowState) -> None:
        super().__init__(classes="step-row")
        self.row = state

    def render_row(self, now: float, frame: int) -> None:
        row = self.row
        elapsed = ""
        if row.started is not None:
            end = row.finished if row.finished is not None else now
            elapsed = f"  {max(end - row.started, 0):.0f}s"
        icons = {"waiting": ("·", "dim"), "succeeded": ("✓", "$text-success"),
                 "skipped": ("↷", "$text-warning"), "failed": ("✗", "$text-error"),
                 "running": (SPINNER[frame % len(SPINNER)], "$text-accent")}
        icon, style = icons.get(row.state, ("?", ""))
        parts: list[str | tuple[str, str]] = [(f"{icon} ", f"bold {style}"), (row.title, "bold"),
                                              (f"  {row.state}", style)]
        if row.detail:
            parts.append((f": {row.detail}", style))
        parts.append((elapsed, "dim"))
        if row.hint:
            parts.append(("\n    what to do: ", "bold"))
            parts.append(row.hint)
        self.update(Content.assemble(*parts))
        self.set_class(row.state == "failed", "-failed")
