"""Preflight of the public IPs and prefixes a NAT gateway reuses (`outbound.public_ip_ids`,
`outbound.public_ip_prefix_ids`): a user-assigned gateway's, or your own on AKS's managed
StandardV2 gateway.

The plan does not create these addresses, so nothing else in preflight looks at them, and Azure
would refuse the NAT gateway (or the cluster) only once everything before it exists. Each listed
IP or prefix is read (with the same reader preflight uses for the plan's own steps) and checked
against what the NAT gateway needs (docs/AZURE_FACTS.md, sku.v2-ips, zones.standard-zonal and
managed.own-ips):

- it exists, in the subscription being applied to (a NAT gateway cannot use another one's IPs);
- it is in the cluster's region;
- its SKU matches the gateway's: a Standard gateway takes Standard IPs, a StandardV2 gateway
  StandardV2 IPs (Basic never);
- an IP is static; IPv4, or IPv6 on a dual-stack cluster's StandardV2 gateway;
- nothing else holds it: no ipConfiguration (a load balancer frontend, a NIC) and no other NAT
  gateway. Held by the very gateway the plan creates is fine, so a re-run passes;
- its zone suits the gateway's: a zonal gateway takes IPs of its own zone or zone-redundant ones;
  a gateway without a zone (and a StandardV2 one) takes any;
- together they hold `outbound.ip_count` addresses (a prefix holds 2 to 16), the figure the
  plan's SNAT sizing used.

Every problem is an error on the setting to change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard.model.config import (
    NAT_RESOURCE_DOC,
    NAT_ZONES_DOC,
    LoadBalancerOutbound,
    ManagedOutbound,
    WizardConfig,
    parse_public_ip_id,
    prefix_addresses,
)
from wizard.model.findings import Finding
from wizard.plan import Plan, Step

FIELD = "outbound.public_ip_ids"
PREFIX_FIELD = "outbound.public_ip_prefix_ids"
Reader = Callable[[Step], "dict[str, Any] | None"]


def existing_public_ip_findings(config: WizardConfig, plan: Plan, read: Reader,
                                subscription_id: str) -> list[Finding]:
    """The problems of each listed public IP and prefix for the NAT gateway that uses it.

    `read(step)` returns a resource's ARM body or None (preflight's reader: the backend's GET);
    `subscription_id` is the subscription the plan is applied to.
    """
    out = config.outbound
    if isinstance(out, LoadBalancerOutbound) or not out.reuses_addresses():
        return []
    found: list[Finding] = []
    addresses = 0
    complete = True
    ours = _cluster_addresses(plan, read) if isinstance(out, ManagedOutbound) else set()
    listed = [(i, False) for i in out.public_ip_ids] + [
        (i, True) for i in out.public_ip_prefix_ids]
    for address_id, is_prefix in listed:
        field = PREFIX_FIELD if is_prefix else FIELD
        noun = "public IP prefix" if is_prefix else "public IP"
        gateway = _gateway_of(plan, address_id)
        subscription, group, name = parse_public_ip_id(address_id)
        if subscription.lower() != subscription_id.lower():
            found.append(_error(
                f"{noun} {name} is in subscription {subscription}, but the plan is applied "
                f"to {subscription_id}: a NAT gateway can only use addresses of its own "
                "subscription. Apply to that subscription, or list one of this one",
                "subscription", field=field))
            complete = False
            continue
        body = read(_probe(address_id, name, is_prefix))
        if body is None:
            command = "public-ip prefix" if is_prefix else "public-ip"
            found.append(_error(
                f"{noun} {name} does not exist in resource group {group} (subscription "
                f"{subscription}): check the id with `az network {command} show --ids "
                f"{address_id}`", "missing", field=field))
            complete = False
            continue
        found += _ip_findings(config, name, body, gateway, is_prefix,
                              held_by_us=address_id.lower() in ours)
        addresses += (prefix_addresses(body.get("properties") or {}) or 2) if is_prefix else 1
    if complete and out.public_ip_prefix_ids and addresses != out.ip_count:
        found.append(Finding(
            "error", "outbound.ip_count",
            f"your public IPs and prefixes hold {addresses} addresses, but outbound.ip_count is "
            f"{out.ip_count}: set outbound.ip_count = {addresses}, so the SNAT sizing and the "
            "plan count what the gateway really has", NAT_RESOURCE_DOC,
            "preflight.public_ip_prefix_size"))
    return found


def _cluster_addresses(plan: Plan, read: Reader) -> set[str]:
    """The addresses the plan's cluster already egresses from (a re-run of a managed gateway on
    your own IPs: AKS's gateway holds them, and that is not "in use elsewhere")."""
    cluster = next((step for step in plan.steps if step.kind == "managed_cluster"), None)
    body = read(cluster) if cluster is not None else None
    network = ((body or {}).get("properties") or {}).get("networkProfile") or {}
    profile = network.get("natGatewayProfile") or {}
    return {str(item.get("id", "")).lower() for item in profile.get("effectiveOutboundIPs") or []
            if isinstance(item, dict)}


