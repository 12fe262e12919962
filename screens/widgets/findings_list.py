"""The findings about the draft, errors first; choosing one asks to jump to its field.

Option `i` always shows finding `i`: a new list replaces the prompts that differ, adds or removes
only the tail, so an edit that changes one finding redraws one line."""

from __future__ import annotations

from collections.abc import Sequence

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

    def show_findings(self, found: Sequence[Finding]) -> None:
        """Show `found`; an option is replaced only where its finding differs from the one
        shown at that place, and only the tail is added or removed."""
        found = tuple(found)
        if found == self._findings and self.option_count:
            return
        before, self._findings = self._findings, found
        if not found or not before or not self.option_count:
            self.clear_options()
            if not found:
                self.add_option(Option(Content.styled("✓ No problems found", "$text-success"),
                                       disabled=True))
                return
            self.add_options(self._option(index, finding) for index, finding in enumerate(found))
        else:
            for index, (old, new) in enumerate(zip(before, found, strict=False)):
                if old != new:
                    self.replace_option_prompt_at_index(index, finding_content(new,
                                                                               with_field=True))
            for index in range(len(before) - 1, len(found) - 1, -1):
                self.remove_option_at_index(index)
            self.add_options(self._option(index, finding)
                             for index, finding in enumerate(found) if index >= len(before))
            self.refresh(layout=True)  # a replaced prompt may wrap to another height
        self.highlighted = 0  # Enter jumps to the first finding until another is chosen

    @staticmethod
    def _option(index: int, finding: Finding) -> Option:
        return Option(finding_content(finding, with_field=True), id=str(index))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        finding = self._findings[int(event.option.id)]
        if finding.field:
            self.post_message(self.JumpToField(finding.field))
