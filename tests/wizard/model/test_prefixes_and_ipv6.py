"""The rules of public IP prefixes, your own addresses on a managed gateway, and IPv6 egress:
each refused combination blamed on the field to change, with what to do."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.model.config import PREFIX_SIZES, prefix_length
from wizard.model.evaluation import evaluate

SUB = "9b1f3a44-6c2d-4e8f-8a1b-2c3d4e5f6a7b"
PREFIX = (f"/subscriptions/{SUB}/resourceGroups/egress/providers/Microsoft.Network/"
          "publicIPPrefixes/block")
IP = f"/subscriptions/{SUB}/resourceGroups/egress/providers/Microsoft.Network/publicIPAddresses/a"


def errors(outbound: dict[str, Any], **cluster: Any) -> dict[str, str]:
    """Field -> message of every error of the configuration."""
    found = evaluate({"cluster": cluster, "outbound": outbound})
    return {f.field: f.message for f in found.errors}


def test_prefix_lengths_follow_the_address_count() -> None:
    assert [prefix_length(size) for size in PREFIX_SIZES] == [31, 30, 29, 28]


@pytest.mark.parametrize(("count", "fits"), [(1, 2), (3, 4), (5, 8), (12, 16)])
def test_a_new_prefix_needs_a_power_of_two_and_says_which(count: int, fits: int) -> None:
    found = errors({"type": "user_assigned", "ip_prefix": True, "ip_count": count})
    assert list(found) == ["outbound.ip_count"]
    assert f"set outbound.ip_count = {fits} (a /{prefix_length(fits)})" in found[
        "outbound.ip_count"]
    assert errors({"type": "user_assigned", "ip_prefix": True, "ip_count": fits}) == {}


def test_a_new_prefix_does_not_join_existing_addresses() -> None:
    found = errors({"type": "user_assigned", "ip_prefix": True, "ip_count": 2,
                    "public_ip_prefix_ids": [PREFIX]})
    assert "cannot be combined" in found["outbound.ip_prefix"]


def test_a_managed_gateway_takes_no_new_prefix() -> None:
    found = errors({"type": "managed", "ip_prefix": True})
    assert "user-assigned NAT gateway" in found["outbound.ip_prefix"]


def test_existing_prefixes_must_hold_the_ip_count() -> None:
    found = errors({"type": "user_assigned", "public_ip_prefix_ids": [PREFIX],
                    "public_ip_ids": [IP], "ip_count": 2})
    assert "at least 3" in found["outbound.ip_count"]
    assert errors({"type": "user_assigned", "public_ip_prefix_ids": [PREFIX],
                   "public_ip_ids": [IP], "ip_count": 5}) == {}


def test_existing_prefixes_refuse_the_per_zone_layout() -> None:
    found = errors({"type": "user_assigned", "sku": "Standard", "layout": "per_zone",
                    "zones": "1,2", "public_ip_prefix_ids": [PREFIX], "ip_count": 2})
    assert "each zone's NAT gateway needs its own addresses" in found[
        "outbound.public_ip_prefix_ids"]


def test_a_prefix_id_of_another_kind_is_refused_with_its_shape() -> None:
    found = errors({"type": "user_assigned", "public_ip_prefix_ids": [IP], "ip_count": 2})
    assert "not a public IP prefix's resource id" in found["outbound.public_ip_prefix_ids"]
    assert "publicIPPrefixes/NAME" in found["outbound.public_ip_prefix_ids"]


def test_your_own_prefix_on_a_managed_gateway_needs_standardv2() -> None:
    own = {"type": "managed", "public_ip_prefix_ids": [PREFIX], "ip_count": 2}
    assert errors({**own, "sku": "StandardV2"}) == {}
    found = errors({**own, "sku": "Standard"}, location="canadaeast")
    assert "only with the StandardV2 SKU" in found["outbound.public_ip_prefix_ids"]


def test_ipv6_egress_needs_a_dual_stack_cluster() -> None:
    found = errors({"type": "managed", "sku": "StandardV2", "ipv6_count": 2})
    assert "cluster.dual_stack" in found["outbound.ipv6_count"]
    assert errors({"type": "managed", "sku": "StandardV2", "ipv6_count": 2},
                  dual_stack=True) == {}


def test_ipv6_egress_needs_standardv2() -> None:
    found = errors({"type": "managed", "sku": "Standard", "ipv6_count": 1},
                   dual_stack=True, location="canadaeast")
    assert "only a StandardV2 NAT gateway sends IPv6" in found["outbound.ipv6_count"]


def test_a_managed_ipv6_count_does_not_mix_with_your_own_ips() -> None:
    found = errors({"type": "managed", "sku": "StandardV2", "ipv6_count": 1,
                    "public_ip_ids": [IP]}, dual_stack=True)
    assert "do not mix" in found["outbound.ipv6_count"]


def test_a_user_assigned_dual_stack_cluster_is_valid_with_standardv2() -> None:
    assert errors({"type": "user_assigned", "sku": "StandardV2", "ipv6_count": 2},
                  dual_stack=True) == {}


def test_dual_stack_refuses_a_standard_gateway_and_says_why() -> None:
    found = errors({"type": "user_assigned", "sku": "Standard", "zones": "1"},
                   dual_stack=True)
    assert "needs a StandardV2 NAT gateway" in found["cluster.dual_stack"]
    assert "lists NAT gateway as unsupported" in found["cluster.dual_stack"]


def test_dual_stack_refuses_windows_pools_as_preview() -> None:
    found = evaluate({"cluster": {"dual_stack": True}, "windows": {"enabled": True},
                      "outbound": {"type": "managed", "sku": "StandardV2"}})
    messages = {f.field: f.message for f in found.errors}
    assert "preview feature" in messages["cluster.dual_stack"]


def test_the_vnet_ipv6_range_must_not_overlap_aks_ranges_and_must_hold_a_64() -> None:
    found = errors({"type": "user_assigned", "vnet_address_space_v6": "fd12:3456:789a::/48"},
                   dual_stack=True)
    assert "overlaps AKS's IPv6 pod or service range" in found["outbound.vnet_address_space_v6"]
    found = errors({"type": "user_assigned", "vnet_address_space_v6": "fd00:10::/80"},
                   dual_stack=True)
    assert "/64 or larger" in found["outbound.vnet_address_space_v6"]
    found = errors({"type": "user_assigned", "vnet_address_space_v6": "10.0.0.0/16"},
                   dual_stack=True)
    assert "must be IPv6" in found["outbound.vnet_address_space_v6"]


def test_an_ipv6_prefix_needs_a_power_of_two() -> None:
    found = errors({"type": "user_assigned", "sku": "StandardV2", "ip_prefix": True,
                    "ip_count": 2, "ipv6_count": 3}, dual_stack=True)
    assert "set outbound.ipv6_count = 4 (a /126)" in found["outbound.ipv6_count"]


def test_dual_stack_warns_of_the_sources_and_of_missing_ipv6_egress() -> None:
    found = evaluate({"cluster": {"dual_stack": True},
                      "outbound": {"type": "managed", "sku": "StandardV2"}})
    codes = {f.code: f for f in found.findings}
    assert codes["dual_stack.sources_differ"].severity == "warning"
    assert codes["dual_stack.no_ipv6_egress"].field == "outbound.ipv6_count"
    with_v6 = evaluate({"cluster": {"dual_stack": True},
                        "outbound": {"type": "managed", "sku": "StandardV2", "ipv6_count": 1}})
    assert "dual_stack.no_ipv6_egress" not in {f.code for f in with_v6.findings}


def test_the_ipv6_range_is_asked_only_of_a_dual_stack_cluster() -> None:
    from wizard.model.steps import step_of

    step = step_of("outbound.vnet_address_space_v6")
    assert step is not None and step.id == "network"
    single = {"outbound": {"type": "user_assigned"}}
    dual = {**single, "cluster": {"dual_stack": True}}
    assert "outbound.vnet_address_space_v6" not in step.visible_paths(single)
    assert "outbound.vnet_address_space_v6" in step.visible_paths(dual)
