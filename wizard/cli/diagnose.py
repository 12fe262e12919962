"""`aks-nat-wizard diagnose RESOURCE_GROUP/CLUSTER`: is the cluster running out of SNAT ports?"""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from wizard.cli import azure_target, common
from wizard.cli.import_cmd import split_cluster

EXIT_AT_RISK = 3
"""No connection failed, but a node (or the gateway) came close to its ports."""
EXIT_EXHAUSTING = 4
"""Connections failed for want of a SNAT port."""
EXIT_NO_DATA = 5
"""Azure Monitor has no SNAT data for the window."""
EXIT_BY_VERDICT = {"healthy": common.EXIT_OK, "at_risk": EXIT_AT_RISK,
                   "exhausting": EXIT_EXHAUSTING, "no_data": EXIT_NO_DATA}

HELP = """Judge an existing cluster's SNAT health from Azure Monitor metrics.

Reads what the cluster's egress goes through (the load balancer's allocated and used ports per
node and its failed connections; or the NAT gateway's connections, failures, dropped packets
and availability) over the last DAYS days, and says in plain words whether it is healthy, near
exhaustion or exhausting (when and how often), the peak of concurrent flows, and what to do: a
NAT gateway with the IP count the wizard's sizing formula gives for the measured peak. The
recommendation's settings are printed as --set options for `migrate`.

\b
Examples:
  aks-nat-wizard diagnose my-rg/my-cluster
  aks-nat-wizard diagnose my-rg/my-cluster --days 30 --output json
  aks-nat-wizard --sandbox diagnose demo-rg/lb-cluster   the demo's exhausting cluster

\b
Exit codes (a pipeline can act on them):
  0    healthy
  1    failed while working (Azure could not be read)
  2    invalid input (bad cluster reference, unknown cluster)
  3    at risk: near exhaustion, no connection failed yet
  4    exhausting: connections failed for want of SNAT ports
  5    no SNAT data in the window
"""


@click.command("diagnose", help=HELP)
@click.argument("cluster", metavar="RESOURCE_GROUP/CLUSTER")
@click.option("--days", type=click.IntRange(1, 30), default=7, show_default=True,
              help="How many days back to look (1-30).")
@azure_target.target_options
@common.output_option
@click.pass_context
def diagnose(ctx: click.Context, cluster: str, days: int, sandbox: bool,
             sandbox_state: str | None, subscription: str | None, output: str) -> None:
    from wizard.azure.backend import AzureError
    from wizard.azure.discovery import Discovery, DiscoveryError
    from wizard.azure.metrics import MetricsError, diagnose_cluster
    from wizard.model import health
    from wizard.text.errors import error_message

    group, name = split_cluster(cluster)
    backend, description = azure_target.connect(ctx, sandbox, sandbox_state, subscription)
    discovery = Discovery(backend)
    try:
        body = discovery.managed_cluster(group, name)
        if body is None:
            common.fail(f"there is no cluster {name} in resource group {group}")
        diagnosis, series = diagnose_cluster(backend, discovery, body, days)
    except MetricsError as error:
        common.fail(f"cannot judge {cluster}'s SNAT health: {error}", common.EXIT_INVALID)
    except (AzureError, DiscoveryError) as error:
        hint = getattr(error, "hint", "")
        common.fail(f"could not read {description}: {error_message(error)}. {hint}".strip(),
                    common.EXIT_FAILED)
    if output == "json":
        common.print_json({"cluster": f"{group}/{name}", "days": days,
                           "diagnosis": diagnosis.to_dict(),
                           "series": _series_payload(series)})
    else:
        out = common.console()
        through = "load balancer" if diagnosis.path == "load_balancer" else "NAT gateway"
        out.print(Text(f"SNAT health of {group}/{name} over the last {days} day(s), through "
                       f"its {through}:", style="bold"))
        for line in diagnosis.summary():
            out.print(Text(line))
        if not series.empty:
            out.print(Text("Ports used / allocated (peak per slot):"))
            out.print(Text("  " + health.sparkline(health.usage_share(series), top=1.0)))
            if any(series.failed_connections):
                out.print(Text("Failed connections:"))
                out.print(Text("  " + health.sparkline(series.failed_connections)))
        advice = diagnosis.recommendation
        if advice is not None and advice.change_needed:
            sets = " ".join(f"--set {item}" for item in advice.sets())
            out.print(Text(f"To migrate with these settings: aks-nat-wizard migrate "
                           f"{group}/{name} --to {advice.target_type} {sets}"), soft_wrap=True)
    ctx.exit(EXIT_BY_VERDICT[diagnosis.verdict])


def _series_payload(series: Any) -> dict[str, Any]:
    return {"interval_minutes": series.interval_minutes,
            "times": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in series.times],
            "used_ports": list(series.used_ports),
            "allocated_ports": list(series.allocated_ports),
            "failed_connections": list(series.failed_connections)}
