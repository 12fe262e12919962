"""The findings about the draft, errors first; choosing one asks to jump to its field."""

from __future__ import annotations

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.widgets.field_row import finding_content
from wizard.model.findings import Finding


class FindingsList(OptionList):
    """One option per finding; Enter or a click posts `JumpToField`."""

    class JumpToField(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._findings: tuple[Finding, ...] = ()

    def show_findings(self, found: tuple[Finding, ...]) -> None:
        if found == self._findings and self.option_count:
            return
        self._findings = found
        self.clear_options()
        if not found:
            self.add_option(Option(Content.styled("✓ No problems found", "$text-success"),
                                   disabled=True))
            return
        self.add_options(Option(finding_content(finding, with_field=True), id=str(index))
                         for index, finding in enumerate(found))
        self.highlighted = 0  # Enter jumps to the first finding until another is chosen

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        finding = self._findings[int(event.option.id)]
        if finding.field:
            self.post_message(self.JumpToField(finding.field))
