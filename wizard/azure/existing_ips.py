"""Preflight of the public IPs a user-assigned NAT gateway reuses (`outbound.public_ip_ids`).

The plan does not create these IPs, so nothing else in preflight looks at them, and Azure would
refuse the NAT gateway only once the VNet and everything before it exist. Each listed IP is read
(with the same reader preflight uses for the plan's own steps) and checked against what the NAT
gateway needs (docs/AZURE_FACTS.md, sku.v2-ips and zones.standard-zonal):

- it exists, in the subscription being applied to (a NAT gateway cannot use another one's IPs);
- it is in the cluster's region;
- its SKU matches the gateway's: a Standard gateway takes Standard IPs, a StandardV2 gateway
  StandardV2 IPs (Basic never);
- it is static and IPv4;
- nothing else holds it: no ipConfiguration (a load balancer frontend, a NIC) and no other NAT
  gateway. Held by the very gateway the plan creates is fine, so a re-run passes;
- its zone suits the gateway's: a zonal gateway takes IPs of its own zone or zone-redundant ones;
  a gateway without a zone (and a StandardV2 one) takes any.

Every problem is an error on `outbound.public_ip_ids`, the setting to change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard.model.config import (
    NAT_RESOURCE_DOC,
    NAT_ZONES_DOC,
    UserAssignedOutbound,
    WizardConfig,
    parse_public_ip_id,
)
from wizard.model.findings import Finding
from wizard.plan import Plan, Step

FIELD = "outbound.public_ip_ids"
Reader = Callable[[Step], "dict[str, Any] | None"]


def existing_public_ip_findings(config: WizardConfig, plan: Plan, read: Reader,
                                subscription_id: str) -> list[Finding]:
    """The problems of each listed public IP for the NAT gateway the plan puts it on.

    `read(step)` returns a resource's ARM body or None (preflight's reader: the backend's GET);
    `subscription_id` is the subscription the plan is applied to.
    """
    out = config.outbound
    if not isinstance(out, UserAssignedOutbound) or not out.public_ip_ids:
        return []
    found: list[Finding] = []
    for ip_id in out.public_ip_ids:
        gateway = _gateway_of(plan, ip_id)
        subscription, group, name = parse_public_ip_id(ip_id)
        if subscription.lower() != subscription_id.lower():
            found.append(_error(
                f"public IP {name} is in subscription {subscription}, but the plan is applied "
                f"to {subscription_id}: a NAT gateway can only use IPs of its own subscription. "
                "Apply to that subscription, or list an IP of this one", "subscription"))
            continue
        body = read(_probe(plan, ip_id, name))
        if body is None:
            found.append(_error(
                f"public IP {name} does not exist in resource group {group} (subscription "
                f"{subscription}): check the id with `az network public-ip show --ids {ip_id}`",
                "missing"))
            continue
        found += _ip_findings(config, out, name, body, gateway)
    return found


def _ip_findings(config: WizardConfig, out: UserAssignedOutbound, name: str,
                 body: dict[str, Any], gateway: Step | None) -> list[Finding]:
    props = body.get("properties") or {}
    found: list[Finding] = []
    location = _region(str(body.get("location", "")))
    wanted = _region(config.cluster.location)
    if location and location != wanted:
        found.append(_error(
            f"public IP {name} is in {location}, but the cluster and its NAT gateway are in "
            f"{wanted}: a NAT gateway uses IPs of its own region only", "region"))
    sku = str((body.get("sku") or {}).get("name") or "Basic")
    if sku.lower() != out.sku.lower():
        needed = ("a Standard NAT gateway needs Standard public IPs"
                  if out.sku == "Standard" else "a StandardV2 NAT gateway needs StandardV2 "
                  "public IPs")
        found.append(_error(
            f"public IP {name} has SKU {sku}; {needed} (outbound.sku is {out.sku}). List IPs "
            "of that SKU, or change outbound.sku to match them", "sku"))
    method = str(props.get("publicIPAllocationMethod") or "Dynamic")
    if method.lower() != "static":
        found.append(_error(
            f"public IP {name} is allocated {method}; a NAT gateway needs static public IPs",
            "not_static"))
    version = str(props.get("publicIPAddressVersion") or "IPv4")
    if version.lower() != "ipv4":
        found.append(_error(
            f"public IP {name} is {version}; a NAT gateway needs IPv4 public IPs", "not_ipv4"))
    found += _holder_findings(name, props, gateway)
    found += _zone_findings(name, body, gateway)
    return found


def _holder_findings(name: str, props: dict[str, Any], gateway: Step | None) -> list[Finding]:
    holders = []
    configuration = _ref(props.get("ipConfiguration"))
    if configuration:
        holders.append(f"ipConfiguration {configuration}")
    nat = _ref(props.get("natGateway"))
    if nat and (gateway is None or nat.lower() != gateway.resource_id.lower()):
        holders.append(f"NAT gateway {nat.rsplit('/', 1)[-1]} ({nat})")
    if not holders:
        return []
    return [_error(
        f"public IP {name} is already used by {holders[0]}; an IP serves one resource at a time. "
        "Detach it there first, or list another IP", "in_use")]


def _zone_findings(name: str, body: dict[str, Any], gateway: Step | None) -> list[Finding]:
    gateway_zones = [str(z) for z in (gateway.body.get("zones") if gateway else None) or []]
    if not gateway_zones:
        return []
    zone = gateway_zones[0]
    ip_zones = sorted(str(z) for z in body.get("zones") or [])
    if ip_zones == [zone] or (len(ip_zones) > 1 and zone in ip_zones):
        return []
    where = (f"zone {ip_zones[0]}" if len(ip_zones) == 1
             else f"zones {', '.join(ip_zones)}" if ip_zones else "no zone")
    return [_error(
        f"public IP {name} is in {where}, but the NAT gateway is in zone {zone}: a zonal NAT "
        "gateway takes only IPs of its own zone or zone-redundant ones. List such an IP, or "
        f"change outbound.zones to {ip_zones[0] if len(ip_zones) == 1 else 'match the IP'}",
        "zone", NAT_ZONES_DOC)]


def _gateway_of(plan: Plan, ip_id: str) -> Step | None:
    """The plan's NAT gateway that lists `ip_id`."""
    for step in plan.steps:
        if step.kind != "nat_gateway":
            continue
        listed = (step.body.get("properties") or {}).get("publicIpAddresses") or []
        if any(str(ref.get("id", "")).lower() == ip_id.lower() for ref in listed):
            return step
    return None


def _probe(plan: Plan, ip_id: str, name: str) -> Step:
    """A read-only step for the IP, so the backend's own GET (and 404 handling) reads it."""
    return Step(key=f"existing_public_ip:{ip_id}", kind="public_ip", name=name,
                resource_id=ip_id, body={}, depends_on=(), summary=f"Existing public IP {name}",
                why="Reused, not created.", az=())


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]:
        return str(value["id"])
    return None


def _region(name: str) -> str:
    return name.replace(" ", "").lower()


def _error(message: str, code: str, doc: str = NAT_RESOURCE_DOC) -> Finding:
    return Finding("error", FIELD, message, doc, f"preflight.public_ip_{code}")
