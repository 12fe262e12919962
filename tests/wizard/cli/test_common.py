"""`load_draft`: any preset and any `--set`s give findings, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard import plan as planner
from wizard.cli import common
from wizard.model import fields
from wizard.storage import presets

PATHS = sorted(fields.all_specs())
VALUES = st.sampled_from(["", "0", "1", "2", "3", "17", "-1", "none", "1,2,3", "1 2", "4,4",
                          "true", "no", "managed", "user_assigned", "load_balancer", "per_zone",
                          "single", "StandardV2", "kubenet", "1.25", "1.33", "10.0.0.0/16",
                          "10.0.255.0/24", "x" * 70, "[bold]", "Windows2025"])
VALUES = VALUES | st.text(max_size=12)
SET = st.one_of(
    st.tuples(st.sampled_from(PATHS), VALUES).map(lambda pair: f"{pair[0]}={pair[1]}"),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([None, *presets.builtin_names()]), st.lists(SET, max_size=6))
def test_any_sets_give_findings_and_a_plan_when_valid(preset: str | None,
                                                      sets: list[str]) -> None:
    draft = common.load_draft(preset, sets)
    assert draft.exit_code in (common.EXIT_OK, common.EXIT_INVALID)
    if draft.config is None:
        assert draft.evaluation.errors, "an invalid draft must say why"
    else:
        built = planner.build(draft.config)
        assert built.steps[0].kind == "resource_group"
    if draft.ok:
        assert not [f for f in draft.findings if f.severity == "error"]


def test_outbound_type_is_applied_before_the_other_settings() -> None:
    pairs, problems = common.parse_sets(["outbound.layout=per_zone", "outbound.type=user_assigned"])
    assert problems == []
    assert [path for path, _ in pairs] == ["outbound.type", "outbound.layout"]


def test_a_value_may_contain_an_equals_sign() -> None:
    pairs, _ = common.parse_sets(["description=a=b"])
    assert pairs == [("description", "a=b")]
