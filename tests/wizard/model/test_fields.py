"""`fields`: one declaration per setting covers the whole model, parses typed text per kind, and
edits the plain mapping the way front ends need (switching the outbound type drops stale keys)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from wizard.model import fields
from wizard.model.config import WizardConfig

SPECS = fields.all_specs()


def model_paths() -> set[str]:
    """Every leaf field of the model, as a dotted path, over all outbound types."""
    paths = {"description"}
    for section, model in fields.SECTIONS.items():
        paths |= {f"{section}.{name}" for name in model.model_fields}
    for model in fields.OUTBOUND_MODELS.values():
        paths |= {f"outbound.{name}" for name in model.model_fields}
    return paths


def test_specs_cover_every_model_field() -> None:
    assert set(SPECS) == model_paths()


def test_every_top_level_field_is_a_section_or_a_spec() -> None:
    for name, info in WizardConfig.model_fields.items():
        if name == "schema_version":
            continue
        annotation = info.annotation
        is_section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        assert is_section or name == "outbound" or name in SPECS, name


@pytest.mark.parametrize("path", sorted(SPECS))
def test_every_field_has_a_label_and_help(path: str) -> None:
    spec = SPECS[path]
    assert spec.label.strip() and spec.label != path
    assert len(spec.help.strip()) > 10


@pytest.mark.parametrize("path", sorted(SPECS))
def test_every_default_is_valid(path: str) -> None:
    spec = SPECS[path]
    kind = spec.outbound_types[0] if spec.outbound_types else "managed"
    data = fields.set_path({"outbound": {"type": kind}}, path, spec.default)
    if path == "outbound.type":
        data = {"outbound": {"type": spec.default}}
    WizardConfig.model_validate(data)


def test_outbound_fields_know_their_types() -> None:
    assert SPECS["outbound.type"].choices == ("managed", "user_assigned", "load_balancer")
    assert SPECS["outbound.ip_count"].outbound_types == ("managed", "user_assigned",
                                                         "load_balancer")
    assert SPECS["outbound.layout"].outbound_types == ("user_assigned",)
    assert SPECS["outbound.vnet_subnet_id"].outbound_types == ("load_balancer",)
    assert SPECS["outbound.sku"].applies("managed")
    assert not SPECS["outbound.sku"].applies("load_balancer")
    assert SPECS["cluster.name"].applies("load_balancer")


def test_kinds_choices_and_bounds() -> None:
    assert SPECS["cluster.node_count"].kind == "int"
    assert SPECS["cluster.node_count"].bounds_text == "1-1000"
    assert SPECS["cluster.network_plugin"].kind == "choice"
    assert SPECS["cluster.network_plugin"].choices == ("azure", "kubenet")
    assert SPECS["windows.enabled"].kind == "bool"
    assert SPECS["outbound.zones"].kind == "zones"
    assert SPECS["outbound.zones"].choices == ("1", "2", "3")
    assert SPECS["cluster.name"].kind == "text" and SPECS["cluster.name"].bounds_text == ""
    assert SPECS["workload.concurrent_flows"].optional
    assert not SPECS["cluster.node_count"].optional


def test_outbound_spec_uses_the_types_own_limits() -> None:
    assert fields.outbound_spec("outbound.ip_count", "managed").maximum == 16
    assert fields.outbound_spec("outbound.ip_count", "load_balancer").maximum == 100
    assert fields.outbound_spec("outbound.idle_timeout_minutes", "load_balancer").default == 30
    assert fields.outbound_spec("cluster.node_count", "load_balancer") == SPECS[
        "cluster.node_count"]


def test_an_unknown_path_suggests_real_ones() -> None:
    with pytest.raises(KeyError, match=r"did you mean outbound\.ip_count"):
        fields.spec("outbound.ip_cout")
    with pytest.raises(KeyError, match="unknown setting"):
        fields.spec("zzz")


# -- parse_value, per kind ---------------------------------------------------------------------

@pytest.mark.parametrize(("path", "raw", "value"), [
    ("cluster.node_count", " 3 ", 3),
    ("cluster.node_count", "1,000", 1000),
    ("workload.concurrent_flows", "100_000", 100_000),
    ("workload.concurrent_flows", "", None),
    ("cluster.node_count", "", ""),  # not optional: left for validation to report
    ("cluster.node_count", "three", "three"),
    ("windows.enabled", "yes", True),
    ("windows.enabled", "On", True),
    ("windows.enabled", "0", False),
    ("windows.enabled", "n", False),
    ("windows.enabled", "maybe", "maybe"),
    ("outbound.zones", "1,2", ["1", "2"]),
    ("outbound.zones", "[1, 3]", ["1", "3"]),
    ('outbound.zones', '["2"]', ["2"]),
    ("outbound.zones", "none", []),
    ("outbound.zones", "", []),
    ("outbound.zones", "no-zone", []),
    ("cluster.network_plugin", " kubenet ", "kubenet"),
    ("cluster.name", "  myCluster ", "myCluster"),
    ("cluster.subscription_id", "", None),
])
def test_parse_value(path: str, raw: str, value: Any) -> None:
    assert fields.parse_value(SPECS[path], raw) == value


# -- get_path / set_path / set_text ------------------------------------------------------------

def test_get_path() -> None:
    data = {"cluster": {"name": "x"}, "outbound": "oops"}
    assert fields.get_path(data, "cluster.name") == "x"
    assert fields.get_path(data, "cluster.nope") is None
    assert fields.get_path(data, "outbound.type") is None
    assert fields.get_path({}, "windows.enabled") is None


def test_set_path_copies_and_creates_sections() -> None:
    data: dict[str, Any] = {"cluster": {"name": "x"}}
    result = fields.set_path(data, "windows.enabled", True)
    assert result == {"cluster": {"name": "x"}, "windows": {"enabled": True}}
    assert data == {"cluster": {"name": "x"}}
    replaced = fields.set_path({"windows": "not a table"}, "windows.enabled", False)
    assert replaced == {"windows": {"enabled": False}}


def test_switching_the_outbound_type_drops_what_the_new_type_lacks() -> None:
    data = {"outbound": {"type": "user_assigned", "ip_count": 3, "zones": ["1"],
                         "layout": "single", "vnet_name": "v", "sku": "Standard"}}
    managed = fields.set_path(data, "outbound.type", "managed")
    assert managed["outbound"] == {"type": "managed", "ip_count": 3, "zones": ["1"],
                                   "sku": "Standard"}
    balancer = fields.set_path(managed, "outbound.type", "load_balancer")
    assert balancer["outbound"] == {"type": "load_balancer", "ip_count": 3, "zones": ["1"]}
    WizardConfig.model_validate(balancer)
    # an unknown type is kept as typed, for validation to report
    unknown = fields.set_path(data, "outbound.type", "firewall")
    assert unknown["outbound"]["vnet_name"] == "v"


def test_set_text_parses_with_the_current_types_limits() -> None:
    data = fields.set_text({}, "outbound.ip_count", "2")
    assert data == {"outbound": {"ip_count": 2}}
    data = fields.set_text({"outbound": {"type": "load_balancer"}}, "outbound.zones", "3,1")
    assert WizardConfig.model_validate(data).outbound.zones == ["1", "3"]
    data = fields.set_text({}, "windows.enabled", "true")
    assert WizardConfig.model_validate(data).windows.enabled is True


@pytest.mark.parametrize(("path", "value"), [
    ("outbound.zones", ["1", "2", "3"]), ("outbound.zones", []), ("outbound.ip_count", 4),
    ("cluster.name", "aks-1"), ("workload.concurrent_flows", None)])
def test_format_value_reads_back_with_parse_value(path: str, value: object) -> None:
    spec = fields.spec(path)
    assert fields.parse_value(spec, fields.format_value(value)) == value


def test_a_setting_behind_a_switch_is_asked_only_while_the_switch_is_on() -> None:
    """`shown_when` names a bool setting; the Windows pool's settings and the IPv6 range wait
    for theirs, in the step list both front ends read."""
    from wizard.model.steps import STEPS

    gated = {path: spec.shown_when for path, spec in fields.all_specs().items()
             if spec.shown_when}
    assert gated["outbound.vnet_address_space_v6"] == "cluster.dual_stack"
    assert gated["windows.vm_size"] == "windows.enabled" and "windows.enabled" not in gated
    assert all(fields.spec(switch).kind == "bool" for switch in gated.values())
    windows = next(step for step in STEPS if step.id == "windows")
    assert windows.visible_paths({}) == ["windows.enabled"]
    shown = windows.visible_paths({"windows": {"enabled": True}})
    assert "windows.vm_size" in shown and shown[0] == "windows.enabled"
    assert fields.outbound_spec("outbound.vnet_address_space_v6",
                                "user_assigned").shown_when == "cluster.dual_stack"
