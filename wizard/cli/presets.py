"""`aks-nat-wizard presets`: list, show, validate and save presets.

Built-in presets ship with the wizard; your own live in the user presets folder
(`$AKS_NAT_WIZARD_HOME/presets` when that variable is set). A plain name means the built-in when
one exists; `user:NAME` picks yours.
"""

from __future__ import annotations

from typing import Any

import click
from rich import box
from rich.table import Table
from rich.text import Text

from wizard.cli import common
from wizard.model.findings import Finding
from wizard.storage import presets as store
from wizard.text.safe import safe_rich

GROUP_HELP = f"""List, show, validate and save presets.

A preset is a TOML file with the same keys --set uses ([cluster], [outbound], [windows],
[workload]). Built-in presets come with the wizard; `presets save` writes your own to your
user presets folder ($AKS_NAT_WIZARD_HOME/presets when that variable is set; `presets list`
shows where it is). A plain name means the built-in when one exists; user:NAME picks yours.

\b
Examples:
  aks-nat-wizard presets list
  aks-nat-wizard presets show user-assigned > my-cluster.toml
  aks-nat-wizard presets validate ./my-cluster.toml
  aks-nat-wizard presets save prod-egress --preset user-assigned-per-zone \\
                              --set outbound.ip_count=2 --description "Prod, 2 IPs per zone"
  aks-nat-wizard plan --preset user:prod-egress

{common.EXIT_CODES_HELP}
"""


@click.group("presets", help=GROUP_HELP)
def presets() -> None:
    pass


@presets.command("list")
@common.output_option
def list_command(output: str) -> None:
    """List the built-in presets and yours, with where each comes from.

    JSON output: [{"name", "source": "built-in|user", "path", "description"}, ...].
    """
    found = store.list_presets()
    if output == "json":
        common.print_json([{"name": info.name, "source": info.source, "path": str(info.path),
                            "description": info.description} for info in found])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Name", no_wrap=True, style="bold")
    table.add_column("Source", no_wrap=True)
    table.add_column("Description", ratio=1)
    builtin = set(store.builtin_names())
    for info in found:
        name = info.name
        if info.source == store.USER and name in builtin:
            name = info.qualified_name
        table.add_row(safe_rich(name), Text(info.source), safe_rich(info.description))
    out = common.console()
    out.print(table)
    out.print(safe_rich(f"Your presets: {store.user_dir()}", style="dim"))


@presets.command("show")
@click.argument("name", metavar="NAME|PATH")
def show_command(name: str) -> None:
    """Print a preset's TOML as it is on disk, comments included.

    \b
    Example: start your own from a built-in
      aks-nat-wizard presets show user-assigned > my-cluster.toml
    """
    try:
        preset_file = store.read(name)
    except store.PresetError as error:
        common.fail(str(error))
    click.echo(preset_file.text, nl=not preset_file.text.endswith("\n"))


@presets.command("validate")
@click.argument("references", metavar="NAME|PATH...", nargs=-1, required=True)
@common.output_option
def validate_command(references: tuple[str, ...], output: str) -> None:
    """Check presets: TOML syntax, schema version, every value, and the wizard's rules.

    Each problem is reported with the file, the line and the setting's path. Exits 2 if any
    preset has an error.

    JSON output: [{"preset", "path", "ok", "findings": [...]}, ...].
    """
    results: list[dict[str, Any]] = []
    for reference in references:
        draft = common.load_draft(reference)
        path = str(draft.preset.path) if draft.preset is not None else None
        results.append({"preset": reference, "path": path, "ok": draft.ok,
                        "findings": list(draft.findings)})
    if output == "json":
        common.print_json([{**result, "findings": common.findings_payload(result["findings"])}
                           for result in results])
    else:
        out = common.console()
        for result in results:
            findings: list[Finding] = result["findings"]
            mark = Text("ok   ", style="bold green") if result["ok"] else Text(
                "FAIL ", style="bold red")
            out.print(mark + safe_rich(result["path"] or result["preset"]))
            if findings:
                out.print(_indented(findings))
    ctx = click.get_current_context()
    ctx.exit(common.EXIT_OK if all(r["ok"] for r in results) else common.EXIT_INVALID)


def _indented(findings: list[Finding]) -> Any:
    from rich.padding import Padding

    from wizard.console import render

    return Padding(render.findings_view(findings), (0, 0, 0, 5))


@presets.command("save")
@click.argument("name")
@click.option("--description", default=None, help="One line saying what the preset is for.")
@common.config_options
@click.option("--force", is_flag=True,
              help="Replace your preset of the same name, or use a built-in's name.")
def save_command(name: str, description: str | None, preset: str | None,
                 sets: tuple[str, ...], force: bool) -> None:
    """Save a configuration as your own preset NAME.

    The configuration is built like `plan` builds it (--preset, then each --set) and must have
    no error findings. The file is written atomically; it never contains secrets.

    \b
    Examples:
      aks-nat-wizard presets save dev --preset managed-basic --set cluster.name=dev-aks
      aks-nat-wizard presets save prod --preset user-assigned-per-zone \\
                                  --set outbound.ip_count=2 --description "Prod egress"
    """
    try:
        store.check_name(name)
    except store.PresetError as error:
        common.fail(str(error))
    if description is not None:
        sets = (*sets, f"description={description}")
    draft = common.load_draft(preset, sets)
    if draft.config is None or not draft.ok:
        common.print_findings(draft.findings, stderr=True)
        common.fail("not saved: the configuration has errors", common.EXIT_INVALID)
    try:
        path = store.save(name, draft.config, force=force)
    except store.PresetError as error:
        common.fail(str(error))
    except OSError as error:
        common.fail(f"cannot write the preset: {error.strerror or error}", common.EXIT_FAILED)
    if draft.findings:
        common.print_findings(draft.findings, stderr=True)
    load_as = f"user:{name}" if name in store.builtin_names() else name
    common.console().print(safe_rich(f"Saved {path}\nUse it with: --preset {load_as}",
                                     lines=True))
