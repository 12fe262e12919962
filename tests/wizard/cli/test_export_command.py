"""`aks-nat-wizard export`: refuses invalid configs, writes atomically, makes az executable."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import wizard.export
from wizard.cli.main import main_group
from wizard.plan import Plan, build
from wizard.storage import presets


def fake_az(plan: Plan) -> str:
    return "#!/usr/bin/env bash\n" + "".join(f"# {step.key}\n" for step in plan.steps)


def fake_arm(plan: Plan) -> str:
    return json.dumps({"resources": len(plan.steps)}) + "\n"


@pytest.fixture
def formats(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in exports, so these tests check the command and not the formats."""
    monkeypatch.setattr(wizard.export, "FORMATS", {"az": fake_az, "arm": fake_arm},
                        raising=False)


def runner() -> CliRunner:
    """Wide enough that Rich does not wrap the messages the tests look for."""
    return CliRunner(env={"COLUMNS": "200"})


def run(*args: str) -> Result:
    return runner().invoke(main_group, ["export", *args], catch_exceptions=False)


def test_writes_the_script_to_stdout(formats: None) -> None:
    result = run("--format", "az", "--preset", "user-assigned")
    assert result.exit_code == 0
    assert result.stdout.startswith("#!/usr/bin/env bash\n# resource_group\n")
    assert "managed_cluster" in result.stdout


def test_writes_an_executable_az_script_atomically(formats: None, tmp_path: Path) -> None:
    target = tmp_path / "create.sh"
    result = run("--format", "az", "--preset", "managed-basic", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text().startswith("#!/usr/bin/env bash")
    assert target.stat().st_mode & stat.S_IXUSR
    assert os.listdir(tmp_path) == ["create.sh"]
    assert result.stdout == ""


def test_an_arm_template_is_not_executable(formats: None, tmp_path: Path) -> None:
    target = tmp_path / "azuredeploy.json"
    assert run("--format", "arm", "--out", str(target)).exit_code == 0
    assert target.read_text() == '{"resources": 2}\n'
    assert not target.stat().st_mode & stat.S_IXUSR


def test_refuses_a_config_with_errors_and_writes_nothing(formats: None, tmp_path: Path) -> None:
    target = tmp_path / "create.sh"
    result = run("--format", "az", "--set", "outbound.ip_count=17", "-o", str(target))
    assert result.exit_code == 2
    assert "outbound.ip_count" in result.stderr
    assert "nothing was exported" in result.stderr
    assert not target.exists()


def test_an_unwritable_target_exits_1_without_traceback(formats: None, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("--format", "az", "-o", str(blocker / "create.sh"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_the_format_is_required_and_checked() -> None:
    assert run().exit_code == 2
    result = run("--format", "terraform")
    assert result.exit_code == 2
    assert "az" in result.stderr and "arm" in result.stderr


def test_help_teaches() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for text in ("Examples:", "--format az", "Exit codes:", "executable"):
        assert text in result.stdout


def test_the_real_formats_when_present(tmp_path: Path) -> None:
    formats = getattr(wizard.export, "FORMATS", None)
    if formats is None:
        pytest.skip("wizard.export.FORMATS has not landed yet")
    for name in ("az", "arm"):
        target = tmp_path / f"out.{name}"
        result = run("--format", name, "--preset", "user-assigned-per-zone", "-o", str(target))
        assert result.exit_code == 0, result.output
        expected = formats[name](build(presets.load("user-assigned-per-zone")))
        assert target.read_text() == expected
