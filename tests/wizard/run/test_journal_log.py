"""The journal as an append-only log: what a change costs, what a kill leaves, what is refused.

Every line is validated: a journal of the wrong shape is one `JournalError` naming the file and
what is wrong, never a traceback, and one unreadable journal never hides the others."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.wizard.sandbox_helpers import config_for
from wizard.model.config import WizardConfig
from wizard.plan import build
from wizard.run.journal import Journal, JournalError, list_runs, lock_held
from wizard.storage.paths import STALE_TEMP_SECONDS, clean_stale_temp_files

SUBSCRIPTION = "11111111-1111-1111-1111-111111111111"


def journal_for(config: WizardConfig) -> Journal:
    return Journal.create(build(config, SUBSCRIPTION), config, "sandbox (test)")


def wide_config() -> WizardConfig:
    """16 IPs in each of 3 zones: the widest plan the wizard makes (60+ steps)."""
    return config_for("user-assigned-per-zone", outbound__ip_count=16)


def bytes_per_change(journal: Journal) -> float:
    size = journal.path.stat().st_size
    key = next(iter(journal.steps))
    for index in range(10):
        journal.update_step(key, state="running" if index % 2 else "pending")
    return (journal.path.stat().st_size - size) / 10


def test_a_step_change_costs_the_same_whatever_the_plan_size() -> None:
    small = journal_for(config_for("managed-basic"))
    wide = journal_for(wide_config())
    assert len(wide.steps) >= 60 > 8 >= len(small.steps) - 4
    # The plan is written once, in the first line; a change appends only itself.
    assert bytes_per_change(wide) == pytest.approx(bytes_per_change(small), rel=0.2)
    assert bytes_per_change(wide) < 200


def test_changes_replay_in_order_and_the_first_line_is_never_rewritten() -> None:
    journal = journal_for(config_for("user-assigned"))
    first = journal.path.read_bytes().split(b"\n")[0]
    key = next(iter(journal.steps))
    journal.update_step(key, state="running", create_sent=True)
    journal.update_step(key, state="succeeded", created_by_run=True, outcome="created",
                        outputs={"properties.principalId": "p-1"})
    journal.set_status("succeeded")
    assert journal.path.read_bytes().split(b"\n")[0] == first
    again = Journal.load(journal.run_id)
    record = again.steps[key]
    assert (record.state, record.created_by_run, record.create_sent, record.outcome) == (
        "succeeded", True, True, "created")
    assert record.outputs == {"properties.principalId": "p-1"}
    assert again.status == "succeeded"


def test_an_unchanged_field_writes_nothing() -> None:
    journal = journal_for(config_for("managed-basic"))
    size = journal.path.stat().st_size
    journal.update_step(next(iter(journal.steps)), state="pending")
    assert journal.path.stat().st_size == size


def test_a_torn_last_line_is_a_write_that_never_happened() -> None:
    """A kill mid-append leaves part of a line with no newline: the change did not happen."""
    journal = journal_for(config_for("managed-basic"))
    key = next(iter(journal.steps))
    journal.update_step(key, state="running")
    with journal.path.open("ab") as handle:
        handle.write(b'{"at":"2026-12-02T00:00:00+00:00","step":"' + key.encode() + b'","se')
    again = Journal.load(journal.run_id)
    assert again.steps[key].state == "running"


def test_a_bad_line_in_the_middle_names_the_file_and_the_line() -> None:
    journal = journal_for(config_for("managed-basic"))
    with journal.path.open("a") as handle:
        handle.write('{"at": "x", "step": "nope", "set": {"state": "running"}}\n')
    with pytest.raises(JournalError) as caught:
        Journal.load(journal.run_id)
    assert str(journal.path) in str(caught.value)
    assert "line 2" in str(caught.value) and "nope" in str(caught.value)


def test_a_change_of_the_wrong_type_is_refused_with_the_field() -> None:
    journal = journal_for(config_for("managed-basic"))
    key = next(iter(journal.steps))
    with journal.path.open("a") as handle:
        handle.write(json.dumps({"at": "x", "step": key, "set": {"state": "exploded"}}) + "\n")
    with pytest.raises(JournalError, match="line 2: state"):
        Journal.load(journal.run_id)


def first_line(journal: Journal) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(journal.path.read_text().splitlines()[0])
    return data


def rewrite_first_line(journal: Journal, data: Any) -> None:
    lines = journal.path.read_text().splitlines()
    lines[0] = json.dumps(data)
    journal.path.write_text("\n".join(lines) + "\n")


def test_the_shapes_seen_breaking_runs_are_listed_as_unreadable_or_read() -> None:
    """`config.cluster = 5` used to break `runs` and hide every other run; a plan step without
    `why` broke resume; `plan: null` gave a pydantic traceback."""
    good = journal_for(config_for("managed-basic"))
    odd_cluster = journal_for(config_for("managed-basic"))
    data = first_line(odd_cluster)
    data["config"]["cluster"] = 5
    rewrite_first_line(odd_cluster, data)
    no_why = journal_for(config_for("managed-basic"))
    data = first_line(no_why)
    del data["plan"]["steps"][0]["why"]
    rewrite_first_line(no_why, data)
    runs = {summary.run_id: summary for summary in list_runs()}
    assert runs[good.run_id].status == "interrupted"
    assert runs[odd_cluster.run_id].cluster == "myNatCluster"  # the plan says it
    assert runs[no_why.run_id].status == "unreadable"
    assert "plan.steps.0.why" in str(runs[no_why.run_id].problem)


def test_journals_are_private_and_their_folder_too(wizard_home: Path) -> None:
    journal = journal_for(config_for("managed-basic"))
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700


def test_a_temp_file_a_kill_left_behind_is_removed_on_the_next_listing(
        wizard_home: Path) -> None:
    journal = journal_for(config_for("managed-basic"))
    folder = journal.path.parent
    stale = folder / f".{journal.path.name}.abc123.tmp"
    fresh = folder / f".{journal.path.name}.def456.tmp"
    stale.write_text("half a journal")
    fresh.write_text("a write under way")
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    runs = list_runs()
    assert [summary.run_id for summary in runs] == [journal.run_id]
    assert not stale.exists() and fresh.exists()
    assert clean_stale_temp_files(folder, now=time.time() + 2 * STALE_TEMP_SECONDS) == [fresh]


def test_a_run_is_running_only_while_its_lock_is_held() -> None:
    journal = journal_for(config_for("managed-basic"))
    assert journal.summary().status == "interrupted"
    with journal.exclusive():
        assert lock_held(journal.lock_path) is False or journal.live()
        assert Journal.load(journal.run_id).summary().status == "running"
    assert Journal.load(journal.run_id).summary().status == "interrupted"
    journal.set_status("failed")
    assert Journal.load(journal.run_id).summary().status == "failed"


def test_an_older_journal_is_read_and_converted_when_its_lock_is_taken(
        wizard_home: Path) -> None:
    journal = journal_for(config_for("managed-basic"))
    snapshot = first_line(journal)
    legacy = dict(snapshot, schema_version=1)
    path = journal.path.with_suffix(".json")
    path.write_text(json.dumps(legacy, indent=2))
    journal.path.unlink()
    old = Journal.load(journal.run_id)
    assert old.path == path and list(old.steps) == list(journal.steps)
    with old.exclusive():
        pass
    assert not path.exists() and path.with_suffix(".jsonl").exists()
    assert list(Journal.load(journal.run_id).steps) == list(journal.steps)


# -- any mutation of a valid journal: a clear error or a journal, never a traceback -------------

def _mutations() -> st.SearchStrategy[tuple[str, Any]]:
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.booleans(),
                     st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                          st.integers(),
                                                                          max_size=2))
    return st.tuples(st.sampled_from(["set", "delete", "extra", "truncate", "append"]), junk)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(data: Any, path: tuple[Any, ...], how: str, junk: Any) -> None:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "set":
        parent[last] = junk
    elif how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent[f"unexpected_{last}"] = junk


@pytest.fixture(scope="module")
def valid_journal_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    os.environ["AKS_NAT_WIZARD_HOME"] = str(tmp_path_factory.mktemp("valid"))
    journal = journal_for(config_for("user-assigned"))
    key = next(iter(journal.steps))
    journal.update_step(key, state="succeeded", created_by_run=True, outcome="created")
    journal.set_status("failed")
    return journal.path.read_text()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), mutation=_mutations())
def test_a_mutated_journal_is_read_or_refused_never_a_traceback(
        valid_journal_text: str, wizard_home: Path, data: st.DataObject,
        mutation: tuple[str, Any]) -> None:
    from wizard.run.executor import ExecutorError, recorded_plan

    how, junk = mutation
    lines = valid_journal_text.splitlines()
    if how == "truncate":
        cut = data.draw(st.integers(0, len(valid_journal_text) - 1))
        text = valid_journal_text[:cut]
    elif how == "append":
        text = valid_journal_text + json.dumps(junk) + "\n"
    else:
        index = data.draw(st.integers(0, len(lines) - 1))
        parsed = json.loads(lines[index])
        paths = _paths(parsed)
        path = data.draw(st.sampled_from(paths))
        _mutate(parsed, path, how, junk)
        lines[index] = json.dumps(parsed)
        text = "\n".join(lines) + "\n"
    folder = wizard_home / "runs"
    folder.mkdir(exist_ok=True)
    run_id = json.loads(valid_journal_text.splitlines()[0])["run_id"]
    target = folder / f"{run_id}.jsonl"
    target.write_text(text)
    try:
        journal = Journal.load(run_id)
    except JournalError as error:
        assert str(target) in str(error)
    else:
        journal.summary()
        try:
            recorded_plan(journal)
        except ExecutorError as error:
            assert str(target) in str(error)
    [listed] = list_runs()
    assert listed.run_id == run_id


def test_a_temp_file_a_killed_preset_save_left_is_removed_on_the_next_listing(
        wizard_home: Path) -> None:
    from wizard.storage import presets

    folder = presets.user_dir()
    folder.mkdir(parents=True)
    stale = folder / ".mine.toml.abc123.tmp"
    stale.write_text("half a preset")
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    presets.list_presets()
    assert not stale.exists()
