"""Helpers shared by the backend and executor tests: a sandbox-backed backend and plans."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from wizard.azure.backend import AzureBackend
from wizard.model.config import WizardConfig
from wizard.plan import Plan, build
from wizard.sandbox import Sandbox
from wizard.storage import presets

PASSWORD = "Sandbox-Pa55word-Only!"
SECRETS = {"windows-admin-password": PASSWORD}
BUILTINS = ("managed-basic", "managed-zonal", "user-assigned", "user-assigned-per-zone",
            "windows-managed")


def backend_for(sandbox: Sandbox) -> AzureBackend:
    backend = AzureBackend.for_sandbox(sandbox)
    backend.principal_retry_delays = (0.0, 0.0, 0.0)
    return backend


def config_for(preset: str, **changes: Any) -> WizardConfig:
    """A built-in preset, with `outbound.ip_count=2`-style changes (dots as `__`)."""
    data = presets.load(preset).model_dump(mode="json")
    for dotted, value in changes.items():
        section, field = dotted.split("__")
        data[section][field] = value
    return WizardConfig.model_validate(data)


def plan_for(sandbox: Sandbox, config: WizardConfig) -> Plan:
    return build(config, sandbox.subscription_id)


def resource_ids(sandbox: Sandbox) -> set[str]:
    return {str(resource["id"]).lower() for resource in sandbox.resources()}


def path_of(resource_id: str) -> str:
    return urlsplit(resource_id).path.lower()


def puts(sandbox: Sandbox) -> list[Any]:
    """The PUTs on resources (not LRO polls) the sandbox answered, in order."""
    return [entry for entry in sandbox.request_log
            if entry.method == "PUT" and entry.resource_type != "operations"]


def put_paths(sandbox: Sandbox) -> list[str]:
    return [entry.path.lower() for entry in puts(sandbox)]


def store_group(sandbox: Sandbox, subscription: str, group: str, location: str) -> str:
    """The id of resource group `group` under `subscription` (`/subscriptions/ID`), stored
    straight into the sandbox's store if missing (inside the caller's transaction): for tests
    that seed many resources faster than through ARM."""
    rg = f"{subscription}/resourceGroups/{group}"
    if sandbox.store.get(rg) is None:
        sandbox.store.put({"id": rg, "name": group, "type": "Microsoft.Resources/resourceGroups",
                           "location": location, "properties": {}})
    return rg
