"""The plan as a tree of Azure resources, in the order they are created.

Each resource is a node (name and kind); expanding it shows what it is, what it waits for, the
SNAT ports it brings and why it is needed. Resources the last edit added or changed are marked
("+ new", "* changed") so the effect of a keystroke is visible at once; labels are Rich `Text`
(never markup strings), since names are what the user typed.

The tree is updated by difference, keyed by step key: after an edit only the nodes of steps that
were added, removed or changed (or renumbered) are touched, so typing a name costs a few labels,
not a tree rebuilt from nothing. A step whose key changed in place (a renamed NAT gateway) reuses
the node that stood there.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.geometry import Region
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from wizard.plan import Plan
from wizard.text.safe import safe_text


@dataclass(frozen=True)
class NodeView:
    """What one step's node shows, as plain data (compared on every edit; the `Text` labels
    are made only for the nodes that change)."""

    key: str
    number: int
    name: str
    kind: str
    changed: bool
    is_new: bool
    summary: str
    after: str
    """The numbers of the steps it waits for ("" when none)."""
    snat_ports: int
    why: str

    @property
    def label_key(self) -> tuple[object, ...]:
        return (self.number, self.name, self.kind, self.changed, self.is_new)

    @property
    def leaves_key(self) -> tuple[object, ...]:
        return (self.summary, self.after, self.snat_ports, self.why)

    def label(self) -> Text:
        """`3. name + new  kind`: the mark before the kind, so a narrow panel cuts the kind
        first."""
        label = Text(f"{self.number}. ")
        label.append(safe_text(self.name), style="bold" if self.changed else "")
        if self.is_new:
            label.append(" + new", style="bold reverse")
        elif self.changed:
            label.append(" * changed", style="bold reverse")
        label.append(f"  {self.kind.replace('_', ' ')}", style="dim")
        return label

    def leaves(self) -> list[Text]:
        leaves = [Text(safe_text(self.summary))]
        if self.after:
            leaves.append(Text(f"after: {self.after}", style="dim"))
        if self.snat_ports:
            leaves.append(Text(f"SNAT ports: {self.snat_ports:,}"))
        leaves.append(Text(f"why: {self.why}", style="italic"))
        return leaves


def node_views(plan: Plan, changed: frozenset[str], added: frozenset[str]) -> list[NodeView]:
    """Every step's node as `show_plan` shows it, in plan order."""
    number = {step.key: index for index, step in enumerate(plan.steps, start=1)}
    return [NodeView(step.key, number[step.key], step.name, step.kind, step.key in changed,
                     step.key in added, step.summary,
                     ", ".join(str(number[key]) for key in step.depends_on if key in number),
                     step.snat_ports, step.why)
            for step in plan.steps]


def plan_title(plan: Plan | None, stale: bool) -> Text:
    if plan is None:
        return Text("Plan: fix the errors to see it")
    title = Text(f"Plan: {len(plan.steps)} resources, {plan.total_snat_ports:,} SNAT ports")
    if stale:
        title.append("  (last valid settings)", style="italic")
    return title


