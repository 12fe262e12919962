"""The NAT gateway the cluster's subnets send their outbound traffic through."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="nat_gateway",
    noun="NAT gateway",
    api_version="2026-03-01",
    arm_type="Microsoft.Network/natGateways",
    template_parameter="natGatewayName",
    config_field="outbound.nat_gateway_name",
    client="network",
    operations="nat_gateways",
)
