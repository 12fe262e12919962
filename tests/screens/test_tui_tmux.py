"""The real program in a real terminal: start it in tmux, type through it, read the screen."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.session],
                              capture_output=True, text=True, check=False).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def wait_for(self, text: str, attempts: int = 900) -> str:
        """Poll the screen until `text` shows (bounded; the message shows the last screen)."""
        shown = ""
        for _ in range(attempts):
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")

    def wait_for_line(self, start: str, attempts: int = 900) -> None:
        """Poll until a line of the form (left of any side panel) starts with `start`."""
        shown = ""
        for _ in range(attempts):
            shown = self.screen()
            # (a focused setting is marked with a bar before it)
            if any(line.strip().lstrip("█▌▐│ ").startswith(start)
                   for line in shown.splitlines()):
                return
            time.sleep(0.1)
        raise AssertionError(f"no line starts with {start!r}; the screen was:\n{shown}")

    def wait_gone(self, text: str, attempts: int = 900) -> None:
        for _ in range(attempts):
            shown = self.screen()
            if text not in shown:
                return
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never went away; the screen was:\n{shown}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = f"aks-nat-wizard-test-{uuid.uuid4().hex[:8]}"
    uv = shutil.which("uv")
    program = [uv, "run", "--quiet", "aks-nat-wizard"] if uv else [sys.executable, "-m",
                                                                     "wizard"]
    command = " ".join(shlex.quote(part) for part in [
        "env", f"AKS_NAT_WIZARD_HOME={tmp_path}", "AKS_NAT_WIZARD_SANDBOX_SPEED=0",
        *program, "--sandbox", "--sandbox-state", str(tmp_path / "sandbox.json")])
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "32",
                    "-c", str(ROOT), command], check=True,
                   env={**os.environ, "TERM": "xterm-256color"})
    try:
        yield Terminal(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False,
                       capture_output=True)


def test_typing_through_the_wizard_to_a_finished_run(terminal: Terminal) -> None:
    terminal.wait_for("Start from a preset")
    terminal.keys("n")
    terminal.wait_for("Where the cluster goes")
    # Clear the focused resource group box (resent until the box has focus): the error shows.
    for _ in range(50):
        terminal.keys("C-u")
        if "is not a valid resource group name" in terminal.screen():
            break
        time.sleep(0.2)
    terminal.wait_for("is not a valid resource group name")
    time.sleep(0.5)  # let any queued key presses land before typing
    terminal.keys("-l", "rg-tmux")
    terminal.wait_for_line("rg-tmux")
    terminal.wait_gone("is not a valid resource group name")
    for expected in ("Managed NAT gateway", "Which public addresses egress uses",
                     "An optional Windows"):
        terminal.keys("C-n")
        terminal.wait_for(expected)
    terminal.keys("C-n")
    shown = terminal.wait_for("Apply target")
    assert "rg-tmux" in shown
    terminal.keys("a")
    shown = terminal.wait_for("Apply this plan?")
    assert "rg-tmux" in shown and "Sandbox" in shown
    terminal.keys("Tab")
    terminal.keys("Enter")
    shown = terminal.wait_for("Done.")
    assert "az aks get-credentials --resource-group rg-tmux --name myNatCluster" in shown
    # The address to put on partners' allow-lists, read off the screen (AKS's managed IP).
    address = None
    for _ in range(300):
        shown = terminal.screen()
        found = re.search(r"Egress leaves from.*?(\d{1,3}(?:\.\d{1,3}){3})", shown, re.DOTALL)
        if found:
            address = found.group(1)
            break
        time.sleep(0.1)
    assert address is not None, shown
    assert all(0 <= int(part) <= 255 for part in address.split("."))
    terminal.keys("C-q")
