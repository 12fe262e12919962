"""`to_az_script(plan)`: the plan as a bash script of `az` commands, to run after `az login`.

It follows the Azure doc "Create a managed or user-assigned NAT gateway for your AKS cluster"
(`articles/aks/nat-gateway.md`): resource group, then for a user-assigned NAT gateway the VNet,
public IPs, NAT gateway, subnet on the gateway and the cluster identity, then `az aks create`,
then the extra node pools, in the plan's dependency order. Each command is the Step's own `az`
argv, every literal quoted with `shlex.quote`, so the script is the plan the user reviewed.

What the plan cannot know is left to the shell, never written into the file:
- the subscription: `SUBSCRIPTION_ID` is the logged-in one (or the plan's, when it names a real
  one), and resource ids use `${SUBSCRIPTION_ID}` instead of a GUID;
- `{{ref:STEP:path}}` (an identity's principalId): a variable read with `az ... show --query`
  right after that resource is created;
- `{{secret:NAME}}` (the Windows admin password): an environment variable the script demands
  before it creates anything, so the secret never appears in the script.

A role assignment can take minutes to reach AKS, so before `az aks create` the script waits until
each assignment is listed and then waits a further minute (see `_ROLE_WAIT`).
"""

from __future__ import annotations

import re
import shlex
import textwrap
from collections.abc import Iterable

from wizard.plan import PLACEHOLDER_SUBSCRIPTION, Plan, Step, placeholders

_PROPAGATION_SECONDS = 60
_ROLE_WAIT = f"""\
# Role assignments can take minutes to reach AKS; a cluster created too early fails with a
# permissions error on the subnet. Wait until each assignment is listed, then give it
# {_PROPAGATION_SECONDS} more seconds to propagate.
wait_for_role_assignment() {{
  local principal_id="$1" scope="$2" attempt
  for attempt in $(seq 1 30); do
    if [[ -n "$(az role assignment list --assignee "$principal_id" --scope "$scope" \\
        --role 'Network Contributor' --query '[0].id' --output tsv)" ]]; then
      return 0
    fi
    echo "Waiting for the role assignment on $scope (attempt $attempt)..." >&2
    sleep 10
  done
  echo "The role assignment on $scope did not appear; check it, then re-run." >&2
  return 1
}}
"""


# What each azure-cli feature the plans use needs (docs/AZURE_FACTS.md, facts az.*): the oldest
# version first, so the script asks for the newest one any of its commands needs.
CLI_BASELINE = ((2, 36, 0), "the NAT gateway outbound types of az aks create")
CLI_FEATURES: tuple[tuple[tuple[int, int, int], str, tuple[str, ...]], ...] = (
    ((2, 56, 0), "az aks update --outbound-type", ("aks", "update", "--outbound-type")),
    ((2, 75, 0), "the StandardV2 SKU of az network", ("network", "--sku", "StandardV2")),
    ((2, 87, 0), "--os-sku Windows2025", ("--os-sku", "Windows2025")),
    ((2, 91, 0), "--outbound-type-sku", ("--outbound-type-sku",)),
)


def required_cli(plan: Plan) -> tuple[str, str]:
    """(version, what needs it): the oldest azure-cli that runs every command of `plan`."""
    needed, why = CLI_BASELINE
    for step in plan.steps:
        argv = step.az
        for version, what, words in CLI_FEATURES:
            if all(word in argv for word in words) and version > needed:
                if words == ("network", "--sku", "StandardV2") and argv.index("network") != 1:
                    continue
                needed, why = version, what
    return ".".join(str(part) for part in needed), why


