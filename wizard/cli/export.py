"""`aks-nat-wizard export`: the plan as something to review, commit or run without the wizard.

Each format is a pure function of the plan (`wizard.export.FORMATS`: name -> callable(Plan) ->
str), so the script or template is exactly what `plan` shows and `apply` runs. A configuration
with error findings is refused (exit 2) and nothing is written. Writing to a file is atomic; an az
script is made executable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from rich.text import Text

from wizard import plan as planner
from wizard.cli import common
from wizard.storage import paths

FORMAT_NAMES = ("az", "arm")

HELP = f"""Write the plan as an az CLI script or an ARM template.

The export is made from the same plan as `aks-nat-wizard plan` shows, in the same order, so you
can review it, commit it, or run it yourself. Warnings are printed to stderr; with error findings
nothing is written.

\b
Formats:
  az    a bash script of `az` commands (runs as-is after `az login`; made executable)
  arm   an ARM deployment template (JSON) with dependsOn between the resources

\b
Examples:
  aks-nat-wizard export --format az --preset managed-basic -o create.sh    StandardV2, az 2.91+
  aks-nat-wizard export --format arm --preset user-assigned -o azuredeploy.json
  aks-nat-wizard export --format arm --preset user-assigned-per-zone -o azuredeploy.json
  aks-nat-wizard export --format az --set outbound.ip_count=2 | less

{common.EXIT_CODES_HELP}
"""


def _formats() -> dict[str, Callable[[planner.Plan], str]]:
    from wizard.export import FORMATS

    return FORMATS


@click.command("export", help=HELP)
@click.option("--format", "format_name", type=click.Choice(FORMAT_NAMES), required=True,
              help="az (bash script) or arm (ARM template).")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Write to FILE (replaced atomically). Default or '-': standard output.")
@common.config_options
@click.pass_context
def export(ctx: click.Context, format_name: str, out: Path | None, preset: str | None,
           sets: tuple[str, ...]) -> None:
    draft = common.load_draft(common.inherited_preset(ctx, preset), sets)
    if draft.config is None or not draft.ok:
        common.print_findings(draft.findings, stderr=True)
        common.fail("the configuration has errors; nothing was exported", common.EXIT_INVALID)
    try:
        render = _formats()[format_name]
    except (ImportError, KeyError):
        common.fail(f"the {format_name} export is not available in this build",
                    common.EXIT_FAILED)
    text = render(planner.build(draft.config))
    if draft.findings:
        common.print_findings(draft.findings, stderr=True)
    if out is None or str(out) == "-":
        click.echo(text, nl=not text.endswith("\n"))
        ctx.exit(common.EXIT_OK)
    try:
        paths.write_atomic(out, text, executable=format_name == "az", create_dirs=False)
    except FileNotFoundError:
        common.fail(f"cannot write {out}: the folder {Path(out).parent} does not exist (create "
                    "it first, or choose another path)", common.EXIT_INVALID)
    except OSError as error:
        common.fail(f"cannot write {out}: {error.strerror or error}", common.EXIT_FAILED)
    common.console(stderr=True).print(Text(f"Wrote {out} ({format_name})."))
    ctx.exit(common.EXIT_OK)
