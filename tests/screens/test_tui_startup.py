"""Start-up stays light: the Azure SDK is not imported until something needs Azure.

Run in a fresh interpreter (other tests in this process import the SDK). For the Azure target the
subscription lookup runs in a worker after the first screen is up; the test holds that worker at
its start, so it checks that nothing else (imports, composing, mounting) loaded the SDK.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent("""
    import asyncio, sys, threading
    import screens.workers.target
    release = threading.Event()

    def held_lookup(subscription):
        release.wait()
        return "Azure subscription (test)"

    import screens.start
    screens.start.resolve_azure = held_lookup
    from screens.app import create_app

    async def main():
        app = create_app(sandbox=SANDBOX)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "StartScreen", app.screen
            loaded = sorted(m for m in sys.modules if m.startswith("azure"))
            print("AZURE:" + ",".join(loaded))
            release.set()
            await pilot.pause()

    asyncio.run(main())
""")


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox", "azure"])
def test_the_first_screen_mounts_without_importing_the_azure_sdk(tmp_path: Path,
                                                                 sandbox: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("SANDBOX", str(sandbox))],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
        env={"AKS_NAT_WIZARD_HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path)},
        check=False)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("AZURE:"))
    loaded = [name for name in line.removeprefix("AZURE:").split(",") if name]
    assert not [name for name in loaded if name.startswith(("azure.mgmt", "azure.identity"))]


def test_the_quick_preset_list_needs_no_model_and_agrees_with_the_checked_one(
        tmp_path: Path) -> None:
    """The start screen fills its preset list before the configuration model is imported;
    the list checked afterwards holds the same presets, and says why a broken one is."""
    script = textwrap.dedent("""
        import sys
        from screens import preset_store
        quick = preset_store.quick_choices()
        assert "pydantic" not in sys.modules and "wizard.model.config" not in sys.modules
        checked = preset_store.choices()
        assert [c.reference for c in quick] == [c.reference for c in checked], (quick, checked)
        for q, c in zip(quick, checked):
            if c.name == "broken":
                assert q.description == "" and c.description.startswith("(cannot be read")
            else:
                assert q == c, (q, c)
        print("OK", len(quick))
    """)
    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "mine.toml").write_text('schema_version = 1\ndescription = "My own"\n')
    (presets / "broken.toml").write_text(
        'schema_version = 1\ndescription = "Looks fine"\n[outbound\n')  # not TOML
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2],
                            env={"AKS_NAT_WIZARD_HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                                 "HOME": str(tmp_path)}, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["OK", "7"]
