"""`aks-nat-wizard presets list|show|validate|save`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from wizard.cli.main import main_group
from wizard.storage import presets


def runner() -> CliRunner:
    """Wide enough that Rich does not wrap the messages the tests look for."""
    return CliRunner(env={"COLUMNS": "200"})


def run(*args: str) -> Result:
    return runner().invoke(main_group, ["presets", *args], catch_exceptions=False)


def test_list_shows_builtins_and_user_presets_with_their_source() -> None:
    presets.save("mine", presets.load("user-assigned"))
    result = run("list", "--output", "json")
    assert result.exit_code == 0
    listed = {(p["name"], p["source"]) for p in json.loads(result.stdout)}
    assert ("managed-basic", "built-in") in listed and ("mine", "user") in listed
    text = run("list").stdout
    assert "managed-zonal" in text and "mine" in text and "user" in text


def test_show_prints_the_file_with_its_comments() -> None:
    result = run("show", "managed-basic")
    assert result.exit_code == 0
    assert result.stdout == presets.read("managed-basic").text
    assert result.stdout.startswith("#")


def test_show_of_an_unknown_preset_exits_2() -> None:
    result = run("show", "nope")
    assert result.exit_code == 2
    assert "available" in result.stderr


def test_save_then_plan_with_it(wizard_home: Path) -> None:
    result = run("save", "prod", "--preset", "user-assigned-per-zone",
                 "--set", "outbound.ip_count=2", "--description", "Prod [red]egress")
    assert result.exit_code == 0, result.output
    saved = presets.load("prod")
    assert saved.outbound.ip_count == 2
    assert saved.description == "Prod [red]egress"
    assert (wizard_home / "presets" / "prod.toml").is_file()
    listing = run("list").stdout
    assert "Prod [red]egress" in listing  # printed as typed, not as markup
    plan = runner().invoke(main_group, ["plan", "--preset", "prod", "--output", "json"])
    assert json.loads(plan.stdout)["config"]["outbound"]["ip_count"] == 2


def test_save_refuses_errors_and_a_builtin_name_without_force() -> None:
    bad = run("save", "bad", "--set", "outbound.ip_count=17")
    assert bad.exit_code == 2
    assert "not saved" in bad.stderr
    assert "bad" not in presets.user_names()

    builtin = run("save", "managed-basic")
    assert builtin.exit_code == 2
    assert "built-in" in builtin.stderr
    forced = run("save", "managed-basic", "--set", "outbound.ip_count=3", "--force")
    assert forced.exit_code == 0
    assert "user:managed-basic" in forced.stdout
    assert presets.load("user:managed-basic").outbound.ip_count == 3
    assert presets.load("managed-basic").outbound.ip_count == 1


def test_save_rejects_a_bad_name() -> None:
    result = run("save", "../escape")
    assert result.exit_code == 2
    assert "not a usable preset name" in result.stderr


def test_validate_reports_every_file_and_exits_2_if_any_is_bad(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(presets.read("user-assigned").text, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[outbound]\ntype = "user_assigned"\nip_count = 99\n', encoding="utf-8")
    result = run("validate", "managed-basic", str(good), str(bad), "--output", "json")
    assert result.exit_code == 2
    reports = json.loads(result.stdout)
    assert [r["ok"] for r in reports] == [True, True, False]
    (finding,) = reports[2]["findings"]
    assert finding["field"] == "outbound.ip_count"
    assert f"{bad}:3" in finding["message"]

    assert run("validate", *presets.builtin_names()).exit_code == 0


def test_help_texts_teach() -> None:
    for args in (("--help",), ("save", "--help"), ("validate", "--help"), ("show", "--help")):
        result = run(*args)
        assert result.exit_code == 0
        text = " ".join(result.stdout.split())
        assert "Example" in text or "Exits 2" in text
