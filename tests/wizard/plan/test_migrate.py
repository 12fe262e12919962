"""Outbound-type migration planning: the directions Azure allows, the steps, the notices."""

from __future__ import annotations

import pytest

from wizard.azure.discovery import PublicIp, SubnetInfo, VirtualNetwork
from wizard.azure.importer import ExistingNetwork, ImportedCluster
from wizard.model.config import WizardConfig
from wizard.plan import migration as migrate

SUB = "11111111-2222-3333-4444-555555555555"
SUBNET_ID = (f"/subscriptions/{SUB}/resourceGroups/net-rg/providers/Microsoft.Network/"
             "virtualNetworks/corp-vnet/subnets/aks")


def config(outbound: dict[str, object], windows: dict[str, object] | None = None
           ) -> WizardConfig:
    return WizardConfig.model_validate({
        "cluster": {"subscription_id": SUB, "resource_group": "app-rg", "name": "web",
                    "location": "eastus2"},
        "outbound": outbound, "windows": windows or {},
    })


LB_MANAGED_VNET = {"type": "load_balancer", "ip_count": 2}
LB_BYO = {"type": "load_balancer", "vnet_subnet_id": SUBNET_ID}
MANAGED = {"type": "managed"}
USER_ASSIGNED = {"type": "user_assigned", "vnet_name": "corp-vnet", "subnet_name": "aks"}


@pytest.mark.parametrize(("outbound", "target", "allowed"), [
    (LB_MANAGED_VNET, "managed", True),
    (LB_MANAGED_VNET, "user_assigned", False),
    (LB_MANAGED_VNET, "load_balancer", False),
    (LB_BYO, "user_assigned", True),
    (LB_BYO, "managed", False),
    (USER_ASSIGNED, "load_balancer", True),
    (USER_ASSIGNED, "managed", False),
    (MANAGED, "load_balancer", False),
    (MANAGED, "user_assigned", False),
    (MANAGED, "managed", False),
])
def test_only_the_directions_azure_supports_are_allowed(
        outbound: dict[str, object], target: str, allowed: bool) -> None:
    current = config(outbound)
    reason = migrate.check_transition(current, target)
    assert (reason is None) is allowed
    assert (target in migrate.allowed_targets(current)) is allowed
    if not allowed:
        with pytest.raises(migrate.MigrationRefused):
            migrate.plan_migration(current, target)


def test_refusals_say_why() -> None:
    assert "documentation" in str(migrate.check_transition(config(MANAGED), "load_balancer"))
    assert "VNet AKS creates" in str(migrate.check_transition(config(LB_BYO), "managed"))
    assert "your own VNet" in str(migrate.check_transition(config(LB_MANAGED_VNET),
                                                           "user_assigned"))
    assert "not an outbound type" in str(migrate.check_transition(config(MANAGED), "udr"))


def test_load_balancer_to_managed_is_one_cluster_update() -> None:
    planned = migrate.plan_migration(config(LB_MANAGED_VNET), "managed")
    assert [s.kind for s in planned.plan.steps] == ["managed_cluster", "node_image_upgrade"]
    network = planned.plan.steps[0].body["properties"]["networkProfile"]
    assert network["outboundType"] == "managedNATGateway"
    assert network["natGatewayProfile"]["managedOutboundIPProfile"] == {"count": 2}
    assert "loadBalancerProfile" not in network
    assert planned.target.outbound.type == "managed"
    assert planned.modifies == (planned.plan.steps[0].resource_id,)
    assert "--outbound-type" in planned.plan.steps[0].az


def test_idle_timeout_drop_is_announced_unless_set() -> None:
    planned = migrate.plan_migration(config(LB_MANAGED_VNET), "managed")
    assert any("from 30 minutes" in n and "to 4" in n for n in planned.notices)
    kept = migrate.plan_migration(config(LB_MANAGED_VNET), "managed",
                                  ["outbound.idle_timeout_minutes=30"])
    assert kept.target.outbound.idle_timeout_minutes == 30
    assert not any("idle timeout falls" in n for n in kept.notices)
    assert any("allow-lists" in n for n in kept.notices)
    assert any("connections drop" in n for n in kept.notices)


def test_user_assigned_creates_its_pieces_before_touching_subnet_and_cluster() -> None:
    planned = migrate.plan_migration(config(LB_BYO), "user_assigned",
                                     {"outbound.ip_count": "2"})
    kinds = [s.kind for s in planned.plan.steps]
    assert kinds == ["public_ip", "public_ip", "nat_gateway", "subnet", "managed_cluster",
                     "node_image_upgrade"]
    subnet = planned.plan.step("subnet:corp-vnet/aks")
    gateway = next(s for s in planned.plan.steps if s.kind == "nat_gateway")
    cluster = planned.plan.step("managed_cluster")
    assert subnet.resource_id == SUBNET_ID  # the existing subnet, in its own resource group
    assert subnet.body["properties"]["natGateway"] == {"id": gateway.resource_id}
    assert subnet.depends_on == (gateway.key,)
    assert cluster.depends_on == (subnet.key,)
    assert cluster.body["properties"]["networkProfile"]["outboundType"] == \
        "userAssignedNATGateway"
    assert planned.modifies == (SUBNET_ID, cluster.resource_id)
    assert len(planned.new_egress) == 2
    assert any("existing subnet aks is modified" in n for n in planned.notices)


