"""A node pool beyond the system pool (a child resource: one write at a time per cluster)."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="agent_pool",
    noun="node pool",
    api_version="2026-08-01",
    arm_type="Microsoft.ContainerService/managedClusters/agentPools",
    parent="managed_cluster",
    tagged=False,
    template_parameter="agentPoolName",
    config_field="cluster.name",
    client="containerservice",
    operations="agent_pools",
)
