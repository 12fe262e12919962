"""Reads that ask for what they need: preflight GETs the resource group instead of listing every
group, and the free-IP list reads only the groups holding IPs of the region."""

from __future__ import annotations

from typing import Any

from tests.wizard.sandbox_helpers import store_group
from wizard import plan as planner
from wizard.azure import preflight
from wizard.azure.backend import AzureBackend
from wizard.azure.clusters import free_public_ips
from wizard.azure.discovery import Discovery
from wizard.model.config import WizardConfig
from wizard.sandbox import Sandbox

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
IP_TYPE = "Microsoft.Network/publicIPAddresses"


def gets(sandbox: Sandbox) -> list[str]:
    return [r.path.lower() for r in sandbox.request_log if r.method == "GET"]


def test_preflight_gets_the_resource_group_and_lists_no_groups(demo: Sandbox,
                                                             backend: AzureBackend) -> None:
    cfg = WizardConfig.model_validate({
        "cluster": {"resource_group": "demo-rg", "location": "eastus2"},
        "outbound": {"type": "user_assigned", "vnet_name": "demo-vnet",
                     "vnet_address_space": "10.10.0.0/16", "subnet_prefix": "10.10.0.0/22"}})
    demo.clear_request_log()
    preflight.run(cfg, planner.build(cfg, backend.subscription_id), backend)
    paths = gets(demo)
    assert f"{SUB}/resourcegroups/demo-rg".lower() in paths
    assert f"{SUB}/resourcegroups" not in paths


def test_a_missing_group_is_none_from_one_get(demo: Sandbox, backend: AzureBackend) -> None:
    demo.clear_request_log()
    discovery = Discovery(backend)
    assert discovery.resource_group("no-such-rg") is None
    assert discovery.resource_group("DEMO-RG") is not None
    assert discovery.resource_group("no-such-rg") is None  # cached
    assert gets(demo) == [f"{SUB}/resourcegroups/no-such-rg".lower(),
                          f"{SUB}/resourcegroups/demo-rg".lower()]


def put_ip(sandbox: Sandbox, group: str, name: str, location: str, **props: Any) -> None:
    with sandbox.store.transaction():
        rg = store_group(sandbox, SUB, group, location)
        sandbox.store.put({"id": f"{rg}/providers/{IP_TYPE}/{name}", "name": name, "type": IP_TYPE,
                           "location": location, "sku": {"name": "Standard"},
                           "properties": {"provisioningState": "Succeeded",
                                          "ipAddress": "20.1.2.3", **props}})


def test_free_ips_read_only_the_groups_holding_ips_of_the_region() -> None:
    sandbox = Sandbox(speed=0, faults="", seed="")
    for i in range(30):
        put_ip(sandbox, f"far-{i % 3}", f"far{i}", "northeurope")
    put_ip(sandbox, "near", "free1", "westeurope")
    put_ip(sandbox, "near", "held", "westeurope",
           ipConfiguration={"id": f"{SUB}/resourceGroups/near/providers/Microsoft.Network/"
                            "loadBalancers/lb/frontendIPConfigurations/f"})
    put_ip(sandbox, "mixed", "free2", "westeurope")
    put_ip(sandbox, "mixed", "far-in-mixed", "northeurope")
    backend = AzureBackend.for_sandbox(sandbox)
    try:
        sandbox.clear_request_log()
        found = free_public_ips(Discovery(backend), "westeurope")
    finally:
        backend.close()
    assert [ip.name for ip in found] == ["free2", "free1"]
    paths = gets(sandbox)
    assert f"{SUB}/providers/microsoft.network/publicipaddresses" not in paths
    ip_lists = sorted(p for p in paths if p.endswith("/publicipaddresses"))
    assert ip_lists == [f"{SUB}/resourcegroups/{g}/providers/microsoft.network/publicipaddresses"
                        for g in ("mixed", "near")]
