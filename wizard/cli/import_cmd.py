"""`aks-nat-wizard import RESOURCE_GROUP/CLUSTER`: an existing cluster as a wizard configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.text import Text

from wizard.cli import azure_target, common

HELP = f"""Read an existing AKS cluster into a configuration (a preset).

The cluster, and when it runs on your own VNet its VNet, subnet and NAT gateway, are read (nothing
is changed). The result describes the cluster as it is: its outbound type (load_balancer, managed
or user_assigned), node pool, network and egress IPs. Planning it shows every step as already
there. It is the starting point of `aks-nat-wizard migrate`.

\b
Examples:
  aks-nat-wizard import my-rg/my-cluster -o my-cluster.toml
  aks-nat-wizard import my-rg/my-cluster --output json | jq .config
  AKS_NAT_WIZARD_SANDBOX_SEED=demo aks-nat-wizard import demo-rg/lb-cluster --sandbox

\b
JSON output (--output json): {{"config": the configuration, "outbound_type": Azure's name,
  "egress_ips": [{{"name", "address", "id"}}], "notes": [what the configuration cannot say]}}

{common.EXIT_CODES_HELP}
"""


def split_cluster(reference: str) -> tuple[str, str]:
    """`RESOURCE_GROUP/CLUSTER` -> (group, name); exit 2 with the expected form otherwise."""
    group, sep, name = reference.strip().strip("/").partition("/")
    if not sep or not group or not name or "/" in name:
        common.fail(f"expected RESOURCE_GROUP/CLUSTER, like my-rg/my-cluster; got {reference!r}")
    return group, name


def read_cluster(ctx: click.Context, reference: str, sandbox: bool, sandbox_state: str | None,
                 subscription: str | None) -> Any:
    """(backend, description, ImportedCluster) for `reference`, or exit with the reason."""
    from wizard.azure.discovery import Discovery, DiscoveryError
    from wizard.azure.importer import ClusterImportError, import_cluster

    group, name = split_cluster(reference)
    backend, description = azure_target.connect(ctx, sandbox, sandbox_state, subscription)
    try:
        imported = import_cluster(Discovery(backend), group, name)
    except ClusterImportError as error:
        common.fail(str(error), common.EXIT_INVALID)
    except DiscoveryError as error:
        common.fail(f"could not read {description}: {error}", common.EXIT_FAILED)
    return backend, description, imported


@click.command("import", help=HELP)
@click.argument("cluster", metavar="RESOURCE_GROUP/CLUSTER")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Write the configuration to this preset file (.toml).")
@click.option("--force", is_flag=True, help="Replace the file given with -o if it exists.")
@azure_target.target_options
@common.output_option
@click.pass_context
def import_(ctx: click.Context, cluster: str, out_path: str | None, force: bool, sandbox: bool,
            sandbox_state: str | None, subscription: str | None, output: str) -> None:
    from wizard.storage import paths, presets

    _, _, imported = read_cluster(ctx, cluster, sandbox, sandbox_state, subscription)
    config = imported.config
    if out_path:
        target = Path(out_path).expanduser()
        if target.exists() and not force:
            common.fail(f"{target} exists; pass --force to replace it")
        try:
            paths.write_atomic(target, presets.dumps(config))
        except OSError as error:
            common.fail(f"could not write {target}: {error}", common.EXIT_FAILED)
    if output == "json":
        common.print_json({
            "config": config.model_dump(mode="json"),
            "outbound_type": imported.outbound_type,
            "egress_ips": [{"name": ip.name, "address": ip.address, "id": ip.id}
                           for ip in imported.egress_ips],
            "notes": list(imported.notes),
        })
        ctx.exit(common.EXIT_OK)
    console = common.console()
    console.print(Text(f"Cluster {config.cluster.name} in {config.cluster.resource_group} "
                       f"({config.cluster.location}): outbound {imported.outbound_type}",
                       style="bold"))
    for ip in imported.egress_ips:
        console.print(Text(f"  egress IP {ip.name}: {ip.address or '(no address)'}"))
    for note in imported.notes:
        console.print(Text(f"  note: {note}", style="yellow"))
    if out_path:
        console.print(Text(f"Wrote {out_path}. Next: aks-nat-wizard plan --preset {out_path} "
                           "--preflight, or aks-nat-wizard migrate "
                           f"{config.cluster.resource_group}/{config.cluster.name} --to ..."))
    else:
        console.print()
        click.echo(presets.dumps(config), nl=False)
    ctx.exit(common.EXIT_OK)
