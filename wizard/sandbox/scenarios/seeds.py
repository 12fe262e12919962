"""Seed states: a sandbox subscription that already holds things, as real ones do.

`demo` is what a team that needs a NAT gateway usually has: a resource group `demo-rg` in
eastus2 with a VNet `demo-vnet` (10.10.0.0/16) holding

- `aks-subnet` (10.10.0.0/22), the nodes' subnet of `byo-cluster`;
- `small-subnet` (10.10.8.0/28), too small for a cluster;
- `shared-subnet` (10.10.9.0/24), already bound to NAT gateway `shared-natgw` (public IP
  `shared-natgw-ip1`);

a reserved public IP `reserved-egress-ip` (Standard, static, IPv4, zone-redundant, attached to
nothing): the kind of address a team has allow-listed downstream and wants a new NAT gateway to
use (`outbound.public_ip_ids`);

and two clusters whose egress goes through the load balancer (outbound type `loadBalancer`):
`lb-cluster` on the VNet AKS created and `byo-cluster` on `aks-subnet`. The first can migrate to a
managed NAT gateway, the second to a user-assigned one.

Their outbound traffic (`handlers.traffic`) gives the metrics API something to say: `lb-cluster`
exhausts its load balancer's ports at peak hours, `byo-cluster` stays well within them.

Resources are written through the kinds' own PUT handlers (so they pass the same validation and
are stored the way anything else is), their operations finished at once, and nothing is logged
as a request. Seeding is idempotent: a sandbox that already has `demo-rg` is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.sandbox.http import Request
from wizard.sandbox.ids import rg_id

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

Json = dict[str, Any]
SEED_ENV = "AKS_NAT_WIZARD_SANDBOX_SEED"
SEEDS = ("demo",)
DEMO_GROUP = "demo-rg"
DEMO_LOCATION = "eastus2"
DEMO_KUBERNETES = "1.33"
DEMO_RESERVED_IP = "reserved-egress-ip"


class SeedError(Exception):
    """An unknown seed name, or a seed resource the sandbox refused (a bug in the seed)."""


def _put(emu: Emulator, path: str, body: Json) -> Json:
    matched = emu.router.match(path)
    if matched is None:
        raise SeedError(f"the sandbox has no route for seed resource {path}")
    route, params = matched
    handler = route.methods.get("PUT")
    if handler is None:
        raise SeedError(f"the sandbox cannot PUT {path}")
    request = Request("PUT", path, {"api-version": "seed"}, {"Authorization": "Bearer seed"},
                      body)
    response = handler(emu, request, params)
    if response.status >= 400:
        raise SeedError(f"seed resource {path} refused: {response.body}")
    return response.body if isinstance(response.body, dict) else {}


def _finish_operations(emu: Emulator) -> None:
    for op in emu.store.operations():
        if op.get("status") == "InProgress":
            op["doneAt"] = None
    emu.operations.settle()


def _pool(name: str, subnet_id: str | None = None) -> Json:
    pool: Json = {"name": name, "mode": "System", "count": 3, "vmSize": "Standard_D4s_v5",
                  "osType": "Linux", "type": "VirtualMachineScaleSets", "maxPods": 30,
                  "availabilityZones": ["1", "2", "3"], "orchestratorVersion": DEMO_KUBERNETES}
    if subnet_id:
        pool["vnetSubnetID"] = subnet_id
    return pool


def _cluster(name: str, subnet_id: str | None) -> Json:
    network: Json = {
        "networkPlugin": "azure", "loadBalancerSku": "standard", "outboundType": "loadBalancer",
        "loadBalancerProfile": {"managedOutboundIPs": {"count": 1}, "idleTimeoutInMinutes": 30},
    }
    if subnet_id:
        network.update(serviceCidr="172.16.0.0/16", dnsServiceIP="172.16.0.10")
    return {
        "location": DEMO_LOCATION,
        "tags": {"env": "demo"},
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "kubernetesVersion": DEMO_KUBERNETES,
            "dnsPrefix": name,
            "agentPoolProfiles": [_pool("nodepool1", subnet_id)],
            "networkProfile": network,
        },
    }


def seed_demo(emu: Emulator) -> None:
    """Write the `demo` state (see the module docstring), unless it is already there."""
    sub = emu.subscription_id
    group = rg_id(sub, DEMO_GROUP)
    if emu.store.get(group) is not None:
        return
    net = f"{group}/providers/Microsoft.Network"
    vnet = f"{net}/virtualNetworks/demo-vnet"
    tags = {"env": "demo"}
    with emu.store.transaction():
        _put(emu, group, {"location": DEMO_LOCATION, "tags": tags})
        _put(emu, f"{net}/publicIPAddresses/shared-natgw-ip1", {
            "location": DEMO_LOCATION, "tags": tags, "sku": {"name": "Standard"},
            "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"},
        })
        _put(emu, f"{net}/publicIPAddresses/{DEMO_RESERVED_IP}", {
            "location": DEMO_LOCATION, "tags": {**tags, "purpose": "allow-listed egress"},
            "sku": {"name": "Standard"}, "zones": ["1", "2", "3"],
            "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"},
        })
        _finish_operations(emu)
        _put(emu, f"{net}/natGateways/shared-natgw", {
            "location": DEMO_LOCATION, "tags": tags, "sku": {"name": "Standard"},
            "properties": {"idleTimeoutInMinutes": 4, "publicIpAddresses": [
                {"id": f"{net}/publicIPAddresses/shared-natgw-ip1"}]},
        })
        _put(emu, vnet, {"location": DEMO_LOCATION, "tags": tags,
                         "properties": {"addressSpace": {"addressPrefixes": ["10.10.0.0/16"]}}})
        _finish_operations(emu)
        for name, prefix, gateway in (("aks-subnet", "10.10.0.0/22", None),
                                      ("small-subnet", "10.10.8.0/28", None),
                                      ("shared-subnet", "10.10.9.0/24", "shared-natgw")):
            props: Json = {"addressPrefix": prefix}
            if gateway:
                props["natGateway"] = {"id": f"{net}/natGateways/{gateway}"}
            _put(emu, f"{vnet}/subnets/{name}", {"properties": props})
            _finish_operations(emu)
        clusters = f"{group}/providers/Microsoft.ContainerService/managedClusters"
        _put(emu, f"{clusters}/lb-cluster", _cluster("lb-cluster", None))
        _finish_operations(emu)
        _put(emu, f"{clusters}/byo-cluster", _cluster("byo-cluster", f"{vnet}/subnets/aks-subnet"))
        _finish_operations(emu)


def apply_seed(emu: Emulator, name: str | None) -> None:
    """Seed the sandbox with state `name` (None or "" or "none": nothing)."""
    if not name or name.strip().lower() in ("none", "empty"):
        return
    if name.strip().lower() == "demo":
        seed_demo(emu)
        return
    raise SeedError(f"unknown sandbox seed {name!r}; known: {', '.join(SEEDS)}")
