"""One module per resource type; `register_all` puts them on a router.

To add endpoints (discovery, seed data), write a module with a `ResourceKind` subclass or plain
route handlers and register it here or on `Sandbox.router` at runtime.
"""

from __future__ import annotations

from wizard.sandbox.kinds import ResourceKind
from wizard.sandbox.resources import discovery, metrics
from wizard.sandbox.resources.agent_pools import AgentPools
from wizard.sandbox.resources.identities import UserAssignedIdentities
from wizard.sandbox.resources.managed_clusters import ManagedClusters
from wizard.sandbox.resources.nat_gateways import NatGateways
from wizard.sandbox.resources.public_ips import PublicIPAddresses, PublicIPPrefixes
from wizard.sandbox.resources.resource_groups import ResourceGroups
from wizard.sandbox.resources.role_assignments import RoleAssignments
from wizard.sandbox.resources.virtual_networks import Subnets, VirtualNetworks
from wizard.sandbox.router import Router

KINDS: tuple[type[ResourceKind], ...] = (
    ResourceGroups,
    PublicIPAddresses,
    PublicIPPrefixes,
    NatGateways,
    VirtualNetworks,
    Subnets,
    UserAssignedIdentities,
    RoleAssignments,
    ManagedClusters,
    AgentPools,
)


def register_all(router: Router) -> Router:
    """Register every built-in resource kind on `router`."""
    for kind in KINDS:
        router.add_kind(kind())
    discovery.register(router)
    metrics.register(router)  # Azure Monitor's metrics on the load balancers and gateways
    return router
