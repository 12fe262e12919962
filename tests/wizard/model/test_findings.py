"""`findings`: validation errors become plain findings naming the setting, and `evaluate` joins
them with the rules' findings without ever raising."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.evaluation import Evaluation, evaluate
from wizard.model.findings import Finding, field_path, sort_findings


def only_error(data: Any) -> Finding:
    evaluation = evaluate(data)
    assert evaluation.config is None and not evaluation.ok
    (finding,) = evaluation.findings
    assert finding.severity == "error"
    return finding


@pytest.mark.parametrize(("loc", "path"), [
    (("outbound", "user_assigned", "ip_count"), "outbound.ip_count"),
    (("outbound", "load_balancer", "zones", 0), "outbound.zones"),
    (("outbound", "zones", 2), "outbound.zones"),
    (("cluster", "name"), "cluster.name"),
    (("outbound",), "outbound"),
    ((), ""),
])
def test_field_path(loc: tuple[str | int, ...], path: str) -> None:
    assert field_path(loc) == path


@pytest.mark.parametrize(("data", "path", "message"), [
    ({"outbound": {"ip_count": 17}}, "outbound.ip_count",
     "must be between 1 and 16 (you gave 17)"),
    ({"outbound": {"type": "user_assigned", "ip_count": 0}}, "outbound.ip_count",
     "must be between 1 and 16 (you gave 0)"),
    ({"outbound": {"type": "load_balancer", "ip_count": 101}}, "outbound.ip_count",
     "must be between 1 and 100 (you gave 101)"),
    ({"cluster": {"max_pods": 5}}, "cluster.max_pods", "must be between 10 and 250 (you gave 5)"),
    ({"workload": {"concurrent_flows": -1}}, "workload.concurrent_flows",
     "must be between 0 and 100,000,000 (you gave -1)"),
    ({"outbound": {"type": "firewall"}}, "outbound.type",
     "must be one of managed, user_assigned, load_balancer (you gave 'firewall')"),
    ({"outbound": {"zones": "4"}}, "outbound.zones", "each zone must be 1, 2 or 3 (you gave '4')"),
    ({"cluster": {"network_plugin": "cilium"}}, "cluster.network_plugin",
     "must be 'azure' or 'kubenet' (you gave 'cilium')"),
    ({"outbound": {"ip_count": "two"}}, "outbound.ip_count",
     "must be a valid integer, a whole number like 3 (you gave 'two')"),
    ({"windows": {"enabled": "maybe"}}, "windows.enabled",
     "must be true or false (you gave 'maybe')"),
    ({"cluster": {"nmae": "x"}}, "cluster.nmae",
     "is not a setting the wizard knows (check the spelling)"),
    ({"description": "x" * 501}, "description", "must be at most 500 characters (you gave 501)"),
    ({"outbound": "x"}, "outbound",
     "must be a section of settings (a [table] in a preset file) (you gave 'x')"),
])
def test_validation_messages_are_plain(data: dict[str, Any], path: str, message: str) -> None:
    finding = only_error(data)
    assert (finding.field, finding.message) == (path, message)
    assert finding.code.startswith("invalid.")


@pytest.mark.parametrize(("path", "value", "words"), [
    ("cluster.subscription_id", "abc", "GUID"),
    ("cluster.node_vm_size", "D4 v5", "Standard_D4s_v5"),
    ("windows.admin_username", "1admin", "starting with a letter"),
])
def test_pattern_errors_say_what_is_expected(path: str, value: str, words: str) -> None:
    finding = only_error(fields.set_path({}, path, value))
    assert finding.field == path and words in finding.message
    assert repr(value) in finding.message
    assert "pattern" not in finding.message  # never the raw regular expression


def test_load_balancer_subnet_id_pattern_is_explained() -> None:
    finding = only_error({"outbound": {"type": "load_balancer", "vnet_subnet_id": "subnet1"}})
    assert finding.field == "outbound.vnet_subnet_id" and "/subnets/" in finding.message


def test_a_long_input_is_shortened_in_the_message() -> None:
    finding = only_error({"outbound": {"ip_count": "9" * 200 + "x"}})
    assert len(finding.message) < 140 and finding.message.endswith("...)")


def test_cross_field_errors_keep_their_explanation() -> None:
    finding = only_error({"cluster": {"network_plugin": "kubenet"}, "windows": {"enabled": True}})
    assert finding.field == "cluster.network_plugin" and "Azure CNI" in finding.message


def test_every_problem_is_reported_at_once() -> None:
    evaluation = evaluate({"outbound": {"ip_count": 0, "idle_timeout_minutes": 1},
                           "cluster": {"name": "-"}})
    assert {f.field for f in evaluation.errors} == {
        "outbound.ip_count", "outbound.idle_timeout_minutes", "cluster.name"}


def test_a_valid_config_gets_the_rules_findings_sorted() -> None:
    data = {"outbound": {"zones": "1,2", "idle_timeout_minutes": 10},
            "cluster": {"location": "canadaeast"}}  # no StandardV2 there: Standard, one zone
    evaluation = evaluate(data)
    assert evaluation.config is not None and evaluation.ok
    codes = [f.code for f in evaluation.findings]
    # both warnings, so by field: idle_timeout_minutes before sku
    assert codes == ["timeout.long_idle", "zones.single_gateway_multi_zone"]
    assert evaluate(evaluation.config).findings == evaluation.findings


def test_rule_errors_make_an_evaluation_not_ok() -> None:
    config = WizardConfig.model_validate(
        {"outbound": {"type": "user_assigned", "subnet_prefix": "10.0.0.0/28"}})
    evaluation = evaluate(config)
    assert evaluation.config is config
    assert [f.code for f in evaluation.errors] == ["subnet.too_small"]
    assert not evaluation.ok


def test_sorting_puts_errors_first_then_by_field() -> None:
    items = [Finding("info", "a", "m", code="x"), Finding("warning", "b", "m", code="y"),
             Finding("error", "z", "m", code="z"), Finding("warning", "a", "m", code="w")]
    assert [(f.severity, f.field) for f in sort_findings(items)] == [
        ("error", "z"), ("warning", "a"), ("warning", "b"), ("info", "a")]


def test_to_dict_is_the_json_contract() -> None:
    finding = Finding("warning", "outbound.ip_count", "too few", "https://example", "snat.x")
    assert finding.to_dict() == {"severity": "warning", "code": "snat.x",
                                 "field": "outbound.ip_count", "message": "too few",
                                 "doc": "https://example", "fact": ""}
    sourced = Finding("info", "outbound.sku", "m", "https://example", "sku.x", "sku.v2-ips")
    assert sourced.to_dict()["fact"] == "sku.v2-ips"


@pytest.mark.parametrize("data", [None, 5, "text", [], [{"outbound": {}}], {"outbound": None},
                                  {"cluster": []}, {1: 2}, {"outbound": {"type": None}}])
def test_evaluate_never_raises(data: Any) -> None:
    evaluation = evaluate(data)
    assert isinstance(evaluation, Evaluation)
    assert evaluation.config is None and evaluation.errors
