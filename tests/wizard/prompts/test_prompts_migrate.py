"""The `--simple` path for an existing cluster, with scripted answers, on the demo sandbox: pick a
cluster, a new outbound type (refused ones listed with the reason), settings, confirm, run with the
pause between new IPs and moving egress."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tests.sandbox_target import reach
from tests.wizard.scripted_asker import ScriptedAsker, run_session
from wizard.model.config import WizardConfig
from wizard.plan import migration as migrate
from wizard.prompts.migration import EXISTING, TARGET_LABELS, MigrationFlow
from wizard.sandbox import Sandbox

WRITES = {"PUT", "PATCH", "POST", "DELETE"}
LB = "demo-rg/lb-cluster: loadBalancer, eastus2, AKS-managed VNet"
BYO = "demo-rg/byo-cluster: loadBalancer, eastus2, your own VNet"
MOVE = "Allow-lists updated; move egress"




class Recorder(ScriptedAsker):
    """A scripted asker that also keeps the choices each select offered."""

    def __init__(self, answers: dict[str, Any]) -> None:
        super().__init__({"Start from": [EXISTING], **answers})
        self.offered: dict[str, list[str]] = {}

    def select(self, message: str, choices: list[str], default: str, help: str) -> str | None:
        self.offered[message] = list(choices)
        return super().select(message, choices, default, help)


run = run_session


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{e.method} {e.path}" for e in sandbox.request_log if e.method in WRITES]


def net(sandbox: Sandbox) -> str:
    return f"/subscriptions/{sandbox.subscription_id}/resourceGroups/demo-rg/providers/" \
        "Microsoft.Network"


def network_profile(sandbox: Sandbox, name: str) -> dict[str, Any]:
    found = sandbox.get(f"/subscriptions/{sandbox.subscription_id}/resourceGroups/demo-rg/"
                        f"providers/Microsoft.ContainerService/managedClusters/{name}")
    assert found is not None
    profile: dict[str, Any] = found["properties"]["networkProfile"]
    return profile


def subnet_gateway(sandbox: Sandbox) -> Any:
    subnet = sandbox.get(f"{net(sandbox)}/virtualNetworks/demo-vnet/subnets/aks-subnet")
    assert subnet is not None
    return subnet["properties"].get("natGateway")


def test_the_start_offers_an_existing_cluster_beside_new_and_presets(demo: Sandbox) -> None:
    asker = Recorder({"Start from": [None]})
    assert run(asker)[0] == 130
    assert asker.offered["Start from"][:2][1] == EXISTING


def test_load_balancer_cluster_to_managed_end_to_end(demo: Sandbox) -> None:
    old = network_profile(demo, "lb-cluster")["loadBalancerProfile"]["effectiveOutboundIPs"]
    asker = Recorder({"Cluster to change": [LB], "Move egress to": [TARGET_LABELS["managed"]],
                      "Idle timeout": ["10"], "Migrate demo-rg/lb-cluster": [True]})
    code, said = run(asker)
    assert code == 0, said
    assert asker.offered["Cluster to change"] == [BYO, LB]
    assert "Egress leaves from:" in said and "outbound type loadBalancer on the VNet AKS" in said
    assert "falls from 30 minutes (load balancer) to 10" in said
    assert not any(m.startswith(MOVE) for m in asker.asked)  # no new IPs of ours: no pause
    profile = network_profile(demo, "lb-cluster")
    assert profile["outboundType"] == "managedNATGateway"
    assert profile["natGatewayProfile"]["idleTimeoutInMinutes"] == 10
    assert profile["natGatewayProfile"]["effectiveOutboundIPs"] != old
    assert "Done: demo-rg/lb-cluster now uses outbound type managedNATGateway." in said
    assert "Egress IPs now:" in said and "none found" not in said


@pytest.mark.parametrize(("choice", "offered", "refused", "reason"), [
    (LB, "managed", ("user_assigned", "load_balancer"), "your own VNet"),
    (BYO, "user_assigned", ("managed", "load_balancer"), "VNet AKS creates"),
])
def test_a_refused_direction_is_not_offered_and_its_reason_is_shown(
        demo: Sandbox, choice: str, offered: str, refused: tuple[str, ...], reason: str) -> None:
    asker = Recorder({"Cluster to change": [choice], "Move egress to": [None]})
    code, said = run(asker)
    assert code == 130 and "nothing was changed" in said
    assert asker.offered["Move egress to"] == [TARGET_LABELS[offered]]
    for target in refused:
        assert f"Not possible: {TARGET_LABELS[target]}:" in said
    assert reason in said and "already uses outbound type loadBalancer" in said
    assert writes(demo) == []


def test_byo_cluster_to_user_assigned_pauses_before_egress_moves(demo: Sandbox) -> None:
    seen: dict[str, Any] = {}

    class Pausing(Recorder):
        def confirm(self, message: str, default: bool, help: str) -> bool | None:
            if message.startswith(MOVE):  # the new IPs exist; egress has not moved
                gateway = f"{net(demo)}/natGateways/byo-cluster-natgw"
                seen["outbound"] = network_profile(demo, "byo-cluster")["outboundType"]
                seen["subnet"] = subnet_gateway(demo)
                seen["gateway"] = demo.get(gateway)
                seen["ips"] = [demo.get(f"{net(demo)}/publicIPAddresses/byo-cluster-natgw-ip{n}")
                               for n in (1, 2)]
            return super().confirm(message, default, help)

    asker = Pausing({"Cluster to change": [BYO],
                     "Move egress to": [TARGET_LABELS["user_assigned"]],
                     "Outbound public IPs": ["0", "many", "2"], "Idle timeout": ["200", "10"],
                     "Migrate demo-rg/byo-cluster": [True], MOVE: [True]})
    code, said = run(asker)
    assert code == 0, said
    # Bad answers were re-asked with the reason, never a traceback.
    assert asker.asked.count("Outbound public IPs (1-16)") == 3
    assert asker.asked.count("Idle timeout (minutes) (4-120)") == 2
    assert any("you gave 0" in line for line in asker.said)
    assert any("'many'" in line for line in asker.said)
    # At the pause: two new IPs with addresses, shown; nothing else written yet.
    assert seen["outbound"] == "loadBalancer" and not seen["subnet"] and seen["gateway"] is None
    addresses = [ip["properties"]["ipAddress"] for ip in seen["ips"]]
    assert all(addresses)
    assert "New egress IPs (add them to allow-lists now): byo-cluster-natgw-ip1 " \
        f"{addresses[0]}, byo-cluster-natgw-ip2 {addresses[1]}" in said
    # After the second yes: egress moved.
    assert network_profile(demo, "byo-cluster")["outboundType"] == "userAssignedNATGateway"
    assert str(subnet_gateway(demo)["id"]).endswith("/natGateways/byo-cluster-natgw")
    gateway = demo.get(f"{net(demo)}/natGateways/byo-cluster-natgw")
    assert gateway is not None and gateway["properties"]["idleTimeoutInMinutes"] == 10
    assert f"Egress IPs now: byo-cluster-natgw-ip1 {addresses[0]}" in said


def test_declining_the_move_leaves_egress_where_it_was_and_says_how_to_go_on(
        demo: Sandbox) -> None:
    asker = Recorder({"Cluster to change": [BYO],
                      "Move egress to": [TARGET_LABELS["user_assigned"]],
                      "Migrate demo-rg/byo-cluster": [True], MOVE: [False]})
    code, said = run(asker)
    assert code == 0  # a deliberate stop, as when an apply is declined
    assert network_profile(demo, "byo-cluster")["outboundType"] == "loadBalancer"
    assert not subnet_gateway(demo)
    assert demo.get(f"{net(demo)}/publicIPAddresses/byo-cluster-natgw-ip1") is not None
    assert "Egress has not moved" in said
    assert "aks-nat-wizard migrate demo-rg/byo-cluster --to user_assigned" in said
    assert "aks-nat-wizard rollback" in said


def test_declining_the_confirmation_changes_nothing(demo: Sandbox) -> None:
    asker = Recorder({"Cluster to change": [LB], "Move egress to": [TARGET_LABELS["managed"]],
                      "Migrate demo-rg/lb-cluster": [False]})
    code, said = run(asker)
    assert code == 0 and "Nothing was changed." in said
    assert "What happens, in order: 1. Update cluster lb-cluster" in said
    assert "Resources the wizard did not create, which this changes:" in said
    assert "Checks: no problems found." in said
    assert writes(demo) == []
    assert network_profile(demo, "lb-cluster")["outboundType"] == "loadBalancer"


def test_reusing_a_free_public_ip_moves_egress_in_one_run(demo: Sandbox) -> None:
    class Reuse(Recorder):
        def checkbox(self, message: str, choices: list[str], default: list[str],
                     help: str) -> list[str] | None:
            self.offered[message] = choices
            self.asked.append(message)
            return [c for c in choices if c.startswith("reserved-egress-ip")]

    asker = Reuse({"Cluster to change": [BYO], "Move egress to": [TARGET_LABELS["user_assigned"]],
                   "Migrate demo-rg/byo-cluster": [True]})
    code, said = run(asker)
    assert code == 0, said
    # Only free Standard IPs of the region: the gateway's own IP is held, so not offered.
    offered = asker.offered["Reuse public IPs you already have (optional)"]
    assert len(offered) == 1 and offered[0].startswith("reserved-egress-ip")
    assert not any(m.startswith("Outbound public IPs") for m in asker.asked)
    assert not any(m.startswith(MOVE) for m in asker.asked)
    gateway = demo.get(f"{net(demo)}/natGateways/byo-cluster-natgw")
    assert gateway is not None
    assert [ip["id"].rsplit("/", 1)[-1] for ip in gateway["properties"]["publicIpAddresses"]] \
        == ["reserved-egress-ip"]
    assert "Egress IPs now: reserved-egress-ip" in said


def test_a_failed_run_exits_1_with_resume_and_rollback(demo: Sandbox) -> None:
    demo.faults.add("managedClusters", "PUT", "failed_lro", count=1)
    asker = Recorder({"Cluster to change": [LB], "Move egress to": [TARGET_LABELS["managed"]],
                      "Migrate demo-rg/lb-cluster": [True]})
    code, said = run(asker)
    assert code == 1
    assert "Resume with: aks-nat-wizard apply --resume" in said
    assert "undo what it created with: aks-nat-wizard rollback" in said
    assert "Done:" not in said


def test_a_subscription_without_clusters_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = reach(monkeypatch, Sandbox(speed=0, seed=""))
    code, said = run(Recorder({}))
    assert code == 2
    assert "There are no AKS clusters in sandbox (test)." in said
    assert "AKS_NAT_WIZARD_SANDBOX_SEED=demo" in said
    assert writes(empty) == []


class Answers(ScriptedAsker):
    """Answers every text question with the next of `texts`, then with the last one."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__({})
        self.texts = texts

    def text(self, message: str, default: str, validate: Any, help: str) -> str | None:
        self.asked.append(message)
        return self.texts.pop(0) if len(self.texts) > 1 else self.texts[0]


@settings(max_examples=60, deadline=None)
@given(raw=st.text(max_size=12))
def test_any_typed_ip_count_is_accepted_only_when_the_migration_accepts_it(raw: str) -> None:
    current = WizardConfig.model_validate({"outbound": {"type": "load_balancer"}})
    data = migrate.target_data(current, "managed")
    flow = MigrationFlow(Answers([raw, "3"]), Console(file=io.StringIO()), sandbox=True,
                         sandbox_state=None)
    answer = flow.ask_number(data, "outbound.ip_count", "managed")
    if answer != "3":
        assert answer == raw.strip()
    planned = migrate.plan_migration(current, "managed", {"outbound.ip_count": answer})
    assert planned.target.outbound.ip_count == int(answer.replace("_", "").replace(",", ""))
