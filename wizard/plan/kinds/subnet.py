"""A subnet of the plan's virtual network (a child resource: one write at a time per VNet)."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="subnet",
    noun="subnet",
    api_version="2026-03-01",
    arm_type="Microsoft.Network/virtualNetworks/subnets",
    parent="virtual_network",
    tagged=False,
    template_parameter="subnetName",
    config_field="outbound.subnet_name",
    client="network",
    operations="subnets",
)
