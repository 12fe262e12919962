"""The configurations every export is checked with: the built-in presets and the variants the
presets do not cover (Windows on a user-assigned NAT gateway, the load balancer, StandardV2, a
real subscription id, existing public IPs, your own IPs and prefixes on a managed gateway, a new
prefix, dual-stack)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard.model.config import WizardConfig
from wizard.model.fields import set_path
from wizard.plan import Plan, build
from wizard.storage import presets

REAL_SUBSCRIPTION = "3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b"
EXISTING_IPS = [
    f"/subscriptions/{REAL_SUBSCRIPTION}/resourceGroups/egress-rg/providers/Microsoft.Network/"
    "publicIPAddresses/allow-listed-1",
    f"/subscriptions/{REAL_SUBSCRIPTION}/resourceGroups/myResourceGroup/providers/"
    "Microsoft.Network/publicIPAddresses/allow-listed-2",
]

OWN_V2_IP = (f"/subscriptions/{REAL_SUBSCRIPTION}/resourceGroups/egress-rg/providers/"
             "Microsoft.Network/publicIPAddresses/egress-v2-1")
OWN_V2_PREFIX = (f"/subscriptions/{REAL_SUBSCRIPTION}/resourceGroups/egress-rg/providers/"
                 "Microsoft.Network/publicIPPrefixes/egress-v2-block")


def _preset(name: str, **changes: Any) -> Callable[[], WizardConfig]:
    def make() -> WizardConfig:
        data = presets.load(name).model_dump(mode="json")
        for path, value in changes.items():
            data = set_path(data, path.replace("__", "."), value)
        return WizardConfig.model_validate(data)
    return make


def _load_balancer() -> WizardConfig:
    return WizardConfig.model_validate({
        "cluster": {"name": "myLbCluster", "resource_group": "myLbGroup"},
        "outbound": {"type": "load_balancer", "ip_count": 2, "idle_timeout_minutes": 30,
                     "zones": ["1", "2", "3"]},
    })


CASES: dict[str, Callable[[], WizardConfig]] = {
    "managed-basic": _preset("managed-basic"),
    "managed-zonal": _preset("managed-zonal"),
    "user-assigned": _preset("user-assigned"),
    "user-assigned-per-zone": _preset("user-assigned-per-zone"),
    "windows-managed": _preset("windows-managed"),
    "windows-user-assigned": _preset("user-assigned", windows__enabled=True,
                                     outbound__zones=["2"]),
    "load-balancer": _load_balancer,
    # Windows Server 2025 on a pinned Kubernetes version: FIPS-enabled, creatable from 1.33.
    "windows2025": _preset("windows-managed", cluster__kubernetes_version="1.34",
                           windows__os_sku="Windows2025"),
    "managed-standardv2": _preset("managed-basic", outbound__sku="StandardV2",
                                  outbound__ip_count=2),
    # Standard where the region has no StandardV2 (nat-sku.md): sent explicitly, never omitted.
    "managed-standard-explicit": _preset("managed-basic", cluster__location="canadaeast",
                                         outbound__sku="Standard"),
    "user-assigned-standardv2": _preset("user-assigned", outbound__sku="StandardV2",
                                        outbound__zones=["1", "2", "3"]),
    "real-subscription": _preset("user-assigned-per-zone",
                                 cluster__subscription_id=REAL_SUBSCRIPTION),
    "user-assigned-existing-ips": _preset("user-assigned",
                                          cluster__subscription_id=REAL_SUBSCRIPTION,
                                          outbound__sku="Standard",
                                          outbound__zones=["1"], outbound__ip_count=2,
                                          outbound__public_ip_ids=EXISTING_IPS),
    # AKS's StandardV2 gateway on your own StandardV2 IP and a /31 prefix (3 addresses).
    "managed-own-ips": _preset("managed-basic", cluster__subscription_id=REAL_SUBSCRIPTION,
                               outbound__sku="StandardV2", outbound__ip_count=3,
                               outbound__public_ip_ids=[OWN_V2_IP],
                               outbound__public_ip_prefix_ids=[OWN_V2_PREFIX]),
    # A new /30 prefix (4 addresses) on a zone-redundant StandardV2 gateway: one CIDR egress.
    "user-assigned-standardv2-prefix": _preset("user-assigned", outbound__sku="StandardV2",
                                               outbound__ip_prefix=True,
                                               outbound__ip_count=4),
    # A dual-stack cluster with IPv4 and IPv6 egress through AKS's StandardV2 gateway.
    "managed-dual-stack": _preset("managed-basic", cluster__dual_stack=True,
                                  outbound__sku="StandardV2", outbound__ip_count=2,
                                  outbound__ipv6_count=2),
    # The same on your own network: IPv4 and IPv6 ranges on VNet and subnet, IPv6 public IPs.
    "user-assigned-dual-stack": _preset("user-assigned", cluster__dual_stack=True,
                                        outbound__sku="StandardV2", outbound__ipv6_count=2),
}


def plan_for(case: str) -> Plan:
    return build(CASES[case]())
