"""A role assignment (the identity's Network Contributor on the subnet): an extension resource,
named by a GUID, that carries no tags."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="role_assignment",
    noun="role assignment",
    api_version="2022-04-01",
    arm_type="Microsoft.Authorization/roleAssignments",
    scope="extension",
    tagged=False,
    config_field="outbound.identity_name",
    client="authorization",
    operations="role_assignments",
    create="create",
    delete="delete",
    model="azure.mgmt.authorization.models:RoleAssignmentCreateParameters",
    retries_new_principal=True,
)
