"""The installed entry point, in a real process: exit codes and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": str(home), "NO_COLOR": "1",
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True,
                          text=True, env=env, check=False)


def test_plan_json_in_a_real_process(wizard_home: Path) -> None:
    result = run(wizard_home, "plan", "--preset", "managed-zonal", "--output", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["config"]["outbound"]["zones"] == ["1", "2", "3"]


def test_invalid_input_exits_2_without_a_traceback(wizard_home: Path) -> None:
    result = run(wizard_home, "plan", "--preset", "managed-basic", "--set",
                 "outbound.ip_count=17", "--set", "bogus.path=1")
    assert result.returncode == 2
    assert "between 1 and 16" in result.stdout or "less than or equal to 16" in result.stdout
    assert "did you mean" in result.stdout or "unknown setting" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_presets_save_in_a_real_process_writes_under_the_home(wizard_home: Path) -> None:
    result = run(wizard_home, "presets", "save", "sub", "--preset", "managed-basic")
    assert result.returncode == 0, result.stderr
    assert (wizard_home / "presets" / "sub.toml").is_file()
