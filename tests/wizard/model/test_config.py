"""`WizardConfig`: every field limit and naming rule, the normalisations, every cross-field rule,
and that arbitrary input only ever ends in a valid config or a `ValidationError`."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wizard.model import fields
from wizard.model.config import UserAssignedOutbound, WizardConfig
from wizard.model.evaluation import evaluate
from wizard.model.findings import field_path

OUTBOUND_TYPES = ("managed", "user_assigned", "load_balancer")


def validate(data: dict[str, Any]) -> WizardConfig:
    return WizardConfig.model_validate(data)


def problems(data: Any) -> dict[str, str]:
    """Dotted field path -> message of every validation error."""
    with pytest.raises(ValidationError) as caught:
        WizardConfig.model_validate(data)
    return {field_path(e["loc"]): e["msg"] for e in caught.value.errors()}


ENABLING: dict[str, dict[str, Any]] = {
    "outbound.ipv6_count": {"cluster": {"dual_stack": True}},
}
"""Settings a field's non-default values need to be valid at all (IPv6 egress needs a dual-stack
cluster), so the limit tests exercise the field's own bounds."""


def nested(path: str, value: Any, outbound_type: str = "managed") -> dict[str, Any]:
    data: dict[str, Any] = {"outbound": {"type": outbound_type}, **ENABLING.get(path, {})}
    return fields.set_path(data, path, value)


# -- numeric limits ----------------------------------------------------------------------------

def _bounded() -> list[tuple[str, str, int, int]]:
    cases = []
    for path, spec in fields.all_specs().items():
        if spec.kind != "int":
            continue
        types = spec.outbound_types or ("managed",)
        for kind in types:
            bounded = fields.outbound_spec(path, kind)
            assert bounded.minimum is not None and bounded.maximum is not None, path
            cases.append((path, kind, bounded.minimum, bounded.maximum))
    return cases


BOUNDED = _bounded()


def test_the_azure_limits_are_declared() -> None:
    limits = {(path, kind): (low, high) for path, kind, low, high in BOUNDED}
    assert limits[("outbound.ip_count", "managed")] == (1, 16)
    assert limits[("outbound.ip_count", "user_assigned")] == (1, 16)
    assert limits[("outbound.ip_count", "load_balancer")] == (1, 100)
    assert limits[("outbound.idle_timeout_minutes", "managed")] == (4, 120)
    assert limits[("cluster.max_pods", "managed")] == (10, 250)


@pytest.mark.parametrize(("path", "kind", "low", "high"), BOUNDED,
                         ids=[f"{p}-{k}" for p, k, _, _ in BOUNDED])
def test_int_limits_accept_the_ends_and_reject_beyond(path: str, kind: str, low: int,
                                                      high: int) -> None:
    for value in (low, high):
        config = validate(nested(path, value, kind))
        section, _, name = path.partition(".")
        assert getattr(getattr(config, section), name) == value
    for value in (low - 1, high + 1):
        found = problems(nested(path, value, kind))
        assert list(found) == [path]


@pytest.mark.parametrize("path", [p for p, s in fields.all_specs().items() if s.optional
                                  and s.kind == "int"])
def test_optional_figures_may_be_empty(path: str) -> None:
    config = validate(nested(path, None))
    assert getattr(config.workload, path.split(".")[1]) is None


def test_description_is_at_most_500_characters() -> None:
    assert validate({"description": "x" * 500}).description == "x" * 500
    assert list(problems({"description": "x" * 501})) == ["description"]


# -- names and patterns ------------------------------------------------------------------------

