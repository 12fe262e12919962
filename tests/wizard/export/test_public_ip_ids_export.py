"""The plan and its exports with existing public IPs (`outbound.public_ip_ids`): no public IP
steps, a NAT gateway that references the ids, its SNAT ports still counted, and exports that
pass the ids instead of creating IPs."""

from __future__ import annotations

from typing import Any

from export_cases import EXISTING_IPS, REAL_SUBSCRIPTION, plan_for

from wizard import plan as planner
from wizard.export.arm import RESOURCE_TYPES, to_arm_json, to_arm_template
from wizard.export.az import to_az_script
from wizard.model.capacity import PORTS_PER_IP
from wizard.model.config import WizardConfig

OTHER_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"


def config(**outbound: Any) -> WizardConfig:
    return WizardConfig.model_validate({
        "cluster": {"subscription_id": REAL_SUBSCRIPTION},
        "outbound": {"type": "user_assigned", "sku": "Standard", "zones": ["1"], **outbound},
    })


def reused() -> planner.Plan:
    return planner.build(config(ip_count=2, public_ip_ids=EXISTING_IPS))


def test_no_public_ip_is_created_and_the_gateway_references_the_ids() -> None:
    plan = reused()
    assert [s for s in plan.steps if s.kind == "public_ip"] == []
    gateway = plan.step("nat_gateway:myNatGateway")
    assert gateway.body["properties"]["publicIpAddresses"] == [{"id": i} for i in EXISTING_IPS]
    assert gateway.depends_on == ("resource_group",)
    assert gateway.body["zones"] == ["1"]
    at = gateway.az.index("--public-ip-addresses")
    assert list(gateway.az[at + 1:at + 3]) == EXISTING_IPS
    assert gateway.az[at + 3] == "--idle-timeout"


def test_the_gateway_step_says_which_ips_it_reuses_and_why() -> None:
    gateway = reused().step("nat_gateway:myNatGateway")
    assert "2 existing IP(s)" in gateway.summary
    assert "allow-listed-1 (resource group egress-rg)" in gateway.summary
    assert "allow-listed-2;" in gateway.summary  # in the cluster's own group: just the name
    assert "allow-listed downstream" in gateway.why
    assert "does not create, change or delete them" in gateway.why


def test_snat_ports_are_those_of_the_same_number_of_new_ips() -> None:
    plan = reused()
    created = planner.build(config(ip_count=2))
    assert plan.step("nat_gateway:myNatGateway").snat_ports == 2 * PORTS_PER_IP
    assert plan.total_snat_ports == created.total_snat_ports == 2 * PORTS_PER_IP
    assert sum(step.snat_ports for step in plan.steps) == plan.total_snat_ports


def test_everything_but_the_ips_and_the_gateway_is_the_plan_without_them() -> None:
    plan, created = reused(), planner.build(config(ip_count=2))
    others = [s for s in created.steps if s.kind not in ("public_ip", "nat_gateway")]
    assert [s for s in plan.steps if s.kind != "nat_gateway"] == others
    new_gateway = created.step("nat_gateway:myNatGateway")
    gateway = plan.step("nat_gateway:myNatGateway")
    assert {k: v for k, v in gateway.body.items() if k != "properties"} == {
        k: v for k, v in new_gateway.body.items() if k != "properties"}


def test_the_plan_round_trips_through_its_json_form() -> None:
    plan = reused()
    assert planner.Plan.from_dict(plan.to_dict()) == plan


# -- exports -----------------------------------------------------------------------------------

def test_the_az_script_passes_the_ids_and_creates_no_ip() -> None:
    script = to_az_script(plan_for("user-assigned-existing-ips"))
    assert "az network public-ip create" not in script
    assert ("--public-ip-addresses /subscriptions/\"${SUBSCRIPTION_ID}\"/resourceGroups/egress-rg/"
            "providers/Microsoft.Network/publicIPAddresses/allow-listed-1 ") in script
    assert "Egress capacity: 129,024 SNAT ports." in script


def test_an_upper_case_subscription_in_an_id_still_becomes_the_variable() -> None:
    ids = [EXISTING_IPS[0].replace(REAL_SUBSCRIPTION, REAL_SUBSCRIPTION.upper())]
    script = to_az_script(planner.build(config(public_ip_ids=ids)))
    assert REAL_SUBSCRIPTION.upper() not in script
    assert script.count(REAL_SUBSCRIPTION) == 1  # where the script selects it


def test_the_arm_template_has_no_ip_resources_and_refers_to_the_ids() -> None:
    template = to_arm_template(plan_for("user-assigned-existing-ips"))
    resources = template["resources"][1]["properties"]["template"]["resources"]
    assert not [r for r in resources if r["type"] == RESOURCE_TYPES["public_ip"]]
    gateway = next(r for r in resources if r["type"] == RESOURCE_TYPES["nat_gateway"])
    assert gateway["properties"]["publicIpAddresses"] == [
        {"id": "[resourceId('egress-rg', 'Microsoft.Network/publicIPAddresses', "
               "'allow-listed-1')]"},
        {"id": "[resourceId('myResourceGroup', 'Microsoft.Network/publicIPAddresses', "
               "'allow-listed-2')]"},
    ]
    assert "dependsOn" not in gateway  # only the resource group, which the deployment waits for
    assert not [name for name in template["parameters"] if name.startswith("publicIpName")]


def test_an_ip_of_another_subscription_keeps_its_subscription_in_the_template() -> None:
    other = EXISTING_IPS[0].replace(REAL_SUBSCRIPTION, OTHER_SUBSCRIPTION)
    plan = planner.build(WizardConfig.model_validate(
        {"outbound": {"type": "user_assigned", "public_ip_ids": [other]}}))
    assert f"[resourceId('{OTHER_SUBSCRIPTION}', 'egress-rg', " in to_arm_json(plan)
