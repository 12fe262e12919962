"""The one migration draft both front ends edit: its rules, without a screen or a prompt."""

from __future__ import annotations

from wizard.azure.importer import ImportedCluster
from wizard.model.config import WizardConfig
from wizard.model.health import Recommendation
from wizard.plan.migration_draft import MigrationDraft

SUB = "11111111-2222-3333-4444-555555555555"
SUBNET_ID = (f"/subscriptions/{SUB}/resourceGroups/net-rg/providers/Microsoft.Network/"
             "virtualNetworks/corp-vnet/subnets/aks")


def cluster(outbound: dict[str, object]) -> ImportedCluster:
    config = WizardConfig.model_validate({
        "cluster": {"subscription_id": SUB, "resource_group": "app-rg", "name": "web",
                    "location": "eastus2"},
        "outbound": outbound})
    return ImportedCluster(config=config, cluster={}, network=None)


LB = cluster({"type": "load_balancer", "ip_count": 2})
LB_BYO = cluster({"type": "load_balancer", "vnet_subnet_id": SUBNET_ID})


class Verdict:
    """Just what the draft reads of a `Diagnosis`: its recommendation."""

    def __init__(self, recommendation: Recommendation | None) -> None:
        self.recommendation = recommendation


def advice(target: str = "managed", change: bool = True) -> Recommendation:
    return Recommendation(target_type=target, ip_count=4, idle_timeout_minutes=10,
                          concurrent_flows=120_000, deciding_limit="ports",
                          fits_one_gateway=True, change_needed=change, reason="peak")


def test_directions_azure_refuses_are_listed_with_their_reason() -> None:
    draft = MigrationDraft(LB)
    refused = {target: reason for target, reason in draft.refusals() if reason}
    assert draft.allowed() == ["managed"]
    assert set(refused) == {"user_assigned", "load_balancer"}
    assert "your own VNet" in refused["user_assigned"]


def test_typed_settings_become_sets_and_blank_keeps_the_default() -> None:
    draft = MigrationDraft(LB)
    draft.choose("managed")
    draft.settings = {"outbound.ip_count": " 3 ", "outbound.idle_timeout_minutes": ""}
    assert draft.overrides() == {"outbound.ip_count": "3"}
    planned = draft.replan()
    assert planned is not None and draft.problem is None
    assert planned.target.outbound.ip_count == 3  # type: ignore[union-attr]


def test_reused_ips_set_the_count_whatever_was_typed() -> None:
    draft = MigrationDraft(LB_BYO)
    draft.choose("user_assigned")
    draft.settings = {"outbound.ip_count": "7"}
    draft.reused_ips = ["/ip/a", "/ip/b"]
    assert draft.overrides() == {"outbound.public_ip_ids": "/ip/a,/ip/b",
                                 "outbound.ip_count": "2"}
    draft.choose("managed")  # another type: what was typed and picked is dropped
    assert draft.overrides() == {} and draft.reused_ips == []


def test_the_snat_verdict_prefills_only_the_type_it_recommends() -> None:
    draft = MigrationDraft(LB, diagnosis=Verdict(advice()))  # type: ignore[arg-type]
    assert draft.recommended_target() == "managed"
    draft.choose("managed")
    assert draft.advice() is not None
    assert draft.overrides()["workload.concurrent_flows"] == "120000"
    quiet = MigrationDraft(LB, diagnosis=Verdict(advice(change=False)))  # type: ignore[arg-type]
    quiet.choose("managed")
    assert quiet.recommended_target() is None and quiet.advice() is None
    assert "workload.concurrent_flows" not in quiet.overrides()


def test_a_refused_choice_is_a_problem_not_an_exception() -> None:
    draft = MigrationDraft(LB)
    draft.choose("user_assigned")
    assert draft.replan() is None
    assert draft.problem and "your own VNet" in draft.problem


def test_checks_of_an_older_plan_are_dropped() -> None:
    draft = MigrationDraft(LB)
    draft.choose("managed")
    first = draft.replan()
    assert first is not None
    draft.settings = {"outbound.ip_count": "2"}
    second = draft.replan()
    assert second is not None and draft.checks is None
    assert not draft.checked(first, [])
    assert draft.checks is None
    assert draft.checked(second, []) and draft.checks == []
