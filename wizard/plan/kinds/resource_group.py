"""The resource group every other resource of the plan lives in."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="resource_group",
    noun="resource group",
    api_version="2025-04-01",
    arm_type="Microsoft.Resources/resourceGroups",
    scope="subscription",
    template_parameter="resourceGroupName",
    config_field="cluster.resource_group",
    client="resource",
    operations="resource_groups",
    create="create_or_update",
)
