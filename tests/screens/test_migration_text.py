"""The migration screen's wording, read without a running app."""

from __future__ import annotations

from screens.migration_text import confirmation, migration_details, short_id
from wizard.model.config import WizardConfig
from wizard.model.findings import Finding
from wizard.plan.migration import plan_migration

SUBNET = ("/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/"
          "vnet1/subnets/aks")
BYO = WizardConfig.model_validate({
    "cluster": {"name": "c1", "resource_group": "rg"},
    "outbound": {"type": "load_balancer", "ip_count": 2, "vnet_subnet_id": SUBNET}})


def test_ids_read_as_what_and_where() -> None:
    assert short_id(SUBNET) == "virtualNetworks/vnet1/subnets/aks in resource group net"
    assert short_id("not-an-id") == "not-an-id"


def test_the_confirmation_names_the_move_what_it_modifies_and_the_pause() -> None:
    planned = plan_migration(BYO, "user_assigned")
    body = confirmation(planned, "the sandbox")
    assert "rg/c1 on the sandbox from loadBalancer to userAssignedNATGateway" in body
    assert "virtualNetworks/vnet1/subnets/aks in resource group net" in body
    assert "managedClusters/c1 in resource group rg" in body
    assert "created first" in body
    back = plan_migration(WizardConfig.model_validate({"outbound": {"type": "load_balancer"}}),
                          "managed")
    assert "created first" not in confirmation(back, "Azure")


def test_details_follow_the_checks() -> None:
    planned = plan_migration(BYO, "user_assigned")
    reading = migration_details(planned, None, None).plain
    assert reading.startswith("What happens, in order:\n  1. Public IP c1-natgw-ip1")
    assert "Checks: reading the subscription..." in reading
    assert "Checks: no problems found." in migration_details(planned, None, []).plain
    failed = migration_details(planned, None, [Finding("error", "outbound.ip_count", "quota")])
    assert "✗ outbound.ip_count: quota" in failed.plain
    assert migration_details(None, "not supported", None).plain == \
        "Cannot migrate: not supported"
