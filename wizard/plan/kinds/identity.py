"""The user-assigned managed identity a cluster on its own subnet runs as."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="identity",
    noun="managed identity",
    api_version="2024-11-30",
    arm_type="Microsoft.ManagedIdentity/userAssignedIdentities",
    template_parameter="identityName",
    config_field="outbound.identity_name",
    client="msi",
    operations="user_assigned_identities",
    create="create_or_update",
    delete="delete",
    model="azure.mgmt.msi.models:Identity",
)
