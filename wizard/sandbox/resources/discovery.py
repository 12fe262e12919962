"""What the sandbox's subscription offers: the read-only ARM endpoints discovery uses.

Same paths, same shapes as Azure, so `wizard.azure.discovery` cannot tell the difference:

- `GET /subscriptions` and `/subscriptions/{s}/locations` (regions, with zone mappings where the
  region has availability zones);
- `GET .../providers/Microsoft.ContainerService/locations/{l}/kubernetesVersions`;
- `GET .../providers/Microsoft.Compute/skus?$filter=location eq '{l}'` (VM sizes);
- `GET .../providers/Microsoft.Network/locations/{l}/usages` (public IP quota, counted from what
  the sandbox holds);
- `GET .../providers/Microsoft.Authorization/permissions` on a subscription or resource group;
- subscription-wide lists of VNets, NAT gateways, public IPs and clusters.

Who is signed in and how much quota is left are knobs, so tests can play the principal without
rights or the region with one public IP left: `AKS_NAT_WIZARD_SANDBOX_PRINCIPAL` (`owner`, the
default; `contributor`, who cannot write role assignments; `reader`) and
`AKS_NAT_WIZARD_SANDBOX_PUBLIC_IP_QUOTA` (default 100), read on every request, or attributes of the
same names (`sandbox_principal`, `sandbox_public_ip_quota`) set on the emulator.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.sandbox.errors import ArmError, bad_request, not_found
from wizard.sandbox.http import Request, Response
from wizard.sandbox.ids import TENANT_ID
from wizard.sandbox.paging import paged
from wizard.sandbox.router import Router

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

Json = dict[str, Any]
PRINCIPAL_ENV = "AKS_NAT_WIZARD_SANDBOX_PRINCIPAL"
QUOTA_ENV = "AKS_NAT_WIZARD_SANDBOX_PUBLIC_IP_QUOTA"
DEFAULT_PUBLIC_IP_QUOTA = 100

# name, display name, has zones, geography
REGIONS: tuple[tuple[str, str, bool, str], ...] = (
    ("eastus2", "East US 2", True, "United States"),
    ("southcentralus", "South Central US", True, "United States"),
    ("westeurope", "West Europe", True, "Europe"),
    ("northeurope", "North Europe", True, "Europe"),
    ("westcentralus", "West Central US", False, "United States"),
    ("northcentralus", "North Central US", False, "United States"),
)
LOGICAL_REGIONS = (("unitedstates", "United States"), ("europe", "Europe"))

# minor -> (patches, is_default, is_preview)
KUBERNETES: dict[str, tuple[tuple[str, ...], bool, bool]] = {
    "1.31": (("1.31.9", "1.31.10"), False, False),
    "1.32": (("1.32.5", "1.32.6"), False, False),
    "1.33": (("1.33.1", "1.33.2"), True, False),
    "1.34": (("1.34.0",), False, True),
}

# name, vCPUs, memory GB, family
VM_SIZES: tuple[tuple[str, int, float, str], ...] = (
    ("Standard_B2s", 2, 4, "standardBSFamily"),
    ("Standard_DS2_v2", 2, 7, "standardDSv2Family"),
    ("Standard_D2s_v5", 2, 8, "standardDSv5Family"),
    ("Standard_D4s_v5", 4, 16, "standardDSv5Family"),
    ("Standard_D8s_v5", 8, 32, "standardDSv5Family"),
    ("Standard_D16s_v5", 16, 64, "standardDSv5Family"),
    ("Standard_D4as_v5", 4, 16, "standardDASv5Family"),
    ("Standard_E4s_v5", 4, 32, "standardESv5Family"),
    ("Standard_F4s_v2", 4, 8, "standardFSv2Family"),
    ("Standard_NC6s_v3", 6, 112, "standardNCSv3Family"),
)
RESTRICTED = {("Standard_NC6s_v3", "westcentralus"), ("Standard_NC6s_v3", "northcentralus")}

ROLE_ACTIONS: dict[str, list[Json]] = {
    "owner": [{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}],
    "contributor": [{
        "actions": ["*"],
        "notActions": ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                       "Microsoft.Authorization/elevateAccess/Action",
                       "Microsoft.Blueprint/blueprintAssignments/write",
                       "Microsoft.Blueprint/blueprintAssignments/delete"],
        "dataActions": [], "notDataActions": []}],
    "reader": [{"actions": ["*/read"], "notActions": [], "dataActions": [],
                "notDataActions": []}],
}

_FILTER_LOCATION = re.compile(r"location\s+eq\s+'([^']*)'", re.IGNORECASE)


@dataclass(frozen=True)
class Knobs:
    principal: str
    public_ip_quota: int


def knobs(emu: Emulator) -> Knobs:
    """The signed-in principal's role and the public IP quota, read now (tests change them)."""
    principal = getattr(emu, "sandbox_principal", None) or os.environ.get(PRINCIPAL_ENV, "")
    quota: Any = getattr(emu, "sandbox_public_ip_quota", None)
    if quota is None:
        raw = os.environ.get(QUOTA_ENV, "").strip()
        quota = int(raw) if raw.isdigit() else DEFAULT_PUBLIC_IP_QUOTA
    principal = (principal or "owner").strip().lower()
    return Knobs(principal if principal in ROLE_ACTIONS else "owner", int(quota))


