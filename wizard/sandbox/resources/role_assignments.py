"""Role assignments at any scope: `{scope}/providers/Microsoft.Authorization/roleAssignments/{id}`.

Synchronous like the real API. The scope must exist. Without `principalType` ARM looks the
principal up in the directory: it must exist in the sandbox (a managed identity or a
system-assigned cluster identity) and have replicated (`directory`: a new identity's principal is
unknown for a while), else 400 PrincipalNotFound with Azure's message; with `principalType` the
lookup is skipped and the assignment is accepted as sent (Azure's documented workaround for the
replication delay). The same principal, role and scope twice under another name is
RoleAssignmentExists (409). The cluster handler reads these to decide whether its identity may
join a subnet.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wizard.sandbox.errors import ArmError, bad_request, not_found
from wizard.sandbox.http import Request, Response
from wizard.sandbox.ids import TENANT_ID, is_within, key, resource_group_of
from wizard.sandbox.kinds import Json, ResourceKind, require_object
from wizard.sandbox.resources._lookup import ROLE_ASSIGNMENT
from wizard.sandbox.resources.identities import principal_visible
from wizard.sandbox.router import fill_template

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
ROLE_DEFINITION = re.compile(
    r"(/subscriptions/[^/]+)?/providers/Microsoft\.Authorization/roleDefinitions/(?P<guid>[^/]+)",
    re.IGNORECASE,
)
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
OWNER = "8e3af657-a8ff-4c66-a2d2-fff1c08b3a3d"
CONTRIBUTOR = "b24988ac-6180-42dd-9b4c-5e1b72ab5d3f"
#: Roles whose actions include Microsoft.Network/virtualNetworks/subnets/join/action.
SUBNET_JOIN_ROLES = frozenset({NETWORK_CONTRIBUTOR, OWNER, CONTRIBUTOR})
SUFFIX = "/providers/Microsoft.Authorization/roleAssignments"


def principal_not_found(principal_id: str) -> ArmError:
    """ARM's answer when the directory lookup does not find the principal (yet)."""
    return bad_request(
        "PrincipalNotFound",
        f"Principal {principal_id.replace('-', '').lower()} does not exist in the directory "
        f"{TENANT_ID}. Check that you have the correct principal ID. If you are creating this "
        "principal and then immediately assigning a role, this error might be related to a "
        "replication delay. In this case, set the role assignment principalType property to a "
        "value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype",
    )


def scope_of(assignment_id: str) -> str:
    """The scope an assignment id hangs below."""
    lowered = assignment_id.lower()
    return assignment_id[: lowered.rindex(SUFFIX.lower())]


def role_guid(role_definition_id: str) -> str:
    """The GUID at the end of a role definition id."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def can_join_subnet(emu: Emulator, principal_id: str, subnet_id: str) -> bool:
    """Whether `principal_id` holds a role with subnets/join/action on the subnet or above."""
    for assignment in emu.store.of_type(ROLE_ASSIGNMENT):
        props = assignment.get("properties", {})
        if str(props.get("principalId", "")).lower() != principal_id.lower():
            continue
        if role_guid(str(props.get("roleDefinitionId", ""))) not in SUBNET_JOIN_ROLES:
            continue
        if is_within(subnet_id, props.get("scope") or scope_of(assignment["id"])):
            return True
    return False


class RoleAssignments(ResourceKind):
    """`Microsoft.Authorization/roleAssignments`."""

    resource_type = "roleAssignments"
    arm_type = ROLE_ASSIGNMENT
    template = "{scope:.+?}" + SUFFIX + "/{name}"
    provisioning_state = False

    def check_parent(self, emu: Emulator, params: dict[str, str]) -> None:
        scope = params["scope"]
        parts = scope.strip("/").split("/")
        if len(parts) < 2 or parts[0].lower() != "subscriptions":
            raise bad_request("InvalidScope", f"The scope '{scope}' is not valid.")
        emu.require_subscription(parts[1])
        rg = resource_group_of(scope)
        if rg is not None:
            emu.require_resource_group(*rg)
        if len(parts) > 4 and emu.store.get(scope) is None:
            raise not_found("ResourceNotFound", f"The scope resource '{scope}' was not found.")

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        if not GUID.fullmatch(params["name"]):
            raise bad_request("InvalidRoleAssignmentId",
                              f"The role assignment ID '{params['name']}' is not valid. The role "
                              "assignment ID must be a GUID.")
        props = dict(require_object(body.get("properties")))
        definition = str(props.get("roleDefinitionId") or "")
        if not ROLE_DEFINITION.fullmatch(definition) or not GUID.fullmatch(role_guid(definition)):
            raise bad_request("InvalidRoleDefinitionId",
                              f"The role definition ID '{definition}' is not valid.")
        principal = str(props.get("principalId") or "")
        if not GUID.fullmatch(principal):
            raise bad_request("InvalidPrincipalId", f"Principal ID '{principal}' is not valid.")
        principal_type = props.get("principalType")
        if not principal_type:
            # Only without principalType does ARM look the principal up in the directory.
            if not principal_visible(emu, principal):
                raise principal_not_found(principal)
            principal_type = "ServicePrincipal"  # every sandbox principal is one
        elif emu.directory.lags_despite_principal_type and not emu.directory.visible(principal):
            # UNSOURCED: PrincipalNotFound with principalType set is reported, not documented
            # (fact identity.principal-type); the sandbox offers it so the backend's retry is
            # exercised in a whole apply.
            raise principal_not_found(principal)
        scope = params["scope"]
        rid = self.resource_id(params)
        for other in emu.store.of_type(ROLE_ASSIGNMENT):
            op = other["properties"]
            if (not emu.same_id(other["id"], rid) and key(op["scope"]) == key(scope)
                    and op["principalId"].lower() == principal.lower()
                    and role_guid(op["roleDefinitionId"]) == role_guid(definition)):
                raise ArmError(409, "RoleAssignmentExists",
                               "The role assignment already exists.")
        if existing is not None and (
            existing["properties"]["principalId"].lower() != principal.lower()
            or role_guid(existing["properties"]["roleDefinitionId"]) != role_guid(definition)
        ):
            raise bad_request("RoleAssignmentUpdateNotPermitted",
                              "Tenant ID, application ID, principal ID, and scope are not allowed "
                              "to be updated.")
        return {"properties": {
            "roleDefinitionId": definition,
            "principalId": principal,
            "principalType": principal_type,
            "scope": scope,
            "description": props.get("description"),
            "condition": props.get("condition"),
        }}

    def handle_list(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """Assignments at, above or below the scope (`list_for_scope`); principalId filter."""
        self.check_parent(emu, params)
        scope = fill_template("{scope}", params)
        wanted = None
        flt = req.query.get("$filter", "")
        found = re.search(r"principalId\s+eq\s+'([^']+)'", flt, re.IGNORECASE)
        if found:
            wanted = found.group(1).lower()
        items = []
        for item in emu.store.of_type(ROLE_ASSIGNMENT):
            item_scope = item["properties"]["scope"]
            if not (is_within(item_scope, scope) or is_within(scope, item_scope)):
                continue
            if wanted and item["properties"]["principalId"].lower() != wanted:
                continue
            items.append(self.render(emu, item))
        return Response(200, {"value": items})
