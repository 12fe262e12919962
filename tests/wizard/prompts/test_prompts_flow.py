"""The `--simple` session: start, review, and the actions after it, with scripted answers."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from tests.wizard.scripted_asker import ScriptedAsker
from wizard.cli.apply import apply_config
from wizard.prompts.session import (
    CHANGE,
    NEW,
    QUIT,
    SAVE,
    WRITE_ARM,
    WRITE_AZ,
    run_simple,
)
from wizard.storage import presets


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=120, color_system=None), buffer


def test_preset_start_review_and_write_both_exports(tmp_path: Path) -> None:
    script = tmp_path / "create.sh"
    template = tmp_path / "template.json"
    asker = ScriptedAsker({
        "What next": [WRITE_AZ, WRITE_ARM, QUIT],
        "File to write": [str(script), str(template)],
    })
    console, buffer = _console()
    code = run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=None, preset="user-assigned",
                      console=console)
    assert code == 0
    assert "--outbound-type userAssignedNATGateway" in script.read_text()
    assert script.stat().st_mode & 0o100
    assert json.loads(template.read_text())["resources"]
    output = buffer.getvalue()
    assert "myNatGateway" in output  # the plan table was shown


def test_new_configuration_and_save_as_preset() -> None:
    asker = ScriptedAsker({
        "Start from": [NEW],
        "Outbound public IPs": ["4"],
        "What next": [SAVE, QUIT],
        "Preset name": ["team-default"],
        "Description": ["Four IPs for the busy API"],
    })
    console, _ = _console()
    assert run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=None, preset=None, console=console) == 0
    saved = presets.load("team-default")
    assert saved.outbound.ip_count == 4
    assert saved.description == "Four IPs for the busy API"


def test_errors_hide_apply_and_change_answers_loops_back() -> None:
    # 1.25 is accepted on its own, but with a Windows pool that disables OutboundNAT it is an
    # error, so the version question itself refuses it; "Change answers" re-asks everything.
    asker = ScriptedAsker({
        "Start from": [NEW],
        "What next": [CHANGE, QUIT],
        "Outbound public IPs": ["2", "3"],
    })
    console, _ = _console()
    assert run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=None, preset=None, console=console) == 0
    assert asker.asked.count("Outbound public IPs (1-16)") == 2


def test_unknown_preset_is_an_input_error_not_a_traceback() -> None:
    console, buffer = _console()
    code = run_simple(ScriptedAsker({}), apply=apply_config, sandbox=True, sandbox_state=None,
                      preset="no-such-preset", console=console)
    assert code == 2
    assert "no-such-preset" in buffer.getvalue()


def test_ctrl_c_at_start_reports_nothing_created() -> None:
    class GiveUp(ScriptedAsker):
        def select(self, message: str, choices: list[str], default: str,
                   help: str) -> str | None:
            return None

    console, buffer = _console()
    assert run_simple(GiveUp({}), apply=apply_config, sandbox=True, sandbox_state=None, preset=None,
                      console=console) == 130
    assert "nothing was created" in buffer.getvalue()


def test_apply_after_confirmation_builds_the_cluster_in_the_sandbox(tmp_path: Path) -> None:
    from wizard.prompts.session import APPLY
    from wizard.sandbox import Sandbox

    state = tmp_path / "sandbox.json"
    asker = ScriptedAsker({"What next": [APPLY], "Create these resources": [True]})
    console, _ = _console()
    code = run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=str(state), preset="managed-basic",
                      console=console)
    assert code == 0
    sandbox = Sandbox(speed=0, state_path=state)
    cluster = [r for r in sandbox.resources()
               if r["type"].lower() == "microsoft.containerservice/managedclusters"]
    assert len(cluster) == 1
    assert cluster[0]["properties"]["provisioningState"] == "Succeeded"
    assert cluster[0]["properties"]["networkProfile"]["outboundType"] == "managedNATGateway"


def test_declining_the_confirmation_creates_nothing(tmp_path: Path) -> None:
    from wizard.prompts.session import APPLY

    state = tmp_path / "sandbox.json"
    asker = ScriptedAsker({"What next": [APPLY], "Create these resources": [False]})
    console, _ = _console()
    assert run_simple(asker, apply=apply_config,
                      sandbox=True, sandbox_state=str(state), preset="managed-basic",
                      console=console) == 0
    assert not state.exists()


def test_simple_asks_for_a_prefix_and_dual_stack_and_applies_them(tmp_path: Path) -> None:
    from wizard.prompts.session import APPLY
    from wizard.sandbox import Sandbox

    state = tmp_path / "sandbox.json"
    asker = ScriptedAsker({
        "Dual-stack": [True],
        "Outbound public IPs": ["4"],
        "Create a public IP prefix": [True],
        "Outbound IPv6 addresses": ["2"],
        "What next": [APPLY], "Create these resources": [True]})
    console, buffer = _console()
    code = run_simple(asker, apply=apply_config, sandbox=True, sandbox_state=str(state),
                      preset="user-assigned", console=console)
    assert code == 0, buffer.getvalue()
    assert any(q.startswith("VNet IPv6 address space") for q in asker.asked)
    prefixes = {r["name"]: r for r in Sandbox(speed=0, state_path=state).resources()
                if r["type"] == "Microsoft.Network/publicIPPrefixes"}
    assert prefixes["myNatGateway-prefix"]["properties"]["prefixLength"] == 30
    assert prefixes["myNatGateway-prefix6"]["properties"]["prefixLength"] == 127
