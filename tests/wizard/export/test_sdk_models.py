"""Every plan body of every golden case, checked against the Azure SDK model it is sent as:
every key known, none read-only, every enum value exact (tests/wizard/sdk_models.py). A typo in
a body, or a value Azure does not know, fails here before it can reach Azure."""

from __future__ import annotations

import pytest
from export_cases import CASES, plan_for

from tests.wizard.sdk_models import assert_round_trips
from wizard.plan import Step, build


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_body_of_the_golden_case_is_a_valid_sdk_model(case: str) -> None:
    plan = plan_for(case)
    assert plan.steps
    for step in plan.steps:
        assert_round_trips(step)


def test_an_enum_value_azure_does_not_know_is_caught() -> None:
    plan = plan_for("managed-standardv2")
    cluster = plan.step("managed_cluster")
    network = cluster.body["properties"]["networkProfile"]
    wrong = {**network, "natGatewayProfile": {**network["natGatewayProfile"],
                                              "sku": "Standard_v2"}}
    body = {**cluster.body, "properties": {**cluster.body["properties"],
                                           "networkProfile": wrong}}
    with pytest.raises(AssertionError, match="'Standard_v2' is not one of"):
        assert_round_trips(Step(**{**cluster.__dict__, "body": body}))
    ip_plan = build(CASES["user-assigned-standardv2"]())
    ip = next(step for step in ip_plan.steps if step.kind == "public_ip")
    lower = {**ip.body, "sku": {**ip.body["sku"], "name": "standardv2"}}
    with pytest.raises(AssertionError, match="is not one of"):
        assert_round_trips(Step(**{**ip.__dict__, "body": lower}))