def _ip_findings(config: WizardConfig, name: str, body: dict[str, Any], gateway: Step | None,
                 is_prefix: bool, *, held_by_us: bool = False) -> list[Finding]:
    out = config.outbound
    assert not isinstance(out, LoadBalancerOutbound)
    field = PREFIX_FIELD if is_prefix else FIELD
    noun = "public IP prefix" if is_prefix else "public IP"
    props = body.get("properties") or {}
    found: list[Finding] = []
    location = _region(str(body.get("location", "")))
    wanted = _region(config.cluster.location)
    if location and location != wanted:
        found.append(_error(
            f"{noun} {name} is in {location}, but the cluster and its NAT gateway are in "
            f"{wanted}: a NAT gateway uses addresses of its own region only", "region",
            field=field))
    sku = str((body.get("sku") or {}).get("name") or "Basic")
    if sku.lower() != out.sku.lower():
        needed = ("a Standard NAT gateway needs Standard public IPs and prefixes"
                  if out.sku == "Standard" else "a StandardV2 NAT gateway needs StandardV2 "
                  "public IPs and prefixes")
        found.append(_error(
            f"{noun} {name} has SKU {sku}; {needed} (outbound.sku is {out.sku}). List ones "
            "of that SKU, or change outbound.sku to match them", "sku", field=field))
    method = str(props.get("publicIPAllocationMethod") or "Dynamic")
    if not is_prefix and method.lower() != "static":
        found.append(_error(
            f"public IP {name} is allocated {method}; a NAT gateway needs static public IPs",
            "not_static", field=field))
    version = str(props.get("publicIPAddressVersion") or "IPv4")
    if version.lower() != "ipv4" and gateway is not None:
        found.append(_error(
            f"{noun} {name} is {version}; list IPv4 addresses here: the wizard creates a "
            "user-assigned gateway's IPv6 addresses itself (outbound.ipv6_count)", "not_ipv4",
            field=field))
    elif version.lower() != "ipv4" and not config.cluster.dual_stack:
        found.append(_error(
            f"{noun} {name} is {version}; IPv6 egress needs a dual-stack cluster "
            "(cluster.dual_stack) on a StandardV2 gateway", "not_ipv4", field=field))
    if not held_by_us:
        found += _holder_findings(name, props, gateway, noun, field)
    found += _zone_findings(name, body, gateway, noun, field)
    return found


def _holder_findings(name: str, props: dict[str, Any], gateway: Step | None, noun: str,
                     field: str) -> list[Finding]:
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
        f"{noun} {name} is already used by {holders[0]}; an address serves one resource at a "
        "time. Detach it there first, or list another one", "in_use", field=field)]


def _zone_findings(name: str, body: dict[str, Any], gateway: Step | None, noun: str,
                   field: str) -> list[Finding]:
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
        f"{noun} {name} is in {where}, but the NAT gateway is in zone {zone}: a zonal NAT "
        "gateway takes only addresses of its own zone or zone-redundant ones. List such one, or "
        f"change outbound.zones to {ip_zones[0] if len(ip_zones) == 1 else 'match it'}",
        "zone", NAT_ZONES_DOC, field=field)]


def _gateway_of(plan: Plan, address_id: str) -> Step | None:
    """The plan's NAT gateway that lists `address_id` (None for AKS's managed gateway, which
    the plan does not create)."""
    for step in plan.steps:
        if step.kind != "nat_gateway":
            continue
        props = step.body.get("properties") or {}
        listed = [*(props.get("publicIpAddresses") or []), *(props.get("publicIpPrefixes") or [])]
        if any(str(ref.get("id", "")).lower() == address_id.lower() for ref in listed):
            return step
    return None


def _probe(address_id: str, name: str, is_prefix: bool) -> Step:
    """A read-only step for the IP or prefix, so the backend's own GET (and 404 handling)
    reads it."""
    noun = "public IP prefix" if is_prefix else "public IP"
    return Step(key=f"existing_public_ip:{address_id}",
                kind="public_ip_prefix" if is_prefix else "public_ip", name=name,
                resource_id=address_id, body={}, depends_on=(),
                summary=f"Existing {noun} {name}", why="Reused, not created.", az=())


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]:
        return str(value["id"])
    return None


def _region(name: str) -> str:
    return name.replace(" ", "").lower()


def _error(message: str, code: str, doc: str = NAT_RESOURCE_DOC, *, field: str = FIELD,
           ) -> Finding:
    return Finding("error", field, message, doc, f"preflight.public_ip_{code}")
