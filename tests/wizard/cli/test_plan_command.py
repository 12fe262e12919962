"""`aks-nat-wizard plan`: exit codes, the JSON contract, and how bad input is reported."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from wizard.cli.main import main_group
from wizard.storage import presets


def runner() -> CliRunner:
    """Wide enough that Rich does not wrap the messages the tests look for."""
    return CliRunner(env={"COLUMNS": "200"})


def run(*args: str) -> Result:
    return runner().invoke(main_group, list(args), catch_exceptions=False)


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("plan", "--output", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_without_a_preset_the_plan_is_the_model_defaults() -> None:
    code, payload = run_json()
    assert code == 0
    assert set(payload) == {"config", "findings", "plan", "cost"}
    assert payload["config"]["outbound"]["type"] == "managed"
    assert payload["config"]["outbound"]["ip_count"] == 1
    assert payload["plan"]["outbound_type"] == "managedNATGateway"


@pytest.mark.parametrize("name", presets.builtin_names())
def test_every_builtin_plans_with_exit_0_and_a_stable_shape(name: str) -> None:
    code, payload = run_json("--preset", name)
    assert code == 0
    assert all(f["severity"] != "error" for f in payload["findings"])
    for finding in payload["findings"]:
        assert set(finding) == {"severity", "code", "field", "message", "doc", "fact"}
    plan = payload["plan"]
    assert {"schema_version", "subscription_id", "resource_group", "location", "cluster_name",
            "outbound_type", "total_snat_ports", "steps"} <= set(plan)
    keys = [step["key"] for step in plan["steps"]]
    for index, step in enumerate(plan["steps"]):
        assert {"key", "kind", "name", "depends_on", "summary", "snat_ports", "body"} <= set(step)
        assert all(keys.index(dep) < index for dep in step["depends_on"])
    assert payload["config"]["description"] == presets.load(name).description


def test_ip_count_17_exits_2_naming_the_field_and_the_range() -> None:
    code, payload = run_json("--preset", "managed-basic", "--set", "outbound.ip_count=17")
    assert code == 2
    assert payload["config"] is None and payload["plan"] is None
    (finding,) = [f for f in payload["findings"] if f["field"] == "outbound.ip_count"]
    assert finding["severity"] == "error"
    assert "between 1 and 16 (you gave 17)" in finding["message"]

    text = run("plan", "--preset", "managed-basic", "--set", "outbound.ip_count=17")
    assert text.exit_code == 2
    assert "outbound.ip_count" in text.stdout
    assert "between 1 and 16" in text.stdout


def test_every_problem_is_listed_at_once() -> None:
    code, payload = run_json("--set", "outbound.ip_count=17", "--set", "cluster.node_count=0",
                             "--set", "nonsense", "--set", "cluster.nmae=x")
    assert code == 2
    fields = {f["field"] for f in payload["findings"]}
    assert {"outbound.ip_count", "cluster.node_count", "cluster.nmae", ""} <= fields
    codes = {f["code"] for f in payload["findings"]}
    assert {"cli.set_syntax", "cli.set_unknown"} <= codes


def test_an_unknown_set_path_suggests_the_right_one() -> None:
    result = run("plan", "--set", "outbound.ip_cout=2")
    assert result.exit_code == 2
    assert "did you mean outbound.ip_count" in result.stdout
    assert "Traceback" not in result.output


def test_a_set_without_equals_sign_is_explained() -> None:
    result = run("plan", "--set", "outbound.ip_count")
    assert result.exit_code == 2
    assert "PATH=VALUE" in result.stdout


def test_setting_the_outbound_type_switches_it_and_its_fields() -> None:
    code, payload = run_json("--preset", "user-assigned", "--set", "outbound.type=managed")
    assert code == 0
    assert payload["config"]["outbound"]["type"] == "managed"
    assert "vnet_name" not in payload["config"]["outbound"]

    # the type is applied first, so the order of --set does not matter
    code, payload = run_json("--set", "outbound.layout=per_zone", "--set", "outbound.zones=1,2",
                             "--set", "outbound.sku=Standard",
                             "--set", "outbound.type=user_assigned")
    assert code == 0
    assert payload["config"]["outbound"]["layout"] == "per_zone"
    assert len([s for s in payload["plan"]["steps"] if s["kind"] == "nat_gateway"]) == 2



def test_per_zone_on_the_standard_v2_default_says_to_choose_standard() -> None:
    code, payload = run_json("--set", "outbound.type=user_assigned",
                             "--set", "outbound.layout=per_zone", "--set", "outbound.zones=1,2")
    assert code == 2
    (finding,) = [f for f in payload["findings"] if f["severity"] == "error"]
    assert finding["field"] == "outbound.layout"
    assert "StandardV2 NAT gateway is already zone-redundant" in finding["message"]


def test_a_setting_the_outbound_type_lacks_is_named() -> None:
    code, payload = run_json("--set", "outbound.vnet_name=myVnet")
    assert code == 2
    (finding,) = [f for f in payload["findings"] if f["severity"] == "error"]
    assert finding["field"] == "outbound.vnet_name"
    assert "user_assigned" in finding["message"]


def test_an_unknown_preset_lists_the_available_ones() -> None:
    result = run("plan", "--preset", "managed-basc")
    assert result.exit_code == 2
    flat = " ".join(result.stdout.split())
    assert "did you mean managed-basic" in flat
    assert "user-assigned-per-zone" in flat


def test_the_groups_preset_is_used_by_plan() -> None:
    result = run("--preset", "user-assigned", "plan", "--output", "json")
    assert json.loads(result.stdout)["config"]["outbound"]["type"] == "user_assigned"


def test_text_output_shows_steps_in_order_and_totals() -> None:
    result = runner().invoke(main_group, ["plan", "--preset", "user-assigned"])
    assert result.exit_code == 0
    out = result.stdout
    order = [out.index(word) for word in ("myResourceGroup", "myVnet", "myNatGateway",
                                          "myNatClusterId", "managed cluster")]
    assert order == sorted(order)
    assert "0 errors, 0 warnings" in out


def test_user_input_is_printed_as_typed_not_as_markup() -> None:
    result = runner().invoke(main_group, ["plan", "--set", "cluster.name=[bold]x[/bold]"])
    assert result.exit_code == 2
    assert "[bold]x[/bold]" in result.stdout


def test_a_preset_file_with_a_bad_value_points_at_its_line(tmp_path: Any) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[cluster]\nname = "ok"\n[outbound]\nip_count = 40\n', encoding="utf-8")
    code, payload = run_json("--preset", str(path))
    assert code == 2
    (finding,) = payload["findings"]
    assert finding["field"] == "outbound.ip_count"
    assert f"{path}:4" in finding["message"]


def test_a_corrupt_preset_file_is_reported_with_line_and_column(tmp_path: Any) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[cluster]\nname = "x\n', encoding="utf-8")
    result = run("plan", "--preset", str(path))
    assert result.exit_code == 2
    assert f"{path}:2:" in "".join(result.stdout.split())  # the path may be wrapped
    assert "Traceback" not in result.output


def test_help_teaches_examples_json_and_exit_codes() -> None:
    result = run("plan", "--help")
    assert result.exit_code == 0
    for text in ("Examples:", "--preset user-assigned", '"findings"', "Exit codes:", "130",
                 "PATH=VALUE"):
        assert text in result.stdout
