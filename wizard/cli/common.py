"""What the non-interactive commands share: options, loading a configuration, output, exit codes.

Every command that takes a configuration (`plan`, `export`, `presets save`, `apply`) builds it the
same way, with `load_draft()`:

1. start from a preset (`--preset NAME|PATH`, or the group's `--preset`), or from the model's
   defaults (a managed NAT gateway with one public IP);
2. apply each `--set PATH=VALUE` (an `outbound.type` first, so the other settings land in the
   type chosen; switching type drops the settings the new type does not have);
3. validate and run the rules (`evaluation.evaluate`).

Nothing raises for bad input: an unknown preset, a malformed file, a bad `--set` and an invalid
value all become error findings, so a command lists every problem at once and exits
`EXIT_INVALID`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.text import Text

from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.evaluation import Evaluation, evaluate
from wizard.model.findings import Finding, sort_findings
from wizard.storage import presets

EXIT_OK = 0
"""Done; the configuration has no error findings."""
EXIT_FAILED = 1
"""Something went wrong while working (Azure refused, a file could not be written)."""
EXIT_INVALID = 2
"""The input is invalid (bad options, unknown preset, error findings): nothing was done."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C (128 + SIGINT, the shell convention)."""

EXIT_CODES_HELP = (
    "\b\nExit codes:\n"
    "  0    done, no error findings\n"
    "  1    failed while working (for example a file could not be written)\n"
    "  2    invalid input or error findings: nothing was done\n"
    "  130  interrupted (Ctrl-C)"
)

SET_HELP = (
    "Change one setting, as PATH=VALUE (repeatable). PATH is a dotted key of the preset file: "
    "cluster.name, cluster.location, cluster.node_count, outbound.type (managed | "
    "user_assigned | load_balancer), outbound.ip_count, outbound.idle_timeout_minutes, "
    "outbound.zones (e.g. 1,2,3 or none), outbound.layout, windows.enabled, ... "
    "Unknown paths are rejected with a suggestion."
)

F = TypeVar("F", bound=Callable[..., Any])


def preset_option(function: F) -> F:
    return click.option(
        "--preset", "preset", metavar="NAME|PATH", default=None,
        help="Start from this preset: a name from `aks-nat-wizard presets list` (user:NAME for "
        "your own) or a .toml file. Default: a managed NAT gateway with one public IP.",
    )(function)


def set_option(function: F) -> F:
    return click.option("--set", "sets", metavar="PATH=VALUE", multiple=True,
                        help=SET_HELP)(function)


def output_option(function: F) -> F:
    return click.option(
        "--output", "output", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help="text for people, json for scripts (stable keys, see above).",
    )(function)


def config_options(function: F) -> F:
    """`--preset` and `--set`: the configuration a command works on."""
    return preset_option(set_option(function))


def inherited_preset(ctx: click.Context, preset: str | None) -> str | None:
    """The command's `--preset`, else the group's (`aks-nat-wizard --preset x plan`)."""
    if preset:
        return preset
    root = ctx.find_root()
    value = root.params.get("preset") if root is not ctx else None
    return value if isinstance(value, str) and value else None


# -- loading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Draft:
    """The mapping after preset and `--set`s, its evaluation, and the preset file it came from."""

    data: dict[str, Any] | None
    evaluation: Evaluation
    preset: presets.PresetFile | None = None

    @property
    def config(self) -> WizardConfig | None:
        return self.evaluation.config

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.evaluation.findings

    @property
    def ok(self) -> bool:
        return self.evaluation.ok

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.evaluation.ok else EXIT_INVALID


def preset_findings(error: presets.PresetError) -> list[Finding]:
    """A preset that cannot be used, as error findings (with file, line and column)."""
    return [
        Finding("error", problem.field, error.format_problem(problem, with_field=False),
                doc="", code="preset.unusable")
        for problem in error.problems
    ]


