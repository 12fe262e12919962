"""Fixtures for the sandbox tests: a fresh instant sandbox and the five real SDK clients on it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.resource.resources import ResourceManagementClient

from wizard.sandbox import Sandbox
from wizard.sandbox.http import Request, Response

NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
LOCATION = "westeurope"


@dataclass
class Clients:
    """The real SDK clients, all pointed at one sandbox."""

    sandbox: Sandbox
    resources: ResourceManagementClient
    network: NetworkManagementClient
    msi: ManagedServiceIdentityClient
    auth: AuthorizationManagementClient
    aks: ContainerServiceClient


def make_clients(sandbox: Sandbox) -> Clients:
    """Build every client the backend uses, with only transport/base_url/credential swapped."""
    cred, sub = sandbox.credential(), sandbox.subscription_id
    return Clients(
        sandbox,
        ResourceManagementClient(cred, sub, **sandbox.client_kwargs()),
        NetworkManagementClient(cred, sub, **sandbox.client_kwargs()),
        ManagedServiceIdentityClient(cred, sub, **sandbox.client_kwargs()),
        AuthorizationManagementClient(cred, sub, **sandbox.client_kwargs()),
        ContainerServiceClient(cred, sub, **sandbox.client_kwargs()),
    )


@pytest.fixture
def sandbox() -> Sandbox:
    """An empty, instant sandbox without faults."""
    return Sandbox(speed=0, faults="")


@pytest.fixture
def clients(sandbox: Sandbox) -> Clients:
    """SDK clients on the `sandbox` fixture."""
    return make_clients(sandbox)


def call(
    sandbox: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    api_version: str | None = "2024-01-01",
) -> Response:
    """A raw request straight into the emulator (for paths and shapes the SDK won't send)."""
    query = {"api-version": api_version} if api_version else {}
    return sandbox.emulator.handle(
        Request(method, path, query, {"Authorization": "Bearer x"}, body)
    )


def rg(c: Clients, name: str = "rg1") -> str:
    """Create a resource group; returns its id."""
    return str(c.resources.resource_groups.create_or_update(name, {"location": LOCATION}).id)


def public_ip(
    c: Clients,
    name: str = "ip1",
    rg_name: str = "rg1",
    zones: list[str] | None = None,
    sku: str = "Standard",
    method: str = "Static",
) -> nm.PublicIPAddress:
    """Create a public IP through the SDK."""
    body = nm.PublicIPAddress(
        location=LOCATION,
        sku=nm.PublicIPAddressSku(name=sku),
        public_ip_allocation_method=method,
        zones=zones,
    )
    return c.network.public_ip_addresses.begin_create_or_update(rg_name, name, body).result()


def nat_gateway(
    c: Clients,
    name: str = "gw1",
    ips: list[str] | None = None,
    zones: list[str] | None = None,
    rg_name: str = "rg1",
    sku: str = "Standard",
    idle: int | None = None,
    prefixes: list[str] | None = None,
) -> nm.NatGateway:
    """Create a NAT gateway through the SDK."""
    body = nm.NatGateway(
        location=LOCATION,
        sku=nm.NatGatewaySku(name=sku),
        zones=zones,
        idle_timeout_in_minutes=idle,
        public_ip_addresses=[nm.SubResource(id=i) for i in ips or []],
        public_ip_prefixes=[nm.SubResource(id=p) for p in prefixes or []] or None,
    )
    return c.network.nat_gateways.begin_create_or_update(rg_name, name, body).result()


def vnet(
    c: Clients, gateway_id: str | None = None, name: str = "vnet1", rg_name: str = "rg1"
) -> nm.VirtualNetwork:
    """A VNet 10.1.0.0/16 with one inline subnet `aks` (10.1.0.0/22), optionally NAT-attached."""
    subnet = nm.Subnet(
        name="aks",
        address_prefix="10.1.0.0/22",
        nat_gateway=nm.SubResource(id=gateway_id) if gateway_id else None,
    )
    body = nm.VirtualNetwork(
        location=LOCATION,
        address_space=nm.AddressSpace(address_prefixes=["10.1.0.0/16"]),
        subnets=[subnet],
    )
    return c.network.virtual_networks.begin_create_or_update(rg_name, name, body).result()


def identity(c: Clients, name: str = "aks-id", rg_name: str = "rg1") -> Any:
    """A user-assigned identity (msrest model)."""
    return c.msi.user_assigned_identities.create_or_update(rg_name, name, {"location": LOCATION})


def grant(c: Clients, scope: str, principal_id: str, role: str = NETWORK_CONTRIBUTOR,
          principal_type: str | None = "ServicePrincipal") -> Any:
    """Assign a role to a service principal at `scope` (`principal_type=None` leaves it out of
    the body, so ARM looks the principal up in the directory)."""
    definition = (
        f"/subscriptions/{c.sandbox.subscription_id}/providers/"
        f"Microsoft.Authorization/roleDefinitions/{role}"
    )
    params = RoleAssignmentCreateParameters(
        role_definition_id=definition, principal_id=principal_id, principal_type=principal_type
    )
    return c.auth.role_assignments.create(scope, str(uuid.uuid4()), params)


def byo_network(c: Clients, gateway: bool = True, ip_count: int = 1) -> tuple[str, Any]:
    """RG, IPs, NAT gateway, VNet+subnet, identity with Network Contributor on the subnet.

    Returns (subnet id, identity)."""
    rg(c)
    gw_id = None
    if gateway:
        ips = [str(public_ip(c, f"ip{i}").id) for i in range(ip_count)]
        gw_id = str(nat_gateway(c, ips=ips).id)
    net = vnet(c, gw_id)
    subnet_id = str(net.subnets[0].id)
    ident = identity(c)
    grant(c, subnet_id, ident.principal_id)
    return subnet_id, ident


def cluster_model(
    outbound: str,
    subnet_id: str | None = None,
    identity_id: str | None = None,
    pools: list[cm.ManagedClusterAgentPoolProfile] | None = None,
    **network: Any,
) -> cm.ManagedCluster:
    """A ManagedCluster body; user-assigned identity when `identity_id` is given."""
    if identity_id:
        ident = cm.ManagedClusterIdentity(
            type="UserAssigned",
            user_assigned_identities={
                identity_id: cm.ManagedServiceIdentityUserAssignedIdentitiesValue()
            },
        )
    else:
        ident = cm.ManagedClusterIdentity(type="SystemAssigned")
    pools = pools or [
        cm.ManagedClusterAgentPoolProfile(
            name="system",
            count=1,
            vm_size="Standard_D2s_v5",
            mode="System",
            vnet_subnet_id=subnet_id,
        )
    ]
    return cm.ManagedCluster(
        location=LOCATION,
        dns_prefix="aks1",
        identity=ident,
        agent_pool_profiles=pools,
        network_profile=cm.ContainerServiceNetworkProfile(outbound_type=outbound, **network),
    )
