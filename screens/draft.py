"""The one configuration the app edits, and what is derived from it on every edit.

The draft is a plain mapping in the preset's shape (what `wizard.model.fields.set_text` edits), so a
half-typed value ("abc" in a number box) can live in it and be reported as a finding instead of
being refused. After every edit the findings are evaluated again and the plan rebuilt (both take
about a millisecond), and the plan is compared with the previous one so the side panel can mark
what the edit changed. Nothing here imports Textual: it is plain state a test can drive.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wizard import plan
from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.evaluation import Evaluation, evaluate
from wizard.model.findings import Finding, sort_findings
from wizard.plan import Plan
from wizard.storage.presets import to_data

if TYPE_CHECKING:
    from wizard.azure.offers import Offers


def default_data() -> dict[str, Any]:
    """A new configuration: every setting at its declared default."""
    return to_data(WizardConfig())


@dataclass(frozen=True)
class Derived:
    """Findings and plan of the draft as it is now."""

    evaluation: Evaluation
    plan: Plan | None
    """The plan of the last valid configuration (None until there was one)."""
    stale: bool = False
    """True when the draft is invalid and `plan` belongs to an earlier, valid draft."""
    changed: frozenset[str] = field(default_factory=frozenset)
    """Step keys that are new or different since the previous edit."""
    removed: tuple[str, ...] = ()
    added: frozenset[str] = field(default_factory=frozenset)
    """Step keys the previous plan did not have (a subset of `changed`)."""

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.evaluation.errors

    def findings_for(self, path: str) -> list[Finding]:
        return [f for f in self.evaluation.findings if f.field == path]


def _plan_diff(old: Plan | None, new: Plan) -> tuple[frozenset[str], tuple[str, ...],
                                                    frozenset[str]]:
    """The keys of steps changed (or new), removed, and new since `old`.

    A step whose key changed where it stands (same kind, same place in the order: a renamed NAT
    gateway and the IPs named after it) is the same resource under a new name: changed, not
    removed and added again, so typing a name marks what it renames instead of listing every
    earlier spelling as removed."""
    if old is None:
        return frozenset(), (), frozenset()
    before = {step.key: step for step in old.steps}
    after = {step.key: step for step in new.steps}
    # Steps are frozen dataclasses: equal when every field (the body included) is.
    changed = frozenset(key for key, value in after.items() if before.get(key) != value)
    renamed_from, renamed_to = _renamed(old, new)
    removed = tuple(key for key in before if key not in after and key not in renamed_from)
    added = frozenset(key for key in after if key not in before and key not in renamed_to)
    return changed, removed, added


def _renamed(old: Plan, new: Plan) -> tuple[set[str], set[str]]:
    """The old and the new keys of steps renamed in place: where the key order differs by a
    replacement, the replaced steps paired one to one while their kinds agree."""
    old_keys = [step.key for step in old.steps]
    new_keys = [step.key for step in new.steps]
    if old_keys == new_keys:
        return set(), set()
    gone, came = set(old_keys) - set(new_keys), set(new_keys) - set(old_keys)
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    renamed_from: set[str] = set()
    renamed_to: set[str] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        for before, after in zip(old.steps[i1:i2], new.steps[j1:j2], strict=False):
            if before.kind == after.kind and before.key in gone and after.key in came:
                renamed_from.add(before.key)
                renamed_to.add(after.key)
    return renamed_from, renamed_to


class Draft:
    """The configuration being edited, with its findings and plan always up to date."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = copy.deepcopy(data) if data is not None else default_data()
        self.offers: Offers | None = None
        """What the target offers, as far as workers have fetched it: the regions (then region
        and zones are checked on every edit), then the chosen region's Kubernetes versions and
        VM sizes (then those are checked too). None: nothing known, nothing checked."""
        self.derived = self._derive(None)

    def set_offers(self, offers: Offers) -> None:
        """Learn (more of) what the target offers and re-check the draft against it."""
        self.offers = offers
        self.derived = self._derive(self.derived.plan)


    @property
    def outbound_type(self) -> str:
        return str(fields.get_path(self.data, "outbound.type") or "managed")

    def value(self, path: str) -> Any:
        """The draft's value of `path`, or the declared default when the draft leaves it out."""
        found = fields.get_path(self.data, path)
        if found is None and not self._has(path):
            return fields.outbound_spec(path, self.outbound_type).default
        return found

    def _has(self, path: str) -> bool:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def _derive(self, previous: Plan | None) -> Derived:
        evaluation = evaluate(self.data)
        if evaluation.config is None:
            return Derived(evaluation, previous, stale=previous is not None)
        try:
            built = plan.build(evaluation.config)
        except ValueError as error:  # a plan that cannot be built is an error finding
            problem = Finding("error", "", f"the plan cannot be built: {error}", code="plan")
            return Derived(Evaluation(None, (*evaluation.findings, problem)), previous,
                           stale=previous is not None)
        if self.offers is not None:
            from wizard.azure.offers import offer_findings

            extra = offer_findings(evaluation.config, self.offers)
            evaluation = Evaluation(evaluation.config,
                                    tuple(sort_findings([*evaluation.findings, *extra])))
        changed, removed, added = _plan_diff(previous, built)
        return Derived(evaluation, built, changed=changed, removed=removed, added=added)

    def set_value(self, path: str, value: Any) -> bool:
        """Set `path` to an already-parsed value; False (and nothing re-derived) if unchanged."""
        if self._has(path) and fields.get_path(self.data, path) == value:
            return False
        if not self._has(path) and self.value(path) == value:
            return False  # the default, which the draft already means by leaving it out
        self.data = fields.set_path(self.data, path, value)
        self.derived = self._derive(self.derived.plan)
        return True

    def set_text(self, path: str, raw: str) -> bool:
        """Set `path` from text as typed (parsed the way `--set` parses it)."""
        spec = fields.outbound_spec(path, self.outbound_type)
        return self.set_value(path, fields.parse_value(spec, raw))

    def replace(self, data: dict[str, Any]) -> None:
        """Start over from `data` (a preset's mapping); nothing is marked changed."""
        self.data = copy.deepcopy(data)
        self.derived = self._derive(None)

    def config(self) -> WizardConfig | None:
        return self.derived.evaluation.config
