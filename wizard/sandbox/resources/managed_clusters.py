"""AKS managed clusters: outbound types, NAT gateway profiles and the checks AKS makes.

The cluster's `agentPoolProfiles` are stored as agent pool records (the child resource) and put
back inline when read, so `/agentPools` and the cluster always agree. The server fills what AKS
fills: `fqdn`, `nodeResourceGroup` (`MC_{rg}_{name}_{location}`, created with the cluster), the
network profile defaults, and the managed outbound public IPs in the node resource group that
`natGatewayProfile`/`loadBalancerProfile.effectiveOutboundIPs` point at, plus, for
managedNATGateway, the NAT gateway on them (`managed_nat`).

Rejected like AKS (docs/AZURE_FACTS.md; unsourced codes marked UNSOURCED): managedNATGateway
with a BYO subnet or an outbound IP count outside 1-16; userAssignedNATGateway whose pool subnet
has no NAT gateway, or a gateway without IPs; Windows `disableOutboundNat` with outbound type
loadBalancer; Windows pool names over 6 characters; a user-assigned control-plane identity
without Network Contributor on the subnet (LinkedAuthorizationFailed); outbound type changes
other than the documented ones; a managed NAT SKU the region does not take, or StandardV2 back
to Standard (UnsupportedOutboundType); managed NAT on a custom VNet with Azure's own subcode.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from wizard.model import regions
from wizard.model.names import AGENT_POOL as AGENT_POOL_NAME
from wizard.model.names import CLUSTER as CLUSTER_NAME
from wizard.model.names import DNS_PREFIX, WINDOWS_POOL
from wizard.sandbox.errors import ArmError, bad_request
from wizard.sandbox.ids import TENANT_ID, fake_ip, fake_ipv6, key, rg_id, short_hash, stable_uuid
from wizard.sandbox.kinds import RG_SCOPE, Json, ResourceGroupScoped, ref_id
from wizard.sandbox.resources._lookup import (
    AGENT_POOL,
    CLUSTER,
    IDENTITY,
    NAT_GATEWAY,
    PUBLIC_IP,
    PUBLIC_IP_PREFIX,
    SUBNET,
    address_holder,
    address_in_use,
    require_ref,
    same_region,
)
from wizard.sandbox.resources.managed_nat import (
    OUTBOUND_TAG,
    gateway_id,
    managed_sku,
    sync_managed_gateway,
)
from wizard.sandbox.resources.role_assignments import can_join_subnet

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

OUTBOUND_TYPES = ("loadBalancer", "userDefinedRouting", "managedNATGateway",
                  "userAssignedNATGateway", "none", "block")
NAT_TYPES = ("managedNATGateway", "userAssignedNATGateway")
BYO_SWITCHABLE = {"loadBalancer", "userAssignedNATGateway", "userDefinedRouting"}
DEFAULT_VERSION = "1.33.3"
POOLS_KEY = "__pools"


def _managed_nat_sku(asked: Any, existing: Json | None, location: str) -> str:
    """The managed NAT gateway SKU AKS builds (API 2026-06-01 and later).

    Omitted on a new cluster: the region's default, StandardV2 where it is offered (fact
    sku.managed-default). Omitted on an update: the SKU the cluster has (existing clusters keep
    their gateway). Explicit: it must be what the region supports, or UnsupportedOutboundType
    (fact sku.managed-explicit; the message's wording is the sandbox's own, unsourced). A
    StandardV2 cluster cannot go back to Standard (fact migrate.standard-to-v2).
    """
    old_network = (existing or {}).get("properties", {}).get("networkProfile") or {}
    old_sku: str | None = None
    if old_network.get("outboundType") == "managedNATGateway":
        # A gateway made before the SKU existed in the API is a Standard one.
        old_sku = str((old_network.get("natGatewayProfile") or {}).get("sku") or "Standard")
    if asked in (None, ""):
        return str(old_sku or regions.default_sku(location))
    sku = _canonical(str(asked), ("Standard", "StandardV2"), "natGatewayProfile.sku")
    if old_sku == "StandardV2" and sku == "Standard":
        raise bad_request("UnsupportedOutboundType",
                          "A StandardV2 managed NAT gateway cannot be changed back to Standard.",
                          "properties.networkProfile.natGatewayProfile.sku")
    if old_sku == sku:
        return sku
    offer = regions.standard_v2_offer(location)
    if (sku == "StandardV2" and offer == "not_offered") or (
            sku == "Standard" and offer == "offered" and old_sku is None):
        raise bad_request(
            "UnsupportedOutboundType",
            f"Managed NAT gateway SKU {sku} is not supported in region {location}; omit "
            "natGatewayProfile.sku to use the region's default.",
            "properties.networkProfile.natGatewayProfile.sku")
    return sku


def own_addresses(nat: Json) -> list[str]:
    """The customer-defined public IPs and prefixes of a managed NAT profile."""
    ips = (nat.get("outboundIPs") or {}).get("publicIPs") or []
    prefixes = (nat.get("outboundIPPrefixes") or {}).get("publicIPPrefixes") or []
    return [str(item) for item in (*ips, *prefixes)]


def _check_ip_families(np: Json) -> None:
    """Dual-stack runs on kubenet or Azure CNI Overlay, never IPv6 alone (fact
    network.dual-stack)."""
    families = np.get("ipFamilies")
    if not families:
        return
    if not isinstance(families, list) or not set(families) <= {"IPv4", "IPv6"} \
            or "IPv4" not in families:
        # UNSOURCED: the code (IPv6-only clusters are not supported)
        raise _invalid(f"ipFamilies must be [IPv4] or [IPv4, IPv6], got {families}.",
                       "properties.networkProfile.ipFamilies")
    if "IPv6" in families and np["networkPlugin"] == "azure" \
            and np.get("networkPluginMode") != "overlay":
        # UNSOURCED: the code (dual-stack needs kubenet or Azure CNI Overlay)
        raise _invalid("Dual-stack with Azure CNI needs networkPluginMode overlay.",
                       "properties.networkProfile.networkPluginMode")


def _invalid(message: str, target: str | None = None) -> ArmError:
    return bad_request("InvalidParameter", message, target)


def _version(text: str) -> tuple[int, int]:
    try:
        major, minor = text.split(".")[:2]
        return int(major), int(minor)
    except ValueError as err:
        raise _invalid(f"Kubernetes version {text!r} is not valid.",
                       "properties.kubernetesVersion") from err


def _canonical(value: Any, choices: tuple[str, ...], what: str) -> str:
    for choice in choices:
        if str(value).lower() == choice.lower():
            return choice
    raise _invalid(f"{what} {value!r} is not one of {', '.join(choices)}.")


def normalize_pool(name: str, body: Json, default_mode: str, version: str) -> Json:
    """Validate one pool's properties on their own; returns the stored properties."""
    props = copy.deepcopy(body)
    props.pop("name", None)
    os_type = _canonical(props.get("osType") or "Linux", ("Linux", "Windows"), "osType")
    rule = WINDOWS_POOL if os_type == "Windows" else AGENT_POOL_NAME
    problem = rule.problem(name)
    if problem:
        raise _invalid(problem, "agentPoolProfile.name")
    props["osType"] = os_type
    props["mode"] = _canonical(props.get("mode") or default_mode, ("System", "User", "Gateway"),
                               "mode")
    props["type"] = _canonical(props.get("type") or "VirtualMachineScaleSets",
                               ("VirtualMachineScaleSets", "AvailabilitySet", "VirtualMachines"),
                               "agent pool type")
    props.setdefault("count", 1)
    props.setdefault("vmSize", "Standard_DS2_v2")
    props.setdefault("osDiskSizeGB", 128)
    props.setdefault("maxPods", 30 if props.get("vnetSubnetID") else 110)
    props.setdefault("orchestratorVersion", version)
    props["currentOrchestratorVersion"] = props["orchestratorVersion"]
    props["powerState"] = {"code": "Running"}
    props.pop("provisioningState", None)
    zones = props.get("availabilityZones") or []
    if any(str(z) not in ("1", "2", "3") for z in zones):
        raise _invalid(f"Availability zones {zones} are not valid; use 1, 2 or 3.",
                       "agentPoolProfile.availabilityZones")
    if props["mode"] == "System" and os_type == "Windows":
        raise _invalid("A Windows node pool cannot be a System pool.", "agentPoolProfile.mode")
    windows = props.get("windowsProfile") or {}
    if windows.get("disableOutboundNat"):
        if os_type != "Windows":
            raise _invalid("windowsProfile.disableOutboundNat applies to Windows pools only.")
        if props.get("enableNodePublicIP"):
            raise _invalid("disableOutboundNat cannot be used with node public IPs.")
        if _version(props["orchestratorVersion"]) < (1, 26):
            raise _invalid("disableOutboundNat needs Kubernetes 1.26 or later.")
    return props


