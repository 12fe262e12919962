"""A NAT gateway on public IPs that already exist, as the sandbox answers it through the SDK: IPs
of another resource group are fine and show the gateway, an IP of another region or one already
allocated elsewhere is refused with Azure's error, and the demo seed holds a reserved IP."""

from __future__ import annotations

from azure.core.exceptions import HttpResponseError
from azure.mgmt.network import models as nm

from tests.wizard.sandbox.conftest import (
    LOCATION,
    Clients,
    make_clients,
    nat_gateway,
    public_ip,
    rg,
)
from wizard.sandbox import Sandbox
from wizard.sandbox.scenarios.seeds import DEMO_GROUP, DEMO_LOCATION, DEMO_RESERVED_IP


def refused(clients: Clients, *args: object, **kwargs: object) -> HttpResponseError:
    try:
        nat_gateway(clients, *args, **kwargs)  # type: ignore[arg-type]
    except HttpResponseError as error:
        return error
    raise AssertionError("the NAT gateway was accepted")


def test_an_ip_in_another_resource_group_is_used_and_shows_the_gateway(clients: Clients) -> None:
    rg(clients, "rg1")
    rg(clients, "reserved-rg")
    ip = public_ip(clients, "kept", rg_name="reserved-rg")
    gateway = nat_gateway(clients, "gw1", ips=[str(ip.id)])
    assert [str(r.id) for r in gateway.public_ip_addresses] == [str(ip.id)]
    again = clients.network.public_ip_addresses.get("reserved-rg", "kept")
    assert again.nat_gateway is not None and again.nat_gateway.id == gateway.id
    # Re-sending the same gateway on the same IP is fine (a re-run of the plan).
    assert nat_gateway(clients, "gw1", ips=[str(ip.id)]).provisioning_state == "Succeeded"


def test_an_ip_of_another_region_is_refused_like_a_missing_reference(clients: Clients) -> None:
    rg(clients, "rg1")
    far = clients.network.public_ip_addresses.begin_create_or_update(
        "rg1", "far", nm.PublicIPAddress(location="eastus2", sku=nm.PublicIPAddressSku(
            name="Standard"), public_ip_allocation_method="Static")).result()
    assert far.location == "eastus2" != LOCATION
    error = refused(clients, "gw1", ips=[str(far.id)])
    assert error.error is not None and error.error.code == "InvalidResourceReference"
    assert "same region" in str(error.error.message)


def test_an_ip_of_another_gateway_is_refused_with_azures_message(clients: Clients) -> None:
    rg(clients, "rg1")
    ip = str(public_ip(clients, "ip").id)
    first = nat_gateway(clients, "gw1", ips=[ip])
    error = refused(clients, "gw2", ips=[ip])
    assert error.error is not None and error.error.code == "PublicIPAddressInUse"
    message = str(error.error.message)
    assert f"is referencing public IP address {ip} that is already allocated to resource " \
           f"{first.id}" in message
    assert message.startswith("Resource /subscriptions/") and "natGateways/gw2" in message


def test_an_ip_held_by_a_load_balancer_is_refused_and_an_update_keeps_the_holder() -> None:
    clients = make_clients(Sandbox(speed=0, faults="", seed="demo"))
    cluster = clients.aks.managed_clusters.get(DEMO_GROUP, "lb-cluster")
    outbound = cluster.network_profile.load_balancer_profile.effective_outbound_i_ps[0].id
    held = clients.network.public_ip_addresses.get(outbound.split("/")[4], outbound.split("/")[-1])
    assert held.ip_configuration is not None
    assert "/loadBalancers/kubernetes/frontendIPConfigurations/" in held.ip_configuration.id
    updated = clients.network.public_ip_addresses.begin_create_or_update(
        outbound.split("/")[4], held.name, held).result()
    assert updated.ip_configuration is not None
    assert updated.ip_configuration.id == held.ip_configuration.id
    body = nm.NatGateway(location=DEMO_LOCATION, sku=nm.NatGatewaySku(name="Standard"),
                         public_ip_addresses=[nm.SubResource(id=outbound)])
    try:
        clients.network.nat_gateways.begin_create_or_update(DEMO_GROUP, "gw", body).result()
    except HttpResponseError as error:
        assert error.error is not None and error.error.code == "PublicIPAddressInUse"
        assert held.ip_configuration.id in str(error.error.message)
    else:
        raise AssertionError("an IP held by a load balancer was accepted")


def test_the_demo_seed_holds_a_reserved_ip_attached_to_nothing() -> None:
    clients = make_clients(Sandbox(speed=0, faults="", seed="demo"))
    ip = clients.network.public_ip_addresses.get(DEMO_GROUP, DEMO_RESERVED_IP)
    assert (ip.sku.name, ip.public_ip_allocation_method, ip.public_ip_address_version) == (
        "Standard", "Static", "IPv4")
    assert ip.location == DEMO_LOCATION and sorted(ip.zones or []) == ["1", "2", "3"]
    assert ip.nat_gateway is None and ip.ip_configuration is None and ip.ip_address
    # What was seeded before is still there.
    names = {i.name for i in clients.network.public_ip_addresses.list(DEMO_GROUP)}
    assert names == {"shared-natgw-ip1", DEMO_RESERVED_IP}
    gateway = clients.network.nat_gateways.get(DEMO_GROUP, "shared-natgw")
    assert [r.id.rsplit("/", 1)[-1] for r in gateway.public_ip_addresses] == ["shared-natgw-ip1"]
