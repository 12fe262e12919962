"""`build(config) -> Plan`: the Azure resources a configuration needs, as a DAG of Steps.

Values known only while applying are placeholders in the body (`wizard.plan.placeholders`):
an attribute of the resource another step created, or a secret held in memory only.

The plan is pure and deterministic: the same config gives the same plan, byte for byte.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from wizard.model import lifecycle, regions
from wizard.model.capacity import PORTS_PER_IP
from wizard.model.config import (
    AKS_IPV6_RANGES,
    LoadBalancerOutbound,
    ManagedOutbound,
    UserAssignedOutbound,
    WizardConfig,
    parse_network,
    parse_public_ip_id,
    prefix_length,
)
from wizard.plan.graph import (
    MANAGED_BY_TAG,
    NETWORK_CONTRIBUTOR_ROLE,
    PLACEHOLDER_SUBSCRIPTION,
    WINDOWS_PASSWORD_SECRET,
    Plan,
    Step,
)
from wizard.plan.placeholders import ref, secret

_ROLE_NAMESPACE = uuid.UUID("6f1c3f55-9a43-4d55-a1d4-1c9e8a0b7a11")
_SERVICE_CIDR_CANDIDATES = ("10.0.0.0/16", "172.16.0.0/16", "192.168.0.0/16")


class _Ids:
    """ARM resource ids for one subscription and resource group."""

    def __init__(self, subscription: str, group: str) -> None:
        self.subscription = f"/subscriptions/{subscription}"
        self.group = f"{self.subscription}/resourceGroups/{group}"

    def network(self, kind: str, name: str) -> str:
        return f"{self.group}/providers/Microsoft.Network/{kind}/{name}"

    def subnet(self, vnet: str, name: str) -> str:
        return f"{self.network('virtualNetworks', vnet)}/subnets/{name}"

    def identity(self, name: str) -> str:
        return f"{self.group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"

    def cluster(self, name: str) -> str:
        return f"{self.group}/providers/Microsoft.ContainerService/managedClusters/{name}"

    def role_definition(self, role: str) -> str:
        return f"{self.subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"


def _ip_label(resource_id: str, group: str) -> str:
    """A reused IP as a person reads it: its name, with its resource group when not `group`."""
    _, ip_group, name = parse_public_ip_id(resource_id)
    return name if ip_group.lower() == group.lower() else f"{name} (resource group {ip_group})"


def _placement(zones: list[str], sku: str) -> str:
    """Where a public IP or prefix lives, as a person reads it."""
    if len(zones) > 1:
        return "zone-redundant, zones " + ",".join(zones)
    if zones:
        return f"zone {zones[0]}"
    return "zone-redundant" if sku == "StandardV2" else "no zone"


def _gateway_placement(zone: str | None, sku: str) -> str:
    """Where a NAT gateway lives, as a person reads it."""
    if zone:
        return f"zone {zone}"
    return "zone-redundant" if sku == "StandardV2" else "no zone"


def _address_id(item: Step | str) -> str:
    """The resource id of a gateway's address: a step's, or the id the user listed."""
    return item.resource_id if isinstance(item, Step) else item


def _reused_noun(ips: list[str], prefixes: list[str]) -> str:
    if ips and prefixes:
        return "public IP(s) and prefix(es)"
    return "public IP prefix(es)" if prefixes else "public IP(s)"


def standard_v2_ip_zones(location: str) -> list[str]:
    """Zones of a StandardV2 public IP: 1, 2 and 3 (zone-redundant, as the AKS doc creates them,
    fact `ip.v2-zones`) where the region has zones; none where it has none or is unknown."""
    return ["1", "2", "3"] if regions.has_zones(location) else []


def service_cidr_for(vnet_space: str) -> str:
    """The first of AKS's usual service ranges that does not overlap the VNet (Azure rejects
    a service CIDR that overlaps the node subnet's VNet, and AKS's default is 10.0.0.0/16)."""
    vnet = parse_network(vnet_space)
    for candidate in _SERVICE_CIDR_CANDIDATES:
        if not parse_network(candidate).overlaps(vnet):
            return candidate
    return "100.64.0.0/16"


def build(config: WizardConfig, subscription_id: str | None = None) -> Plan:
    """The plan for `config`. Without a subscription, ids carry a visible placeholder GUID."""
    subscription = subscription_id or config.cluster.subscription_id or PLACEHOLDER_SUBSCRIPTION
    return _Builder(config, subscription).build()


class _Builder:
    def __init__(self, config: WizardConfig, subscription: str) -> None:
        self.config = config
        self.cluster = config.cluster
        self.ids = _Ids(subscription, config.cluster.resource_group)
        self.subscription = subscription
        self.steps: list[Step] = []
        self.rg = config.cluster.resource_group
        self.location = config.cluster.location

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    def build(self) -> Plan:
        out = self.config.outbound
        rg_step = self.add(self._resource_group())
        if isinstance(out, UserAssignedOutbound):
            pool_subnets = self._user_assigned_network(out, rg_step)
            identity = self.add(self._identity(out, rg_step))
            roles = [self.add(self._role_assignment(identity, subnet))
                     for _, subnet in pool_subnets]
            cluster = self.add(self._cluster(
                depends=(rg_step.key, identity.key, *(s.key for _, s in pool_subnets),
                         *(r.key for r in roles)),
                first_zone_subnet=pool_subnets[0],
                identity=identity,
            ))
            for zone, subnet in pool_subnets[1:]:
                self.add(self._zone_pool(cluster, zone, subnet))
            self._windows_pools(cluster, pool_subnets)
        else:
            cluster = self.add(self._cluster(depends=(rg_step.key,), first_zone_subnet=None,
                                             identity=None))
            self._windows_pools(cluster, [])
        total = sum(step.snat_ports for step in self.steps)
        outbound_type = {
            "managed": "managedNATGateway",
            "user_assigned": "userAssignedNATGateway",
            "load_balancer": "loadBalancer",
        }[out.type]
        return Plan(
            steps=tuple(self.steps),
            subscription_id=self.subscription,
            resource_group=self.rg,
            location=self.location,
            cluster_name=self.cluster.name,
            outbound_type=outbound_type,
            total_snat_ports=total,
        )

    # -- resources -------------------------------------------------------------------------
    def _common(self) -> list[str]:
        return ["--resource-group", self.rg]

    def _resource_group(self) -> Step:
        return Step(
            key="resource_group",
            kind="resource_group",
            name=self.rg,
            resource_id=self.ids.group,
            body={"location": self.location, "tags": dict(MANAGED_BY_TAG)},
            depends_on=(),
            summary=f"Resource group {self.rg} in {self.location}",
            why="Holds the cluster and the resources the wizard creates; deleting it removes them.",
            az=("az", "group", "create", "--name", self.rg, "--location", self.location),
        )

    def _user_assigned_network(
        self, out: UserAssignedOutbound, rg_step: Step
    ) -> list[tuple[str | None, Step]]:
        """Public IPs, NAT gateway(s), VNet and subnet(s); returns (zone, subnet step) pairs."""
        groups = out.zone_groups()
        vnet = self.add(self._vnet(out, rg_step))
        subnets: list[tuple[str | None, Step]] = []
        previous: Step | None = None
        prefixes = out.subnet_prefixes()
        dual = self.cluster.dual_stack
        prefixes_v6 = out.subnet_prefixes_v6() if dual else []
        for index, (zone, suffix) in enumerate(groups):
            gateway_zone = zone if out.sku == "Standard" else None
            if out.reuses_addresses():
                # The user's own IPs and prefixes (the model allows them with the single layout
                # only): they are not steps, so nothing here creates, changes or rolls them back.
                gateway = self.add(self._nat_gateway_on_existing_ips(
                    out, f"{out.nat_gateway_name}{suffix}", gateway_zone, rg_step))
            else:
                name = f"{out.nat_gateway_name}{suffix}"
                v4, v6 = self._new_addresses(out, name, gateway_zone, rg_step)
                gateway = self.add(self._nat_gateway(
                    out, name, gateway_zone, [s for s in v4 if s.kind == "public_ip"], rg_step,
                    prefixes=[s for s in v4 if s.kind == "public_ip_prefix"], ipv6=v6))
            subnet = self.add(self._subnet(out, f"{out.subnet_name}{suffix}", prefixes[index],
                                           vnet, gateway, previous,
                                           prefixes_v6[index] if dual else None))
            subnets.append((zone, subnet))
            previous = subnet
        return subnets

    def _new_addresses(self, out: UserAssignedOutbound, name: str, zone: str | None,
                       rg_step: Step) -> tuple[list[Step], list[Step]]:
        """The gateway's new IPv4 and IPv6 addresses: one prefix of each family (with
        `ip_prefix`) or separate IPs; IPv6 ones only on a dual-stack cluster (`ipv6_count`)."""
        if out.ip_prefix:
            v4 = [self.add(self._public_ip_prefix(out, f"{name}-prefix", zone, rg_step,
                                                  out.ip_count, "IPv4"))]
            v6 = [self.add(self._public_ip_prefix(out, f"{name}-prefix6", zone, rg_step,
                                                  out.ipv6_count, "IPv6"))
                  ] if out.ipv6_count else []
            return v4, v6
        v4 = [self.add(self._public_ip(out, f"{name}-ip{i + 1}", zone, rg_step))
              for i in range(out.ip_count)]
        v6 = [self.add(self._public_ip(out, f"{name}-ip6-{i + 1}", zone, rg_step, "IPv6"))
              for i in range(out.ipv6_count)]
        return v4, v6

    def _public_ip_prefix(self, out: UserAssignedOutbound, name: str, zone: str | None,
                          rg_step: Step, count: int, version: str) -> Step:
        """One prefix of `count` addresses (a power of two, fact ip.prefix-sizes), placed in
        zones like the gateway's IPs: egress leaves from one CIDR of each family."""
        length = prefix_length(count) + (96 if version == "IPv6" else 0)
        body: dict[str, Any] = {
            "location": self.location,
            "tags": dict(MANAGED_BY_TAG),
            "sku": {"name": out.sku, "tier": "Regional"},
            "properties": {"prefixLength": length, "publicIPAddressVersion": version},
        }
        az = ["az", "network", "public-ip", "prefix", "create", *self._common(), "--name", name,
              "--location", self.location, "--length", str(length), "--sku", out.sku,
              "--version", version]
        zones = self._place_address(out, zone, body, az)
        return Step(
            key=f"public_ip_prefix:{name}",
            kind="public_ip_prefix",
            name=name,
            resource_id=self.ids.network("publicIPPrefixes", name),
            body=body,
            depends_on=(rg_step.key,),
            summary=f"Public IP prefix {name} ({version} /{length}: {count} addresses, "
            f"{out.sku}, {_placement(zones, out.sku)})",
            why="One contiguous block of public addresses: partners allow-list a single CIDR, "
            + ("and every address in it gives the NAT gateway 64,512 SNAT ports."
               if version == "IPv4" else "here for the dual-stack cluster's IPv6 egress."),
            az=tuple(az),
            snat_ports=count * PORTS_PER_IP if version == "IPv4" else 0,
        )

    def _place_address(self, out: UserAssignedOutbound, zone: str | None,
                       body: dict[str, Any], az: list[str]) -> list[str]:
        """Put a new public IP or prefix in its zones (zone-redundant StandardV2 where the region
        has zones, fact ip.v2-zones; a Standard one in its gateway's zone) and return them."""
        zones = standard_v2_ip_zones(self.location) if out.sku == "StandardV2" else (
            [zone] if zone else [])
        if zones:
            body["zones"] = zones
            az += ["--zone", *zones]
        return zones

    def _public_ip(self, out: UserAssignedOutbound, name: str, zone: str | None,
                   rg_step: Step, version: str = "IPv4") -> Step:
        body: dict[str, Any] = {
            "location": self.location,
            "tags": dict(MANAGED_BY_TAG),
            "sku": {"name": out.sku, "tier": "Regional"},
            "properties": {
                "publicIPAllocationMethod": "Static",
                "publicIPAddressVersion": version,
            },
        }
        az = ["az", "network", "public-ip", "create", *self._common(), "--name", name,
              "--location", self.location, "--sku", out.sku, "--allocation-method", "static",
              "--version", version]
        where = _placement(self._place_address(out, zone, body, az), out.sku)
        return Step(
            key=f"public_ip:{name}",
            kind="public_ip",
            name=name,
            resource_id=self.ids.network("publicIPAddresses", name),
            body=body,
            depends_on=(rg_step.key,),
            summary=f"Public IP {name} ({out.sku}, static{', IPv6' if version == 'IPv6' else ''}"
            f", {where})",
            why="The address your egress leaves from: allow-list it downstream. "
            + ("Each IP gives the NAT gateway 64,512 SNAT ports." if version == "IPv4"
               else "This one carries the dual-stack cluster's IPv6 egress."),
            az=tuple(az),
            snat_ports=PORTS_PER_IP if version == "IPv4" else 0,
        )

    def _nat_gateway(self, out: UserAssignedOutbound, name: str, zone: str | None,
                     ips: Sequence[Step | str], rg_step: Step,
                     prefixes: Sequence[Step | str] = (), ipv6: Sequence[Step] = ()) -> Step:
        """The gateway on its addresses: steps the plan creates (their ids, their az names, and
        a dependency on each) or the ids of ones the user already has."""
        properties: dict[str, Any] = {"idleTimeoutInMinutes": out.idle_timeout_minutes}
        az = ["az", "network", "nat", "gateway", "create", *self._common(), "--name", name,
              "--location", self.location]
        lists: list[tuple[str, str, Sequence[Step | str]]] = [
            ("publicIpPrefixes", "--public-ip-prefixes", prefixes),
            # The gateway's IPv6 lists (network API natGateway; az fact az.v6-network).
            ("publicIpAddressesV6", "--pip-addresses-v6",
             [step for step in ipv6 if step.kind == "public_ip"]),
            ("publicIpPrefixesV6", "--pip-prefixes-v6",
             [step for step in ipv6 if step.kind == "public_ip_prefix"])]
        if ips or not prefixes:
            lists.insert(0, ("publicIpAddresses", "--public-ip-addresses", ips))
        for field, flag, items in lists:
            if items or field == "publicIpAddresses":
                properties[field] = [{"id": _address_id(item)} for item in items]
                az += [flag, *(item.name if isinstance(item, Step) else item for item in items)]
        body: dict[str, Any] = {
            "location": self.location,
            "tags": dict(MANAGED_BY_TAG),
            "sku": {"name": out.sku},
            "properties": properties,
        }
        az += ["--idle-timeout", str(out.idle_timeout_minutes), "--sku", out.sku]
        if zone:
            body["zones"] = [zone]
            az += ["--zone", zone]
        created = [item for item in (*ips, *prefixes, *ipv6) if isinstance(item, Step)]
        names = [item.name for item in prefixes if isinstance(item, Step)]
        return Step(
            key=f"nat_gateway:{name}",
            kind="nat_gateway",
            name=name,
            resource_id=self.ids.network("natGateways", name),
            body=body,
            depends_on=(rg_step.key, *(item.key for item in created)),
            summary=f"NAT gateway {name} ({_gateway_placement(zone, out.sku)}, "
            + (f"prefix {', '.join(names)}" if names else f"{len(ips)} IP(s)")
            + (f", IPv6 {', '.join(s.name for s in ipv6)}" if ipv6 else "")
            + f", idle {out.idle_timeout_minutes} min)",
            why="Translates the nodes' outbound traffic to its public IPs, sharing SNAT ports "
            "across the subnet on demand instead of preallocating them per node.",
            az=tuple(az),
        )

    def _nat_gateway_on_existing_ips(self, out: UserAssignedOutbound, name: str,
                                     zone: str | None, rg_step: Step) -> Step:
        """The NAT gateway on `out.public_ip_ids` and `out.public_ip_prefix_ids`: the same
        gateway, but its addresses are the user's (referenced by id, possibly in another resource
        group), so the step also carries their SNAT ports (`ip_count` is the number of addresses
        they hold), which public IP steps would otherwise bring."""
        ips, prefixes = list(out.public_ip_ids), list(out.public_ip_prefix_ids)
        base = self._nat_gateway(out, name, zone, ips, rg_step, prefixes)
        listed = ", ".join(_ip_label(i, self.rg) for i in (*ips, *prefixes))
        what = (f"{len(ips)} existing IP(s)" if not prefixes
                else f"{out.ip_count} existing addresses")
        return replace(
            base, snat_ports=out.ip_count * PORTS_PER_IP,
            summary=f"NAT gateway {name} ({_gateway_placement(zone, out.sku)}, {what}: {listed}; "
            f"idle {out.idle_timeout_minutes} min)",
            why=f"{base.why} It reuses your {_reused_noun(ips, prefixes)} {listed}, so egress "
            "keeps the addresses already allow-listed downstream; each address gives 64,512 "
            "SNAT ports. The wizard does not create, change or delete them.",
        )

    def _vnet(self, out: UserAssignedOutbound, rg_step: Step) -> Step:
        spaces = [out.vnet_address_space] + (
            [out.vnet_address_space_v6] if self.cluster.dual_stack else [])
        return Step(
            key=f"virtual_network:{out.vnet_name}",
            kind="virtual_network",
            name=out.vnet_name,
            resource_id=self.ids.network("virtualNetworks", out.vnet_name),
            body={
                "location": self.location,
                "tags": dict(MANAGED_BY_TAG),
                "properties": {"addressSpace": {"addressPrefixes": spaces}},
            },
            depends_on=(rg_step.key,),
            summary=f"VNet {out.vnet_name} ({', '.join(spaces)})",
            why="A user-assigned NAT gateway needs a network you own: AKS puts its nodes in it.",
            az=("az", "network", "vnet", "create", *self._common(), "--name", out.vnet_name,
                "--location", self.location, "--address-prefixes", *spaces),
        )

    def _subnet(self, out: UserAssignedOutbound, name: str, prefix: str, vnet: Step,
                gateway: Step, previous: Step | None, prefix_v6: str | None = None) -> Step:
        """`previous` is the VNet's subnet written before this one: the network RP rejects a
        subnet PUT while another one on the same VNet is in progress (AnotherOperationInProgress;
        terraform-provider-azurerm locks the VNet for the same reason), so they go one by one."""
        return Step(
            key=f"subnet:{out.vnet_name}/{name}",
            kind="subnet",
            name=name,
            resource_id=self.ids.subnet(out.vnet_name, name),
            body={
                "properties": {
                    **({"addressPrefixes": [prefix, prefix_v6]} if prefix_v6
                       else {"addressPrefix": prefix}),
                    "natGateway": {"id": gateway.resource_id},
                }
            },
            depends_on=(vnet.key, gateway.key, *((previous.key,) if previous else ())),
            summary=f"Subnet {name} ({prefix}{', ' + prefix_v6 if prefix_v6 else ''}) on NAT "
            f"gateway {gateway.name}",
            why="Associating the subnet with the NAT gateway is what sends the nodes' egress "
            "through it.",
            az=("az", "network", "vnet", "subnet", "create", *self._common(), "--vnet-name",
                out.vnet_name, "--name", name, "--address-prefixes", prefix,
                *((prefix_v6,) if prefix_v6 else ()), "--nat-gateway", gateway.name),
        )

    def _identity(self, out: UserAssignedOutbound, rg_step: Step) -> Step:
        return Step(
            key=f"identity:{out.identity_name}",
            kind="identity",
            name=out.identity_name,
            resource_id=self.ids.identity(out.identity_name),
            body={"location": self.location, "tags": dict(MANAGED_BY_TAG)},
            depends_on=(rg_step.key,),
            summary=f"Managed identity {out.identity_name}",
            why="The cluster's control plane runs as this identity; it must exist before the "
            "cluster so it can be given rights on the subnet first.",
            az=("az", "identity", "create", *self._common(), "--name", out.identity_name,
                "--location", self.location),
        )

    def _role_assignment(self, identity: Step, subnet: Step) -> Step:
        name = str(uuid.uuid5(_ROLE_NAMESPACE,
                              f"{subnet.resource_id.lower()}|{identity.resource_id.lower()}"))
        return Step(
            key=f"role_assignment:{subnet.name}",
            kind="role_assignment",
            name=name,
            resource_id=f"{subnet.resource_id}/providers/Microsoft.Authorization/"
            f"roleAssignments/{name}",
            body={
                "properties": {
                    "roleDefinitionId": self.ids.role_definition(NETWORK_CONTRIBUTOR_ROLE),
                    "principalId": ref(identity.key, "properties.principalId"),
                    "principalType": "ServicePrincipal",
                }
            },
            depends_on=(identity.key, subnet.key),
            summary=f"Network Contributor for {identity.name} on subnet {subnet.name}",
            why="AKS must read and join the subnet and its NAT gateway; `az aks create` grants "
            "this for you, an API call does not. It can take minutes to propagate.",
            az=("az", "role", "assignment", "create", "--assignee-object-id",
                ref(identity.key, "properties.principalId"), "--assignee-principal-type",
                "ServicePrincipal", "--role", "Network Contributor", "--scope",
                subnet.resource_id),
        )

    def _cluster(self, depends: tuple[str, ...], first_zone_subnet: tuple[str | None, Step] | None,
                 identity: Step | None) -> Step:
        c = self.cluster
        out = self.config.outbound
        win = self.config.windows
        zones: list[str]
        if isinstance(out, UserAssignedOutbound) and out.layout == "per_zone":
            zones = [out.zones[0]]
        else:
            zones = list(out.zones)
        pool: dict[str, Any] = {
            "name": c.system_pool_name,
            "mode": "System",
            "count": c.node_count,
            "vmSize": c.node_vm_size,
            "osType": "Linux",
            "type": "VirtualMachineScaleSets",
            "maxPods": c.max_pods,
        }
        if zones:
            pool["availabilityZones"] = zones
        network: dict[str, Any] = {
            "networkPlugin": c.network_plugin,
            "loadBalancerSku": "standard",
        }
        az = ["az", "aks", "create", *self._common(), "--name", c.name, "--location",
              self.location, "--dns-name-prefix", c.effective_dns_prefix, "--nodepool-name",
              c.system_pool_name, "--node-count", str(c.node_count), "--node-vm-size",
              c.node_vm_size, "--max-pods", str(c.max_pods), "--network-plugin",
              c.network_plugin]
        snat = 0
        if isinstance(out, ManagedOutbound):
            network["outboundType"] = "managedNATGateway"
            nat_profile, nat_az, egress = self._managed_nat_profile(out)
            network["natGatewayProfile"] = nat_profile
            az += ["--outbound-type", "managedNATGateway", "--outbound-type-sku", out.sku,
                   *nat_az]
            snat = out.ip_count * PORTS_PER_IP
        elif isinstance(out, LoadBalancerOutbound):
            network["outboundType"] = "loadBalancer"
            network["loadBalancerProfile"] = {
                "managedOutboundIPs": {"count": out.ip_count},
                "idleTimeoutInMinutes": out.idle_timeout_minutes,
            }
            az += ["--outbound-type", "loadBalancer", "--load-balancer-managed-outbound-ip-count",
                   str(out.ip_count), "--load-balancer-idle-timeout",
                   str(out.idle_timeout_minutes)]
            if out.vnet_subnet_id:
                pool["vnetSubnetID"] = out.vnet_subnet_id
                az += ["--vnet-subnet-id", out.vnet_subnet_id]
            egress = f"load balancer, {out.ip_count} IP(s)"
        else:
            network["outboundType"] = "userAssignedNATGateway"
            service_cidr = service_cidr_for(out.vnet_address_space)
            network["serviceCidr"] = service_cidr
            network["dnsServiceIP"] = str(ipaddress.ip_network(service_cidr)[10])
            assert first_zone_subnet is not None and identity is not None
            pool["vnetSubnetID"] = first_zone_subnet[1].resource_id
            az += ["--outbound-type", "userAssignedNATGateway", "--vnet-subnet-id",
                   first_zone_subnet[1].resource_id, "--assign-identity", identity.resource_id]
            if c.dual_stack:
                # One service range per family, AKS's IPv6 default beside the VNet-free IPv4 one
                # (fact network.dual-stack).
                network["serviceCidrs"] = [service_cidr, AKS_IPV6_RANGES[1]]
                az += ["--service-cidrs", ",".join(network["serviceCidrs"])]
            else:
                az += ["--service-cidr", service_cidr]
            az += ["--dns-service-ip", network["dnsServiceIP"]]
            egress = "your NAT gateway"
        if c.dual_stack:
            # AKS dual-stack runs on kubenet or Azure CNI Overlay, not flat Azure CNI (fact
            # network.dual-stack), so Azure CNI is sent in its overlay mode.
            network["ipFamilies"] = ["IPv4", "IPv6"]
            az += ["--ip-families", "IPv4,IPv6"]
            if c.network_plugin == "azure":
                network["networkPluginMode"] = "overlay"
                az += ["--network-plugin-mode", "overlay"]
        if zones:
            az += ["--zones", *zones]
        if c.kubernetes_version:
            az += ["--kubernetes-version", c.kubernetes_version]
        properties: dict[str, Any] = {
            "dnsPrefix": c.effective_dns_prefix,
            "agentPoolProfiles": [pool],
            "networkProfile": network,
        }
        if c.kubernetes_version:
            properties["kubernetesVersion"] = c.kubernetes_version
        if win.enabled:
            properties["windowsProfile"] = {
                "adminUsername": win.admin_username,
                "adminPassword": secret(WINDOWS_PASSWORD_SECRET),
            }
            az += ["--windows-admin-username", win.admin_username, "--windows-admin-password",
                   secret(WINDOWS_PASSWORD_SECRET)]
        body: dict[str, Any] = {
            "location": self.location,
            "tags": dict(MANAGED_BY_TAG),
            "properties": properties,
        }
        if identity is not None:
            body["identity"] = {
                "type": "UserAssigned",
                "userAssignedIdentities": {identity.resource_id: {}},
            }
        else:
            body["identity"] = {"type": "SystemAssigned"}
        az.append("--generate-ssh-keys")
        zone_text = f", zones {','.join(zones)}" if zones else ""
        return Step(
            key="managed_cluster",
            kind="managed_cluster",
            name=c.name,
            resource_id=self.ids.cluster(c.name),
            body=body,
            depends_on=depends,
            summary=f"AKS cluster {c.name}: {c.node_count} x {c.node_vm_size}{zone_text}, "
            f"egress via {egress}",
            why="The cluster itself; its outbound type decides where egress goes and cannot be "
            "switched between managed and bring-your-own VNet later.",
            az=tuple(az),
            snat_ports=snat,
        )

    def _managed_nat_profile(self, out: ManagedOutbound,
                             ) -> tuple[dict[str, Any], list[str], str]:
        """`natGatewayProfile`, its az arguments and the egress wording: AKS-managed IPs (a
        count, plus an IPv6 count on a dual-stack cluster) or your own IPs and prefixes, never
        both (fact managed.own-ips)."""
        profile: dict[str, Any] = {}
        az: list[str] = []
        if out.reuses_addresses():
            if out.public_ip_ids:
                profile["outboundIPs"] = {"publicIPs": list(out.public_ip_ids)}
                az += ["--nat-gateway-outbound-ips", ",".join(out.public_ip_ids)]
            if out.public_ip_prefix_ids:
                profile["outboundIPPrefixes"] = {
                    "publicIPPrefixes": list(out.public_ip_prefix_ids)}
                az += ["--nat-gateway-outbound-ip-prefixes",
                       ",".join(out.public_ip_prefix_ids)]
            listed = ", ".join(_ip_label(i, self.rg)
                               for i in (*out.public_ip_ids, *out.public_ip_prefix_ids))
            addresses = f"your {out.ip_count} address(es): {listed}"
        else:
            managed: dict[str, Any] = {"count": out.ip_count}
            az += ["--nat-gateway-managed-outbound-ip-count", str(out.ip_count)]
            addresses = f"{out.ip_count} IP(s)"
            if out.ipv6_count:
                managed["countIPv6"] = out.ipv6_count
                az += ["--nat-gateway-managed-outbound-ipv6-count", str(out.ipv6_count)]
                addresses += f" and {out.ipv6_count} IPv6"
            profile["managedOutboundIPProfile"] = managed
        profile["idleTimeoutInMinutes"] = out.idle_timeout_minutes
        az += ["--nat-gateway-idle-timeout", str(out.idle_timeout_minutes)]
        # Always sent (fact sku.managed-explicit): the SKU the user reviewed is the SKU AKS
        # builds, never the region's default chosen behind their back.
        profile["sku"] = out.sku
        egress = (f"managed {out.sku} NAT gateway, {addresses}"
                  + (", zone-redundant" if out.sku == "StandardV2" else ""))
        return profile, az, egress

    def _agent_pool_step(self, cluster: Step, name: str, properties: dict[str, Any],
                         depends: tuple[str, ...], summary: str, why: str,
                         az_extra: list[str]) -> Step:
        # AKS refuses a node pool operation while another one on the cluster is in progress
        # ("Another agentpool operation ... is in progress", Azure/AKS#1913), so pools wait
        # for the pool added before them.
        earlier_pools = [step.key for step in self.steps if step.kind == "agent_pool"]
        depends = (*depends, *earlier_pools[-1:])
        az = ["az", "aks", "nodepool", "add", *self._common(), "--cluster-name", cluster.name,
              "--name", name, *az_extra]
        return Step(
            key=f"agent_pool:{name}",
            kind="agent_pool",
            name=name,
            resource_id=f"{cluster.resource_id}/agentPools/{name}",
            body={"properties": properties},
            depends_on=(cluster.key, *depends),
            summary=summary,
            why=why,
            az=tuple(az),
        )

    def _zone_pool(self, cluster: Step, zone: str | None, subnet: Step) -> Step:
        c = self.cluster
        name = f"{c.system_pool_name[:10]}z{zone}"
        properties = {
            "mode": "User",
            "count": c.node_count,
            "vmSize": c.node_vm_size,
            "osType": "Linux",
            "type": "VirtualMachineScaleSets",
            "maxPods": c.max_pods,
            "availabilityZones": [zone],
            "vnetSubnetID": subnet.resource_id,
        }
        return self._agent_pool_step(
            cluster, name, properties, (subnet.key,),
            summary=f"Node pool {name}: {c.node_count} x {c.node_vm_size} in zone {zone} on "
            f"subnet {subnet.name}",
            why=f"The per-zone pattern: zone {zone}'s nodes egress through zone {zone}'s own NAT "
            "gateway, so an outage in another zone leaves them untouched.",
            az_extra=["--node-count", str(c.node_count), "--node-vm-size", c.node_vm_size,
                      "--max-pods", str(c.max_pods), "--zones", str(zone), "--vnet-subnet-id",
                      subnet.resource_id, "--mode", "User"],
        )

    def _windows_pools(self, cluster: Step, pool_subnets: list[tuple[str | None, Step]]) -> None:
        win = self.config.windows
        if not win.enabled:
            return
        out = self.config.outbound
        targets: list[tuple[str, list[str], Step | None]]
        if isinstance(out, UserAssignedOutbound) and out.layout == "per_zone":
            targets = [(f"{win.name[:5]}{zone}", [str(zone)], subnet)
                       for zone, subnet in pool_subnets]
        else:
            subnet = pool_subnets[0][1] if pool_subnets else None
            targets = [(win.name, list(out.zones), subnet)]
        for name, zones, subnet in targets:
            properties: dict[str, Any] = {
                "mode": "User",
                "count": win.node_count,
                "vmSize": win.vm_size,
                "osType": "Windows",
                "osSKU": win.os_sku,
                "type": "VirtualMachineScaleSets",
            }
            az_extra = ["--os-type", "Windows", "--os-sku", win.os_sku, "--node-count",
                        str(win.node_count), "--node-vm-size", win.vm_size, "--mode", "User"]
            if zones:
                properties["availabilityZones"] = zones
                az_extra += ["--zones", *zones]
            if subnet is not None:
                properties["vnetSubnetID"] = subnet.resource_id
                az_extra += ["--vnet-subnet-id", subnet.resource_id]
            if lifecycle.OS_SKUS[win.os_sku].needs_fips:
                # Windows Server 2025 images are FIPS-enabled (fact windows.2025).
                properties["enableFIPS"] = True
                az_extra.append("--enable-fips-image")
            if win.disable_outbound_nat:
                properties["windowsProfile"] = {"disableOutboundNat": True}
                az_extra.append("--disable-windows-outbound-nat")
                nat_text = "OutboundNAT disabled"
            else:
                nat_text = "OutboundNAT on"
            self.add(self._agent_pool_step(
                cluster, name, properties, (subnet.key,) if subnet is not None else (),
                summary=f"Windows pool {name}: {win.node_count} x {win.vm_size} "
                f"({win.os_sku}, {nat_text})",
                why="Windows workloads. With OutboundNAT disabled, pods egress through the NAT "
                "gateway's ports instead of the node IP's few, so ports are not reused and "
                "connections do not fail under load.",
                az_extra=az_extra,
            ))
