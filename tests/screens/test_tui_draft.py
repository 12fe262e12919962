"""The draft the app edits: derived findings and plan, and what an edit changed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from screens.draft import Draft
from wizard.model import fields


def test_an_edit_marks_the_steps_it_changed() -> None:
    draft = Draft()
    assert draft.derived.changed == frozenset()
    assert draft.set_text("outbound.ip_count", "4")
    assert draft.derived.changed == {"managed_cluster"}
    assert not draft.set_text("outbound.ip_count", "4")  # same value: nothing re-derived


def test_a_renamed_step_is_changed_not_removed_and_added_again() -> None:
    """Typing a gateway's name renames the gateway and the IPs named after it, where they
    stand: the diff says changed (the plan tree marks them so), and lists nothing as removed
    (it used to list every earlier spelling)."""
    draft = Draft()
    draft.set_value("outbound.type", "user_assigned")
    draft.set_text("outbound.ip_count", "2")
    before = draft.derived.plan
    assert before is not None
    assert draft.set_text("outbound.nat_gateway_name", "myNatGatewayX")
    derived = draft.derived
    assert derived.removed == () and derived.added == frozenset()
    assert {"nat_gateway:myNatGatewayX", "public_ip:myNatGatewayX-ip1",
            "public_ip:myNatGatewayX-ip2"} <= derived.changed
    assert "nat_gateway:myNatGateway" not in derived.changed


def test_a_step_that_goes_or_comes_is_removed_or_added_not_renamed() -> None:
    """A rename pairs a step that went with one that came in its place; one IP fewer has
    nothing in its place (removed), one more had nothing there before (added)."""
    draft = Draft()
    draft.set_value("outbound.type", "user_assigned")
    draft.set_text("outbound.ip_count", "2")
    assert draft.set_text("outbound.ip_count", "1")
    assert draft.derived.removed == ("public_ip:myNatGateway-ip2",)
    assert draft.set_text("outbound.ip_count", "2")
    assert draft.derived.added == {"public_ip:myNatGateway-ip2"}
    assert draft.derived.removed == ()


def test_invalid_text_keeps_the_last_plan_and_reports_the_field() -> None:
    draft = Draft()
    before = draft.derived.plan
    draft.set_text("outbound.idle_timeout_minutes", "2")
    assert draft.derived.stale and draft.derived.plan is before
    assert [f.field for f in draft.derived.errors] == ["outbound.idle_timeout_minutes"]


def test_switching_to_user_assigned_adds_the_network_and_drops_managed_only_keys() -> None:
    draft = Draft()
    draft.set_value("outbound.type", "user_assigned")
    plan = draft.derived.plan
    assert plan is not None and plan.outbound_type == "userAssignedNATGateway"
    assert any(step.kind == "nat_gateway" for step in plan.steps)
    assert draft.value("outbound.vnet_name") == "myVnet"


def test_leaving_a_default_unset_is_not_an_edit() -> None:
    draft = Draft()
    draft.set_value("outbound.type", "user_assigned")
    assert not draft.set_text("outbound.vnet_name", "myVnet")
    assert "vnet_name" not in draft.data["outbound"]
    assert draft.set_text("outbound.vnet_name", "otherVnet")


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(sorted(fields.all_specs())), raw=st.text(max_size=30))
def test_any_text_in_any_field_never_raises(path: str, raw: str) -> None:
    draft = Draft()
    draft.set_text(path, raw)
    assert draft.derived.evaluation is not None
