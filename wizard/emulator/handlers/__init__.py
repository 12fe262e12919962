"""One module per resource type; `register_all` puts them on a router.

To add endpoints (discovery, seed data), write a module with a `ResourceKind` subclass or plain
route handlers and register it here or on `Sandbox.router` at runtime.
"""

from __future__ import annotations

from wizard.emulator.handlers import discovery, metrics
from wizard.emulator.handlers.agent_pools import AgentPools
from wizard.emulator.handlers.identities import UserAssignedIdentities
from wizard.emulator.handlers.managed_clusters import ManagedClusters
from wizard.emulator.handlers.nat_gateways import NatGateways
from wizard.emulator.handlers.public_ips import PublicIPAddresses, PublicIPPrefixes
from wizard.emulator.handlers.resource_groups import ResourceGroups
from wizard.emulator.handlers.role_assignments import RoleAssignments
from wizard.emulator.handlers.virtual_networks import Subnets, VirtualNetworks
from wizard.emulator.kinds import ResourceKind
from wizard.emulator.router import Router

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