def check_pool_in_cluster(emu: Emulator, cluster: Json, name: str, props: Json) -> None:
    """The checks that need both the pool and its cluster (outbound type, subnet, identity)."""
    cprops = cluster["properties"]
    outbound = cprops["networkProfile"]["outboundType"]
    subnet_id = props.get("vnetSubnetID")
    if props["osType"] == "Windows":
        if not (cprops.get("windowsProfile") or {}).get("adminUsername"):
            raise _invalid(f"Windows pool {name} needs windowsProfile admin credentials on the "
                           "cluster.", "properties.windowsProfile")
        if cprops["networkProfile"].get("networkPlugin") != "azure":
            raise _invalid(f"Windows pool {name} needs the Azure CNI network plugin.",
                           "properties.networkProfile.networkPlugin")
        disable = (props.get("windowsProfile") or {}).get("disableOutboundNat")
        if disable and outbound not in (*NAT_TYPES, "userDefinedRouting"):
            raise _invalid(
                f"Pool {name}: windowsProfile.disableOutboundNat is only allowed when the "
                f"cluster's outboundType is managedNATGateway, userAssignedNATGateway or "
                f"userDefinedRouting, not {outbound}.", "agentPoolProfile.windowsProfile")
    if outbound in NAT_TYPES and props["type"] != "VirtualMachineScaleSets":
        raise _invalid(f"Outbound type {outbound} needs VirtualMachineScaleSets pools.")
    if outbound == "managedNATGateway" and subnet_id:
        # Azure's answer, word for word (fact sandbox.custom-vnet: CAPZ#5429, azure-docs#83858).
        raise ArmError(400, "InvalidParameter",
                       f"Outbound type is managedNATGateway but agent pool '{name}' is using "
                       "custom VNet, which is not allowed.", "properties.vnetSubnetID",
                       subcode="ManagedNATGatewayWithCustomVNetNotAllowed")
    if outbound in ("userAssignedNATGateway", "userDefinedRouting") and not subnet_id:
        raise _invalid(f"Outbound type {outbound} needs every pool in a custom subnet; pool "
                       f"{name} has no vnetSubnetID.", "agentPoolProfile.vnetSubnetID")
    if not subnet_id:
        return
    subnet = require_ref(emu, subnet_id, SUBNET, cluster["id"])
    props["vnetSubnetID"] = subnet["id"]
    if "IPv6" in (cprops["networkProfile"].get("ipFamilies") or []):
        prefixes = subnet["properties"].get("addressPrefixes") or [
            subnet["properties"].get("addressPrefix")]
        if not any(":" in str(prefix) for prefix in prefixes):
            # UNSOURCED: the code (a dual-stack cluster's nodes take an IPv6 address of their
            # subnet: fact network.dual-stack)
            raise _invalid(f"Pool {name}: a dual-stack cluster needs a dual-stack subnet; "
                           f"{subnet['id']} has no IPv6 prefix.",
                           "agentPoolProfile.vnetSubnetID")
    if outbound == "userAssignedNATGateway":
        gateway_id = ref_id(subnet["properties"].get("natGateway"))
        if not gateway_id:
            raise _invalid(f"Outbound type userAssignedNATGateway needs a NAT gateway on subnet "
                           f"{subnet['id']} (pool {name}); associate one first.",
                           "agentPoolProfile.vnetSubnetID")
        gateway = require_ref(emu, gateway_id, NAT_GATEWAY, subnet["id"])
        gprops = gateway["properties"]
        if not gprops.get("publicIpAddresses") and not gprops.get("publicIpPrefixes"):
            raise _invalid(f"NAT gateway {gateway['id']} on subnet {subnet['id']} has no public "
                           "IP addresses or prefixes, so the cluster would have no egress.")
    principal = control_plane_principal(cluster)
    if principal and not can_join_subnet(emu, principal, subnet["id"]):
        raise ArmError(
            403,
            "LinkedAuthorizationFailed",
            f"The cluster identity with object id '{principal}' does not have permission to "
            f"perform action 'Microsoft.Network/virtualNetworks/subnets/join/action' on the "
            f"linked scope '{subnet['id']}'. Assign it Network Contributor "
            "(4d97b98b-1d4f-4787-a291-c67834d212e7) on the subnet, its VNet or resource group.",
        )


