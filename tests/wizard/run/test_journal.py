"""The run journal: where it lives, that it round-trips, loads fail clearly, writes are atomic."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wizard.model.config import WizardConfig
from wizard.plan import build
from wizard.run.journal import Journal, JournalError, list_runs, new_run_id


def user_assigned_config() -> WizardConfig:
    return WizardConfig.model_validate({
        "cluster": {"name": "c1", "resource_group": "rg1"},
        "outbound": {"type": "user_assigned", "zones": ["1"]},
        "windows": {"enabled": False},
    })


def test_run_ids_are_sortable_and_readable() -> None:
    run_id = new_run_id()
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{4}", run_id)


def test_create_saves_under_data_dir_runs(wizard_home: Path) -> None:
    config = user_assigned_config()
    plan = build(config, "11111111-1111-1111-1111-111111111111")
    journal = Journal.create(plan, config, "sandbox (state: x)")
    assert journal.path == wizard_home / "runs" / f"{journal.run_id}.jsonl"
    assert journal.path.is_file()
    loaded = Journal.load(journal.run_id)
    assert list(loaded.steps) == [step.key for step in plan.steps]
    assert loaded.target == "sandbox (state: x)"
    assert loaded.subscription_id == plan.subscription_id
    assert WizardConfig.model_validate(loaded.config) == config
    assert all(record.state == "pending" for record in loaded.steps.values())


def test_state_changes_round_trip() -> None:
    config = user_assigned_config()
    journal = Journal.create(build(config), config, "t")
    record = next(iter(journal.steps.values()))
    record.state = "failed"
    record.created_by_run = True
    record.outputs = {"properties.principalId": "p-1"}
    record.error = {"code": "X", "message": "m", "hint": "h"}
    journal.status = "failed"
    journal.save()
    again = Journal.load(journal.run_id)
    assert again.steps[record.key] == record
    assert again.status == "failed"


def test_missing_journal_names_the_file(wizard_home: Path) -> None:
    with pytest.raises(JournalError) as caught:
        Journal.load("20200101-000000-abcd")
    assert str(wizard_home / "runs" / "20200101-000000-abcd.jsonl") in str(caught.value)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"schema_version": 1}',
                                     '{"schema_version": 99}'])
def test_corrupt_journal_names_the_file(wizard_home: Path, content: str) -> None:
    path = wizard_home / "runs" / "20200101-000000-abcd.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(JournalError) as caught:
        Journal.load("20200101-000000-abcd")
    assert str(path) in str(caught.value) and "corrupt" in str(caught.value)


def test_run_id_cannot_escape_the_runs_folder() -> None:
    with pytest.raises(JournalError):
        Journal.load("../../etc/passwd")


def test_list_runs_includes_unreadable_ones(wizard_home: Path) -> None:
    config = user_assigned_config()
    first = Journal.create(build(config), config, "t")
    bad = wizard_home / "runs" / "20000101-000000-0000.json"
    bad.write_text("oops")
    runs = list_runs()
    assert [r.run_id for r in runs] == sorted([first.run_id, bad.stem])
    by_id = {r.run_id: r for r in runs}
    # recorded as running, but no process holds its lock: it was interrupted
    assert by_id[first.run_id].status == "interrupted" and by_id[first.run_id].cluster == "c1"
    assert by_id[bad.stem].status == "unreadable" and by_id[bad.stem].problem


def test_save_is_atomic(monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash while writing leaves the previous journal whole (temp file + os.replace)."""
    config = user_assigned_config()
    journal = Journal.create(build(config), config, "t")
    before = journal.path.read_text()

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("wizard.storage.paths.os.replace", crash)
    journal.status = "failed"
    with pytest.raises(OSError):
        journal.save()
    assert journal.path.read_text() == before
    assert [p.name for p in journal.path.parent.iterdir()] == [journal.path.name]
    json.loads(before.splitlines()[0])



def test_the_confirmation_to_modify_what_exists_survives_a_reload() -> None:
    config = WizardConfig()
    plain = Journal.create(build(config), config, "sandbox")
    confirmed = Journal.create(build(config), config, "sandbox", allow_drift=True,
                               purpose="migrate c1: loadBalancer -> managedNATGateway")
    assert Journal.load(plain.run_id).allow_drift is False
    assert Journal.load(confirmed.run_id).allow_drift is True
    assert Journal.load(plain.run_id).summary().purpose == ""
    assert Journal.load(confirmed.run_id).summary().purpose.startswith("migrate c1:")
