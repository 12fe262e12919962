"""A public IP prefix: a contiguous block of public addresses a NAT gateway sends egress from."""

from wizard.plan.kinds.base import Kind

KIND = Kind(
    name="public_ip_prefix",
    noun="public IP prefix",
    api_version="2026-03-01",
    arm_type="Microsoft.Network/publicIPPrefixes",
    template_parameter="publicIpPrefixName",
    config_field="outbound.ip_prefix",
    client="network",
    operations="public_ip_prefixes",
)
