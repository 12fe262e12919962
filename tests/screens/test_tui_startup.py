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
