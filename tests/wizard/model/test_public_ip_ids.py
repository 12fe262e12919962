"""`outbound.public_ip_ids`: existing public IPs for a user-assigned NAT gateway. The id's shape,
the cross-field rules (count, duplicates, per-zone, subscription), and the field as `--set`, the
prompts and an input box read it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.wizard.scripted_asker import ScriptedAsker
from wizard.cli import common
from wizard.model import fields
from wizard.model.config import WizardConfig, parse_public_ip_id, public_ip_id_problem
from wizard.model.evaluation import evaluate
from wizard.model.steps import step_of
from wizard.prompts.questions import ask_field

SUB = "3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b"
OTHER_SUB = "11111111-2222-3333-4444-555555555555"


def ip_id(name: str, group: str = "net-rg", sub: str = SUB) -> str:
    return (f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.Network/"
            f"publicIPAddresses/{name}")


def errors(outbound: dict[str, Any], **cluster: Any) -> dict[str, str]:
    """Field -> message of every error finding for a user-assigned config."""
    found = evaluate({"cluster": cluster, "outbound": {"type": "user_assigned", **outbound}})
    return {f.field: f.message for f in found.errors}


# -- the id's shape ----------------------------------------------------------------------------

def test_a_valid_id_is_kept_as_given_and_split_into_its_parts() -> None:
    config = WizardConfig.model_validate(
        {"outbound": {"type": "user_assigned", "public_ip_ids": [ip_id("egress-1")]}})
    assert config.outbound.public_ip_ids == [ip_id("egress-1")]  # type: ignore[union-attr]
    assert parse_public_ip_id(ip_id("egress-1")) == (SUB, "net-rg", "egress-1")


def test_the_shape_is_matched_without_regard_to_case() -> None:
    lowered = ip_id("Egress_1", group="Net.RG(1)").lower()
    assert public_ip_id_problem(lowered) is None
    assert public_ip_id_problem(lowered.upper()) is None


@pytest.mark.parametrize(("raw", "words"), [
    ("egress-1", "not a public IP's resource id"),
    (ip_id("x").replace("publicIPAddresses", "natGateways"), "not a public IP's resource id"),
    (ip_id("x") + "/extra", "not a public IP's resource id"),
    (ip_id("x", sub="my-subscription"), "not a subscription ID"),
    (ip_id("x", group="bad/group"), "not a public IP's resource id"),
    (ip_id("x", group="ends-with-dot."), "not a valid resource group name"),
    (ip_id("-starts-with-dash"), "not a valid"),
])
def test_malformed_ids_are_refused_with_a_message_showing_the_shape(raw: str, words: str) -> None:
    found = errors({"public_ip_ids": [raw]})
    assert list(found) == ["outbound.public_ip_ids"]
    assert words in found["outbound.public_ip_ids"]
    if words.startswith("not a public IP"):
        assert "/subscriptions/SUBSCRIPTION-ID/resourceGroups/GROUP/providers/" \
               "Microsoft.Network/publicIPAddresses/NAME" in found["outbound.public_ip_ids"]


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_is_an_id_or_a_clear_problem_never_an_exception(raw: str) -> None:
    problem = public_ip_id_problem(raw)
    if problem is None:
        assert parse_public_ip_id(raw)[2]
    found = evaluate({"outbound": {"type": "user_assigned", "public_ip_ids": [raw]}})
    if problem is not None:
        assert found.config is None
        assert any(f.field == "outbound.public_ip_ids" for f in found.errors)


@settings(max_examples=200)
@given(st.from_regex(r"[a-zA-Z0-9][-a-zA-Z0-9_.]{0,20}[a-zA-Z0-9_]", fullmatch=True),
       st.from_regex(r"[a-zA-Z0-9][-a-zA-Z0-9_()]{0,20}", fullmatch=True))
def test_any_well_named_id_is_accepted(name: str, group: str) -> None:
    raw = ip_id(name, group=group)
    assert public_ip_id_problem(raw) is None
    assert errors({"public_ip_ids": [raw]}) == {}


# -- cross-field rules -------------------------------------------------------------------------

def test_the_ip_count_must_equal_the_number_listed() -> None:
    found = errors({"public_ip_ids": [ip_id("a"), ip_id("b")], "ip_count": 1})
    assert list(found) == ["outbound.ip_count"]
    assert "2 listed" in found["outbound.ip_count"]
    assert "outbound.ip_count = 2" in found["outbound.ip_count"]
    assert errors({"public_ip_ids": [ip_id("a"), ip_id("b")], "ip_count": 2}) == {}
    assert errors({"public_ip_ids": [], "ip_count": 5}) == {}  # none listed: any count


def test_an_ip_listed_twice_is_refused_whatever_its_case() -> None:
    found = errors({"public_ip_ids": [ip_id("a"), ip_id("a").upper()], "ip_count": 2})
    assert list(found) == ["outbound.public_ip_ids"]
    assert "listed twice" in found["outbound.public_ip_ids"]


def test_the_per_zone_layout_refuses_listed_ips_and_says_what_to_do() -> None:
    found = errors({"public_ip_ids": [ip_id("a")], "layout": "per_zone", "zones": "1,2"})
    assert list(found) == ["outbound.public_ip_ids"]
    message = found["outbound.public_ip_ids"]
    assert "each zone's NAT gateway needs its own addresses" in message
    assert "single layout" in message and "leave the lists empty" in message
    assert errors({"public_ip_ids": [ip_id("a")], "layout": "single", "zones": "1"}) == {}


def test_an_ip_of_another_subscription_is_refused_when_the_cluster_names_one() -> None:
    found = errors({"public_ip_ids": [ip_id("a", sub=SUB)]}, subscription_id=OTHER_SUB)
    assert list(found) == ["outbound.public_ip_ids"]
    assert SUB in found["outbound.public_ip_ids"] and OTHER_SUB in found["outbound.public_ip_ids"]
    assert errors({"public_ip_ids": [ip_id("a", sub=SUB.upper())]}, subscription_id=SUB) == {}
    assert errors({"public_ip_ids": [ip_id("a", sub=SUB)]}) == {}  # none set: checked at apply


def test_at_most_sixteen_ips() -> None:
    ids = [ip_id(f"ip{i}") for i in range(17)]
    assert "outbound.public_ip_ids" in errors({"public_ip_ids": ids, "ip_count": 16})


def test_a_managed_standardv2_gateway_takes_your_own_ips_and_standard_refuses_them() -> None:
    own = {"type": "managed", "public_ip_ids": [ip_id("a")]}
    assert evaluate({"outbound": {**own, "sku": "StandardV2"}}).errors == ()
    found = evaluate({"outbound": {**own, "sku": "Standard"},
                      "cluster": {"location": "canadaeast"}})
    messages = {f.field: f.message for f in found.errors}
    assert "only with the StandardV2 SKU" in messages["outbound.public_ip_ids"]


# -- the field in every front end --------------------------------------------------------------

def test_the_field_is_a_comma_separated_list_of_both_nat_gateway_types() -> None:
    spec = fields.spec("outbound.public_ip_ids")
    assert spec.kind == "list" and set(spec.outbound_types) == {"managed", "user_assigned"}
    assert spec.default == []
    assert fields.outbound_spec("outbound.public_ip_ids", "user_assigned").label == (
        "Existing public IPs")
    assert fields.outbound_spec("outbound.public_ip_ids", "managed").label == (
        "Your own public IPs")
    assert fields.spec("outbound.zones").kind == "zones"  # a list of choices stays checkboxes
    step = step_of("outbound.public_ip_ids")
    assert step is not None and step.id == "nat"
    assert "outbound.public_ip_ids" in step.visible_paths({"outbound": {"type": "user_assigned"}})
    assert "outbound.public_ip_ids" in step.visible_paths({"outbound": {"type": "managed"}})
    assert "outbound.public_ip_ids" not in step.visible_paths(
        {"outbound": {"type": "load_balancer"}})


@pytest.mark.parametrize(("raw", "value"), [
    ("", []), ("none", []), ("[]", []),
    (f"{ip_id('a')},{ip_id('b')}", [ip_id("a"), ip_id("b")]),
    (f" {ip_id('a')} , {ip_id('b')} ", [ip_id("a"), ip_id("b")]),
    (f'["{ip_id("a")}"]', [ip_id("a")]),
])
def test_typed_text_becomes_the_list(raw: str, value: list[str]) -> None:
    assert fields.parse_value(fields.spec("outbound.public_ip_ids"), raw) == value


@pytest.mark.parametrize("value", [[], [ip_id("a")], [ip_id("a"), ip_id("b", group="g(2)")]])
def test_format_value_reads_back(value: list[str]) -> None:
    spec = fields.spec("outbound.public_ip_ids")
    assert fields.parse_value(spec, fields.format_value(value)) == value


def test_set_on_the_command_line() -> None:
    draft = common.load_draft("user-assigned", [
        f"outbound.public_ip_ids={ip_id('a')},{ip_id('b')}", "outbound.ip_count=2"])
    assert draft.config is not None, draft.evaluation.findings
    assert draft.config.outbound.public_ip_ids == [ip_id("a"), ip_id("b")]  # type: ignore[union-attr]
    emptied = common.load_draft("user-assigned", ["outbound.public_ip_ids="])
    assert emptied.config is not None
    assert emptied.config.outbound.public_ip_ids == []  # type: ignore[union-attr]
    bad = common.load_draft("user-assigned", ["outbound.public_ip_ids=my-ip"])
    assert bad.config is None
    assert [f.field for f in bad.evaluation.errors] == ["outbound.public_ip_ids"]


def test_the_prompt_reasks_until_the_ids_are_valid() -> None:
    asker = ScriptedAsker({"Existing public IPs": ["my-ip", ip_id("a")]})
    draft = ask_field(asker, {"outbound": {"type": "user_assigned"}}, "outbound.public_ip_ids")
    assert draft["outbound"]["public_ip_ids"] == [ip_id("a")]
    assert asker.asked == ["Existing public IPs", "Existing public IPs"]
    assert any("not a public IP's resource id" in said for said in asker.said)