class PlanTree(Tree[str]):
    """The plan's resources; `show_plan` updates it by difference, keeping which nodes were
    expanded."""

    def __init__(self, *, id: str | None = None) -> None:
        self._unlabelled: dict[int, NodeView] = {}
        """Nodes (by id) whose label changed but is not made yet: a label is made when its
        line is painted (`render_label`), so typing a gateway's name, which renames it and the
        fifty IPs named after it, makes the eight labels in view, not fifty-one."""
        super().__init__(Text("Plan"), id=id)
        self.show_root = True
        self.guide_depth = 3
        self._views: list[NodeView] = []
        """What each step node shows now, in the order of `root.children`."""
        self._title: tuple[object, ...] = ()
        self._by_key: dict[str, NodeView] = {}

    def process_label(self, label: str | Text) -> Text:
        """A label as shown: the plan's labels are `Text` of one line already (names pass
        through `safe_text`, which escapes newlines), so they are taken as they are instead of
        being split into lines and copied (Tree's default)."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, ending in an ellipsis where the panel is too narrow for it (a word cut
        in the middle, "resource gro", reads as a typo)."""
        self._make_label(node)
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
                  added: frozenset[str] = frozenset(), stale: bool = False) -> bool:
        """Show `plan`, marking the `changed` steps and the `added` ones as new; only what
        differs from what is shown is touched. True when anything changed."""
        title = plan_title(plan, stale)
        touched = False
        if (title.plain, tuple(title.spans)) != self._title:
            self._title = (title.plain, tuple(title.spans))
            self.root.set_label(title)
            touched = True
        views = node_views(plan, changed, added) if plan is not None else []
        if self._update_nodes(views):
            touched = True
        if not self.root.is_expanded:
            self.root.expand()
        return touched

    def _update_nodes(self, views: list[NodeView]) -> bool:
        old = self._views
        if old == views:
            return False
        nodes = list(self.root.children)
        matcher = difflib.SequenceMatcher(None, [v.key for v in old], [v.key for v in views],
                                          autojunk=False)
        kept: list[TreeNode[str]] = []
        relabelled: list[TreeNode[str]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            reused = i2 - i1 if tag == "equal" else min(i2 - i1, j2 - j1)
            for node, before, after in zip(nodes[i1:i1 + reused], old[i1:i1 + reused],
                                           views[j1:j1 + reused], strict=True):
                if tag != "equal":  # a step renamed in place: its node, relabelled
                    node.data = after.key
                if self._relabel(node, before, after):
                    relabelled.append(node)
                kept.append(node)
            for node in nodes[i1 + reused:i2]:
                self._unlabelled.pop(node.id, None)
                node.remove()
            for after in views[j1 + reused:j2]:
                kept.append(self.root.add(after.label(), data=after.key, after=kept[-1])
                            if kept else self.root.add(after.label(), data=after.key, before=0))
        self._views = views
        self._by_key = {view.key: view for view in views}
        self._repaint_lines(relabelled)
        return True

    def shown_label(self, node: TreeNode[str]) -> Text:
        """The label `node` shows (or will show once its line is painted)."""
        self._make_label(node)
        label = node.label
        return label if isinstance(label, Text) else Text(label)

    def _relabel_later(self, node: TreeNode[str], view: NodeView) -> None:
        """Give `node` the label of `view` when it is next painted.

        Textual 8's `TreeNode` keeps its label in `_label` and counts its changes in
        `_updates`, which keys the tree's line cache; `set_label` sets the one, counts the
        other and queues a callback to repaint the node's lines. Here the count is taken now
        (a cached line of the old label is never shown again), the label is made in
        `render_label`, and `_repaint_lines` repaints what is in view: no callback per node.
        `tests/screens/test_tui_diffing.py` reads the new labels off the screen."""
        node._updates += 1
        self._unlabelled[node.id] = view

    def _make_label(self, node: TreeNode[str]) -> None:
        view = self._unlabelled.pop(node.id, None)
        if view is not None:
            node._label = view.label()

    def _repaint_lines(self, nodes: list[TreeNode[str]]) -> None:
        """Repaint the lines of `nodes` that are in view, and no others: a repainted line costs
        as much as a new label (nodes added or removed repaint the whole tree anyway)."""
        top, height, width = self.scroll_offset.y, self.size.height, self.size.width
        for node in nodes:
            line = node.line
            if top <= line < top + height:
                self.refresh(Region(0, line - top, width, 1))

    def _relabel(self, node: TreeNode[str], before: NodeView, after: NodeView) -> bool:
        """Show `after` on the node that showed `before`; True when its label changed."""
        if before.leaves_key != after.leaves_key and node.children:
            if node.is_expanded:
                self._show_leaves(node, after)
            else:
                node.remove_children()  # filled in again when it is expanded
        if before.label_key == after.label_key:
            return False
        self._relabel_later(node, after)
        return True

    def _show_leaves(self, node: TreeNode[str], view: NodeView) -> None:
        leaves, labels = node.children, view.leaves()
        if len(leaves) == len(labels):
            for leaf, label in zip(leaves, labels, strict=True):
                shown = leaf.label
                if not isinstance(shown, Text) or (shown.plain, shown.spans) != (label.plain,
                                                                                 label.spans):
                    leaf.set_label(label)
            return
        node.remove_children()
        for label in labels:
            node.add_leaf(label)

    @on(Tree.NodeExpanded)
    def _fill(self, event: Tree.NodeExpanded[str]) -> None:
        """A step's leaves (what it is, what it waits for, its ports, why) are made when it is
        first expanded: a keystroke that changes fifty steps relabels fifty lines only."""
        node = event.node
        view = self._by_key.get(node.data or "")
        if view is not None and node.parent is self.root and not node.children:
            self._show_leaves(node, view)