NAME_CASES: list[tuple[str, str, list[str], list[str]]] = [
    ("cluster.name", "managed", ["a", "my_cluster-1", "A" * 63],
     ["", "-a", "a-", "a" * 64, "my.cluster", "my cluster"]),
    ("cluster.dns_prefix", "managed", ["", "a", "my-prefix", "a" * 54],
     ["-a", "a_b", "a" * 55, "a-"]),
    ("cluster.system_pool_name", "managed", ["a", "nodepool1", "a" * 12],
     ["", "Nodepool", "1pool", "a" * 13, "pool-1"]),
    ("cluster.resource_group", "managed", ["a", "my.rg(1)-x_y", "a" * 90],
     ["", "rg.", "a" * 91, "my rg", "rg/x"]),
    ("windows.name", "managed", ["a", "npwin", "a" * 6], ["", "a" * 7, "Win", "1win"]),
    ("outbound.nat_gateway_name", "user_assigned", ["a", "my.gw_", "a" * 80],
     ["", "-gw", "gw-", "gw.", "a" * 81]),
    ("outbound.vnet_name", "user_assigned", ["ab", "my-vnet_", "a" * 64],
     ["a", "", "-vnet", "vnet.", "a" * 65]),
    ("outbound.subnet_name", "user_assigned", ["a", "nodes.1"], ["", "_nodes", "nodes-"]),
    ("outbound.identity_name", "user_assigned", ["abc", "my-id_1", "a" * 128],
     ["ab", "-abc", "a" * 129, "my.id"]),
    ("cluster.subscription_id", "managed",
     ["12345678-1234-1234-1234-123456789abc", "ABCDEF01-1234-1234-1234-123456789ABC"],
     ["", "1234", "12345678-1234-1234-1234-123456789abg"]),
    ("cluster.node_vm_size", "managed", ["Standard_D4s_v5", "abc"], ["", "ab", "1abc",
                                                                      "Standard D4"]),
    ("windows.vm_size", "managed", ["Standard_D4s_v5"], ["Standard-D4"]),
    ("windows.admin_username", "managed", ["azureuser", "a", "a" * 20],
     ["", "1user", "a" * 21, "user name"]),
    ("outbound.vnet_subnet_id", "load_balancer",
     ["", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/"
      "subnets/n"],
     ["subnet", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/"
      "virtualNetworks/v"]),
]


@pytest.mark.parametrize(("path", "kind", "good", "bad"), NAME_CASES,
                         ids=[case[0] for case in NAME_CASES])
def test_names_and_patterns(path: str, kind: str, good: list[str], bad: list[str]) -> None:
    for value in good:
        validate(nested(path, value, kind))
    for value in bad:
        assert list(problems(nested(path, value, kind))) == [path], value


def test_a_bad_name_is_explained() -> None:
    message = problems(nested("cluster.system_pool_name", "Pool"))["cluster.system_pool_name"]
    assert "'Pool' is not a valid node pool name" in message and "lowercase" in message


@pytest.mark.parametrize(("given", "stored"), [
    ("1.30", "1.30"), ("v1.30.2", "1.30.2"), (" 1.33 ", "1.33"), ("", ""), ("1.20", "1.20"),
])
def test_kubernetes_versions_accepted(given: str, stored: str) -> None:
    assert validate(nested("cluster.kubernetes_version", given)).cluster.kubernetes_version == (
        stored)


@pytest.mark.parametrize("bad", ["1.19", "1", "latest", "1.30.x", "0.9"])
def test_kubernetes_versions_rejected(bad: str) -> None:
    assert list(problems(nested("cluster.kubernetes_version", bad))) == [
        "cluster.kubernetes_version"]


@pytest.mark.parametrize(("given", "stored"), [
    ("South Central US", "southcentralus"), ("eastus2", "eastus2"), ("WestEurope", "westeurope"),
])
def test_locations_are_normalised(given: str, stored: str) -> None:
    assert validate(nested("cluster.location", given)).cluster.location == stored


@pytest.mark.parametrize("bad", ["", "e", "east-us", "2east", "east_us"])
def test_locations_rejected(bad: str) -> None:
    assert list(problems(nested("cluster.location", bad))) == ["cluster.location"]


@pytest.mark.parametrize("kind", OUTBOUND_TYPES)
@pytest.mark.parametrize(("given", "stored"), [
    ("1,2", ["1", "2"]), ("3 1", ["1", "3"]), ("2, 3,1", ["1", "2", "3"]), ("", []),
    ([1, "2"], ["1", "2"]), (["3"], ["3"]), ((2, 1), ["1", "2"]), ([], []),
])
def test_zones_are_normalised(kind: str, given: Any, stored: list[str]) -> None:
    data = nested("outbound.zones", given, kind)
    if kind == "user_assigned" and len(stored) >= 2:
        data["outbound"]["layout"] = "single"
    assert validate(data).outbound.zones == stored


@pytest.mark.parametrize("bad", ["1,1", ["2", 2], "4", "0", "1,2,3,4", "a", 7])
def test_zones_rejected(bad: Any) -> None:
    assert list(problems(nested("outbound.zones", bad))) == ["outbound.zones"]


# -- cross-field rules -------------------------------------------------------------------------

def ua(**values: Any) -> dict[str, Any]:
    return {"outbound": {"type": "user_assigned", **values}}


