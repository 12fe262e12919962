"""Discovery's pure parts: free address ranges and reading ARM list items."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from wizard.azure import discovery as d


def test_free_ranges_exclude_subnets() -> None:
    assert d.free_ranges(["10.0.0.0/16"], ["10.0.0.0/24"]) == (
        "10.0.1.0/24", "10.0.2.0/23", "10.0.4.0/22", "10.0.8.0/21", "10.0.16.0/20",
        "10.0.32.0/19", "10.0.64.0/18", "10.0.128.0/17")
    assert d.free_ranges(["10.0.0.0/24"], ["10.0.0.0/24"]) == ()
    assert d.free_ranges(["10.0.0.0/24", "10.1.0.0/24"], []) == ("10.0.0.0/24", "10.1.0.0/24")


@given(st.lists(st.integers(min_value=0, max_value=255), max_size=12, unique=True),
       st.sampled_from([24, 25, 26, 28]))
def test_free_ranges_and_subnets_partition_the_space(blocks: list[int], length: int) -> None:
    space = ipaddress.ip_network("10.20.0.0/16")
    used = [str(ipaddress.ip_network(f"10.20.{b}.0/{length}")) for b in blocks]
    free = [ipaddress.ip_network(f) for f in d.free_ranges([str(space)], used)]
    taken = [ipaddress.ip_network(u) for u in used]
    assert sum(n.num_addresses for n in free) + sum(n.num_addresses for n in taken) == \
        space.num_addresses
    assert not any(f.overlaps(t) for f in free for t in taken)


def test_first_free_prefix_suggests_a_block() -> None:
    vnet = d.VirtualNetwork("id", "v", "rg", "eastus2", ("10.0.0.0/16",),
                            (d.SubnetInfo("s", "s", "10.0.0.0/22", None),))
    assert d.first_free_prefix(vnet, 22) == "10.0.4.0/22"
    assert d.first_free_prefix(vnet, 15) is None


def test_kubernetes_versions_know_their_default_and_patches() -> None:
    versions = d.parse_kubernetes_versions("eastus2", {"values": [
        {"version": "1.34", "isPreview": True, "patchVersions": {"1.34.0": {}}},
        {"version": "1.33", "isDefault": True,
         "patchVersions": {"1.33.10": {}, "1.33.2": {}}},
    ]})
    assert [m.version for m in versions.minors] == ["1.33", "1.34"]
    assert versions.default == "1.33.10"
    assert versions.offers("1.33") and versions.offers("1.33.2") and versions.offers("v1.34.0")
    assert not versions.offers("1.32") and not versions.offers("1.33.3")


def test_vm_size_reads_capabilities_zones_and_restrictions() -> None:
    item = {"resourceType": "virtualMachines", "name": "Standard_D4s_v5",
            "locationInfo": [{"location": "eastus2", "zones": ["3", "1"]}],
            "capabilities": [{"name": "vCPUs", "value": "4"}, {"name": "MemoryGB", "value": "16"}],
            "restrictions": [{"type": "Zone"}]}
    size = d.parse_vm_size(item, "eastus2")
    assert size == d.VmSize("Standard_D4s_v5", 4, 16.0, ("1", "3"), restricted=False)
    assert d.parse_vm_size({**item, "restrictions": [{"type": "Location"}]},
                           "eastus2").restricted  # type: ignore[union-attr]
    assert d.parse_vm_size({**item, "resourceType": "disks"}, "eastus2") is None


def test_location_zones_come_from_zone_mappings() -> None:
    loc = d.parse_location({"name": "eastus2", "displayName": "East US 2",
                            "availabilityZoneMappings": [{"logicalZone": "2"},
                                                         {"logicalZone": "1"}]})
    assert loc.zones == ("1", "2") and loc.has_zones
    assert not d.parse_location({"name": "westcentralus"}).has_zones
