"""The az script checks the azure-cli it needs before its first command (docs/AZURE_FACTS.md,
facts az.*), and stops with a clear message when it is older; run against a fake `az`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from export_cases import plan_for
from migration_cases import MIGRATIONS

from wizard.export.az import required_cli, to_az_script

FAKE_AZ = """#!/usr/bin/env bash
if [[ "$1" == "version" ]]; then echo "${FAKE_AZ_VERSION}"; exit 0; fi
echo "az $*" >> "${FAKE_AZ_LOG}"
"""


@pytest.mark.parametrize(("case", "version", "why"), [
    ("managed-basic", "2.91.0", "--outbound-type-sku"),
    ("user-assigned", "2.75.0", "the StandardV2 SKU of az network"),
    ("user-assigned-per-zone", "2.36.0", "the NAT gateway outbound types of az aks create"),
])
def test_the_version_needed_is_the_newest_any_command_needs(case: str, version: str,
                                                            why: str) -> None:
    assert required_cli(plan_for(case)) == (version, why)


def test_a_migration_needs_what_its_update_uses() -> None:
    assert required_cli(MIGRATIONS["migrate-user-assigned-to-lb"]().plan)[0] == "2.56.0"
    assert required_cli(MIGRATIONS["migrate-managed-standard-to-v2"]().plan)[0] == "2.91.0"


def run_with_fake_az(tmp_path: Path, script: str, version: str) -> tuple[int, str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "az"
    fake.write_text(FAKE_AZ)
    fake.chmod(0o755)
    log = tmp_path / "az.log"
    log.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_AZ_VERSION": version,
           "FAKE_AZ_LOG": str(log)}
    path = tmp_path / "script.sh"
    path.write_text(script)
    bash = shutil.which("bash")
    assert bash is not None
    done = subprocess.run([bash, str(path)], env=env, capture_output=True, text=True,
                          check=False)
    return done.returncode, done.stderr, log.read_text()


@pytest.mark.parametrize("old", ["2.90.9", "2.9.100", ""])
def test_an_older_cli_stops_before_the_first_command(tmp_path: Path, old: str) -> None:
    code, stderr, calls = run_with_fake_az(tmp_path, to_az_script(plan_for("managed-basic")), old)
    assert code == 1
    assert "needs azure-cli 2.91.0 or later (--outbound-type-sku)" in stderr
    assert "az upgrade" in stderr
    assert calls == ""  # nothing was created


@pytest.mark.parametrize("new", ["2.91.0", "2.91.1", "2.100.0", "3.0.0"])
def test_a_new_enough_cli_runs_the_commands(tmp_path: Path, new: str) -> None:
    code, stderr, calls = run_with_fake_az(tmp_path, to_az_script(plan_for("managed-basic")), new)
    assert code == 0, stderr
    assert calls.splitlines()[0].startswith("az group create")
    assert "--outbound-type-sku StandardV2" in calls
