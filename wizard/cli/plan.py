"""`aks-nat-wizard plan`: what a configuration creates in Azure, in order, and what to know first.

Text output (the default) is a table of the steps in the order they run (each resource's name,
kind, what and why, the steps it waits for, the SNAT ports it brings), then the findings grouped
by severity with the field to change and a documentation link, then totals.

JSON output (`--output json`) is one object with four keys, stable across releases:

    {
      "config":   the validated configuration (every key, unset ones as null), or null when invalid,
      "findings": [{"severity": "error|warning|info", "code": "...", "field": "outbound.ip_count",
                    "message": "...", "doc": "https://..."}, ...]   (errors first),
      "plan":     {"schema_version": 1, "subscription_id", "resource_group", "location",
                   "cluster_name", "outbound_type", "total_snat_ports",
                   "steps": [{"key", "kind", "name", "resource_id", "api_version", "depends_on",
                              "summary", "why", "snat_ports", "az", "body"}, ...]}
                  or null when the configuration is invalid,
      "cost":     the egress's monthly cost (NAT gateways, new public IPs, data processed),
                  with the prices' source and date, or null when the configuration is invalid
    }

The exit code is 0 when there is no error finding, 2 otherwise (every problem is listed).
"""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from wizard import plan as planner
from wizard.cli import azure_target, common
from wizard.cli import preflight as preflight_cli
from wizard.console import render

HELP = f"""Show the Azure resources a configuration needs, in order, and the findings.

Nothing is created and Azure is not contacted: this is the review step. Start from a preset,
change settings with --set, and read what would be built and what the wizard warns about.

\b
Examples:
  aks-nat-wizard plan                                   managed StandardV2 NAT gateway, 1 IP
  aks-nat-wizard plan --preset managed-zonal            StandardV2, nodes in zones 1-3
  aks-nat-wizard plan --preset user-assigned            your own StandardV2 gateway and IPs
  aks-nat-wizard plan --preset managed-basic --set outbound.ip_count=4
  aks-nat-wizard plan --set cluster.location=canadaeast  no StandardV2 there: Standard
  aks-nat-wizard plan --set outbound.type=user_assigned --set outbound.sku=Standard \\
                      --set outbound.zones=1,2,3 --set outbound.layout=per_zone
  IP=$(az network public-ip show -g RG -n NAME --query id -o tsv)    reuse an IP you already have
  aks-nat-wizard plan --preset user-assigned --set outbound.public_ip_ids="$IP"
  aks-nat-wizard plan --preset user-assigned --set outbound.ip_prefix=true \\
                      --set outbound.ip_count=4                 egress from one /30 CIDR
  aks-nat-wizard plan --set cluster.dual_stack=true \\
                      --set outbound.ipv6_count=2               IPv4 and IPv6 egress
  aks-nat-wizard plan --preset ./my-cluster.toml --output json | jq '.findings'

\b
JSON output (--output json), stable keys:
  {{"config":   the validated configuration, or null when invalid,
   "findings": [{{"severity", "code", "field", "message", "doc", "fact"}}, ...],
   "plan":     {{"schema_version", "subscription_id", "resource_group", "location",
                "cluster_name", "outbound_type", "total_snat_ports",
                "steps": [{{"key", "kind", "name", "resource_id", "api_version",
                           "depends_on", "summary", "why", "snat_ports", "az", "body"}}]}}
               or null when invalid,
   "cost":     {{"monthly", "currency", "data_gb_per_month", "lines": [...],
                "prices": {{"source", "as_of", ...}}, "comparisons": [...]}} or null,
   "preflight": only with --preflight: {{"ok", "findings": [...],
                "steps": {{KEY: {{"status": "create|exists|drift", "ours", "differences"}}}}}}}}

{common.EXIT_CODES_HELP}
"""


def payload(draft: common.Draft, built: planner.Plan | None,
            priced: Any = None) -> dict[str, Any]:
    """The `--output json` object (see the module docstring)."""
    config = draft.config
    return {
        "config": config.model_dump(mode="json") if config is not None else None,
        "findings": common.findings_payload(draft.findings),
        "plan": built.to_dict() if built is not None else None,
        "cost": priced.to_dict() if priced is not None else None,
    }


def _cost(draft: common.Draft, built: planner.Plan | None, prices: str, currency: str,
          data_gb: float) -> Any:
    """The plan's monthly cost, or None when there is no plan."""
    from wizard.azure.prices import prices_for_mode
    from wizard.plan import cost

    if draft.config is None or built is None:
        return None
    try:
        sheet = prices_for_mode(draft.config.cluster.location, currency, prices)
    except cost.PriceError as error:
        common.fail(f"no prices: {error}", common.EXIT_FAILED)
    return cost.price_plan(built, sheet, data_gb, draft.config)


@click.command("plan", help=HELP)
@common.config_options
@common.output_option
@click.option("--preflight", is_flag=True, help=preflight_cli.PREFLIGHT_HELP)
@azure_target.target_options
@click.option("--prices", type=click.Choice(["auto", "online", "snapshot"]), default="auto",
              show_default=True,
              help="Where the cost's prices come from: auto = prices fetched in the last 7 days "
              "(cached), else the snapshot shipped with the wizard; online = fetch them from the "
              "Azure Retail Prices API when the cache is stale; snapshot = the shipped snapshot.")
@click.option("--currency", default="USD", show_default=True, metavar="CODE",
              help="Currency of the cost (USD, EUR, GBP, ...; the snapshot has USD only).")
@click.option("--data-gb", type=click.FloatRange(0, 10_000_000), default=100,
              show_default=True, help="GB a month processed by the NAT gateway(s), for the cost.")
@click.pass_context
def plan(ctx: click.Context, preset: str | None, sets: tuple[str, ...], output: str,
         preflight: bool = False, sandbox: bool = False, sandbox_state: str | None = None,
         subscription: str | None = None, prices: str = "auto", currency: str = "USD",
         data_gb: float = 100) -> None:
    draft = common.load_draft(common.inherited_preset(ctx, preset), sets)
    built = planner.build(draft.config) if draft.config is not None else None
    priced = _cost(draft, built, "snapshot" if sandbox else prices, currency, data_gb)
    report = None
    if preflight and draft.config is not None and built is not None:
        report, built = preflight_cli.run_for(ctx, draft.config, built, sandbox=sandbox,
                                              sandbox_state=sandbox_state,
                                              subscription=subscription)
    exit_code = draft.exit_code if report is None or report.ok else common.EXIT_INVALID
    if output == "json":
        result = payload(draft, built, priced)
        if report is not None:
            result["preflight"] = report.to_dict()
        common.print_json(result)
        ctx.exit(exit_code)
    out = common.console()
    if built is not None:
        out.print(render.plan_table(built))
        out.print()
    out.print(render.findings_view(draft.findings))
    out.print()
    out.print(render.totals_text(built, draft.findings))
    if priced is not None:
        out.print(Text(f"Monthly cost of the egress: {priced.text()}"))
    if report is not None and built is not None:
        out.print()
        preflight_cli.print_report(built, report)
    ctx.exit(exit_code)
