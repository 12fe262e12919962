"""Reimaging a node pool with the latest node image (after a migration): an action on the pool,
not a resource of its own, so there is nothing to read and nothing to undo."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="node_image_upgrade",
    noun="node image upgrade",
    api_version="2026-08-01",
    arm_type=None,
    parent="managed_cluster",
    client="containerservice",
    operations="agent_pools",
    get=None,
    create="begin_upgrade_node_image_version",
    delete=None,
    sends_body=False,
    create_verb="reimaging",
)
