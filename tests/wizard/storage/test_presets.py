"""Presets: the built-ins, reading and writing user presets, and every way a file can be wrong."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.evaluation import evaluate
from wizard.storage import paths, presets

BUILTINS = presets.builtin_names()


def test_the_promised_builtins_exist() -> None:
    assert {"managed-basic", "managed-zonal", "user-assigned", "user-assigned-per-zone",
            "windows-managed"} <= set(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_every_builtin_loads_with_no_error_and_a_one_line_description(name: str) -> None:
    config = presets.load(name)
    evaluation = evaluate(config)
    assert evaluation.errors == ()
    assert config.description and "\n" not in config.description
    assert len(config.description) < 200


def test_builtins_say_what_they_promise() -> None:
    basic = presets.load("managed-basic").outbound
    assert (basic.type, basic.ip_count, basic.zones) == ("managed", 1, [])
    zonal = presets.load("managed-zonal")
    assert (zonal.outbound.type, zonal.outbound.ip_count, zonal.outbound.zones) == (
        "managed", 2, ["1", "2", "3"])
    # honest: only a StandardV2 managed gateway survives a zone outage
    assert zonal.outbound.sku == "StandardV2" and "survives a zone outage" in zonal.description
    assert basic.sku == "StandardV2"  # the StandardV2 path first
    single = presets.load("user-assigned").outbound
    assert single.type == "user_assigned" and single.layout == "single"
    per_zone = presets.load("user-assigned-per-zone").outbound
    assert per_zone.type == "user_assigned" and per_zone.layout == "per_zone"
    assert per_zone.zones == ["1", "2", "3"]
    windows = presets.load("windows-managed")
    assert windows.outbound.type == "managed"
    assert windows.windows.enabled and windows.windows.disable_outbound_nat
    version = windows.kubernetes_version_tuple
    assert version is None or version[:2] >= (1, 26)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_round_trip_through_save_and_load(name: str) -> None:
    config = presets.load(name)
    path = presets.save(f"copy-{name}", config)
    again = presets.load(f"copy-{name}")
    assert again == config
    assert presets.dumps(again) == path.read_text(encoding="utf-8")


def test_saved_file_is_the_model_dump_minus_unset_values() -> None:
    config = WizardConfig.model_validate({"outbound": {"type": "user_assigned"}})
    path = presets.save("shape", config)
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == presets.to_data(config)
    assert "subscription_id" not in data["cluster"]  # None is left out
    assert "workload" not in data  # a section with nothing set is left out
    assert data["outbound"]["zones"] == []
    assert next(iter(data["outbound"])) == "type"


def test_save_writes_atomically_and_leaves_no_temporary_file(wizard_home: Path) -> None:
    presets.save("first", presets.load("managed-basic"))
    assert sorted(p.name for p in (wizard_home / "presets").iterdir()) == ["first.toml"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary_file(
        wizard_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = presets.save("keep", presets.load("managed-basic"))
    before = path.read_text(encoding="utf-8")

    def broken_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        presets.save("keep", presets.load("user-assigned"), force=True)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["keep.toml"]


def test_user_presets_go_under_the_wizard_home(wizard_home: Path) -> None:
    assert paths.presets_dir() == wizard_home / "presets"
    assert paths.data_dir() == wizard_home
    assert paths.runs_dir() == wizard_home / "runs"
    path = presets.save("here", presets.load("managed-basic"))
    assert path == wizard_home / "presets" / "here.toml"


def test_without_the_override_the_platform_dirs_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV)
    assert paths.config_dir().name == "aks-nat-wizard"
    assert paths.presets_dir().parent == paths.config_dir()


def test_a_user_preset_cannot_take_a_builtin_name_unless_forced() -> None:
    custom = presets.load("user-assigned")
    with pytest.raises(presets.PresetError, match="built-in preset"):
        presets.save("managed-basic", custom)
    presets.save("managed-basic", custom, force=True)
    # The plain name keeps meaning the built-in; user:NAME reaches the user's file.
    assert presets.load("managed-basic").outbound.type == "managed"
    assert presets.load("user:managed-basic").outbound.type == "user_assigned"
    listed = [(p.name, p.source) for p in presets.list_presets()]
    assert ("managed-basic", "built-in") in listed and ("managed-basic", "user") in listed


def test_an_existing_user_preset_is_replaced_only_when_forced() -> None:
    presets.save("mine", presets.load("managed-basic"))
    with pytest.raises(presets.PresetError, match="--force"):
        presets.save("mine", presets.load("user-assigned"))
    presets.save("mine", presets.load("user-assigned"), force=True)
    assert presets.load("mine").outbound.type == "user_assigned"


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "-dash", "sp ace", "x" * 65])
def test_unusable_names_are_refused(name: str) -> None:
    with pytest.raises(presets.PresetError, match="not a usable preset name"):
        presets.save(name, WizardConfig())


def test_an_unknown_name_lists_what_exists_and_suggests() -> None:
    with pytest.raises(presets.PresetError) as caught:
        presets.load("managed-basc")
    message = str(caught.value)
    assert "did you mean managed-basic" in message
    for name in BUILTINS:
        assert name in message


def test_a_missing_file_is_named() -> None:
    with pytest.raises(presets.PresetError, match=r"nope\.toml: no such preset file"):
        presets.load("./nope.toml")


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = 1\n[cluster]\nname = "x\nnode_count = 3\n',
                 "corrupt.toml")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (3, 10)
    assert str(caught.value).startswith(f"{path}:3:10: TOML syntax:")


def test_a_syntax_error_at_the_end_names_the_last_line(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version = 1\n[cluster]\nname =\n")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(path)
    assert caught.value.problems[0].line is not None
    assert str(path) in str(caught.value)


def test_text_that_is_not_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'schema_version = 1\ndescription = "caf\xe9"\n')
    with pytest.raises(presets.PresetError, match=r"latin.toml:2: is not UTF-8"):
        presets.load(path)


def test_invalid_values_name_the_field_and_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "schema_version = 1",
        "[cluster]",
        'name = "ok"',
        "node_count = 0",
        "",
        "[outbound]",
        'type = "user_assigned"',
        "ip_count = 17",
        'subnet_prefix = "10.0.0.0/99"',
    ]) + "\n", "invalid.toml")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(path)
    by_field = {p.field: p for p in caught.value.problems}
    assert by_field["cluster.node_count"].line == 4
    assert by_field["outbound.ip_count"].line == 8
    assert "between 1 and 16 (you gave 17)" in by_field["outbound.ip_count"].message
    assert by_field["outbound.subnet_prefix"].line == 9
    text = str(caught.value)
    assert f"{path}:8: outbound.ip_count:" in text


def test_an_unknown_key_is_pointed_at(tmp_path: Path) -> None:
    path = write(tmp_path, '[cluster]\nname = "x"\nnmae = "typo"\n')
    with pytest.raises(presets.PresetError) as caught:
        presets.load(path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("cluster.nmae", 3)


def test_a_future_schema_version_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = 2\n[cluster]\nname = "x"\n', "future.toml")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(path)
    assert "future.toml:1: schema_version: version 2 was written by a newer" in str(caught.value)


@pytest.mark.parametrize("value", ['"1"', "1.0", "true", "-1"])
def test_a_malformed_schema_version_is_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"schema_version = {value}\n")
    with pytest.raises(presets.PresetError, match="schema_version"):
        presets.load(path)


def test_a_file_without_schema_version_is_migrated_to_the_current_one(tmp_path: Path) -> None:
    path = write(tmp_path, '[cluster]\nname = "legacy"\n')
    preset_file = presets.read(path)
    assert preset_file.data["schema_version"] == 1
    assert preset_file.config().cluster.name == "legacy"


def test_an_explicit_version_zero_is_migrated_and_terminates(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = 0\n[cluster]\nname = "legacy"\n')
    assert presets.read(path).data["schema_version"] == 1


def test_migrations_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def zero_to_one(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(0)
        return {**data, "schema_version": 1}

    monkeypatch.setattr(presets, "MIGRATIONS", {0: zero_to_one})
    assert presets.migrate({"cluster": {}}) == {"cluster": {}, "schema_version": 1}
    assert calls == [0]


@pytest.mark.parametrize(("text", "field", "line"), [
    ('[cluster]\nname = "x"\n[outbound]\nip_count = 2\n', "outbound.ip_count", 4),
    ('cluster.name = "x"\noutbound.ip_count = 2\n', "outbound.ip_count", 2),
    ('[outbound]\n"ip_count" = 2\n', "outbound.ip_count", 2),
    ('[outbound]\ntype = "managed"\n', "outbound.zones.0", 1),  # falls back to the table
    ('description = """\nip_count = 1\n"""\n[outbound]\nip_count = 3\n', "outbound.ip_count", 5),
    ('[cluster]\nname = "x"\n', "windows.enabled", None),
])
def test_find_key_line(text: str, field: str, line: int | None) -> None:
    assert presets.find_key_line(text, field) == line


def test_presets_never_hold_secrets() -> None:
    """The model has no secret field, so neither can a preset; keep it that way."""
    secretish = ("password", "secret", "token", "credential", "client_key")
    for path in fields.all_specs():
        assert not any(word in path.lower() for word in secretish), path
    for name in BUILTINS:
        data = presets.to_data(presets.load(name))
        text = presets.dumps(presets.load(name))
        assert "{{secret:" not in text
        assert not _keys_matching(data, secretish)


def _keys_matching(data: Any, words: tuple[str, ...]) -> list[str]:
    if isinstance(data, dict):
        found = [k for k in data if any(w in k.lower() for w in words)]
        for value in data.values():
            found += _keys_matching(value, words)
        return found
    return []


def test_the_builtin_folder_is_found_in_a_source_checkout() -> None:
    folder = presets.builtin_dir()
    assert (folder / "managed-basic.toml").is_file()


def test_a_broken_user_preset_is_still_listed(wizard_home: Path) -> None:
    folder = paths.ensure_dir(wizard_home / "presets")
    (folder / "broken.toml").write_text("this is = = not toml", encoding="utf-8")
    listed = {p.name: p for p in presets.list_presets()}
    assert listed["broken"].source == "user"
    assert listed["broken"].description.startswith("(cannot be read")


# -- robustness: any file gives a config or a PresetError, nothing else -----------------------

KEYS = st.sampled_from(["schema_version", "description", "cluster", "outbound", "windows",
                        "workload", "type", "ip_count", "zones", "layout", "name", "enabled",
                        "node_count", "subnet_prefix", "vnet_address_space", "kubernetes_version",
                        "disable_outbound_nat", "idle_timeout_minutes"]) | st.text(max_size=8)
SCALARS = (st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20) | st.booleans()
           | st.floats(allow_nan=False) | st.dates()
           | st.sampled_from(["managed", "user_assigned", "load_balancer", "per_zone", "1", "2",
                              "10.0.0.0/16", "10.0.0.0/22", "1.26"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=5), max_leaves=12)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def _config_or_preset_error(path: Path) -> None:
    try:
        config = presets.load(path)
    except presets.PresetError as error:
        assert error.problems and all(p.message for p in error.problems)
        assert str(path) in str(error)
    else:
        assert isinstance(config, WizardConfig)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(DOCUMENTS)
def test_any_toml_document_gives_a_config_or_a_preset_error(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(text, encoding="utf-8")
        _config_or_preset_error(path)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_give_a_config_or_a_preset_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(raw)
        _config_or_preset_error(path)
