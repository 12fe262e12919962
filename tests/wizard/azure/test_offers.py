"""`Offers`: what the target offers, checked as plain data as far as it is known."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wizard.azure.discovery import (
    KubernetesMinor,
    KubernetesVersions,
    Location,
    SubnetInfo,
    VirtualNetwork,
    VmSize,
)
from wizard.azure.offers import Offers, merge, network_findings, offer_findings
from wizard.model.config import WizardConfig

REGIONS = (Location("eastus2", "East US 2", ("1", "2", "3")),
           Location("westcentralus", "West Central US", ()))
VERSIONS = KubernetesVersions("eastus2", (
    KubernetesMinor("1.32", ("1.32.5", "1.32.6")),
    KubernetesMinor("1.33", ("1.33.1",), is_default=True),
    KubernetesMinor("1.34", ("1.34.0",), is_preview=True)))
SIZES = (VmSize("Standard_D4s_v5", 4, 16, ("1", "2", "3")),
         VmSize("Standard_D2s_v5", 2, 8, ("1", "2")),
         VmSize("Standard_NC6s_v3", 6, 112, ("1",), restricted=True))


def config(**cluster: Any) -> WizardConfig:
    outbound = cluster.pop("outbound", {"type": "managed"})
    windows = cluster.pop("windows", {})
    cluster = {"location": "eastus2", "node_vm_size": "Standard_D4s_v5", **cluster}
    return WizardConfig.model_validate({"cluster": cluster, "outbound": outbound,
                                        "windows": windows})


def codes(config_: WizardConfig, offers: Offers) -> list[str]:
    return [f.code for f in offer_findings(config_, offers)]


def test_nothing_known_nothing_checked() -> None:
    assert offer_findings(config(location="nowhere1", kubernetes_version="1.29"), Offers()) == []


def test_regions_known_checks_region_but_not_version_or_size_yet() -> None:
    offers = Offers(REGIONS)
    assert codes(config(kubernetes_version="1.20", node_vm_size="Standard_X"), offers) == []
    assert codes(config(location="eastus3"), offers) == ["discovery.unknown_location"]


def test_once_the_region_is_known_an_unoffered_version_is_an_error_naming_what_is() -> None:
    offers = Offers(REGIONS).with_region("eastus2", VERSIONS, SIZES)
    (finding,) = offer_findings(config(kubernetes_version="1.29"), offers)
    assert finding.field == "cluster.kubernetes_version"
    assert "1.32, 1.33, 1.34" in finding.message and "default 1.33.1" in finding.message
    assert codes(config(kubernetes_version="1.32.6"), offers) == []
    assert codes(config(kubernetes_version=""), offers) == []  # AKS's default


def test_vm_sizes_unknown_restricted_and_by_zone() -> None:
    offers = Offers(REGIONS).with_region("East US 2", VERSIONS, SIZES)
    unknown = offer_findings(config(node_vm_size="Standard_D4s_v9"), offers)
    assert [(f.field, f.code) for f in unknown] == [
        ("cluster.node_vm_size", "discovery.unknown_vm_size")]
    assert "Standard_D4s_v5" in unknown[0].message  # the close match
    restricted = offer_findings(config(node_vm_size="Standard_NC6s_v3"), offers)
    assert "not available to this subscription" in restricted[0].message
    zonal = config(node_vm_size="standard_d2s_v5",
                   outbound={"type": "managed", "zones": ["1", "2", "3"]})
    assert codes(zonal, offers) == ["discovery.vm_size_zone"]
    windows = config(windows={"enabled": True, "vm_size": "Standard_Nope"})
    assert [f.field for f in offer_findings(windows, offers)] == ["windows.vm_size"]


def test_choices_are_what_a_user_may_type_newest_first_and_only_usable_sizes() -> None:
    offers = Offers(REGIONS).with_region("eastus2", VERSIONS, SIZES)
    assert offers.version_choices("EastUS2") == ["1.33", "1.33.1", "1.32", "1.32.6", "1.32.5",
                                                  "1.34", "1.34.0"]
    assert offers.size_choices("eastus2") == ["Standard_D2s_v5", "Standard_D4s_v5"]
    assert offers.version_choices("westcentralus") == []
    assert offers.knows_region("East US 2") and not offers.knows_region("westcentralus")


def test_merge_keeps_regions_learned_in_any_order() -> None:
    first = Offers(REGIONS).with_region("eastus2", VERSIONS, SIZES)
    second = Offers(REGIONS).with_region("westcentralus", VERSIONS, SIZES[:1])
    merged = merge(first, second)
    assert merged.knows_region("eastus2") and merged.knows_region("westcentralus")
    assert merge(None, second) is second


@given(st.text(min_size=1, max_size=20))
def test_any_typed_version_is_either_offered_or_an_error_on_its_field(version: str) -> None:
    offers = Offers(REGIONS).with_region("eastus2", VERSIONS, SIZES)
    try:
        cfg = config(kubernetes_version=version)
    except ValueError:
        return  # the model refuses it before the offer is consulted
    found = offer_findings(cfg, offers)
    if VERSIONS.offers(cfg.cluster.kubernetes_version) or not cfg.cluster.kubernetes_version:
        assert found == []
    else:
        assert [f.field for f in found] == ["cluster.kubernetes_version"]


# -- the VNet that already exists where the plan puts its own ------------------------------------

GW = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/"
VNET = VirtualNetwork(
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/net", "net",
    "rg", "eastus2", ("10.10.0.0/16",),
    (SubnetInfo("s1", "aks-subnet", "10.10.0.0/22", None),
     SubnetInfo("s2", "shared", "10.10.9.0/24", GW + "shared-natgw")))


def byo(**outbound: Any) -> WizardConfig:
    return config(resource_group="rg", outbound={
        "type": "user_assigned", "vnet_name": "net", "vnet_address_space": "10.10.0.0/16",
        "subnet_name": "aks-subnet", "subnet_prefix": "10.10.0.0/22", **outbound})


def test_a_vnet_that_does_not_exist_yet_has_nothing_to_clash_with() -> None:
    assert network_findings(byo(subnet_name="new", subnet_prefix="10.10.0.0/22"), None) == []


def test_reusing_the_vnet_and_subnet_as_they_are_is_clean() -> None:
    assert network_findings(byo(), VNET) == []


def test_a_new_subnet_overlapping_an_existing_one_is_an_error_with_a_free_block() -> None:
    (finding,) = network_findings(byo(subnet_name="new", subnet_prefix="10.10.2.0/23"), VNET)
    assert (finding.severity, finding.field) == ("error", "outbound.subnet_prefix")
    assert "overlaps subnet aks-subnet (10.10.0.0/22)" in finding.message
    assert "first free /23 is 10.10.4.0/23" in finding.message
    per_zone = byo(subnet_name="new", subnet_prefix="10.10.4.0/22", layout="per_zone",
                   zones=["1", "2", "3"])  # -z1 10.10.4/22, -z2 10.10.8/22 (hits 'shared')
    assert [f.message.split(" for new subnet ")[1].split(" ")[0]
            for f in network_findings(per_zone, VNET)] == ["new-z2"]


def test_other_ranges_on_what_exists_are_warnings_naming_the_value_to_reuse() -> None:
    found = network_findings(byo(vnet_address_space="10.20.0.0/16",
                                 subnet_prefix="10.20.0.0/22"), VNET)
    assert {(f.severity, f.field) for f in found} == {
        ("warning", "outbound.vnet_address_space"), ("warning", "outbound.subnet_prefix")}
    assert any("set the subnet prefix to 10.10.0.0/22" in f.message for f in found)


def test_a_subnet_on_another_nat_gateway_is_an_error() -> None:
    found = network_findings(byo(subnet_name="shared", subnet_prefix="10.10.9.0/24"), VNET)
    assert [(f.field, f.code) for f in found] == [
        ("outbound.subnet_name", "preflight.subnet_has_other_nat_gateway")]
    assert network_findings(byo(subnet_name="shared", subnet_prefix="10.10.9.0/24",
                                nat_gateway_name="shared-natgw"), VNET) == []


def test_completions_come_from_what_exists() -> None:
    offers = Offers().with_networks("RG", (VNET,))
    assert offers.knows_group("rg")
    choices = offers.network_choices(byo(subnet_name="new", subnet_prefix="10.10.0.0/24"))
    assert choices == {"outbound.vnet_name": ["net"],
                       "outbound.vnet_address_space": ["10.10.0.0/16"],
                       "outbound.subnet_prefix": ["10.10.4.0/24"]}
    assert [f.code for f in offer_findings(byo(subnet_name="new",
                                                subnet_prefix="10.10.0.0/24"), offers)] == [
        "existing.subnet_overlap"]
