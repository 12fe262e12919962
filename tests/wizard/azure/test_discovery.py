"""Discovery on the sandbox: every answer comes through the backend's SDK clients, at ARM's paths,
cached per instance and cancellable; and it drives validation of the config."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from wizard.azure.backend import AzureBackend
from wizard.azure.discovery import Discovery, DiscoveryCancelled, DiscoveryError
from wizard.azure.preflight import discovery_findings
from wizard.model.config import WizardConfig
from wizard.sandbox import Sandbox


class RecordingBackend:
    """The real backend, remembering which SDK clients discovery asked for."""

    def __init__(self, inner: AzureBackend) -> None:
        self.inner = inner
        self.subscription_id = inner.subscription_id
        self.asked: list[str] = []

    def client(self, name: str) -> Any:
        self.asked.append(name)
        return self.inner.client(name)


def everything(discovery: Discovery) -> None:
    discovery.subscriptions()
    discovery.locations()
    discovery.kubernetes_versions("eastus2")
    discovery.vm_sizes("eastus2")
    discovery.resource_groups()
    discovery.virtual_networks("demo-rg")
    discovery.virtual_networks()
    discovery.nat_gateways("demo-rg")
    discovery.public_ips()
    discovery.public_ip_usage("eastus2")
    discovery.permissions("demo-rg")
    discovery.managed_cluster("demo-rg", "lb-cluster")


def test_every_call_goes_through_sdk_clients_at_arm_paths(demo: Sandbox,
                                                          backend: AzureBackend) -> None:
    recording = RecordingBackend(backend)
    everything(Discovery(recording))
    assert set(recording.asked) == {"resource", "network", "containerservice", "authorization"}
    sub = demo.subscription_id
    paths = {(entry.method, entry.path.lower()) for entry in demo.request_log}
    expected = [
        "/subscriptions",
        f"/subscriptions/{sub}/locations",
        f"/subscriptions/{sub}/providers/microsoft.containerservice/locations/eastus2/"
        "kubernetesversions",
        f"/subscriptions/{sub}/providers/microsoft.compute/skus",
        f"/subscriptions/{sub}/resourcegroups",
        f"/subscriptions/{sub}/resourcegroups/demo-rg/providers/microsoft.network/virtualnetworks",
        f"/subscriptions/{sub}/providers/microsoft.network/virtualnetworks",
        f"/subscriptions/{sub}/resourcegroups/demo-rg/providers/microsoft.network/natgateways",
        f"/subscriptions/{sub}/providers/microsoft.network/publicipaddresses",
        f"/subscriptions/{sub}/providers/microsoft.network/locations/eastus2/usages",
        f"/subscriptions/{sub}/resourcegroups/demo-rg/providers/microsoft.authorization/"
        "permissions",
        f"/subscriptions/{sub}/resourcegroups/demo-rg/providers/microsoft.containerservice/"
        "managedclusters/lb-cluster",
    ]
    for path in expected:
        assert ("GET", path) in paths, path
    assert all(entry.method == "GET" and entry.status == 200 for entry in demo.request_log)


def test_answers_are_cached_per_instance(demo: Sandbox, backend: AzureBackend) -> None:
    discovery = Discovery(backend)
    everything(discovery)
    count = len(demo.request_log)
    everything(discovery)
    assert len(demo.request_log) == count
    Discovery(backend).locations()  # a new run reads again
    assert len(demo.request_log) == count + 1


def test_cancelled_discovery_makes_no_request(demo: Sandbox, backend: AzureBackend) -> None:
    event = threading.Event()
    discovery = Discovery(backend, event)
    event.set()
    with pytest.raises(DiscoveryCancelled):
        discovery.locations()
    with pytest.raises(DiscoveryCancelled):
        discovery.public_ips()
    assert demo.request_log == []


def test_cancel_between_items_stops_a_listing(backend: AzureBackend) -> None:
    discovery = Discovery(backend)
    seen: list[str] = []
    items = discovery._items(backend.client("network").public_ip_addresses.list_all())
    with pytest.raises(DiscoveryCancelled):
        for item in items:
            seen.append(item["name"])
            discovery.cancel()
    assert len(seen) == 1


def test_regions_versions_sizes_and_what_exists(discovery: Discovery) -> None:
    names = {loc.name: loc for loc in discovery.locations()}
    assert names["eastus2"].zones == ("1", "2", "3")
    assert not names["westcentralus"].has_zones and not names["northcentralus"].has_zones
    assert "unitedstates" not in names  # logical regions are not places to deploy
    versions = discovery.kubernetes_versions("eastus2")
    assert versions.default == "1.33.2" and versions.offers("1.31")
    sizes = {s.name: s for s in discovery.vm_sizes("eastus2")}
    assert sizes["Standard_D4s_v5"].vcpus == 4 and sizes["Standard_D4s_v5"].zones == \
        ("1", "2", "3")
    assert "Premium_LRS" not in sizes
    vnet = discovery.virtual_network("demo-rg", "demo-vnet")
    assert vnet is not None and vnet.address_space == ("10.10.0.0/16",)
    shared = vnet.subnet("shared-subnet")
    assert shared is not None and shared.nat_gateway_id is not None
    assert shared.nat_gateway_id.endswith("/natGateways/shared-natgw")
    assert "10.10.4.0/22" in vnet.free_ranges
    gateway = discovery.nat_gateways("demo-rg")[0]
    assert gateway.name == "shared-natgw" and len(gateway.public_ip_ids) == 1
    assert {g.name for g in discovery.resource_groups()} >= {"demo-rg"}
    used, limit = discovery.public_ip_usage("eastus2")  # type: ignore[misc]
    assert used == len(discovery.public_ips()) and limit == 100
    assert discovery.managed_cluster("demo-rg", "nope") is None


def test_azure_errors_become_discovery_errors(discovery: Discovery) -> None:
    with pytest.raises(DiscoveryError, match="ResourceGroupNotFound"):
        discovery.virtual_networks("no-such-rg")


def test_an_empty_sandbox_stays_empty() -> None:
    assert Sandbox(speed=0).resources() == []


def config(**cluster: Any) -> WizardConfig:
    outbound = cluster.pop("outbound", {"type": "managed"})
    windows = cluster.pop("windows", {})
    return WizardConfig.model_validate({"cluster": cluster, "outbound": outbound,
                                        "windows": windows})


def codes(found: list[Any]) -> dict[str, str]:
    return {f.code: f.field for f in found}


def test_a_location_without_zones_rejects_zone_choices(discovery: Discovery) -> None:
    found = discovery_findings(config(location="westcentralus",
                                      outbound={"type": "managed", "zones": "1,2"}), discovery)
    assert codes(found) == {"discovery.no_zones": "outbound.zones"}
    assert "westcentralus has no availability zones" in found[0].message
    assert discovery_findings(config(location="westcentralus"), discovery) == []
    assert discovery_findings(config(location="eastus2",
                                     outbound={"type": "managed", "zones": "1,2,3"}),
                              discovery) == []


def test_unknown_location_suggests_close_ones(discovery: Discovery) -> None:
    found = discovery_findings(config(location="eastus3"), discovery)
    assert codes(found) == {"discovery.unknown_location": "cluster.location"}
    assert "eastus2" in found[0].message


def test_unavailable_kubernetes_version_lists_the_available_ones(discovery: Discovery) -> None:
    found = discovery_findings(config(location="eastus2", kubernetes_version="1.29"), discovery)
    assert codes(found) == {"discovery.unknown_version": "cluster.kubernetes_version"}
    assert "1.31, 1.32, 1.33, 1.34" in found[0].message
    assert discovery_findings(config(location="eastus2", kubernetes_version="1.32.6"),
                              discovery) == []


def test_unknown_or_restricted_vm_sizes_are_errors(discovery: Discovery) -> None:
    found = discovery_findings(config(location="eastus2", node_vm_size="Standard_D4s_v9"),
                               discovery)
    assert codes(found) == {"discovery.unknown_vm_size": "cluster.node_vm_size"}
    assert "Standard_D4s_v5" in found[0].message  # the close match
    restricted = discovery_findings(config(location="westcentralus",
                                           node_vm_size="Standard_NC6s_v3"), discovery)
    assert "not available to this subscription" in restricted[0].message
    windows = discovery_findings(config(location="eastus2", windows={
        "enabled": True, "vm_size": "Standard_X1"}, outbound={"type": "managed"}), discovery)
    assert codes(windows) == {"discovery.unknown_vm_size": "windows.vm_size"}
