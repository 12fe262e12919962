"""`aks-nat-wizard migrate RESOURCE_GROUP/CLUSTER --to TYPE`: change a cluster's outbound type."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.text import Text

from wizard.cli import azure_target, common
from wizard.cli.import_cmd import read_cluster

HELP = f"""Change an existing cluster's outbound type, the ways Azure allows.

\b
  AKS-managed VNet:  load_balancer -> managed         (AKS creates the NAT gateway)
  your own VNet:     load_balancer -> user_assigned   (the wizard creates public IPs and a NAT
                                                       gateway, associates your subnet with it)
                     user_assigned -> load_balancer

Other directions are refused with the reason before anything is changed. Before changing
anything it shows what people most often miss: egress moves to new IPs (old and new listed:
update allow-lists first), connections drop, the idle timeout falls from the load balancer's 30
minutes to the NAT gateway's 4 unless you set it. Your cluster and subnet were not created by the
wizard: it asks before modifying them (--yes answers for you).

For user_assigned, the public IPs are created first and their addresses shown, so allow-lists
can be updated before egress moves; then the subnet and the cluster are updated.

\b
Examples:
  aks-nat-wizard migrate my-rg/my-cluster --to managed
  aks-nat-wizard migrate my-rg/my-cluster --to user_assigned --set outbound.ip_count=2 \\
                         --set outbound.idle_timeout_minutes=10
  aks-nat-wizard migrate my-rg/my-cluster --to managed --dry-run --output json
  aks-nat-wizard migrate my-rg/my-cluster --to user_assigned --script migrate.sh

{common.EXIT_CODES_HELP}
"""


@click.command("migrate", help=HELP)
@click.argument("cluster", metavar="RESOURCE_GROUP/CLUSTER")
@click.option("--to", "target_type", required=True,
              type=click.Choice(["managed", "user_assigned", "load_balancer"]),
              help="The outbound type to move to.")
@common.set_option
@click.option("--yes", is_flag=True, help="Do not ask: confirm the changes listed.")
@click.option("--dry-run", is_flag=True, help="Show the migration and stop.")
@click.option("--script", "script_path", type=click.Path(dir_okay=False, writable=True),
              help="Write the migration as an az script to this file (for a change ticket, or "
              "to run yourself) and stop; '-' prints it.")
@azure_target.target_options
@common.output_option
@click.pass_context
def migrate(ctx: click.Context, cluster: str, target_type: str, sets: tuple[str, ...],
            yes: bool, dry_run: bool, script_path: str | None, sandbox: bool,
            sandbox_state: str | None, subscription: str | None, output: str) -> None:
    from wizard.console.render import plan_table
    from wizard.plan import migration as migration

    backend, description, imported = read_cluster(ctx, cluster, sandbox, sandbox_state,
                                                   subscription)
    try:
        planned = migration.plan_migration(imported.config, target_type, sets, imported)
    except migration.MigrationRefused as error:
        if output == "json":
            common.print_json({"refused": str(error), "migration": None})
        common.fail(f"cannot migrate {cluster} to {target_type}: {error}", common.EXIT_INVALID)
    findings = _preflight(planned, backend)
    errors = [f for f in findings if f.severity == "error"]
    if output == "json":
        common.print_json({"refused": None, "migration": planned.to_dict(),
                           "findings": common.findings_payload(findings)})
    else:  # with --script - the script goes to stdout, so everything else to stderr
        out = common.console(stderr=script_path == "-")
        out.print(plan_table(planned.plan))
        out.print(Text("Before you migrate:", style="bold"))
        for notice in planned.notices:
            out.print(Text(f"  - {notice}"))
        out.print(Text("Resources the wizard did not create, which this changes:", style="bold"))
        for resource_id in planned.modifies:
            out.print(Text(f"  - {resource_id}"), soft_wrap=True)
        if findings:
            common.print_findings(findings, stderr=script_path == "-")
    if errors:
        ctx.exit(common.EXIT_INVALID)
    if script_path:
        _write_script(planned, script_path, output)
        ctx.exit(common.EXIT_OK)
    if dry_run:
        ctx.exit(common.EXIT_OK)
    _confirm(yes, output, f"Migrate {cluster} on {description} to {target_type}, modifying the "
             f"{len(planned.modifies)} resource(s) listed?")
    from wizard.azure.migration_checks import ip_addresses

    *first, last = planned.phases()
    for index, phase in enumerate(first):  # new public IPs, for the allow-lists before egress
        _run(ctx, phase, planned.target, backend, description, output, planned.purpose(index))
        addresses = ip_addresses(backend, planned.new_ip_steps)
        _say(output, "New egress IPs (add them to allow-lists now): " + ", ".join(addresses))
        _confirm(yes, output, "Allow-lists updated; move egress to the new IPs now?")
    _run(ctx, last, planned.target, backend, description, output, planned.purpose(len(first)))
    _say(output, f"Done: {cluster} now uses outbound type "
         f"{migration.OUTBOUND_WIRE[planned.target_type]}.")
    _, _, after = read_cluster(ctx, cluster, sandbox, sandbox_state, subscription)
    _say(output, "Egress IPs now: " + (", ".join(
        f"{ip.name} {ip.address or '(no address)'}" for ip in after.egress_ips) or "none found"))
    ctx.exit(common.EXIT_OK)


def _preflight(planned: Any, backend: Any) -> list[Any]:
    """The checks that can fail a migration half-way: public IP quota, a subnet already on
    another NAT gateway."""
    from wizard.azure.discovery import Discovery, DiscoveryError
    from wizard.azure.migration_checks import migration_findings

    try:
        return migration_findings(planned, Discovery(backend))
    except DiscoveryError as error:
        common.fail(f"could not read the subscription: {error}", common.EXIT_FAILED)


def _write_script(planned: Any, path: str, output: str) -> None:
    """The migration's steps as the same az script `export --format az` writes for a plan."""
    from pathlib import Path

    from wizard.export import FORMATS
    from wizard.storage.paths import write_atomic

    script = FORMATS["az"](planned.plan)
    if path == "-":
        click.echo(script, nl=False)
        return
    try:
        written = write_atomic(Path(path).expanduser(), script, executable=True)
    except OSError as error:
        common.fail(f"cannot write {path}: {error.strerror or error}", common.EXIT_FAILED)
    _say(output, f"Wrote the migration's az script to {written}.")


def _say(output: str, message: str) -> None:
    console = common.console(stderr=output == "json")
    console.print(Text(message))


def _confirm(yes: bool, output: str, question: str) -> None:
    if yes:
        return
    if output == "json" or not sys.stdin.isatty():
        common.fail("confirmation needed: pass --yes to migrate without a prompt")
    if not click.confirm(question, default=False):
        common.fail("nothing was changed", common.EXIT_INVALID)


def _run(ctx: click.Context, plan: Any, config: Any, backend: Any, description: str,
         output: str, purpose: str) -> None:
    """Apply `plan` (`wizard.console.migration_run.run_phase`: one line per finished step); exit 1
    or 130 with the commands to resume or roll back."""
    from wizard.console.migration_run import PHASE_OK, run_phase

    console = common.console(stderr=output == "json")
    result = run_phase(plan, config, backend, description, console, purpose)
    if result.code != PHASE_OK:
        ctx.exit(result.code)
