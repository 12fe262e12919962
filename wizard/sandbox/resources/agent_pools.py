"""AKS agent pools as child resources (`az aks nodepool add`), validated against their cluster.

A pool write is refused while the cluster itself is being written (409 OperationNotAllowed, as
AKS does); pools of one cluster may be written in parallel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.sandbox.errors import ArmError, bad_request, not_found
from wizard.sandbox.http import Request, Response
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceKind, require_object
from wizard.sandbox.resources._lookup import AGENT_POOL
from wizard.sandbox.resources.managed_clusters import (
    check_pool_in_cluster,
    normalize_pool,
    pools_of,
)
from wizard.sandbox.router import Router, fill_template

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

CLUSTER_TEMPLATE = RG_SCOPE + "/providers/Microsoft.ContainerService/managedClusters/{cluster}"


class AgentPools(ResourceKind):
    """`Microsoft.ContainerService/managedClusters/agentPools`."""

    resource_type = "agentPools"
    arm_type = AGENT_POOL
    template = CLUSTER_TEMPLATE + "/agentPools/{name}"
    lro = True
    busy_conflict = True
    name_rule = None  # checked in normalize_pool (Windows names are shorter)

    def _cluster(self, emu: Emulator, params: dict[str, str]) -> Json:
        cluster = emu.store.get(fill_template(CLUSTER_TEMPLATE, params))
        if cluster is None:
            raise not_found("ParentResourceNotFound",
                            f"Managed cluster '{params['cluster']}' was not found.")
        return cluster

    def check_parent(self, emu: Emulator, params: dict[str, str]) -> None:
        super().check_parent(emu, params)
        self._cluster(emu, params)

    def _not_busy(self, emu: Emulator, cluster: Json) -> None:
        if emu.operations.busy(cluster["id"]):
            raise ArmError(409, "OperationNotAllowed",
                           f"Operation is not allowed because there's an in progress operation "
                           f"on managed cluster {cluster['id']}.")

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        cluster = self._cluster(emu, params)
        self._not_busy(emu, cluster)
        cprops = cluster["properties"]
        props = normalize_pool(params["name"], require_object(body.get("properties") or {}),
                               "User", cprops["kubernetesVersion"])
        if existing is not None:
            old = existing["properties"]
            if old.get("osType") != props["osType"]:
                raise bad_request("PropertyChangeNotAllowed", "Changing osType is not allowed.")
            if (old.get("windowsProfile") or {}) != (props.get("windowsProfile") or {}):
                raise bad_request("PropertyChangeNotAllowed",
                                  "windowsProfile.disableOutboundNat is set at creation only.")
        check_pool_in_cluster(emu, cluster, params["name"], props)
        return {"properties": props}

    def register(self, router: Router) -> None:
        """The item and collection routes, and `POST .../agentPools/{name}/
        upgradeNodeImageVersion` (`az aks nodepool upgrade --node-image-only`): what an
        outbound-type change needs afterwards (fact migrate.node-image)."""
        super().register(router)
        router.add(self.template + "/upgradeNodeImageVersion", self.resource_type,
                   {"POST": self.upgrade_node_image})

    def upgrade_node_image(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        rid = fill_template(self.template, params)
        stored = emu.store.get(rid)
        if stored is None:
            raise not_found("NotFound", f"Agent pool '{params['name']}' was not found.")
        cluster = self._cluster(emu, params)
        self._not_busy(emu, cluster)
        with emu.store.transaction():
            props = stored["properties"]
            props["provisioningState"] = "UpgradingNodeImageVersion"
            props["nodeImageReimages"] = int(props.get("nodeImageReimages") or 0) + 1
            emu.store.put(stored)
            headers = emu.operations.start(self, rid, "update", req, [])
        headers["Location"] = headers["Azure-AsyncOperation"].replace(
            "/Microsoft.Sandbox/operations/", "/Microsoft.Sandbox/operationResults/")
        return Response(202, None, headers)

    def check_delete(self, emu: Emulator, stored: Json) -> None:
        cluster_id = stored["id"].rsplit("/", 2)[0]
        cluster = emu.store.get(cluster_id)
        if cluster is not None:
            self._not_busy(emu, cluster)
        if stored["properties"].get("mode") == "System":
            others = [p for p in pools_of(emu, cluster_id)
                      if p["properties"].get("mode") == "System" and p["id"] != stored["id"]]
            if not others:
                raise bad_request("InvalidParameter",
                                  "The last System node pool of a cluster cannot be deleted.")
