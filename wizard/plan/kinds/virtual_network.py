"""The virtual network of a user-assigned NAT gateway's subnets."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="virtual_network",
    noun="virtual network",
    api_version="2026-03-01",
    arm_type="Microsoft.Network/virtualNetworks",
    template_parameter="vnetName",
    config_field="outbound.vnet_name",
    client="network",
    operations="virtual_networks",
)
