"""The `--simple` flow, with questionary replaced by scripted answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.wizard.scripted_asker import ScriptedAsker
from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.steps import STEPS
from wizard.prompts.questions import Cancelled, ask_field, run_steps


def test_defaults_walk_managed_path_and_skip_network_step() -> None:
    asker = ScriptedAsker({})
    draft = run_steps(asker, {})
    config = WizardConfig.model_validate(draft)
    assert config.outbound.type == "managed"
    assert not any(message.startswith("VNet name") for message in asker.asked)
    assert not any("== Network ==" in text for text in asker.said)


def test_user_assigned_path_asks_network_and_builds_a_valid_config() -> None:
    asker = ScriptedAsker({
        "Outbound type": ["user_assigned"],
        "NAT gateway SKU": ["Standard"],  # the per-zone layout is for zonal gateways
        "Outbound public IPs": ["2"],
        "Zones": [["1", "2", "3"]],
        "Layout": ["per_zone"],
        "VNet name": ["prodVnet"],
    })
    config = WizardConfig.model_validate(run_steps(asker, {}))
    assert config.outbound.type == "user_assigned"
    assert config.outbound.layout == "per_zone"
    assert config.outbound.vnet_name == "prodVnet"
    assert config.outbound.ip_count == 2
    assert any("== Network ==" in text for text in asker.said)


def test_bad_answer_is_explained_and_asked_again() -> None:
    asker = ScriptedAsker({"Outbound public IPs": ["17", "abc", "3"]})
    config = WizardConfig.model_validate(run_steps(asker, {}))
    assert config.outbound.ip_count == 3
    assert asker.asked.count("Outbound public IPs (1-16)") == 3
    problems = [text for text in asker.said if "16" in text]
    assert problems, asker.said


def test_windows_questions_only_after_enabling_windows() -> None:
    skipped = ScriptedAsker({})
    run_steps(skipped, {})
    assert not any(m.startswith("Windows pool name") for m in skipped.asked)
    enabled = ScriptedAsker({"Add a Windows node pool": [True], "Windows pool name": ["win1"]})
    config = WizardConfig.model_validate(run_steps(enabled, {}))
    assert config.windows.enabled and config.windows.name == "win1"


def test_cross_field_error_is_blamed_on_the_question_that_can_fix_it() -> None:
    # Windows needs Azure CNI: choosing kubenet first, then Windows, makes the Windows switch the
    # offending answer only if kubenet is kept, so the plugin question must refuse kubenet later.
    draft = {"windows": {"enabled": True}}
    asker = ScriptedAsker({"Network plugin": ["kubenet", "azure"]})
    draft = ask_field(asker, draft, "cluster.network_plugin")
    assert draft["cluster"]["network_plugin"] == "azure"
    assert any("Azure CNI" in text for text in asker.said)


def test_ctrl_c_cancels() -> None:
    class GiveUp(ScriptedAsker):
        def text(self, message: str, default: str, validate: Any, help: str) -> str | None:
            return None

    with pytest.raises(Cancelled):
        run_steps(GiveUp({}), {})


def test_every_step_path_is_a_declared_field_with_help() -> None:
    for step in STEPS:
        for path in step.paths:
            assert fields.spec(path).help
