"""drift.compare: a subset compare that ignores what Azure fills in or normalises."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wizard.plan.drift import compare

NAT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/gw"
IP1 = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip1"
IP2 = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip2"


def desired_gateway() -> dict[str, Any]:
    return {
        "location": "southcentralus",
        "tags": {"managed-by": "aks-nat-wizard", "aks-nat-wizard-run": "r1"},
        "sku": {"name": "Standard"},
        "zones": ["1"],
        "properties": {"idleTimeoutInMinutes": 4, "publicIpAddresses": [{"id": IP1}, {"id": IP2}]},
    }


def azure_gateway() -> dict[str, Any]:
    """What Azure returns: server fields, other casing, other order, no run tag."""
    return {
        "id": NAT_ID.upper(),
        "name": "gw",
        "etag": 'W/"1"',
        "type": "Microsoft.Network/natGateways",
        "location": "South Central US",
        "sku": {"name": "standard", "tier": "Regional"},
        "zones": ["1"],
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": "abc",
            "idleTimeoutInMinutes": 4.0,
            "publicIpAddresses": [{"id": IP2.lower()}, {"id": IP1.upper()}],
        },
    }


def test_identical_after_azure_normalisation() -> None:
    assert compare(desired_gateway(), azure_gateway()) == []


def test_changed_timeout_is_reported_with_path() -> None:
    actual = azure_gateway()
    actual["properties"]["idleTimeoutInMinutes"] = 10
    [difference] = compare(desired_gateway(), actual)
    assert difference.path == "properties.idleTimeoutInMinutes"
    assert (difference.desired, difference.actual) == (4, 10)
    assert "plan wants 4" in str(difference)


def test_different_ip_set_is_reported() -> None:
    actual = azure_gateway()
    actual["properties"]["publicIpAddresses"] = [{"id": IP1}]
    [difference] = compare(desired_gateway(), actual)
    assert difference.path == "properties.publicIpAddresses"


def test_missing_setting_is_drift_but_password_is_not() -> None:
    desired = {"properties": {"windowsProfile": {"adminUsername": "azureuser",
                                                 "adminPassword": "S3cret!S3cret!"},
                              "dnsPrefix": "x"}}
    actual = {"properties": {"windowsProfile": {"adminUsername": "AzureUser"}}}
    [difference] = compare(desired, actual)
    assert difference.path == "properties.dnsPrefix"


def test_named_lists_pair_by_name() -> None:
    desired = {"properties": {"agentPoolProfiles": [{"name": "a", "count": 3},
                                                    {"name": "b", "count": 1}]}}
    actual = {"properties": {"agentPoolProfiles": [{"name": "b", "count": 1, "x": 1},
                                                   {"name": "a", "count": 2}]}}
    [difference] = compare(desired, actual)
    assert difference.path == "properties.agentPoolProfiles[a].count"


def test_booleans_are_not_numbers() -> None:
    assert compare({"a": True}, {"a": 1}) != []


json_leaf = st.one_of(st.booleans(), st.integers(-1000, 1000), st.text(max_size=8))
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)),
    max_leaves=20,
)
bodies = st.dictionaries(st.text(min_size=1, max_size=6).filter(
    lambda k: k.lower() not in {"tags", "provisioningstate", "etag", "adminpassword"}),
    json_value, max_size=5)


@given(bodies)
def test_a_body_matches_itself(body: dict[str, Any]) -> None:
    assert compare(body, copy.deepcopy(body)) == []


@given(bodies, st.dictionaries(st.text(min_size=1, max_size=6), json_value, max_size=3))
def test_extra_server_fields_never_count(body: dict[str, Any], extra: dict[str, Any]) -> None:
    actual = {**extra, **copy.deepcopy(body)}
    assert compare(body, actual) == []


@given(bodies.filter(bool), st.integers(1, 10_000))
def test_changing_a_top_level_value_is_found(body: dict[str, Any], number: int) -> None:
    key = next(iter(body))
    actual = copy.deepcopy(body)
    actual[key] = {"changed": number} if not isinstance(body[key], dict) else number
    assert compare(body, actual) != []
