"""The generic ARM resource: PUT, GET, LIST, DELETE (and HEAD) implemented once.

Each handler module subclasses `ResourceKind` and overrides only what differs: how a body is
validated and normalised (`build`), what the server adds on output (`render`), what blocks a
delete (`check_delete`), what else goes when it goes (`on_removed`). Everything ARM does the same
way for every type (ids, names, provisioning states, etags, LRO headers, 404s) lives here.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from wizard.model.names import NameRule
from wizard.sandbox.errors import ArmError, bad_request, not_found
from wizard.sandbox.http import Request, Response
from wizard.sandbox.paging import paged
from wizard.sandbox.router import Router, fill_template

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

Json = dict[str, Any]

RG_SCOPE = "/subscriptions/{sub}/resourceGroups/{rg}"


def normalize_location(value: Any) -> str:
    """Azure stores `West Europe` as `westeurope`."""
    return str(value).replace(" ", "").lower()


def require_object(body: Any) -> Json:
    """The request body as a JSON object, or ARM's 400 for anything else."""
    if not isinstance(body, dict):
        raise bad_request("InvalidRequestContent", "The request content must be a JSON object.")
    return body


def ref_id(value: Any) -> str | None:
    """The `id` of a `{"id": ...}` sub-resource reference, if there is one."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


class ResourceKind:
    """One ARM resource type. Subclasses set the class attributes and override hooks."""

    resource_type: str = ""  # the URL segment, e.g. "natGateways" (faults and durations use it)
    arm_type: str = ""  # e.g. "Microsoft.Network/natGateways"
    template: str = ""  # canonical id template; its last parameter is {name}
    lro: bool = False
    lro_delete: bool = False  # DELETE is an LRO even when PUT is not (resource groups)
    etag: bool = False
    provisioning_state: bool = True
    name_rule: NameRule | None = None
    busy_conflict: bool = False  # AKS refuses a write while another operation runs
    delete_missing_status: int = 204
    extra_methods: tuple[str, ...] = ()

    # -- routing -----------------------------------------------------------------------------
    @property
    def collection_template(self) -> str:
        """The template of the list endpoint (the item template without `/{name}`)."""
        return self.template.rsplit("/", 1)[0]

    def register(self, router: Router) -> None:
        """Add this kind's item and collection routes."""
        router.add(
            self.template,
            self.resource_type,
            {"PUT": self.handle_put, "GET": self.handle_get, "DELETE": self.handle_delete,
             "HEAD": self.handle_head},
        )
        router.add(self.collection_template, self.resource_type, {"GET": self.handle_list})

    def resource_id(self, params: dict[str, str]) -> str:
        """The canonical-cased id for the matched parameters."""
        return fill_template(self.template, params)

    # -- hooks -------------------------------------------------------------------------------
    def check_parent(self, emu: Emulator, params: dict[str, str]) -> None:
        """Fail like ARM when the subscription or resource group is missing."""
        emu.require_subscription(params.get("sub", emu.subscription_id))
        if "rg" in params:
            emu.require_resource_group(params["sub"], params["rg"])

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        """Validate the request body and return what to store (id/name/type are added after)."""
        return copy.deepcopy(body)

    def after_put(self, emu: Emulator, stored: Json, existing: Json | None) -> list[str]:
        """Side effects once stored; returns ids whose provisioning state follows this LRO."""
        return []

    def render(self, emu: Emulator, stored: Json) -> Json:
        """The resource as ARM shows it (server-computed back-references added here)."""
        return copy.deepcopy(stored)

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        """Raise when Azure would refuse to delete (in use)."""

    def on_removed(self, emu: Emulator, stored: Json) -> None:
        """Extra clean-up when the resource is gone (e.g. a cluster's node resource group)."""

    def not_found(self, params: dict[str, str]) -> ArmError:
        """ARM's 404 for this type."""
        rg = params.get("rg", "")
        return not_found(
            "ResourceNotFound",
            f"The Resource '{self.arm_type}/{params['name']}' under resource group '{rg}' was "
            "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )

    # -- generic handlers --------------------------------------------------------------------
    def handle_put(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """Create or replace the resource; LRO kinds answer with Azure-AsyncOperation."""
        self.check_parent(emu, params)
        name = params["name"]
        if self.name_rule is not None:
            problem = self.name_rule.problem(name)
            if problem:
                raise bad_request("InvalidResourceName", problem, target="name")
        body = require_object(req.body)
        rid = self.resource_id(params)
        existing = emu.store.get(rid)
        if existing is not None:
            existing = copy.deepcopy(existing)
            if self.busy_conflict and emu.operations.busy(rid):
                raise ArmError(
                    409,
                    "OperationNotAllowed",
                    f"Operation is not allowed because there's an in progress operation on {rid}.",
                )
        stored = self.build(emu, params, body, existing)
        stored["id"], stored["name"], stored["type"] = rid, name, self.arm_type
        if self.provisioning_state:
            state = "Succeeded"
            if self.lro:
                state = "Updating" if existing else "Creating"
            stored.setdefault("properties", {})["provisioningState"] = state
        if self.etag:
            stored["etag"] = f'W/"{uuid.uuid4()}"'
        emu.store.put(stored)
        followers = self.after_put(emu, stored, existing)
        headers: dict[str, str] = {}
        if self.lro:
            action = "update" if existing else "create"
            headers = emu.operations.start(self, rid, action, req, followers)
        return Response(200 if existing else 201, self.render(emu, stored), headers)

    def handle_get(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """Read one resource."""
        self.check_parent(emu, params)
        stored = emu.store.get(self.resource_id(params))
        if stored is None:
            raise self.not_found(params)
        return Response(200, self.render(emu, stored))

    def handle_head(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """Existence check: 204 or 404, no body."""
        try:
            self.check_parent(emu, params)
        except ArmError:
            return Response(404)
        return Response(204 if emu.store.get(self.resource_id(params)) else 404)

    def handle_list(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """List the collection a page at a time: `{"value": [...], "nextLink": ...}`."""
        self.check_parent(emu, params)
        collection = fill_template(self.collection_template, params)
        return paged(emu, req,
                     lambda after, limit: emu.store.in_collection(self.arm_type, collection,
                                                                  after=after, limit=limit),
                     lambda item: self.render(emu, item))

    def handle_delete(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """Delete: 202 + operation headers for LRO kinds, 200 otherwise, 204 when absent."""
        self.check_parent(emu, params)
        rid = self.resource_id(params)
        stored = emu.store.get(rid)
        if stored is None:
            if self.delete_missing_status == 404:
                raise self.not_found(params)
            return Response(self.delete_missing_status)
        if self.busy_conflict and emu.operations.busy(rid):
            raise ArmError(
                409, "OperationNotAllowed", f"Another operation is in progress on {rid}."
            )
        self.check_delete(emu, stored)
        if not (self.lro or self.lro_delete):
            emu.remove_tree(rid)
            return Response(200, self.render(emu, stored))
        if self.provisioning_state:
            stored.setdefault("properties", {})["provisioningState"] = "Deleting"
            emu.store.touch()
        headers = emu.operations.start(self, rid, "delete", req, [])
        return Response(202, None, headers)


class ResourceGroupScoped(ResourceKind):
    """A kind whose resources live directly in a resource group of the sandbox subscription."""

    location_required: bool = True

    def base_body(self, body: Json, existing: Json | None) -> Json:
        """Location (required, normalised), tags, properties, zones and sku copied through."""
        out: Json = {}
        location = body.get("location") or (existing or {}).get("location")
        if not location and self.location_required:
            raise bad_request("LocationRequired", "The location property is required for this "
                              "definition.", target="location")
        if location:
            out["location"] = normalize_location(location)
        if existing and existing.get("location") and out.get("location") != existing["location"]:
            raise bad_request(
                "InvalidResourceLocation",
                f"The resource already exists in location '{existing['location']}'. A resource "
                "with the same name cannot be created in a different location.",
            )
        out["tags"] = copy.deepcopy(body.get("tags") or {})
        for field in ("sku", "zones", "identity", "extendedLocation"):
            if body.get(field) is not None:
                out[field] = copy.deepcopy(body[field])
        props = body.get("properties")
        if props is not None and not isinstance(props, dict):
            raise bad_request("InvalidRequestContent", "properties must be a JSON object.")
        out["properties"] = copy.deepcopy(props or {})
        out["properties"].pop("provisioningState", None)
        return out