CROSS_FIELD: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("outbound.layout",
     ua(sku="StandardV2", layout="per_zone", zones="1,2"),
     ua(sku="Standard", layout="per_zone", zones="1,2"), "zone-redundant"),
    ("outbound.zones", ua(layout="per_zone", zones="1"), ua(layout="per_zone", zones="1,3"),
     "at least two zones"),
    ("outbound.subnet_prefix", ua(vnet_address_space="10.0.0.0/16", subnet_prefix="10.1.0.0/24"),
     ua(vnet_address_space="10.0.0.0/16", subnet_prefix="10.0.255.0/24"),
     "not inside the VNet"),
    ("outbound.subnet_prefix",
     ua(vnet_address_space="10.0.0.0/16", subnet_prefix="10.0.255.0/24", layout="per_zone",
        zones="1,2"),
     ua(vnet_address_space="10.0.0.0/16", subnet_prefix="10.0.254.0/24", layout="per_zone",
        zones="1,2"), "zone 2 subnet"),
    ("outbound.subnet_prefix",
     ua(vnet_address_space="255.255.255.0/24", subnet_prefix="255.255.255.0/24",
        layout="per_zone", zones="1,2"),
     ua(vnet_address_space="255.255.0.0/16", subnet_prefix="255.255.254.0/24",
        layout="per_zone", zones="1,2"), "no room"),
    ("cluster.network_plugin",
     {"cluster": {"network_plugin": "kubenet"}, "windows": {"enabled": True}},
     {"cluster": {"network_plugin": "kubenet"}, "windows": {"enabled": False}}, "Azure CNI"),
    ("windows.disable_outbound_nat",
     {"outbound": {"type": "load_balancer"}, "windows": {"enabled": True}},
     {"outbound": {"type": "load_balancer"},
      "windows": {"enabled": True, "disable_outbound_nat": False}}, "NAT gateway"),
    ("windows.disable_outbound_nat",
     {"cluster": {"kubernetes_version": "1.25"}, "windows": {"enabled": True}},
     {"cluster": {"kubernetes_version": "1.26"}, "windows": {"enabled": True}}, "1.26"),
    ("windows.disable_outbound_nat",
     {"cluster": {"kubernetes_version": "1.25.9"}, "windows": {"enabled": True}},
     {"cluster": {"kubernetes_version": "1.25"},
      "windows": {"enabled": True, "disable_outbound_nat": False}}, "1.26"),
]


@pytest.mark.parametrize(("path", "bad", "good", "words"), CROSS_FIELD,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CROSS_FIELD)])
def test_cross_field_rules(path: str, bad: dict[str, Any], good: dict[str, Any],
                           words: str) -> None:
    found = problems(bad)
    assert path in found and words in found[path]
    validate(good)


def test_windows_rules_ignore_a_disabled_pool() -> None:
    validate({"cluster": {"network_plugin": "kubenet", "kubernetes_version": "1.22"},
              "outbound": {"type": "load_balancer"}, "windows": {"enabled": False}})


def test_every_cross_field_problem_is_reported_at_once() -> None:
    found = problems({"cluster": {"network_plugin": "kubenet", "kubernetes_version": "1.25"},
                      "windows": {"enabled": True}})
    assert set(found) == {"cluster.network_plugin", "windows.disable_outbound_nat"}


def test_per_zone_subnets_follow_the_first() -> None:
    out = validate(ua(layout="per_zone", zones="1,2,3", subnet_prefix="10.0.4.0/22")).outbound
    assert isinstance(out, UserAssignedOutbound)
    assert out.subnet_prefixes() == ["10.0.4.0/22", "10.0.8.0/22", "10.0.12.0/22"]


@pytest.mark.parametrize("bad", ["10.0.0.1/16", "10.0.0.0/33", "fd00::/8", "nonsense", ""])
def test_cidrs_must_be_ipv4_networks(bad: str) -> None:
    found = problems(ua(vnet_address_space=bad))
    assert "outbound.vnet_address_space" in found
    assert "outbound.subnet_prefix" in problems(ua(subnet_prefix=bad))


# -- the union, extra keys and managed networking ---------------------------------------------

@pytest.mark.parametrize("kind", OUTBOUND_TYPES)
def test_union_errors_name_the_outbound_field(kind: str) -> None:
    found = problems({"outbound": {"type": kind, "ip_count": 0}})
    assert list(found) == ["outbound.ip_count"]


def test_an_unknown_outbound_type_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        validate({"outbound": {"type": "firewall"}})
    (error,) = caught.value.errors()
    assert error["type"] == "union_tag_invalid" and field_path(error["loc"]) == "outbound"


def test_an_outbound_table_without_type_is_managed() -> None:
    assert validate({"outbound": {"ip_count": 3}}).outbound.type == "managed"
    assert validate({}).outbound.type == "managed"


