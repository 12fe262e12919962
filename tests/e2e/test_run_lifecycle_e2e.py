"""The run lifecycle through the real CLI, in processes, on a sandbox state file: what a user
types, what they read back, and the exit codes a pipeline acts on."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

from tests.e2e.apply_support import env_for, run_cli, said
from wizard.run.journal import Journal


def applied(home: Path, state: Path, preset: str = "managed-basic") -> Journal:
    done = run_cli(home, state, "apply", "--preset", preset, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    [path] = (home / "runs").glob("*.jsonl")
    return Journal.load_path(path)


def runs(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`aks-nat-wizard runs` (it reads journals only: no target flags)."""
    return subprocess.run([sys.executable, "-m", "wizard", "runs", *args], capture_output=True,
                          text=True, env=env_for(home), check=False)


def test_resume_of_a_succeeded_run_creates_again_what_is_gone(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    journal = applied(home, state)
    rollback = run_cli(home, state, "rollback", journal.run_id, "--yes")
    assert rollback.returncode == 0, rollback.stderr
    # Rolled back runs are not resumed: a new apply is the way.
    refused = run_cli(home, state, "apply", "--resume", journal.run_id, "--yes")
    assert refused.returncode == 2 and "rolled back" in refused.stderr
    again = applied(tmp_path / "home2", state)
    # Delete the cluster behind the wizard's back, with another run's rollback, then resume.
    from wizard.sandbox import Sandbox

    box = Sandbox(speed=0, state_path=state, faults="")
    cluster = again.steps["managed_cluster"].resource_id
    from tests.wizard.sandbox_helpers import backend_for
    from wizard.run.executor import record_step

    backend_for(box).delete(record_step(again.steps["managed_cluster"]), lambda _: None)
    assert box.get(cluster) is None
    resumed = run_cli(tmp_path / "home2", state, "apply", "--resume", again.run_id, "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    text = said(resumed.stdout)
    assert "checking that everything is still there" in text
    assert "1 created again" in text and "checked and still there" in text
    assert Sandbox(speed=0, state_path=state, faults="").get(cluster) is not None


def test_a_journal_of_the_wrong_shape_never_hides_the_other_runs(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    good = applied(home, state)
    bad = home / "runs" / "20260101-000000-dead.jsonl"
    lines = good.path.read_text().splitlines()
    first = json.loads(lines[0])
    first["run_id"] = bad.stem
    del first["plan"]["steps"][0]["why"]
    bad.write_text(json.dumps(first) + "\n")
    listed = runs(home)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert good.run_id in listed.stdout and "unreadable" in listed.stdout
    as_json = runs(home, "--output", "json")
    by_id = {run["run_id"]: run for run in json.loads(as_json.stdout)}
    assert by_id[good.run_id]["status"] == "succeeded"
    assert by_id[bad.stem]["status"] == "unreadable" and "why" in by_id[bad.stem]["problem"]
    resumed = run_cli(home, state, "apply", "--resume", bad.stem, "--yes")
    assert resumed.returncode == 2 and "Traceback" not in resumed.stderr
    assert str(bad) in said(resumed.stderr)
    undo = run_cli(home, state, "rollback", bad.stem, "--yes")
    assert undo.returncode == 2 and "Traceback" not in undo.stderr
    assert bad.read_text() == json.dumps(first) + "\n"  # never rewritten


def test_number_settings_take_ascii_digits_only(tmp_path: Path) -> None:
    result = run_cli(tmp_path, tmp_path / "s.json", "apply", "--preset", "user-assigned",
                     "--set", "outbound.ip_count=١٢", "--yes")
    assert result.returncode == 2
    assert "outbound.ip_count" in result.stdout + result.stderr
    assert not (tmp_path / "runs").exists()


def test_an_empty_preset_file_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("\n  \n")
    result = run_cli(tmp_path, tmp_path / "s.json", "apply", "--preset", str(empty), "--yes")
    assert result.returncode == 2 and "is empty" in said(result.stdout + result.stderr)
    assert not (tmp_path / "runs").exists()


def test_export_into_a_folder_that_does_not_exist_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "no-such-folder" / "create.sh"
    result = subprocess.run([sys.executable, "-m", "wizard", "export", "--preset",
                             "managed-basic", "--format", "az", "-o", str(target)],
                            capture_output=True, text=True, env=env_for(tmp_path), check=False)
    assert result.returncode == 2, result.stderr
    assert "does not exist" in said(result.stderr)
    assert not target.parent.exists()


def test_saved_presets_and_journals_are_private(tmp_path: Path) -> None:
    home, state = tmp_path / "home", tmp_path / "sandbox.json"
    journal = applied(home, state)
    import subprocess
    import sys

    saved = subprocess.run([sys.executable, "-m", "wizard", "presets", "save", "mine",
                            "--preset", "managed-basic"], capture_output=True, text=True,
                           env=env_for(home), check=False)
    assert saved.returncode == 0, saved.stderr
    [preset] = (home / "presets").glob("mine.toml")
    for path in (preset, journal.path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
