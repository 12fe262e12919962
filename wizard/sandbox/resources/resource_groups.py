"""Resource groups: synchronous PUT, LRO DELETE that takes everything inside with it.

The SDK writes `/resourcegroups/` in lower case; ids come back as `/resourceGroups/`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from wizard.model.names import RESOURCE_GROUP
from wizard.sandbox.errors import bad_request, not_found
from wizard.sandbox.kinds import Json, ResourceKind, normalize_location

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator
    from wizard.sandbox.errors import ArmError


class ResourceGroups(ResourceKind):
    """`Microsoft.Resources/resourceGroups`."""

    resource_type = "resourceGroups"
    arm_type = "Microsoft.Resources/resourceGroups"
    template = "/subscriptions/{sub}/resourceGroups/{name}"
    lro_delete = True  # PUT is synchronous, DELETE is long-running
    name_rule = RESOURCE_GROUP
    delete_missing_status = 404

    def check_parent(self, emu: Emulator, params: dict[str, str]) -> None:
        emu.require_subscription(params["sub"])

    def not_found(self, params: dict[str, str]) -> ArmError:
        return not_found("ResourceGroupNotFound",
                         f"Resource group '{params['name']}' could not be found.")

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        location = body.get("location")
        if not location:
            raise bad_request("LocationRequired", "The location property is required.",
                              target="location")
        location = normalize_location(location)
        if existing and existing["location"] != location:
            raise bad_request(
                "InvalidResourceGroupLocation",
                f"Invalid resource group location '{location}'. The Resource group already "
                f"exists in location '{existing['location']}'.",
            )
        out: Json = {"location": location, "tags": copy.deepcopy(body.get("tags") or {}),
                     "properties": {}}
        if body.get("managedBy"):
            out["managedBy"] = body["managedBy"]
        return out
