"""The wizard's steps: which settings are asked together, in the Azure doc's order.

Both front ends that walk a user through the decisions (the Textual screens and the plain prompts)
take their order and grouping from here, so the two flows cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.model import fields


@dataclass(frozen=True)
class WizardStep:
    """One decision: a title, a sentence of context, and the settings it covers."""

    id: str
    title: str
    intro: str
    paths: tuple[str, ...]

    def applies(self, draft: dict[str, Any]) -> bool:
        """Whether any of this step's settings exists for the draft's outbound type."""
        return bool(self.visible_paths(draft))

    def visible_paths(self, draft: dict[str, Any]) -> list[str]:
        outbound_type = str(fields.get_path(draft, "outbound.type") or "managed")
        visible = []
        for path in self.paths:
            spec = fields.spec(path)
            if not spec.applies(outbound_type):
                continue
            if spec.shown_when and not fields.get_path(draft, spec.shown_when):
                continue  # its switch is off (the Windows pool, a dual-stack cluster)
            if path == "outbound.sku" and outbound_type == "load_balancer":
                continue
            visible.append(path)
        return visible


STEPS: tuple[WizardStep, ...] = (
    WizardStep(
        "basics",
        "Basics",
        "Where the cluster goes and what its system node pool looks like.",
        (
            "cluster.resource_group",
            "cluster.name",
            "cluster.location",
            "cluster.kubernetes_version",
            "cluster.system_pool_name",
            "cluster.node_count",
            "cluster.node_vm_size",
            "cluster.network_plugin",
            "cluster.dual_stack",
            "cluster.max_pods",
        ),
    ),
    WizardStep(
        "outbound",
        "Outbound type",
        "Who creates and owns the NAT gateway, its public IPs and its network.",
        ("outbound.type",),
    ),
    WizardStep(
        "nat",
        "NAT gateway",
        "Which public addresses egress uses (new IPs, a prefix, or yours), how long idle "
        "connections keep their port, and zones.",
        (
            "outbound.sku",
            "outbound.ip_count",
            "outbound.ip_prefix",
            "outbound.public_ip_ids",
            "outbound.public_ip_prefix_ids",
            "outbound.ipv6_count",
            "outbound.idle_timeout_minutes",
            "outbound.zones",
            "outbound.layout",
            "workload.concurrent_flows",
            "workload.busiest_destination_flows",
            "workload.new_connections_per_second",
        ),
    ),
    WizardStep(
        "network",
        "Network",
        "The VNet, subnet and identity a user-assigned NAT gateway needs.",
        (
            "outbound.vnet_name",
            "outbound.vnet_address_space",
            "outbound.vnet_address_space_v6",
            "outbound.subnet_name",
            "outbound.subnet_prefix",
            "outbound.nat_gateway_name",
            "outbound.identity_name",
        ),
    ),
    WizardStep(
        "windows",
        "Windows",
        "An optional Windows node pool, and whether its pods skip Windows OutboundNAT.",
        (
            "windows.enabled",
            "windows.name",
            "windows.node_count",
            "windows.vm_size",
            "windows.os_sku",
            "windows.disable_outbound_nat",
            "windows.admin_username",
        ),
    ),
)


def step_of(path: str) -> WizardStep | None:
    """The step that asks for `path` (for jumping from a finding to its field)."""
    for step in STEPS:
        if path in step.paths:
            return step
    return None
