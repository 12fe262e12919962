"""The core stays free of UI and Azure SDKs at import time (DESIGN.md's layering).

`wizard/` never imports textual or questionary, and the Azure SDKs are imported lazily inside the
functions that call Azure, so `plan`, `export` and the rules start fast and work without them.
Each check imports in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import textwrap

import pytest

import wizard

FORBIDDEN_PREFIXES = ("textual", "questionary", "azure.mgmt", "azure.identity", "screens")
CORE = ["wizard.model.config", "wizard.model.rules", "wizard.plan", "wizard.model.findings",
        "wizard.model.fields", "wizard.cli.main"]


def every_wizard_module() -> list[str]:
    """Every module under `wizard/`, except `__main__` (importing it runs the app)."""
    return sorted(module.name for module in pkgutil.walk_packages(wizard.__path__, "wizard.")
                  if not module.name.endswith("__main__"))


def imported_after(modules: list[str]) -> dict[str, list[str]]:
    """For each module, imported in order in one fresh interpreter: the forbidden modules
    `sys.modules` holds right after it."""
    script = textwrap.dedent(f"""
        import importlib, json, sys
        forbidden = {FORBIDDEN_PREFIXES!r}
        seen = {{}}
        for name in {modules!r}:
            importlib.import_module(name)
            seen[name] = sorted(
                key for key in sys.modules
                if any(key == p or key.startswith(p + ".") for p in forbidden))
        print(json.dumps(seen))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 0, result.stderr
    seen: dict[str, list[str]] = json.loads(result.stdout)
    return seen


def test_the_discovery_finds_the_whole_package() -> None:
    modules = every_wizard_module()
    assert set(CORE) <= set(modules)
    assert {"wizard.azure.backend", "wizard.sandbox.sandbox", "wizard.export.az"} <= set(modules)


def test_the_core_imports_no_ui_and_no_azure_sdk() -> None:
    assert imported_after(CORE) == {name: [] for name in CORE}


@pytest.mark.parametrize("module", CORE)
def test_each_core_module_alone(module: str) -> None:
    assert imported_after([module]) == {module: []}


def test_no_wizard_module_imports_ui_or_azure_sdks_at_import_time() -> None:
    """Including `wizard.azure.*` and `wizard.sandbox.*`: they import the SDKs lazily."""
    modules = every_wizard_module()
    seen = imported_after(modules)
    offenders = {name: found for name, found in seen.items() if found}
    assert offenders == {}


def test_the_check_would_notice_an_offender() -> None:
    """The probe itself works: importing textual is reported."""
    assert imported_after(["wizard.model.config", "textual"])["textual"][:1] == ["textual"]