def control_plane_principal(cluster: Json) -> str | None:
    """The principal id of a user-assigned control-plane identity (None for system-assigned)."""
    identity = cluster.get("identity") or {}
    if str(identity.get("type", "")).lower() != "userassigned":
        return None
    for value in (identity.get("userAssignedIdentities") or {}).values():
        principal = (value or {}).get("principalId")
        if principal:
            return str(principal)
    return None


def pools_of(emu: Emulator, cluster_id: str) -> list[Json]:
    """The agent pool records of a cluster."""
    return emu.store.children_of(AGENT_POOL, cluster_id, "agentPools")


class ManagedClusters(ResourceGroupScoped):
    """`Microsoft.ContainerService/managedClusters`."""

    resource_type = "managedClusters"
    arm_type = CLUSTER
    template = RG_SCOPE + "/providers/Microsoft.ContainerService/managedClusters/{name}"
    lro = True
    busy_conflict = True
    name_rule = CLUSTER_NAME

    def build(
        self, emu: Emulator, params: dict[str, str], body: Json, existing: Json | None
    ) -> Json:
        rid = self.resource_id(params)
        out = self.base_body(body, existing)
        props = out["properties"]
        location = out["location"]
        version = str(props.get("kubernetesVersion") or DEFAULT_VERSION)
        _version(version)
        props["kubernetesVersion"] = version
        props["currentKubernetesVersion"] = version
        default_prefix = f"{params['name'][:10]}-{params['rg'][:16]}-{emu.subscription_id[:6]}"
        prefix = props.get("dnsPrefix") or default_prefix.replace("_", "-")
        problem = DNS_PREFIX.problem(prefix)
        if problem:
            raise _invalid(problem, "properties.dnsPrefix")
        if existing and existing["properties"]["dnsPrefix"].lower() != prefix.lower():
            raise bad_request("PropertyChangeNotAllowed",
                              "Changing property 'dnsPrefix' is not allowed.", "dnsPrefix")
        props["dnsPrefix"] = prefix
        props["fqdn"] = f"{prefix.lower()}-{short_hash(rid)}.hcp.{location}.azmk8s.io"
        props["azurePortalFQDN"] = props["fqdn"].replace(".hcp.", ".portal.hcp.")
        node_rg = props.get("nodeResourceGroup") or f"MC_{params['rg']}_{params['name']}_{location}"
        if existing and existing["properties"]["nodeResourceGroup"].lower() != node_rg.lower():
            raise bad_request("PropertyChangeNotAllowed",
                              "Changing property 'nodeResourceGroup' is not allowed.")
        props["nodeResourceGroup"] = node_rg
        props["powerState"] = {"code": "Running"}
        props.setdefault("enableRBAC", True)
        props.setdefault("maxAgentPools", 100)
        if props.get("windowsProfile"):
            # Azure never returns the password; the sandbox never stores it.
            props["windowsProfile"] = {k: v for k, v in props["windowsProfile"].items()
                                       if k != "adminPassword"}
        elif existing and existing["properties"].get("windowsProfile"):
            props["windowsProfile"] = existing["properties"]["windowsProfile"]
        out["identity"] = self._identity(emu, rid, out.get("identity"),
                                         bool(props.get("servicePrincipalProfile")))
        pools = self._pools(emu, rid, props.pop("agentPoolProfiles", None), existing, version)
        props["networkProfile"] = self._network(emu, props.get("networkProfile") or {}, existing,
                                                location,
                                                pools)
        draft = {"id": rid, "identity": out["identity"], "properties": props}
        for name, pool_props in pools.items():
            check_pool_in_cluster(emu, draft, name, pool_props)
        out[POOLS_KEY] = pools
        return out

    def _identity(self, emu: Emulator, rid: str, identity: Any, has_sp: bool) -> Json | None:
        if not identity:
            if has_sp:
                return None
            raise _invalid("Either identity or servicePrincipalProfile must be specified.",
                           "identity")
        kind = str(identity.get("type", ""))
        if kind.lower() == "systemassigned":
            return {"type": "SystemAssigned", "principalId": stable_uuid(rid, "principalId"),
                    "tenantId": TENANT_ID}
        if kind.lower() == "userassigned":
            ids = identity.get("userAssignedIdentities") or {}
            if len(ids) != 1:
                raise _invalid("A user-assigned cluster identity needs exactly one identity.",
                               "identity.userAssignedIdentities")
            filled: Json = {}
            for identity_id in ids:
                stored = require_ref(emu, identity_id, IDENTITY, rid)
                filled[stored["id"]] = {"principalId": stored["properties"]["principalId"],
                                        "clientId": stored["properties"]["clientId"]}
            return {"type": "UserAssigned", "userAssignedIdentities": filled}
        if kind.lower() == "none" and has_sp:
            return None
        raise _invalid(f"Identity type {kind!r} is not supported.", "identity.type")

    def _pools(self, emu: Emulator, rid: str, profiles: Any, existing: Json | None,
               version: str) -> dict[str, Json]:
        pools: dict[str, Json] = {}
        if existing is not None:
            for pool in pools_of(emu, rid):
                pools[pool["name"]] = copy.deepcopy(pool["properties"])
                pools[pool["name"]].pop("provisioningState", None)
        if existing is None and not profiles:
            raise _invalid("agentPoolProfiles must contain at least one pool.",
                           "properties.agentPoolProfiles")
        seen: set[str] = set()
        for profile in profiles or []:
            name = str((profile or {}).get("name") or "")
            if name.lower() in seen:
                raise _invalid(f"Agent pool name {name!r} is used twice.")
            seen.add(name.lower())
            pools[name] = normalize_pool(name, profile, "System" if existing is None else "User",
                                         version)
        if not any(p["mode"] == "System" for p in pools.values()):
            raise _invalid("A cluster needs at least one System node pool.",
                           "properties.agentPoolProfiles")
        return pools

    def _network(self, emu: Emulator, network: Json, existing: Json | None, location: str,
                 pools: dict[str, Json]) -> Json:
        np = copy.deepcopy(network)
        np["networkPlugin"] = np.get("networkPlugin") or "azure"
        sku = _canonical(np.get("loadBalancerSku") or "standard", ("standard", "basic"),
                         "loadBalancerSku")
        np["loadBalancerSku"] = sku
        outbound = _canonical(np.get("outboundType") or "loadBalancer", OUTBOUND_TYPES,
                              "outboundType")
        np["outboundType"] = outbound
        np.setdefault("serviceCidr", "10.0.0.0/16")
        np.setdefault("dnsServiceIP", "10.0.0.10")
        if outbound in NAT_TYPES and sku != "standard":
            raise _invalid(f"outboundType {outbound} needs the standard load balancer SKU.",
                           "properties.networkProfile.loadBalancerSku")
        byo = any(p.get("vnetSubnetID") for p in pools.values())
        if existing is not None:
            old = existing["properties"]["networkProfile"]["outboundType"]
            ok = old == outbound or (
                (old, outbound) == ("loadBalancer", "managedNATGateway") and not byo
            ) or (byo and {old, outbound} <= BYO_SWITCHABLE)
            if not ok:
                raise _invalid(
                    f"Changing outboundType from {old} to {outbound} is not supported. Supported:"
                    " loadBalancer -> managedNATGateway (AKS-managed VNet); loadBalancer, "
                    "userAssignedNATGateway and userDefinedRouting among each other (own VNet).",
                    "properties.networkProfile.outboundType")
        _check_ip_families(np)
        if outbound == "managedNATGateway":
            nat = np.setdefault("natGatewayProfile", {}) or {}
            np["natGatewayProfile"] = nat
            own = bool(own_addresses(nat))
            if own and nat.get("managedOutboundIPProfile"):
                # UNSOURCED: the code (the rule is the AKS NAT doc's "can't combine")
                raise _invalid("natGatewayProfile cannot combine managedOutboundIPProfile with "
                               "outboundIPs or outboundIPPrefixes: choose Azure-managed or "
                               "customer-defined outbound IPs.",
                               "properties.networkProfile.natGatewayProfile")
            if not own:
                managed = nat.setdefault("managedOutboundIPProfile", {}) or {"count": 1}
                nat["managedOutboundIPProfile"] = managed
                count = managed.setdefault("count", 1)
                if not isinstance(count, int) or not 1 <= count <= 16:
                    raise _invalid(f"natGatewayProfile.managedOutboundIPProfile.count must be "
                                   f"1-16, got {count}.",
                                   "properties.networkProfile.natGatewayProfile")
                v6 = managed.get("countIPv6", 0)
                if not isinstance(v6, int) or not 0 <= v6 <= 16:
                    raise _invalid(f"natGatewayProfile.managedOutboundIPProfile.countIPv6 must "
                                   f"be 1-16, got {v6}.",
                                   "properties.networkProfile.natGatewayProfile")
                if v6 and "IPv6" not in (np.get("ipFamilies") or []):
                    # UNSOURCED: the code (IPv6 egress needs a dual-stack cluster)
                    raise _invalid("countIPv6 needs a dual-stack cluster (networkProfile."
                                   "ipFamilies IPv4, IPv6).",
                                   "properties.networkProfile.natGatewayProfile")
            idle = nat.setdefault("idleTimeoutInMinutes", 4)
            if not isinstance(idle, int) or not 4 <= idle <= 120:
                raise _invalid(f"natGatewayProfile.idleTimeoutInMinutes must be 4-120, got {idle}.",
                               "properties.networkProfile.natGatewayProfile")
            nat["sku"] = _managed_nat_sku(nat.get("sku"), existing, location)
            v2_only = own or (nat.get("managedOutboundIPProfile") or {}).get("countIPv6")
            if v2_only and nat["sku"] != "StandardV2":
                # UNSOURCED: the code (the AKS NAT doc: IPv6 and customer-defined IPs are
                # StandardV2 only, fact managed.own-ips)
                raise bad_request("UnsupportedOutboundType",
                                  "Customer-defined outbound IPs and managed IPv6 outbound IPs "
                                  "need natGatewayProfile.sku StandardV2.",
                                  target="properties.networkProfile.natGatewayProfile.sku")
            if existing is not None:
                old_nat = existing["properties"]["networkProfile"].get("natGatewayProfile") or {}
                if (existing["properties"]["networkProfile"]["outboundType"]
                        == "managedNATGateway" and bool(own_addresses(old_nat)) != own):
                    # UNSOURCED: the code (the AKS NAT doc: the ownership model is fixed when
                    # the gateway is created)
                    raise _invalid("The outbound IP ownership model of a managed NAT gateway "
                                   "cannot be switched between Azure-managed and "
                                   "customer-defined outbound IPs.",
                                   "properties.networkProfile.natGatewayProfile")
            np.pop("loadBalancerProfile", None)
        elif outbound == "loadBalancer":
            lb = np.get("loadBalancerProfile") or {}
            np["loadBalancerProfile"] = lb
            if not lb.get("outboundIPs") and not lb.get("outboundIPPrefixes"):
                managed = lb.get("managedOutboundIPs") or {"count": 1}
                lb["managedOutboundIPs"] = managed
                count = managed.setdefault("count", 1)
                if not isinstance(count, int) or not 1 <= count <= 100:
                    raise _invalid(f"managedOutboundIPs.count must be 1-100, got {count}.")
            lb.setdefault("idleTimeoutInMinutes", 30)
            lb.setdefault("allocatedOutboundPorts", 0)
            np.pop("natGatewayProfile", None)
        else:
            np.pop("natGatewayProfile", None)
            np.pop("loadBalancerProfile", None)
        return np

    def after_put(self, emu: Emulator, stored: Json, existing: Json | None) -> list[str]:
        pools: dict[str, Json] = stored.pop(POOLS_KEY)
        state = stored["properties"]["provisioningState"]
        followers: list[str] = []
        for name, props in pools.items():
            pid = f"{stored['id']}/agentPools/{name}"
            old = emu.store.get(pid)
            if old is not None:
                props = {**props, "provisioningState": old["properties"]["provisioningState"]}
            # A pool left Failed by an earlier operation is reconciled by this one, as in AKS.
            if (old is None or old["properties"] != props
                    or props.get("provisioningState") != "Succeeded"):
                props["provisioningState"] = state
                followers.append(pid)
            emu.store.put({"id": pid, "name": name, "type": AGENT_POOL, "properties": props})
        self._outbound_ips(emu, stored, existing)
        return followers

    def _outbound_ips(self, emu: Emulator, stored: Json, existing: Json | None) -> None:
        props, location = stored["properties"], stored["location"]
        node_rg = rg_id(emu.subscription_id, props["nodeResourceGroup"])
        if emu.store.get(node_rg) is None:
            emu.store.put({"id": node_rg, "name": props["nodeResourceGroup"],
                           "type": "Microsoft.Resources/resourceGroups", "location": location,
                           "managedBy": stored["id"], "tags": {},
                           "properties": {"provisioningState": "Succeeded"}})
        np = props["networkProfile"]
        outbound = np["outboundType"]
        count = 0
        count_v6 = 0
        profile: Json | None = None
        ip_sku = "Standard"
        own: list[Json] = []
        if outbound == "managedNATGateway":
            profile = np["natGatewayProfile"]
            ip_sku = managed_sku(profile)  # a StandardV2 gateway takes StandardV2 IPs only
            if own_addresses(profile):
                own = self._own_addresses(emu, stored, profile, node_rg)
            else:
                count = profile["managedOutboundIPProfile"]["count"]
                count_v6 = profile["managedOutboundIPProfile"].get("countIPv6", 0)
        elif outbound == "loadBalancer":
            profile = np["loadBalancerProfile"]
            count = (profile.get("managedOutboundIPs") or {}).get("count", 0)
        wanted: list[str] = []
        managed_ips = [(index, "IPv4") for index in range(count)] + [
            (index, "IPv6") for index in range(count_v6)]
        for index, version in managed_ips:
            seed = f"{outbound}-outbound-{index}" if ip_sku == "Standard" \
                else f"{outbound}-{ip_sku}-outbound-{index}"
            if version == "IPv6":
                seed += "-ipv6"
            name = stable_uuid(stored["id"], seed)
            ip_id = f"{node_rg}/providers/Microsoft.Network/publicIPAddresses/{name}"
            wanted.append(ip_id)
            if emu.store.get(ip_id) is None:
                ip_props: Json = {"provisioningState": "Succeeded",
                                  "publicIPAllocationMethod": "Static",
                                  "publicIPAddressVersion": version, "idleTimeoutInMinutes": 4,
                                  "ipAddress": fake_ip(ip_id) if version == "IPv4"
                                  else fake_ipv6(ip_id),
                                  "resourceGuid": stable_uuid(ip_id, "resourceGuid")}
                if outbound == "loadBalancer":
                    # AKS's load balancer holds its outbound IPs through frontend IP
                    # configurations, as Azure shows on the IP.
                    ip_props["ipConfiguration"] = {
                        "id": f"{node_rg}/providers/Microsoft.Network/loadBalancers/kubernetes/"
                        f"frontendIPConfigurations/{name}"}
                emu.store.put({
                    "id": ip_id, "name": name, "type": PUBLIC_IP, "location": location,
                    "tags": {OUTBOUND_TAG: "managedOutboundIP", "owner": stored["id"]},
                    "sku": {"name": ip_sku, "tier": "Regional"},
                    "properties": ip_props,
                })
        if profile is not None:
            profile["effectiveOutboundIPs"] = [{"id": i} for i in wanted] + [
                {"id": item["id"]} for item in own]
        # The gateway lets go of IPs it no longer wants before they are deleted below.
        sync_managed_gateway(emu, stored, node_rg, [*wanted, *(
            item["id"] for item in own)])
        for ip in emu.store.referrers(stored["id"], PUBLIC_IP):
            tags = ip.get("tags") or {}
            if (tags.get(OUTBOUND_TAG) == "managedOutboundIP" and emu.same_id(tags.get("owner"),
                                                                            stored["id"])
                    and key(ip["id"]) not in {key(i) for i in wanted}):
                emu.store.delete(ip["id"])
        emu.store.touch()

    def _own_addresses(self, emu: Emulator, stored: Json, profile: Json,
                       node_rg: str) -> list[Json]:
        """The customer-defined IPs and prefixes, checked as a NAT gateway checks them: they
        exist, are in the cluster's region, StandardV2 (fact managed.own-ips) and held by no
        other gateway."""
        found: list[Json] = []
        gateway = gateway_id(node_rg)
        for item in own_addresses(profile):
            arm_type = PUBLIC_IP_PREFIX if "/publicipprefixes/" in item.lower() else PUBLIC_IP
            resource = require_ref(emu, {"id": item}, arm_type, stored["id"])
            target = "properties.networkProfile.natGatewayProfile"
            same_region(stored, resource, stored["id"], target)
            if str((resource.get("sku") or {}).get("name", "")).lower() != "standardv2":
                # UNSOURCED: the code (the AKS NAT doc: "These resources must use the
                # StandardV2 SKU")
                raise bad_request("UnsupportedOutboundType",
                                  f"{item} is not a StandardV2 resource; a StandardV2 managed "
                                  "NAT gateway needs StandardV2 public IPs and prefixes.",
                                  target=target)
            holder = address_holder(emu, resource, gateway)
            if holder:
                raise address_in_use(holder, resource, gateway, target)
            found.append(resource)
        return found

    def render(self, emu: Emulator, stored: Json) -> Json:
        out = super().render(emu, stored)
        out["properties"]["agentPoolProfiles"] = [
            {"name": p["name"], **copy.deepcopy(p["properties"])}
            for p in pools_of(emu, stored["id"])
        ]
        return out

    def on_removed(self, emu: Emulator, stored: Json) -> None:
        node_rg = stored.get("properties", {}).get("nodeResourceGroup")
        if node_rg:
            emu.remove_tree(rg_id(emu.subscription_id, node_rg))
