"""The AKS cluster."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="managed_cluster",
    noun="AKS cluster",
    api_version="2026-08-01",
    arm_type="Microsoft.ContainerService/managedClusters",
    template_parameter="clusterName",
    config_field="cluster.name",
    client="containerservice",
    operations="managed_clusters",
)