@pytest.mark.parametrize("data", [
    {"clutser": {}}, {"cluster": {"nmae": "x"}}, {"outbound": {"type": "managed", "foo": 1}},
    {"outbound": {"type": "user_assigned", "vnet_subnet_id": ""}},
    {"windows": {"password": "x"}}, {"workload": {"flows": 1}},
])
def test_extra_keys_are_rejected(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        validate(data)
    assert [e["type"] for e in caught.value.errors()] == ["extra_forbidden"]


@pytest.mark.parametrize("outbound", [
    {"vnet_name": "myVnet"}, {"type": "managed", "subnet_prefix": "10.0.0.0/24"},
    {"type": "managed", "layout": "per_zone", "identity_name": "abc"},
])
def test_managed_with_network_keys_is_explained(outbound: dict[str, Any]) -> None:
    found = problems({"outbound": outbound})
    ((path, message),) = found.items()
    byo = sorted(k for k in outbound if k != "type")
    assert path == f"outbound.{byo[0]}"
    assert "user_assigned" in message and "VNet AKS creates" in message


def test_assignment_is_validated() -> None:
    config = WizardConfig()
    with pytest.raises(ValidationError):
        config.outbound.ip_count = 17
    assert config.outbound.ip_count == 1


@pytest.mark.parametrize(("name", "prefix"), [("myNatCluster", "myNatCluster"),
                                              ("my_cluster", "my-cluster"),
                                              ("a" * 63, "a" * 54)])
def test_the_dns_prefix_is_derived_from_the_name(name: str, prefix: str) -> None:
    assert validate({"cluster": {"name": name}}).cluster.effective_dns_prefix == prefix


def test_a_given_dns_prefix_wins() -> None:
    assert validate({"cluster": {"dns_prefix": "mine"}}).cluster.effective_dns_prefix == "mine"


# -- arbitrary input: a valid config or a ValidationError, nothing else ------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["1,2", "managed", "user_assigned", "10.0.0.0/24", "1.30", "-1", "17"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)
PATHS = sorted(fields.all_specs())


def _outcome(data: Any) -> None:
    """Validation either succeeds or raises ValidationError (any other exception fails the
    test), and `evaluate` agrees with it without raising."""
    try:
        config: WizardConfig | None = WizardConfig.model_validate(data)
    except ValidationError:
        config = None
    evaluation = evaluate(data)
    if config is None:
        assert evaluation.config is None and evaluation.errors
    else:
        assert evaluation.config == config
    for finding in evaluation.findings:
        assert isinstance(finding.message, str) and finding.message


@settings(max_examples=400)
@given(st.sampled_from(OUTBOUND_TYPES), st.lists(st.tuples(st.sampled_from(PATHS), json_values),
                                                 max_size=4))
def test_any_value_at_any_path_is_valid_or_a_validation_error(
        kind: str, edits: list[tuple[str, Any]]) -> None:
    data: dict[str, Any] = {"outbound": {"type": kind}}
    for path, value in edits:
        data = fields.set_path(data, path, value)
    _outcome(data)


@settings(max_examples=400)
@given(st.sampled_from(OUTBOUND_TYPES), st.sampled_from(PATHS), st.text(max_size=40))
def test_any_text_at_any_path_is_valid_or_a_validation_error(kind: str, path: str,
                                                             raw: str) -> None:
    _outcome(fields.set_text({"outbound": {"type": kind}}, path, raw))


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["cluster", "outbound", "windows", "workload",
                                        "description", "schema_version", "x"]),
                       json_values, max_size=5) | json_values)
def test_arbitrary_documents_are_valid_or_a_validation_error(data: Any) -> None:
    _outcome(data)


# -- NAT gateway SKU and region (docs/AZURE_FACTS.md, sku.default and sku.v2-regions) ----------
def test_an_omitted_sku_is_the_regions_default() -> None:
    assert WizardConfig.model_validate({}).outbound.sku == "StandardV2"  # type: ignore[union-attr]
    east = WizardConfig.model_validate({"cluster": {"location": "Canada East"},
                                        "outbound": {"type": "user_assigned"}})
    assert east.outbound.sku == "Standard"  # type: ignore[union-attr]
    per_zone = WizardConfig.model_validate(
        {"outbound": {"type": "user_assigned", "layout": "per_zone", "zones": "1,2"}})
    assert per_zone.outbound.sku == "Standard"  # type: ignore[union-attr]


def test_standard_v2_where_the_region_lacks_it_is_an_error_beside_the_sku() -> None:
    from wizard.model.evaluation import evaluate

    evaluation = evaluate({"cluster": {"location": "westindia"},
                           "outbound": {"sku": "StandardV2"}})
    (error,) = evaluation.errors
    assert error.field == "outbound.sku"
    assert "westindia does not offer StandardV2" in error.message
