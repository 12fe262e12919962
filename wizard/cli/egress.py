"""`aks-nat-wizard egress RESOURCE_GROUP/CLUSTER`: the addresses a cluster's egress leaves from."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from wizard.cli import azure_target, common
from wizard.cli.import_cmd import split_cluster

HELP = f"""List the public addresses and CIDRs an existing cluster's egress leaves from.

What partners must allow-list: for a load balancer or a managed NAT gateway, the outbound IPs
Azure reports for the cluster (and the load balancer's IP prefixes); for a user-assigned NAT
gateway, the public IPs and prefixes of the gateway on the nodes' subnet. The API server's
authorized IP ranges are listed too, with whether each egress address is inside them (nodes
reach the API server from these addresses).

Run it before and after `migrate` to see the old and the new addresses.

\b
Examples:
  aks-nat-wizard egress my-rg/my-cluster
  aks-nat-wizard egress my-rg/my-cluster --output json | jq -r '.cidrs[]'

{common.EXIT_CODES_HELP}
"""


@click.command("egress", help=HELP)
@click.argument("cluster", metavar="RESOURCE_GROUP/CLUSTER")
@azure_target.target_options
@common.output_option
@click.pass_context
def egress(ctx: click.Context, cluster: str, sandbox: bool, sandbox_state: str | None,
           subscription: str | None, output: str) -> None:
    from wizard.azure.backend import AzureError
    from wizard.azure.egress import EgressError, cluster_egress, covered
    from wizard.text.errors import error_message

    group, name = split_cluster(cluster)
    backend, description = azure_target.connect(ctx, sandbox, sandbox_state, subscription)
    try:
        found = cluster_egress(backend, group, name)
    except EgressError as error:
        common.fail(str(error), common.EXIT_INVALID)
    except AzureError as error:
        common.fail(f"could not read {description}: {error_message(error)}. {error.hint}",
                    common.EXIT_FAILED)
    if output == "json":
        common.print_json({"cluster": f"{group}/{name}", **found.to_dict()})
        ctx.exit(common.EXIT_OK)
    out = common.console()
    out.print(Text(f"Egress of {group}/{name} (outbound type {found.outbound_type}):",
                   style="bold"))
    if not found.addresses:
        out.print(Text("  no public egress address found"))
    else:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("Name", "Kind", "Address", "Allowed by API server"):
            table.add_column(column)
        for item in found.addresses:
            allowed = ("yes" if item.cidr and covered(item.cidr, found.authorized_ip_ranges)
                       else "no" if item.cidr else "?")
            table.add_row(Text(item.name), Text(item.kind),
                          Text(item.address or "(no address yet)"), Text(allowed))
        out.print(table)
    ranges = ", ".join(found.authorized_ip_ranges) or "none (any address may reach it)"
    out.print(Text(f"API server authorized IP ranges: {ranges}"))
    ctx.exit(common.EXIT_OK)
