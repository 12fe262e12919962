"""What each Azure region offers a NAT gateway, as the documentation lists it.

Two facts per region decide the plan's defaults without a call to Azure:

- whether the region has availability zones (docs/AZURE_FACTS.md, fact `region.zones`, from the
  Azure regions list), which decides whether a StandardV2 public IP is created zone-redundant
  (zones 1, 2, 3) as the AKS doc creates it;
- whether it offers StandardV2 NAT gateways (fact `sku.v2-regions`, from `nat-sku.md`, which lists
  the regions that do not), which decides the default SKU.

A region in neither list is *unknown*: the wizard keeps StandardV2 as the default there and warns
(rules and preflight), because the documentation says nothing either way. Names are compared the
way ARM compares them (`East US 2` == `eastus2`).
"""

from __future__ import annotations

from typing import Literal

Offer = Literal["offered", "not_offered", "unknown"]

REGIONS_DOC = "https://learn.microsoft.com/azure/reliability/regions-list"
NAT_SKU_DOC = "https://learn.microsoft.com/azure/nat-gateway/nat-sku"

#: Regions `nat-sku.md` (2026-07-27) names as not supporting StandardV2 NAT gateways.
STANDARD_V2_UNAVAILABLE: frozenset[str] = frozenset({
    "canadaeast", "indonesiacentral", "israelnorthwest", "qatarcentral", "swedensouth",
    "westindia",
})

#: Regions of the Azure regions list with availability zones (True) or without (False).
REGION_ZONES: dict[str, bool] = {
    "australiacentral": False, "australiacentral2": False, "australiaeast": True,
    "australiasoutheast": False, "austriaeast": False, "brazilsouth": True,
    "brazilsoutheast": False, "canadacentral": True, "canadaeast": False,
    "centralindia": True, "centralus": True, "eastasia": True, "eastus": True,
    "eastus2": True, "francecentral": True, "francesouth": False, "germanynorth": False,
    "germanywestcentral": True, "indonesiacentral": True, "israelcentral": True,
    "italynorth": True, "japaneast": True, "japanwest": True, "koreacentral": True,
    "koreasouth": False, "mexicocentral": True, "newzealandnorth": True,
    "northcentralus": False, "northeurope": True, "norwayeast": True, "norwaywest": False,
    "polandcentral": True, "qatarcentral": True, "southafricanorth": True,
    "southafricawest": False, "southcentralus": True, "southindia": False,
    "southeastasia": True, "spaincentral": True, "swedencentral": True,
    "switzerlandnorth": True, "switzerlandwest": False, "uaecentral": False, "uaenorth": True,
    "uksouth": True, "ukwest": False, "westcentralus": False, "westeurope": True,
    "westindia": False, "westus": False, "westus2": True, "westus3": True,
}


def region_key(name: str) -> str:
    """`East US 2`, `eastus2` and `EastUS2` are one region."""
    return name.replace(" ", "").lower()


def standard_v2_offer(location: str) -> Offer:
    """Does the region offer StandardV2 NAT gateways, as far as the documentation says?"""
    key = region_key(location)
    if key in STANDARD_V2_UNAVAILABLE:
        return "not_offered"
    if key in REGION_ZONES:
        return "offered"
    return "unknown"


def default_sku(location: str) -> Literal["Standard", "StandardV2"]:
    """The NAT gateway SKU the wizard proposes: StandardV2 unless the region lacks it (the same
    rule AKS applies when `natGatewayProfile.sku` is omitted, fact `sku.managed-default`)."""
    return "Standard" if standard_v2_offer(location) == "not_offered" else "StandardV2"


def has_zones(location: str) -> bool | None:
    """Whether the region has availability zones; None when the region is not in the list."""
    return REGION_ZONES.get(region_key(location))