def test_existing_cluster_and_subnet_settings_are_sent_back_unchanged() -> None:
    cluster_body = {
        "id": f"/subscriptions/{SUB}/resourceGroups/app-rg/providers/Microsoft.ContainerService/"
              "managedClusters/web",
        "name": "web", "type": "Microsoft.ContainerService/managedClusters",
        "location": "eastus2", "tags": {"team": "web"},
        "identity": {"type": "SystemAssigned", "principalId": "p"},
        "properties": {
            "provisioningState": "Succeeded", "fqdn": "web.hcp.eastus2.azmk8s.io",
            "dnsPrefix": "web", "kubernetesVersion": "1.33",
            "addonProfiles": {"omsagent": {"enabled": True}},
            "agentPoolProfiles": [{"name": "nodepool1", "mode": "System", "count": 3,
                                   "vmSize": "Standard_D4s_v5", "vnetSubnetID": SUBNET_ID,
                                   "provisioningState": "Succeeded"}],
            "networkProfile": {"networkPlugin": "azure", "outboundType": "loadBalancer",
                               "serviceCidr": "172.16.0.0/16",
                               "loadBalancerProfile": {"managedOutboundIPs": {"count": 1}}},
        },
    }
    subnet = SubnetInfo(id=SUBNET_ID, name="aks", address_prefix="10.1.0.0/22",
                        nat_gateway_id=None, raw={"id": SUBNET_ID, "name": "aks", "properties": {
                            "addressPrefix": "10.1.0.0/22", "provisioningState": "Succeeded",
                            "networkSecurityGroup": {"id": "/nsg"},
                            "ipConfigurations": [{"id": "/nic"}]}})
    vnet = VirtualNetwork(id=SUBNET_ID.rsplit("/subnets", 1)[0], name="corp-vnet",
                          resource_group="net-rg", location="eastus2",
                          address_space=("10.1.0.0/16",), subnets=(subnet,))
    old_ip = PublicIp(id="/ip", name="lb-ip", resource_group="mc", location="eastus2",
                      sku="Standard", zones=(), address="20.1.2.3", nat_gateway_id=None,
                      in_use=True)
    existing = ImportedCluster(config=config(LB_BYO), cluster=cluster_body,
                               network=ExistingNetwork(vnet, subnet), egress_ips=(old_ip,))
    planned = migrate.plan_migration(existing.config, "user_assigned", (), existing)
    body = planned.plan.step("managed_cluster").body
    assert body["properties"]["addonProfiles"] == {"omsagent": {"enabled": True}}
    assert body["tags"] == {"team": "web"}
    assert "id" not in body and "provisioningState" not in body["properties"]
    assert "fqdn" not in body["properties"]
    assert "provisioningState" not in body["properties"]["agentPoolProfiles"][0]
    assert body["properties"]["networkProfile"]["serviceCidr"] == "172.16.0.0/16"
    assert "loadBalancerProfile" not in body["properties"]["networkProfile"]
    subnet_body = planned.plan.step("subnet:corp-vnet/aks").body["properties"]
    assert subnet_body["networkSecurityGroup"] == {"id": "/nsg"}
    assert "ipConfigurations" not in subnet_body and "provisioningState" not in subnet_body
    assert planned.target.outbound.subnet_prefix == "10.1.0.0/22"  # type: ignore[union-attr]
    assert planned.old_egress == ("lb-ip (20.1.2.3)",)


def test_user_assigned_back_to_load_balancer_detaches_the_subnet_after_the_update() -> None:
    planned = migrate.plan_migration(config(USER_ASSIGNED), "load_balancer")
    assert [s.kind for s in planned.plan.steps] == ["managed_cluster", "subnet",
                                                    "node_image_upgrade"]
    detach = planned.plan.steps[1]
    assert detach.body["properties"]["natGateway"] is None
    assert detach.depends_on == ("managed_cluster",)
    network = planned.plan.steps[0].body["properties"]["networkProfile"]
    assert network["outboundType"] == "loadBalancer"
    assert network["loadBalancerProfile"]["idleTimeoutInMinutes"] == 30


@pytest.mark.parametrize("override", [
    "cluster.name=other", "outbound.type=managed", "outbound.ip_count=99", "no.such=1",
])
def test_bad_overrides_are_refused(override: str) -> None:
    with pytest.raises(migrate.MigrationRefused):
        migrate.plan_migration(config(LB_MANAGED_VNET), "managed", [override])


def test_migration_plan_serialises() -> None:
    data = migrate.plan_migration(config(LB_MANAGED_VNET), "managed").to_dict()
    assert data["from"] == "load_balancer" and data["to"] == "managed"
    assert data["plan"]["steps"][0]["kind"] == "managed_cluster"


