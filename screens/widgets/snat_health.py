"""The SNAT verdict of a picked cluster, with a plot of the window: the first thing the
existing-cluster path shows about it.

The verdict and its sentences come from `wizard.model.health` (the same words as `diagnose` and the
prompts); the plot is two Textual sparklines over the window: ports used / allocated (the busiest
point of each column; 100% is full) and failed connections. Text from Azure is shown as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

if TYPE_CHECKING:
    from wizard.model.health import Diagnosis, EgressSeries

VERDICT_STYLES = {"healthy": "$text-success", "at_risk": "$text-warning",
                  "exhausting": "$text-error", "no_data": "$text-muted"}


class SnatHealth(Vertical):
    """Verdict, plot and recommendation of one cluster's SNAT health."""

    DEFAULT_CSS = """
    SnatHealth { height: auto; margin-bottom: 1; }
    SnatHealth .health-plot { height: 2; margin: 0 0 0 2; }
    SnatHealth .health-caption { color: $text-muted; }
    SnatHealth #health-failed { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="health-verdict")
        yield Static("", id="health-used-caption", classes="health-caption")
        yield Sparkline([], id="health-used", classes="health-plot")
        yield Static("", id="health-failed-caption", classes="health-caption")
        yield Sparkline([], id="health-failed", classes="health-plot")
        yield Static("", id="health-details")

    def on_mount(self) -> None:
        self._plots(False, False)

    def _plots(self, used: bool, failed: bool) -> None:
        for ident, shown in (("used", used), ("failed", failed)):
            self.query_one(f"#health-{ident}", Sparkline).display = shown
            self.query_one(f"#health-{ident}-caption", Static).display = shown

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A line instead of a verdict (reading, or why there is none)."""
        self.query_one("#health-verdict", Static).update(
            Content.styled(text, "$text-warning") if error else Content(text))
        self.query_one("#health-details", Static).update("")
        self._plots(False, False)

    def show(self, diagnosis: Diagnosis, series: EgressSeries, days: int) -> None:
        """The verdict first, then the plot of the window, then the sentences."""
        from wizard.model.health import usage_share

        lines = diagnosis.summary()
        self.query_one("#health-verdict", Static).update(Content.assemble(
            ("SNAT health ", "bold"), (f"(last {days} days): ", "dim"),
            (diagnosis.words, f"bold {VERDICT_STYLES[diagnosis.verdict]}")))
        self.query_one("#health-details", Static).update(Content("\n".join(lines[1:])))
        if series.empty:
            self._plots(False, False)
            return
        shares = usage_share(series)
        used = self.query_one("#health-used", Sparkline)
        used.data = shares
        failed = any(series.failed_connections)
        self.query_one("#health-used-caption", Static).update(Content(
            f"Ports used / allocated over the window (peak {max(shares, default=0):.0%})"))
        if failed:
            self.query_one("#health-failed", Sparkline).data = list(series.failed_connections)
            self.query_one("#health-failed-caption", Static).update(Content(
                "Failed connections (for want of a SNAT port)"))
        self._plots(True, failed)