def parse_sets(sets: Sequence[str]) -> tuple[list[tuple[str, str]], list[Finding]]:
    """`PATH=VALUE` strings to pairs (outbound.type first), and a finding per malformed one."""
    pairs: list[tuple[str, str]] = []
    problems: list[Finding] = []
    for raw in sets:
        path, sep, value = raw.partition("=")
        path = path.strip()
        if not sep or not path:
            problems.append(Finding(
                "error", "", f"--set takes PATH=VALUE, like outbound.ip_count=2; got {raw!r}",
                doc="", code="cli.set_syntax"))
            continue
        try:
            fields.spec(path)
        except KeyError as error:
            problems.append(Finding("error", path, f"--set: {error.args[0]}",
                                    doc="", code="cli.set_unknown"))
            continue
        pairs.append((path, value))
    pairs.sort(key=lambda pair: pair[0] != "outbound.type")
    return pairs, problems


def apply_sets(data: dict[str, Any], pairs: Sequence[tuple[str, str]]
               ) -> tuple[dict[str, Any], list[Finding]]:
    """`data` with each pair set; a setting the chosen outbound type lacks is a finding."""
    problems: list[Finding] = []
    for path, value in pairs:
        outbound_type = str(fields.get_path(data, "outbound.type") or "managed")
        field = fields.spec(path)
        if not field.applies(outbound_type):
            problems.append(Finding(
                "error", path,
                f"--set: {path} exists only when outbound.type is "
                f"{' or '.join(field.outbound_types)}, and it is {outbound_type}",
                doc="", code="cli.set_not_applicable"))
            continue
        data = fields.set_text(data, path, value)
    return data, problems


def load_draft(preset: str | None, sets: Sequence[str] = ()) -> Draft:
    """The configuration a command works on, with every problem as a finding; never raises."""
    preset_file: presets.PresetFile | None = None
    if preset:
        try:
            preset_file = presets.read(preset)
        except presets.PresetError as error:
            return Draft(None, Evaluation(None, tuple(preset_findings(error))))
        data = copy.deepcopy(preset_file.data)
    else:
        data = presets.to_data(WizardConfig())
    pairs, problems = parse_sets(sets)
    data, set_problems = apply_sets(data, pairs)
    problems += set_problems
    evaluation = evaluate(data)
    found = list(evaluation.findings)
    if preset_file is not None:
        found = _with_preset_lines(found, preset_file, {path for path, _ in pairs})
    config = evaluation.config if not problems else None
    return Draft(data, Evaluation(config, tuple(sort_findings(problems + found))), preset_file)


def _with_preset_lines(found: list[Finding], preset_file: presets.PresetFile,
                       set_paths: set[str]) -> list[Finding]:
    """Point validation errors about values from the preset file at their line in it."""
    result = []
    for finding in found:
        line = None
        if finding.code.startswith("invalid.") and finding.field not in set_paths:
            line = preset_file.line_of(finding.field)
        if line is not None:
            finding = Finding(finding.severity, finding.field,
                              f"{finding.message} ({preset_file.path}:{line})",
                              finding.doc, finding.code)
        result.append(finding)
    return result


# -- output ------------------------------------------------------------------------------------

def console(stderr: bool = False) -> Console:
    """A Rich console that never highlights or interprets what it prints on its own."""
    return Console(stderr=stderr, highlight=False, emoji=False)


def print_json(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, sort_keys=False))


def print_findings(findings: Sequence[Finding], *, stderr: bool = False) -> None:
    from wizard.console import render

    out = console(stderr)
    out.print(render.findings_view(findings))


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print `message` (as text, never markup) to stderr and exit with `code`."""
    from wizard.text.safe import safe_rich

    console(stderr=True).print(Text("error: ", style="bold red") + safe_rich(message, lines=True))
    raise click.exceptions.Exit(code)


def findings_payload(findings: Sequence[Finding]) -> list[dict[str, str]]:
    return [finding.to_dict() for finding in findings]