def test_new_public_ips_come_first_in_their_own_phase() -> None:
    from wizard.plan.migration import plan_migration

    current = WizardConfig.model_validate({
        "cluster": {"name": "c1", "resource_group": "rg"},
        "outbound": {"type": "load_balancer", "ip_count": 2, "vnet_subnet_id":
                     "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/"
                     "virtualNetworks/vnet1/subnets/aks"}})
    planned = plan_migration(current, "user_assigned")
    first, whole = planned.phases()
    assert planned.purpose(0) == ("migrate c1: loadBalancer -> userAssignedNATGateway, new "
                                  "public IPs (1/2)")
    assert planned.purpose(1).endswith("move egress (2/2)")
    assert {step.kind for step in first.steps} == {"public_ip"}
    assert all(not step.depends_on for step in first.steps)
    assert whole is planned.plan
    managed = plan_migration(WizardConfig.model_validate({
        "outbound": {"type": "load_balancer"}}), "managed")
    assert managed.phases() == (managed.plan,)
    assert managed.purpose(0) == "migrate myNatCluster: loadBalancer -> managedNATGateway"


def test_a_new_prefix_comes_first_and_the_gateway_waits_for_it() -> None:
    from wizard.plan.migration import plan_migration

    current = WizardConfig.model_validate({
        "cluster": {"name": "c1", "resource_group": "rg"},
        "outbound": {"type": "load_balancer", "vnet_subnet_id":
                     "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/"
                     "virtualNetworks/vnet1/subnets/aks"}})
    planned = plan_migration(current, "user_assigned", overrides=[
        "outbound.ip_prefix=true", "outbound.ip_count=4", "outbound.sku=StandardV2"])
    first, whole = planned.phases()
    assert [step.kind for step in first.steps] == ["public_ip_prefix"]
    prefix = first.steps[0]
    assert prefix.body["properties"]["prefixLength"] == 30
    gateway = next(step for step in whole.steps if step.kind == "nat_gateway")
    assert prefix.key in gateway.depends_on
    assert gateway.body["properties"]["publicIpPrefixes"] == [{"id": prefix.resource_id}]
    assert any(prefix.name in line for line in planned.new_egress)


@pytest.mark.parametrize(("source", "target"), [(LB_MANAGED_VNET, "managed"),
                                                (LB_BYO, "user_assigned"),
                                                (USER_ASSIGNED, "load_balancer")])
def test_every_outbound_type_change_ends_with_a_node_image_upgrade_per_pool(
        source: dict[str, object], target: str) -> None:
    """docs/AZURE_FACTS.md migrate.node-image: `az aks nodepool upgrade --node-image-only` on
    every pool, after the change, one pool at a time."""
    current = config(source, windows={"enabled": True, "disable_outbound_nat": False})
    planned = migrate.plan_migration(current, target)
    upgrades = [s for s in planned.plan.steps if s.kind == "node_image_upgrade"]
    assert [s.name for s in upgrades] == ["nodepool1", "npwin"]
    keys = [s.key for s in planned.plan.steps]
    assert keys[-len(upgrades):] == [s.key for s in upgrades]  # after everything else
    assert upgrades[0].depends_on == (keys[-len(upgrades) - 1],)
    assert upgrades[1].depends_on == (upgrades[0].key,)
    assert upgrades[0].az[:4] == ("az", "aks", "nodepool", "upgrade")
    assert "--node-image-only" in upgrades[0].az
    assert upgrades[0].resource_id.endswith("/agentPools/nodepool1")


def test_managed_standard_moves_to_standard_v2_with_its_consequences() -> None:
    """docs/AZURE_FACTS.md migrate.standard-to-v2: offered, new egress IPs, no way back."""
    current = config({"type": "managed", "sku": "Standard", "ip_count": 2,
                      "idle_timeout_minutes": 10}).model_copy(
        update={"cluster": config(MANAGED).cluster.model_copy(update={"location": "eastus2"})})
    assert "managed" in migrate.allowed_targets(current)
    planned = migrate.plan_migration(current, "managed")
    update = planned.plan.step("managed_cluster")
    profile = update.body["properties"]["networkProfile"]["natGatewayProfile"]
    assert (profile["sku"], profile["managedOutboundIPProfile"]["count"],
            profile["idleTimeoutInMinutes"]) == ("StandardV2", 2, 10)
    assert update.az[-2:] == ("--outbound-type-sku", "StandardV2")
    assert "--outbound-type" not in update.az
    assert "Standard -> StandardV2" in update.summary
    text = " ".join(planned.notices)
    assert "egress IPs change" in text and "no way back to Standard" in text
    assert planned.plan.steps[-1].kind == "node_image_upgrade"
    back = config({"type": "managed", "sku": "StandardV2"})
    reason = migrate.check_transition(back, "managed")
    assert reason is not None and "no way back" in reason


def test_managed_to_load_balancer_is_not_supported_as_the_doc_says() -> None:
    reason = migrate.check_transition(config(MANAGED), "load_balancer")
    assert reason is not None and '"Not Supported"' in reason
