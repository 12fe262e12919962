"""User-assigned managed identities: synchronous PUT; the server fills principal, client and
tenant ids (stable uuid5 values derived from the id, so role assignments written in one run still
match in the next). Creating one starts its principal's replication delay (`directory`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.model.names import IDENTITY as IDENTITY_NAME
from wizard.sandbox.ids import TENANT_ID, stable_uuid
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceGroupScoped
from wizard.sandbox.resources._lookup import IDENTITY

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator


class UserAssignedIdentities(ResourceGroupScoped):
    """`Microsoft.ManagedIdentity/userAssignedIdentities`."""

    resource_type = "userAssignedIdentities"
    arm_type = IDENTITY
    template = RG_SCOPE + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
    provisioning_state = False
    name_rule = IDENTITY_NAME

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        rid = self.resource_id(params)
        out = self.base_body(body, existing)
        out["properties"] = {
            "tenantId": TENANT_ID,
            "principalId": stable_uuid(rid, "principalId"),
            "clientId": stable_uuid(rid, "clientId"),
            "isolationScope": out["properties"].get("isolationScope", "None"),
        }
        return out

    def after_put(self, emu: Emulator, stored: Json, existing: Json | None) -> list[str]:
        if existing is None:
            emu.directory.created(stored["properties"]["principalId"])
        return []


def principal_exists(emu: Emulator, principal_id: str) -> bool:
    """Whether a service principal with this object id exists in the sandbox directory (visible
    or not yet: see `principal_visible`)."""
    wanted = principal_id.lower()
    for stored in emu.store.with_principal(principal_id):
        if str(stored.get("properties", {}).get("principalId", "")).lower() == wanted:
            return True
        if str((stored.get("identity") or {}).get("principalId", "")).lower() == wanted:
            return True
    return False


def principal_visible(emu: Emulator, principal_id: str) -> bool:
    """Whether a directory lookup finds the principal now: it exists and has replicated."""
    return principal_exists(emu, principal_id) and emu.directory.visible(principal_id)
