"""A public IP address (a NAT gateway's, or a load balancer's outbound IP)."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="public_ip",
    noun="public IP",
    api_version="2026-03-01",
    arm_type="Microsoft.Network/publicIPAddresses",
    template_parameter="publicIpName",
    config_field="outbound.nat_gateway_name",
    client="network",
    operations="public_ip_addresses",
)
