"""The `aks-nat-wizard` command.

With no sub-command it opens the Textual wizard (or, with `--simple`, plain prompts). The
sub-commands serve scripts and CI; each lives in its own module under `wizard/cli/` and is
imported only when invoked, so `--help` and the TUI start without loading what they do not use.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> (module under wizard.cli, attribute, one-line help shown in `--help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "plan": ("plan", "plan", "Show the Azure resources a configuration needs, and the findings."),
    "export": ("export", "export", "Write the plan as an az script or an ARM template."),
    "presets": ("presets", "presets", "List, show, validate and save presets."),
    "apply": ("apply", "apply", "Create the resources, with progress, resume and rollback."),
    "rollback": ("apply", "rollback", "Delete exactly what one run created."),
    "runs": ("apply", "runs", "List past runs and their state."),
    "import": ("import_cmd", "import_", "Read an existing cluster into a configuration."),
    "migrate": ("migrate", "migrate", "Change an existing cluster's outbound type."),
    "diagnose": ("diagnose", "diagnose", "Judge an existing cluster's SNAT health from metrics."),
    "egress": ("egress", "egress", "List the addresses an existing cluster's egress leaves from."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute, _ = entry
        try:
            module = importlib.import_module(f"wizard.cli.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"wizard.cli.{module_name}":
                raise
            return None
        command = getattr(module, attribute, None)
        return command if isinstance(command, click.Command) else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands from the table, so `--help` imports none of them."""
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--sandbox", is_flag=True,
              help="Work against the built-in Azure sandbox instead of your subscription.")
@click.option("--sandbox-state", type=click.Path(dir_okay=False), default=None,
              help="Keep the sandbox's resources in this file between runs (an SQLite "
              "database; an older JSON state file is converted).")
@click.option("--simple", is_flag=True,
              help="Plain prompts instead of the full-screen app (screen readers, narrow or "
              "dumb terminals).")
@click.option("--preset", default=None, help="Start from this preset (a name or a .toml path).")
@click.version_option(package_name="aks-nat-wizard")
@click.pass_context
def main_group(ctx: click.Context, sandbox: bool, sandbox_state: str | None, simple: bool,
               preset: str | None) -> None:
    """Build an AKS cluster whose egress goes through a NAT gateway.

    Run with no command to open the wizard. Start with `--sandbox` to try everything without
    touching Azure.

    \b
    Examples:
      aks-nat-wizard --sandbox                      open the wizard on the sandbox
      aks-nat-wizard plan --preset managed-basic    StandardV2 managed egress, and why
      aks-nat-wizard plan --preset user-assigned    your own StandardV2 gateway
      aks-nat-wizard export --preset managed-basic --format az -o create.sh
      aks-nat-wizard apply --sandbox --preset user-assigned --yes
      aks-nat-wizard migrate my-rg/my-cluster --to managed   an existing cluster
    """
    ctx.ensure_object(dict)
    ctx.obj.update(sandbox=sandbox, sandbox_state=sandbox_state)
    if ctx.invoked_subcommand is not None:
        return
    options: dict[str, Any] = {"sandbox": sandbox, "sandbox_state": sandbox_state,
                               "preset": preset}
    if simple:
        from wizard.cli.apply import apply_config
        from wizard.prompts.session import run_prompts

        ctx.exit(run_prompts(apply_config, **options))
    from screens.app import run_app

    ctx.exit(run_app(**options))


def main() -> None:
    """Console-script entry point."""
    main_group(prog_name="aks-nat-wizard")
