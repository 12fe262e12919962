"""`apply`, `rollback` and `runs` in process, on a sandbox persisted to a temporary state file:
validation, confirmation, target checks, JSON output, secrets, resume and rollback hints."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from wizard.cli import apply as apply_cmd
from wizard.cli.main import main_group
from wizard.run.journal import Journal, list_runs
from wizard.run.target import describe_sandbox, describe_subscription, flags_for
from wizard.sandbox import Sandbox

PASSWORD = "Cli-Test-Pa55word!x"


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.json"


def cli(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main_group, list(args), input=input, catch_exceptions=False)


def said(result: Result) -> str:
    """Everything printed, with Rich's line wrapping undone."""
    return " ".join((result.stdout + result.stderr).split())


def apply(state: Path, *args: str, input: str | None = None) -> Result:
    return cli("apply", "--sandbox", "--sandbox-state", str(state), *args, input=input)


def resource_ids(state: Path) -> set[str]:
    if not state.exists():
        return set()
    return {str(r["id"]).lower() for r in Sandbox(speed=0, state_path=state).resources()}


def only_run() -> Journal:
    runs = list_runs()
    assert len(runs) == 1, runs
    return Journal.load(runs[0].run_id)


# -- validation ----------------------------------------------------------------------------------

def test_invalid_input_lists_every_problem_and_changes_nothing(state: Path) -> None:
    result = apply(state, "--preset", "managed-basic", "--set", "outbound.ip_count=17",
                   "--set", "cluster.nmae=x", "--yes")
    assert result.exit_code == 2
    text = said(result)
    assert "outbound.ip_count" in text and "cluster.nmae" in text
    assert list_runs() == []
    assert resource_ids(state) == set()


def test_invalid_input_as_json_names_the_findings(state: Path) -> None:
    result = apply(state, "--set", "outbound.ip_count=0", "--yes", "--output", "json")
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["status"] == "invalid" and payload["run_id"] is None
    assert any(f["field"] == "outbound.ip_count" for f in payload["findings"])


def test_without_a_terminal_and_without_yes_it_asks_for_yes(state: Path) -> None:
    result = apply(state, "--preset", "managed-basic")
    assert result.exit_code == 2
    assert "--yes" in said(result)
    assert list_runs() == []
    assert resource_ids(state) == set()


def test_the_question_names_target_and_resource_group_and_no_means_nothing_done(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_cmd, "_interactive", lambda: True)
    result = apply(state, "--preset", "managed-basic", "--set", "cluster.resource_group=rg-q",
                   input="n\n")
    assert result.exit_code == 2
    text = said(result)
    assert "resource group rg-q" in text and describe_sandbox(state.resolve()) in text
    assert "nothing was changed" in text
    assert list_runs() == []


def test_yes_at_the_prompt_applies(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_cmd, "_interactive", lambda: True)
    result = apply(state, "--preset", "managed-basic", input="y\n")
    assert result.exit_code == 0, said(result)
    assert only_run().status == "succeeded"


def test_resume_refuses_preset_and_set(state: Path) -> None:
    result = apply(state, "--resume", "20260101-000000-abcd", "--preset", "managed-basic")
    assert result.exit_code == 2
    assert "--resume takes the configuration from the run's journal" in said(result)


def test_resume_of_an_unknown_run_is_a_clear_error(state: Path) -> None:
    result = apply(state, "--resume", "20260101-000000-abcd", "--yes")
    assert result.exit_code == 2
    assert "no journal for run 20260101-000000-abcd" in said(result)
    assert "Traceback" not in said(result)


def test_sandbox_and_subscription_together_are_refused(state: Path) -> None:
    result = apply(state, "--subscription", "1234", "--yes")
    assert result.exit_code == 2
    assert "choose one" in said(result)


# -- success, output -----------------------------------------------------------------------------

def test_success_prints_the_credentials_command_and_the_rollback_command(state: Path) -> None:
    result = apply(state, "--preset", "managed-zonal", "--yes")
    assert result.exit_code == 0, said(result)
    run = only_run()
    text = said(result)
    assert ("az aks get-credentials --resource-group myResourceGroup --name myNatCluster"
            in text)
    assert f"aks-nat-wizard rollback {run.run_id} --sandbox --sandbox-state {state.resolve()}" \
        in text
    assert run.target == describe_sandbox(state.resolve())


