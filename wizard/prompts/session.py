"""The `--simple` session around the questions: where to start, the review, and what to do.

`prompts.run_steps` asks the settings; this module chooses the starting point (a new
configuration, a preset, or an existing cluster whose outbound type to change: that path is
`wizard.prompts.migration`), shows the same review as `aks-nat-wizard plan` (plan table, findings,
totals), and then lets the user apply, save a preset, write the az script or ARM template, change
answers, or quit. Applying goes through the same code as `aks-nat-wizard apply`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from rich.console import Console

from wizard import plan
from wizard.console import render
from wizard.export import FORMATS
from wizard.model.config import WizardConfig
from wizard.model.evaluation import Evaluation, evaluate
from wizard.prompts.migration import EXISTING, run_migration
from wizard.prompts.questions import Asker, Cancelled, QuestionaryAsker, run_steps
from wizard.storage import paths, presets

NEW = "New configuration (defaults: managed NAT gateway, 1 IP)"
APPLY = "Apply"
SAVE = "Save as preset"
WRITE_AZ = "Write the az script to a file"
WRITE_ARM = "Write the ARM template to a file"
CHANGE = "Change answers"
QUIT = "Quit"
EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


def choose_start(asker: Asker, preset: str | None) -> dict[str, Any] | None:
    """The draft to start from: the given preset, or the user's pick; None when the user chose
    to change an existing cluster instead."""
    if preset:
        return presets.to_data(presets.load(preset))
    infos = presets.list_presets()
    labels = {f"{info.qualified_name} — {info.description}": info for info in infos}
    answer = asker.select("Start from", [NEW, EXISTING, *labels], NEW,
                          "A preset fills every answer; you can still change each one. An "
                          "existing cluster can move its egress to a NAT gateway (or back).")
    if answer is None:
        raise Cancelled
    if answer == NEW:
        return {}
    if answer == EXISTING:
        return None
    return presets.to_data(presets.load(str(labels[answer].path)))


def review(console: Console, evaluation: Evaluation) -> plan.Plan | None:
    """Print the plan and the findings; return the plan when the config is valid."""
    built = plan.build(evaluation.config) if evaluation.config is not None else None
    if built is not None:
        console.print(render.plan_table(built))
    console.print(render.findings_view(list(evaluation.findings)))
    console.print(render.totals_text(built, list(evaluation.findings)))
    return built


def _write(asker: Asker, console: Console, text: str, default: str, executable: bool) -> None:
    answer = asker.text("File to write", default, lambda raw: bool(raw.strip()) or
                        "type a file name", "The file is replaced if it exists.")
    if answer is None:
        return
    target = paths.write_atomic(Path(answer.strip()).expanduser(), text, executable=executable)
    console.print(f"Wrote {target}", markup=False)


def _save(asker: Asker, console: Console, config: WizardConfig) -> None:
    name = asker.text("Preset name", "", lambda raw: _name_problem(raw) or True,
                      "Letters, digits, '-' and '_'. Saved in your presets folder.")
    if name is None:
        return
    description = asker.text("Description", config.description, lambda raw: True,
                             "One line saying what this configuration is for.")
    config = config.model_copy(update={"description": description or ""})
    force = False
    while True:
        try:
            saved = presets.save(name.strip(), config, force=force)
            console.print(f"Saved preset {name.strip()} to {saved}", markup=False)
            return
        except presets.PresetError as error:
            if force or not asker.confirm(f"{error.describe()} Replace it?", False,
                                          "Answer yes to overwrite."):
                console.print(error.describe(), markup=False)
                return
            force = True


def _name_problem(raw: str) -> str | None:
    try:
        presets.check_name(raw.strip())
    except presets.PresetError as error:
        return error.describe()
    return None


class ApplyConfig(Protocol):
    """How a reviewed configuration is applied: the CLI's apply (`wizard.cli.apply.apply_config`),
    handed in by the program so that this front end does not import another."""

    def __call__(self, config: WizardConfig, *, sandbox: bool,
                 sandbox_state: str | None = None) -> int: ...


def run_prompts(apply: ApplyConfig, sandbox: bool = False, sandbox_state: str | None = None,
                preset: str | None = None) -> int:
    """The `--simple` entry point; returns the process exit code."""
    return run_simple(QuestionaryAsker(), sandbox=sandbox, sandbox_state=sandbox_state,
                      preset=preset, apply=apply)


def run_simple(asker: Asker, *, sandbox: bool, sandbox_state: str | None,
               preset: str | None, apply: ApplyConfig, console: Console | None = None) -> int:
    """The whole `--simple` session; returns the exit code."""
    console = console or Console()
    try:
        draft = choose_start(asker, preset)
        if draft is None:
            return run_migration(asker, console, sandbox=sandbox, sandbox_state=sandbox_state)
        while True:
            draft = run_steps(asker, draft)
            evaluation = evaluate(draft)
            built = review(console, evaluation)
            actions = [CHANGE, QUIT]
            if built is not None and evaluation.config is not None:
                actions = [WRITE_AZ, WRITE_ARM, SAVE, *actions]
                if not evaluation.errors:
                    actions.insert(0, APPLY)
                else:
                    asker.say("Apply is unavailable until the errors above are fixed.")
            while True:
                action = asker.select("What next", actions, actions[0],
                                      "Apply creates the resources; the files let you run or "
                                      "commit the same plan yourself.")
                if action is None or action == QUIT:
                    return EXIT_OK
                if action == CHANGE:
                    break
                assert built is not None and evaluation.config is not None
                if action == APPLY:
                    return _apply(asker, apply, evaluation.config, sandbox, sandbox_state)
                if action == SAVE:
                    _save(asker, console, evaluation.config)
                elif action == WRITE_AZ:
                    _write(asker, console, FORMATS["az"](built), "create-cluster.sh", True)
                elif action == WRITE_ARM:
                    _write(asker, console, FORMATS["arm"](built), "template.json", False)
    except Cancelled:
        console.print("Stopped; nothing was created.")
        return EXIT_INTERRUPTED
    except presets.PresetError as error:
        console.print(error.describe(), markup=False)
        return EXIT_INVALID


def _apply(asker: Asker, apply: ApplyConfig, config: WizardConfig, sandbox: bool,
           sandbox_state: str | None) -> int:
    """Confirm with the target and resource group named, then run the shared apply."""
    target = "the sandbox" if sandbox else "your Azure subscription"
    if not asker.confirm(
        f"Create these resources in resource group {config.cluster.resource_group} on "
        f"{target}?", False, "Nothing is created unless you answer yes."
    ):
        return EXIT_OK
    return apply(config, sandbox=sandbox, sandbox_state=sandbox_state)