def _version_check(plan: Plan) -> list[str]:
    version, why = required_cli(plan)
    return [
        f"# azure-cli {version} or later is needed ({why}); stop here with a clear message",
        "# rather than half-way through with an unknown-argument error.",
        f"AZ_CLI_MIN_VERSION={version}",
        "AZ_CLI_VERSION=\"$(az version --query '\"azure-cli\"' --output tsv 2>/dev/null || true)\"",
        'if [[ -z "${AZ_CLI_VERSION}" || "$(printf \'%s\\n\' "${AZ_CLI_MIN_VERSION}" '
        '"${AZ_CLI_VERSION}" | sort -V | head -n 1)" != "${AZ_CLI_MIN_VERSION}" ]]; then',
        f'  echo "This script needs azure-cli ${{AZ_CLI_MIN_VERSION}} or later ({why}); found '
        '${AZ_CLI_VERSION:-no az}. Run: az upgrade" >&2',
        "  exit 1",
        "fi",
        "",
    ]


def to_az_script(plan: Plan) -> str:
    """The bash script for `plan`."""
    return _Script(plan).render()


def secret_variable(name: str) -> str:
    """The environment variable that carries the secret `name` (windows-admin-password ->
    WINDOWS_ADMIN_PASSWORD)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


class _Script:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.subscription = plan.subscription_id
        self.refs = self._references()
        self.secrets = sorted({name for step in plan.steps for arg in step.az
                               for name in placeholders.secrets_in(arg)})

    def _references(self) -> dict[tuple[str, str], str]:
        """(step key, json path) -> shell variable, for every `{{ref:...}}` the commands use."""
        refs: dict[tuple[str, str], str] = {}
        for step in self.plan.steps:
            for arg in step.az:
                for kind, value in placeholders.find(arg):
                    if kind != "ref":
                        continue
                    key, path = placeholders.split_ref(value)
                    if (key, path) not in refs:
                        target = self.plan.step(key)
                        leaf = path.rsplit(".", 1)[-1]
                        refs[(key, path)] = _variable(f"{target.name}_{leaf}")
        return refs

    # -- words -------------------------------------------------------------------------------
    def word(self, arg: str) -> str:
        """One argv element as one shell word: literals quoted, the subscription, references and
        secrets as variable expansions inside double quotes."""
        pieces: list[str] = []
        position = 0
        for match in placeholders.PATTERN.finditer(arg):
            pieces.extend(self._literal(arg[position:match.start()]))
            kind, value = match.groups()
            if kind == "secret":
                variable = secret_variable(value)
                pieces.append(f'"${{{variable}:?set {variable} to the {_secret_label(value)}}}"')
            else:
                key, path = placeholders.split_ref(value)
                pieces.append(f'"${{{self.refs[(key, path)]}}}"')
            position = match.end()
        pieces.extend(self._literal(arg[position:]))
        return "".join(pieces) or "''"

    def _literal(self, text: str) -> Iterable[str]:
        if not text:
            return []
        # Ids the user typed (existing public IPs) may spell the subscription in upper case.
        parts = re.split(f"/subscriptions/{re.escape(self.subscription)}", text,
                         flags=re.IGNORECASE)
        out: list[str] = []
        for index, part in enumerate(parts):
            if index:
                out.append(shlex.quote("/subscriptions/") + '"${SUBSCRIPTION_ID}"')
            if part:
                out.append(shlex.quote(part))
        return out

    def command(self, argv: Iterable[str]) -> str:
        """The command with each option and its values on a line of their own."""
        lines: list[list[str]] = [[]]
        for arg in argv:
            if arg.startswith("--") and lines[-1]:
                lines.append([])
            lines[-1].append(self.word(arg))
        return " \\\n    ".join(" ".join(line) for line in lines)

    # -- sections ----------------------------------------------------------------------------
    def render(self) -> str:
        blocks = [self.header(), self.preamble()]
        role_steps = [step for step in self.plan.steps if step.kind == "role_assignment"]
        for step in self.plan.steps:
            if step.kind == "managed_cluster" and role_steps:
                blocks.append(self.role_wait(role_steps))
            blocks.append(self.step_block(step))
        blocks.append(self.footer())
        return "\n".join(blocks)

    def header(self) -> str:
        plan = self.plan
        lines = [
            "#!/usr/bin/env bash",
            *_comment(f"Creates AKS cluster {plan.cluster_name} ({plan.outbound_type}) in "
                      f"resource group {plan.resource_group}, {plan.location}."),
            *_comment("Generated by aks-nat-wizard from its plan: the steps `aks-nat-wizard "
                      "apply` runs. Follows https://learn.microsoft.com/azure/aks/nat-gateway."),
            "# Run it after `az login`.",
            "#",
            f"# It creates, in this order ({len(plan.steps)} steps):",
            *(f"#   {index:>2}. {_one_line(step.summary)}"
              for index, step in enumerate(plan.steps, start=1)),
        ]
        if plan.total_snat_ports:
            lines.append(f"# Egress capacity: {plan.total_snat_ports:,} SNAT ports.")
        for name in self.secrets:
            lines += _comment(f"Needs {secret_variable(name)} in the environment: the "
                              f"{_secret_label(name)}, never written into this file.")
        return "\n".join(lines) + "\n"

    def preamble(self) -> str:
        lines = ["set -euo pipefail", "", *_version_check(self.plan)]
        for name in self.secrets:
            variable = secret_variable(name)
            lines.append(f': "${{{variable}:?set {variable} to the {_secret_label(name)}}}"')
        if self.subscription != PLACEHOLDER_SUBSCRIPTION:
            lines += [f"SUBSCRIPTION_ID={shlex.quote(self.subscription)}",
                      'az account set --subscription "${SUBSCRIPTION_ID}"']
        elif self._uses_subscription():
            lines += ["# The subscription your `az login` uses.",
                      'SUBSCRIPTION_ID="$(az account show --query id --output tsv)"']
        if any(step.kind == "role_assignment" for step in self.plan.steps):
            lines += ["", _ROLE_WAIT.rstrip("\n")]
        return "\n".join(lines).rstrip("\n") + "\n"

    def _uses_subscription(self) -> bool:
        marker = f"/subscriptions/{self.subscription}"
        return any(marker in arg for step in self.plan.steps for arg in step.az)

    def step_block(self, step: Step) -> str:
        lines = [*_comment(step.summary), *_comment(f"Why: {step.why}"), self.command(step.az)]
        for (key, path), variable in self.refs.items():
            if key == step.key:
                lines += [f"# Read {path} of {step.name}: later commands need it.",
                          f'{variable}="$({self.command(_show(step, path))})"']
        return "\n".join(lines) + "\n"

    def role_wait(self, role_steps: list[Step]) -> str:
        lines = ["# Wait for the cluster identity's rights on the subnet(s) before creating the "
                 "cluster."]
        for step in role_steps:
            principal = next(arg for arg in step.az if placeholders.PATTERN.search(arg))
            scope = step.az[step.az.index("--scope") + 1]
            lines.append(f"wait_for_role_assignment {self.word(principal)} {self.word(scope)}")
        lines.append(f"sleep {_PROPAGATION_SECONDS}")
        return "\n".join(lines) + "\n"

    def footer(self) -> str:
        plan = self.plan
        credentials = ["az", "aks", "get-credentials", "--resource-group", plan.resource_group,
                       "--name", plan.cluster_name]
        return ("# Done. To use the cluster with kubectl:\n"
                f"#   {' '.join(shlex.quote(arg) for arg in credentials)}\n")


def _show(step: Step, path: str) -> list[str]:
    """The `az` command that prints one attribute of a step's resource."""
    if step.kind == "identity":
        group = step.resource_id.split("/")[4]
        return ["az", "identity", "show", "--resource-group", group, "--name", step.name,
                "--query", path.removeprefix("properties."), "--output", "tsv"]
    return ["az", "resource", "show", "--ids", step.resource_id, "--query", path,
            "--output", "tsv"]


def _variable(text: str) -> str:
    """A shell variable name from free text (upper case, letters, digits and underscores)."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()
    return name if name[:1].isalpha() else f"V_{name}"


def _secret_label(name: str) -> str:
    return name.replace("-", " ").replace("_", " ")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _comment(text: str) -> list[str]:
    """Comment lines of at most 100 columns."""
    return textwrap.wrap(_one_line(text), width=98, initial_indent="# ", subsequent_indent="# ",
                         break_long_words=False, break_on_hyphens=False)
