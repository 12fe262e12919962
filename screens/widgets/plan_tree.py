"""The plan as a tree of Azure resources, in the order they are created.

Each resource is a node (name and kind); expanding it shows what it is, what it waits for, the
SNAT ports it brings and why it is needed. Resources the last edit added or changed are marked
("+ new", "* changed") so the effect of a keystroke is visible at once; labels are Rich `Text`
(never markup strings), since names are what the user typed.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from wizard.plan import Plan, Step
from wizard.text.safe import safe_text


def _step_label(step: Step, number: int, changed: bool, is_new: bool) -> Text:
    """`3. name + new  kind`: the mark before the kind, so a narrow panel cuts the kind first."""
    label = Text(f"{number}. ")
    label.append(safe_text(step.name), style="bold" if changed else "")
    if is_new:
        label.append(" + new", style="bold reverse")
    elif changed:
        label.append(" * changed", style="bold reverse")
    label.append(f"  {step.kind.replace('_', ' ')}", style="dim")
    return label


class PlanTree(Tree[str]):
    """The plan's resources; `show_plan` rebuilds it, keeping which nodes were expanded."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Plan"), id=id)
        self.show_root = True
        self.guide_depth = 3

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, ending in an ellipsis where the panel is too narrow for it (a word cut
        in the middle, "resource gro", reads as a typo)."""
        label = super().render_label(node, base_style, style)
        width = self.scrollable_content_region.width
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        room = width - depth * self.guide_depth
        if width and label.cell_len > room > 1:
            label.truncate(room, overflow="ellipsis")
        return label

    def show_plan(self, plan: Plan | None, changed: frozenset[str] = frozenset(),
                  previous_keys: frozenset[str] = frozenset(), stale: bool = False) -> None:
        expanded = {node.data for node in self._tree_nodes.values()
                    if node.is_expanded and node.data}
        self.clear()
        if plan is None:
            self.root.set_label(Text("Plan: fix the errors to see it"))
            return
        title = Text(f"Plan: {len(plan.steps)} resources, "
                     f"{plan.total_snat_ports:,} SNAT ports")
        if stale:
            title.append("  (last valid settings)", style="italic")
        self.root.set_label(title)
        number = {step.key: index for index, step in enumerate(plan.steps, start=1)}
        for step in plan.steps:
            is_new = bool(previous_keys) and step.key not in previous_keys
            node = self.root.add(_step_label(step, number[step.key], step.key in changed,
                                             is_new), data=step.key,
                                 expand=step.key in expanded)
            node.add_leaf(Text(safe_text(step.summary)))
            if step.depends_on:
                after = ", ".join(str(number[key]) for key in step.depends_on if key in number)
                node.add_leaf(Text(f"after: {after}", style="dim"))
            if step.snat_ports:
                node.add_leaf(Text(f"SNAT ports: {step.snat_ports:,}"))
            node.add_leaf(Text(f"why: {step.why}", style="italic"))
        self.root.expand()