def test_json_output_has_the_run_and_every_step(state: Path) -> None:
    result = apply(state, "--preset", "user-assigned", "--yes", "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    run = only_run()
    assert payload["run_id"] == run.run_id and payload["status"] == "succeeded"
    assert [s["key"] for s in payload["steps"]] == list(run.steps)
    assert {s["outcome"] for s in payload["steps"]} == {"created"}
    assert payload["commands"]["resume"].startswith(f"aks-nat-wizard apply --resume {run.run_id}")
    assert "Applying" in result.stderr  # progress goes to stderr, JSON alone on stdout


def test_group_level_sandbox_flags_are_honoured(state: Path) -> None:
    result = cli("--sandbox", "--sandbox-state", str(state), "apply", "--preset",
                 "managed-basic", "--yes")
    assert result.exit_code == 0, said(result)
    assert only_run().target == describe_sandbox(state.resolve())
    assert resource_ids(state)


def test_drift_stops_before_anything_is_created_unless_allowed(state: Path) -> None:
    assert apply(state, "--preset", "user-assigned", "--yes").exit_code == 0
    result = apply(state, "--preset", "user-assigned", "--set", "outbound.idle_timeout_minutes=9",
                   "--yes")
    assert result.exit_code == 2
    assert "--allow-drift" in said(result)
    assert len(list_runs()) == 1
    allowed = apply(state, "--preset", "user-assigned", "--set",
                    "outbound.idle_timeout_minutes=9", "--yes", "--allow-drift",
                    "--output", "json")
    assert allowed.exit_code == 0, allowed.stderr
    outcomes = {s["key"]: s["outcome"] for s in json.loads(allowed.stdout)["steps"]}
    assert outcomes["nat_gateway:myNatGateway"] == "updated"


# -- Windows password ----------------------------------------------------------------------------

def test_the_windows_password_is_never_printed_nor_journaled(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_WINDOWS_PASSWORD", PASSWORD)
    result = apply(state, "--preset", "windows-managed", "--yes")
    assert result.exit_code == 0, said(result)
    assert PASSWORD not in result.stdout + result.stderr
    assert PASSWORD not in only_run().path.read_text()


def test_a_generated_windows_password_is_announced_not_shown(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AKS_NAT_WIZARD_WINDOWS_PASSWORD", raising=False)
    result = apply(state, "--preset", "windows-managed", "--yes")
    assert result.exit_code == 0, said(result)
    text = said(result)
    assert "AKS_NAT_WIZARD_WINDOWS_PASSWORD" in text and "never shown or saved" in text


def test_a_weak_windows_password_is_refused_without_echoing_it(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_WINDOWS_PASSWORD", "weakpass")
    result = apply(state, "--preset", "windows-managed", "--yes")
    assert result.exit_code == 2
    assert "weakpass" not in said(result)
    assert list_runs() == []
    assert resource_ids(state) == set()


# -- failure, resume, rollback -------------------------------------------------------------------

def test_a_failed_run_prints_its_id_and_the_exact_commands(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKS_NAT_WIZARD_SANDBOX_FAULTS", "natGateways:PUT:failed_lro:1")
    result = apply(state, "--preset", "user-assigned", "--yes")
    assert result.exit_code == 1
    run = only_run()
    text = said(result)
    assert f"run id: {run.run_id}" in text
    flags = f"--sandbox --sandbox-state {state.resolve()}"
    assert f"aks-nat-wizard apply --resume {run.run_id} {flags}" in text
    assert f"aks-nat-wizard rollback {run.run_id} {flags}" in text
    assert "SandboxInjectedFailure" in text
    monkeypatch.delenv("AKS_NAT_WIZARD_SANDBOX_FAULTS")
    resumed = apply(state, "--resume", run.run_id, "--yes")
    assert resumed.exit_code == 0, said(resumed)
    assert Journal.load(run.run_id).status == "succeeded"


def test_resume_and_rollback_refuse_another_target(state: Path, tmp_path: Path) -> None:
    assert apply(state, "--preset", "managed-basic", "--yes").exit_code == 0
    run = only_run()
    other = tmp_path / "other.json"
    for args in (("apply", "--resume", run.run_id), ("rollback", run.run_id)):
        result = cli(*args, "--sandbox", "--sandbox-state", str(other), "--yes")
        assert result.exit_code == 2
        text = said(result)
        assert f"was applied to {describe_sandbox(state.resolve())}" in text
        assert f"--sandbox-state {state.resolve()}" in text
    assert resource_ids(other) == set()


def test_rollback_deletes_what_the_run_created_and_keeps_the_rest(state: Path) -> None:
    before = cli("apply", "--sandbox", "--sandbox-state", str(state), "--preset",
                 "managed-basic", "--set", "cluster.resource_group=kept-rg",
                 "--set", "cluster.name=kept", "--yes")
    assert before.exit_code == 0
    existing = resource_ids(state)
    result = apply(state, "--preset", "user-assigned", "--yes", "--output", "json")
    assert result.exit_code == 0
    run_id = json.loads(result.stdout)["run_id"]
    undone = cli("rollback", run_id, "--sandbox", "--sandbox-state", str(state), "--yes")
    assert undone.exit_code == 0, said(undone)
    assert resource_ids(state) == existing
    again = cli("rollback", run_id, "--sandbox", "--sandbox-state", str(state), "--yes")
    assert again.exit_code == 0
    assert "nothing to delete" in said(again)


def test_rollback_without_yes_and_without_a_terminal_deletes_nothing(state: Path) -> None:
    assert apply(state, "--preset", "managed-basic", "--yes").exit_code == 0
    ids = resource_ids(state)
    result = cli("rollback", only_run().run_id, "--sandbox", "--sandbox-state", str(state))
    assert result.exit_code == 2 and "--yes" in said(result)
    assert resource_ids(state) == ids


def test_resume_of_a_rolled_back_run_is_refused(state: Path) -> None:
    assert apply(state, "--preset", "managed-basic", "--yes").exit_code == 0
    run_id = only_run().run_id
    assert cli("rollback", run_id, "--sandbox", "--sandbox-state", str(state),
               "--yes").exit_code == 0
    result = apply(state, "--resume", run_id, "--yes")
    assert result.exit_code == 2
    assert "rolled back" in said(result)


# -- runs ----------------------------------------------------------------------------------------

def test_runs_lists_nothing_then_each_run(state: Path) -> None:
    empty = cli("runs")
    assert empty.exit_code == 0 and "No runs recorded yet" in said(empty)
    assert apply(state, "--preset", "managed-basic", "--yes").exit_code == 0
    listed = cli("runs", "--output", "json")
    rows: list[dict[str, Any]] = json.loads(listed.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "succeeded" and row["steps_succeeded"] == row["steps_total"]
    assert row["target"] == describe_sandbox(state.resolve())
    text = said(cli("runs"))
    assert row["run_id"] in text and "succeeded" in text


def test_runs_shows_an_unreadable_journal_instead_of_failing(wizard_home: Path) -> None:
    (wizard_home / "runs").mkdir()
    (wizard_home / "runs" / "20260101-000000-dead.json").write_text("{not json")
    result = cli("runs")
    assert result.exit_code == 0
    assert "unreadable" in said(result) and "corrupt" in said(result)


# -- helpers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/tmp/sandbox.json", "/tmp/with space/s [1].json"])
def test_flags_for_a_sandbox_description_reach_the_same_file(path: str) -> None:
    flags = flags_for(describe_sandbox(Path(path)))
    assert flags is not None
    import shlex

    words = shlex.split(flags)
    assert words == ["--sandbox", "--sandbox-state", path]


def test_flags_for_a_subscription_description() -> None:
    assert flags_for(describe_subscription("abc-123")) == "--subscription abc-123"
    assert flags_for("somewhere else") is None


def test_first_interrupt_cancels_and_returns() -> None:
    before = signal.getsignal(signal.SIGINT)
    cancelled: list[bool] = []
    said_lines: list[str] = []
    with apply_cmd.cancel_on_interrupt(lambda: cancelled.append(True),
                                       said_lines.append) as interrupted:
        assert not interrupted()
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupted()
    assert cancelled == [True]
    assert "Ctrl-C again" in said_lines[0]
    assert signal.getsignal(signal.SIGINT) is before