def _region(name: str) -> tuple[str, str, bool, str] | None:
    wanted = name.replace(" ", "").lower()
    return next((r for r in REGIONS if r[0] == wanted), None)


def _zones(name: str) -> list[str]:
    region = _region(name)
    return ["1", "2", "3"] if region and region[2] else []


# -- handlers ----------------------------------------------------------------------------------

def list_subscriptions(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    sub = emu.subscription_id
    return Response(200, {"value": [{
        "id": f"/subscriptions/{sub}", "subscriptionId": sub, "tenantId": TENANT_ID,
        "displayName": "aks-nat-wizard sandbox", "state": "Enabled",
        "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                 "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
        "authorizationSource": "RoleBased",
    }]})


def list_locations(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_subscription(params["sub"])
    value: list[Json] = []
    for name, display, has_zones, geography in REGIONS:
        item: Json = {
            "id": f"/subscriptions/{params['sub']}/locations/{name}",
            "name": name, "type": "Region", "displayName": display,
            "regionalDisplayName": f"({geography}) {display}",
            "metadata": {"regionType": "Physical", "regionCategory": "Recommended",
                         "geography": geography, "geographyGroup": geography},
        }
        if has_zones:
            item["availabilityZoneMappings"] = [
                {"logicalZone": zone, "physicalZone": f"{name}-az{zone}"} for zone in "123"]
        value.append(item)
    for name, display in LOGICAL_REGIONS:
        value.append({"id": f"/subscriptions/{params['sub']}/locations/{name}", "name": name,
                      "type": "Region", "displayName": display, "regionalDisplayName": display,
                      "metadata": {"regionType": "Logical", "regionCategory": "Other"}})
    return Response(200, {"value": value})


def kubernetes_versions(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_subscription(params["sub"])
    if _region(params["location"]) is None:
        raise ArmError(400, "NoRegisteredProviderFound",
                       f"No registered resource provider found for location "
                       f"'{params['location']}'.")
    minors = list(KUBERNETES)
    values = []
    for minor, (patches, is_default, is_preview) in KUBERNETES.items():
        later = minors[minors.index(minor) + 1:]
        entry: Json = {
            "version": minor,
            "capabilities": {"supportPlan": ["KubernetesOfficial"]},
            "patchVersions": {patch: {"upgrades": list(patches[index + 1:])
                                      + [KUBERNETES[m][0][-1] for m in later[:1]]}
                              for index, patch in enumerate(patches)},
        }
        if is_default:
            entry["isDefault"] = True
        if is_preview:
            entry["isPreview"] = True
        values.append(entry)
    return Response(200, {"values": values})


def compute_skus(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_subscription(params["sub"])
    raw_filter = next((v for k, v in req.query.items() if k.lower() == "$filter"), "")
    match = _FILTER_LOCATION.search(raw_filter)
    locations = [r[0] for r in REGIONS]
    if match:
        wanted = match.group(1).replace(" ", "").lower()
        locations = [loc for loc in locations if loc == wanted]
    value: list[Json] = []
    for location in locations:
        for name, cpus, memory, family in VM_SIZES:
            restrictions = []
            if (name, location) in RESTRICTED:
                restrictions.append({"type": "Location", "values": [location],
                                     "reasonCode": "NotAvailableForSubscription",
                                     "restrictionInfo": {"locations": [location]}})
            value.append({
                "resourceType": "virtualMachines", "name": name, "tier": "Standard",
                "size": name.removeprefix("Standard_"), "family": family,
                "locations": [location],
                "locationInfo": [{"location": location, "zones": _zones(location),
                                  "zoneDetails": []}],
                "capabilities": [{"name": "vCPUs", "value": str(cpus)},
                                 {"name": "MemoryGB", "value": f"{memory:g}"},
                                 {"name": "PremiumIO", "value": "True"}],
                "restrictions": restrictions,
            })
        value.append({"resourceType": "disks", "name": "Premium_LRS", "tier": "Premium",
                      "locations": [location], "locationInfo": [{"location": location}],
                      "capabilities": [], "restrictions": []})
    return Response(200, {"value": value})


def network_usages(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_subscription(params["sub"])
    location = params["location"].replace(" ", "").lower()
    if _region(location) is None:
        raise not_found("LocationNotFound", f"The location '{params['location']}' is not "
                        "available for this subscription.")

    def count(arm_type: str) -> int:
        return emu.store.count(arm_type, location)

    ips = count("Microsoft.Network/publicIPAddresses")
    base = f"/subscriptions/{params['sub']}/providers/Microsoft.Network/locations/{location}"
    rows = [
        ("PublicIPAddresses", "Public IP Addresses", ips, knobs(emu).public_ip_quota),
        ("StandardSkuPublicIpAddresses", "Public IP Addresses - Standard", ips,
         knobs(emu).public_ip_quota),
        ("VirtualNetworks", "Virtual Networks", count("Microsoft.Network/virtualNetworks"), 1000),
        ("NatGateways", "NAT Gateways", count("Microsoft.Network/natGateways"), 1000),
    ]
    return Response(200, {"value": [
        {"id": f"{base}/usages/{name}", "name": {"value": name, "localizedValue": label},
         "currentValue": current, "limit": limit, "unit": "Count"}
        for name, label, current, limit in rows
    ]})


def permissions_on_subscription(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_subscription(params["sub"])
    return Response(200, {"value": ROLE_ACTIONS[knobs(emu).principal]})


def permissions_on_group(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    emu.require_resource_group(params["sub"], params["rg"])
    return Response(200, {"value": ROLE_ACTIONS[knobs(emu).principal]})


def _subscription_list(arm_type: str) -> Any:
    def handler(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        emu.require_subscription(params["sub"])
        return paged(emu, req,
                     lambda after, limit: emu.store.page(arm_type, after=after, limit=limit),
                     emu.render)
    return handler


_FILTER_TERM = re.compile(r"(resourceType|location)\s+eq\s+'([^']*)'", re.IGNORECASE)
GENERIC_FIELDS = ("id", "name", "type", "location", "tags", "sku", "kind", "managedBy",
                  "identity", "zones", "extendedLocation")


def list_resources(emu: Emulator, req: Request, params: dict[str, str]) -> Response:
    """ARM's resource list (`/subscriptions/{sub}/resources`): generic envelopes without
    properties, a page at a time, `$filter` on `resourceType` or `location` applied on the
    server (ARM documents the properties that combine; these two do not, so both is a 400)."""
    emu.require_subscription(params["sub"])
    raw_filter = next((v for k, v in req.query.items() if k.lower() == "$filter"), "")
    terms = {name.lower(): value for name, value in _FILTER_TERM.findall(raw_filter)}
    if len(terms) > 1:
        raise bad_request("InvalidFilterInQueryString",
                          f"The $filter '{raw_filter}' combines properties that cannot be used "
                          "together.")
    arm_type = terms.get("resourcetype")
    location = terms["location"].replace(" ", "").lower() if "location" in terms else None

    def envelope(stored: Json) -> Json:
        return {k: stored[k] for k in GENERIC_FIELDS if k in stored}

    return paged(emu, req,
                 lambda after, limit: emu.store.page(arm_type, location=location, after=after,
                                                     limit=limit),
                 envelope)


SUBSCRIPTION_LISTS = (
    ("Microsoft.Network", "virtualNetworks"),
    ("Microsoft.Network", "natGateways"),
    ("Microsoft.Network", "publicIPAddresses"),
    ("Microsoft.ContainerService", "managedClusters"),
)


def register(router: Router) -> None:
    """Add the discovery endpoints (all read-only) to `router`."""
    router.add("/subscriptions", "subscriptions", {"GET": list_subscriptions})
    router.add("/subscriptions/{sub}/locations", "locations", {"GET": list_locations})
    router.add("/subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{location}/"
               "kubernetesVersions", "kubernetesVersions", {"GET": kubernetes_versions})
    router.add("/subscriptions/{sub}/providers/Microsoft.Compute/skus", "skus",
               {"GET": compute_skus})
    router.add("/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/usages",
               "usages", {"GET": network_usages})
    router.add("/subscriptions/{sub}/providers/Microsoft.Authorization/permissions",
               "permissions", {"GET": permissions_on_subscription})
    router.add("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Authorization/"
               "permissions", "permissions", {"GET": permissions_on_group})
    router.add("/subscriptions/{sub}/resources", "resources", {"GET": list_resources})
    for namespace, type_name in SUBSCRIPTION_LISTS:
        router.add(f"/subscriptions/{{sub}}/providers/{namespace}/{type_name}", type_name,
                   {"GET": _subscription_list(f"{namespace}/{type_name}")})
