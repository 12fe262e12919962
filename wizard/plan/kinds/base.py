"""`Kind`: what one Azure resource kind is, declared once (see `wizard.plan.kinds`).

Everything here is plain data: the backend's client and method names are strings it looks up on
the SDK client when it calls Azure, so declaring a kind imports no SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StepKind = Literal[
    "resource_group",
    "public_ip",
    "public_ip_prefix",
    "nat_gateway",
    "virtual_network",
    "subnet",
    "identity",
    "role_assignment",
    "managed_cluster",
    "agent_pool",
    "node_image_upgrade",
]

Scope = Literal["subscription", "resource_group", "extension"]
"""Where the resource lives, so which names reach it: a resource group is named in its
subscription (the group's name), an extension resource (a role assignment) on the scope it
extends (scope, name), everything else in a resource group (group, [parent,] name)."""


@dataclass(frozen=True)
class Kind:
    """One kind of plan step: its ARM identity, its words, and how the backend reaches it."""

    name: StepKind
    """The `StepKind` literal; `Step.kind` holds it."""
    noun: str
    """What a person calls it ("NAT gateway")."""
    api_version: str
    """The api-version every request and export uses (`Step.api_version`)."""
    arm_type: str | None
    """The ARM resource type (`Microsoft.Network/natGateways`); None for an action that is not a
    resource of its own (a node image upgrade acts on a node pool)."""
    client: str
    """The `AzureBackend.client()` name that reaches it (resource, network, msi, ...)."""
    operations: str
    """The operations attribute of that client (`nat_gateways`)."""
    parent: StepKind | None = None
    """The kind this one is a child resource of (a subnet's VNet, a node pool's cluster)."""
    scope: Scope = "resource_group"
    tagged: bool = True
    """Whether Azure keeps tags on it (so whether the wizard's tag says who made it)."""
    template_parameter: str | None = None
    """The ARM template parameter holding its name; None when it is not named by a parameter."""
    config_field: str = ""
    """The configuration field a finding about this step points to."""
    get: str | None = "get"
    """The operations' read method; None when there is nothing to read (an action)."""
    create: str = "begin_create_or_update"
    """The operations' write method; `begin_*` ones return a poller."""
    delete: str | None = "begin_delete"
    """The operations' delete method; None when nothing can be undone."""
    model: str | None = None
    """`module:Class` of the msrest model a body is deserialized into before sending (the
    msrest-style SDKs); None when the SDK takes the wire dict as-is."""
    sends_body: bool = True
    """False for an action whose write method takes only the names (a node image upgrade)."""
    create_verb: str = "creating"
    """How progress words a write that is under way."""
    retries_new_principal: bool = False
    """Whether a write is retried while Azure AD does not know a principal made seconds earlier
    (`PrincipalNotFound`): a role assignment for the identity the plan just created."""

    @staticmethod
    def long_running(method: str) -> bool:
        """Whether an operations method returns a poller to wait on."""
        return method.startswith("begin_")
