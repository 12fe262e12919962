"""`--simple` shows the chosen cluster's SNAT verdict as text, and its recommendation is the
default of the migration's questions (demo sandbox, scripted answers)."""

from __future__ import annotations

from typing import Any

from tests.wizard.scripted_asker import ScriptedAsker, run_session
from wizard.model import capacity
from wizard.prompts.migration import EXISTING, TARGET_LABELS
from wizard.sandbox import Sandbox
from wizard.sandbox.scenarios.traffic import DEMO_TRAFFIC

LB = "demo-rg/lb-cluster: loadBalancer, eastus2, AKS-managed VNet"
BYO = "demo-rg/byo-cluster: loadBalancer, eastus2, your own VNet"




class Recorder(ScriptedAsker):
    def __init__(self, answers: dict[str, Any]) -> None:
        super().__init__({"Start from": [EXISTING], **answers})
        self.defaults: dict[str, Any] = {}

    def select(self, message: str, choices: list[str], default: str, help: str) -> str | None:
        self.defaults[message] = default
        return super().select(message, choices, default, help)

    def text(self, message: str, default: str, validate: Any, help: str) -> str | None:
        self.defaults[message] = default
        return super().text(message, default, validate, help)


run = run_session


def test_the_verdict_is_said_and_the_recommendation_is_the_default(demo: Sandbox) -> None:
    peak = DEMO_TRAFFIC[("demo-rg", "lb-cluster")].peak_flows_per_node * 3
    expected = capacity.size(concurrent_flows=peak).recommended_ips
    asker = Recorder({"Cluster to change": [LB], "Migrate demo-rg/lb-cluster": [True]})
    code, said = run(asker)
    assert code == 0, said
    assert "SNAT health over the last 7 days: exhausting SNAT ports." in said
    assert "Ports used / allocated:" in said and "█" in said
    assert asker.defaults["Move egress to"] == TARGET_LABELS["managed"]
    ip_question = next(m for m in asker.defaults if m.startswith("Outbound public IPs"))
    idle_question = next(m for m in asker.defaults if m.startswith("Idle timeout"))
    assert asker.defaults[ip_question] == str(expected)
    assert asker.defaults[idle_question] == "4"
    found = demo.get(f"/subscriptions/{demo.subscription_id}/resourceGroups/demo-rg/providers/"
                     "Microsoft.ContainerService/managedClusters/lb-cluster")
    assert found is not None
    nat = found["properties"]["networkProfile"]["natGatewayProfile"]
    assert nat["managedOutboundIPProfile"]["count"] == expected


def test_a_healthy_cluster_keeps_the_usual_defaults(demo: Sandbox) -> None:
    asker = Recorder({"Cluster to change": [BYO], "Move egress to": [None]})
    code, said = run(asker)
    assert code == 130
    assert "SNAT health over the last 7 days: healthy." in said
    assert "Defaults from the SNAT verdict" not in said
