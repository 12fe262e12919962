"""The `--simple` path for an existing cluster: change its outbound type, one question at a time.

The plain-prompt twin of the full-screen app's migration screen and of `aks-nat-wizard migrate`:
pick a cluster of the subscription, read what it uses today, pick the new outbound type among
the directions Azure allows (the refused ones are listed with the reason), answer the IP count
and idle timeout (validated like every other prompt, re-asked until valid), optionally reuse free
public IPs for a NAT gateway of your own, read the steps, the notices, the resources it modifies
and the subscription's checks, confirm. New public IPs are created first and their addresses
shown; egress moves only after a second yes, so allow-lists can be updated in between.

Everything it decides comes from `wizard.plan.migration` (pure) and `wizard.azure` (reads); runs go
through `wizard.console.migration_run`, the same code as the CLI, so the exit codes are the CLI's: 0
done, 2 refused, invalid or declined (nothing changed), 1 failed (with the resume and rollback
commands), 130 interrupted.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from wizard.console import render
from wizard.model import fields
from wizard.plan import migration as migrate
from wizard.plan.migration_draft import SETTINGS, MigrationDraft
from wizard.prompts.questions import Asker, Cancelled, field_error

if TYPE_CHECKING:
    from wizard.azure.discovery import Discovery, PublicIp
    from wizard.azure.importer import ImportedCluster
    from wizard.model.findings import Finding
    from wizard.model.health import Diagnosis
    from wizard.plan.migration import MigrationPlan

EXISTING = "Existing cluster: change its outbound type"
TARGET_LABELS = {
    "managed": "Managed NAT gateway (managedNATGateway): AKS creates and runs it",
    "user_assigned": "Your own NAT gateway on the cluster's subnet (userAssignedNATGateway)",
    "load_balancer": "Load balancer (loadBalancer)",
}
HEALTH_DAYS = 7
EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130
SEED_HINT = (" In the sandbox, create one with the wizard first, or start it with "
             "AKS_NAT_WIZARD_SANDBOX_SEED=demo for a VNet and two load-balancer clusters.")


class Stop(Exception):
    """The flow ends here: `message` says why, `code` is the exit code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def run_migration(asker: Asker, console: Console, *, sandbox: bool,
                  sandbox_state: str | None) -> int:
    """The whole existing-cluster path; returns the exit code, never raises for the user's
    input, a refusal, Azure's answers or Ctrl-C."""
    flow = MigrationFlow(asker, console, sandbox=sandbox, sandbox_state=sandbox_state)
    try:
        return flow.run()
    except Stop as stop:
        console.print(Text(stop.message))
        return stop.code
    except (Cancelled, KeyboardInterrupt):
        console.print(Text(flow.stopped_message()))
        return EXIT_INTERRUPTED


class MigrationFlow:
    """One session: the target it reads, and what the user chose so far."""

    def __init__(self, asker: Asker, console: Console, *, sandbox: bool,
                 sandbox_state: str | None) -> None:
        self.asker = asker
        self.console = console
        self.sandbox = sandbox
        self.sandbox_state = sandbox_state
        self.backend: Any = None
        self.description = "the sandbox" if sandbox else "your Azure subscription"
        self.first_run: str | None = None
        """The run id of the phase that created new public IPs, once it ran."""
        self.diagnosis: Diagnosis | None = None
        """The chosen cluster's SNAT verdict, once read; its recommendation pre-fills."""

    def say(self, text: str, style: str = "") -> None:
        self.console.print(Text(text, style=style))

    def stopped_message(self) -> str:
        if self.first_run is None:
            return "Stopped; nothing was changed."
        return (f"Stopped. The new public IPs exist (run {self.first_run}); egress has not "
                "moved: the cluster still leaves from its old IPs.")

    # -- the session ---------------------------------------------------------------------------
    def run(self) -> int:
        from wizard.azure.migration_checks import egress_after, ip_addresses, migration_findings
        from wizard.console.migration_run import PHASE_OK, run_phase

        discovery = self.connect()
        imported = self.choose_cluster(discovery)
        draft = MigrationDraft(imported, diagnosis=self.diagnosis)
        self.choose_target(draft)
        free = (self.free_ips(discovery, imported) if draft.target_type == "user_assigned"
                else [])
        self.ask_settings(draft, free)
        planned = draft.replan()
        if planned is None:
            raise Stop(EXIT_INVALID, f"Cannot migrate: {draft.problem}")
        overrides = draft.overrides()
        self.show_details(planned, self.read(lambda: migration_findings(planned, discovery)))
        self.confirm_start(planned)
        *first, last = planned.phases()
        for index, phase in enumerate(first):  # the new public IPs, for the allow-lists first
            self.say("\nCreating the new public IPs (egress does not move yet):", "bold")
            result = run_phase(phase, planned.target, self.backend, self.description,
                               self.console, planned.purpose(index))
            if result.code != PHASE_OK:
                return result.code
            self.first_run = result.run_id
            addresses = self.read_after(lambda: ip_addresses(self.backend,
                                                             planned.new_ip_steps))
            self.say("New egress IPs (add them to allow-lists now): " + ", ".join(addresses),
                     "bold")
            self.say("Egress has not moved yet: the cluster still leaves from its old IPs. Add "
                     "the new ones to downstream allow-lists (firewalls, authorized IP ranges) "
                     "before you go on.")
            self.confirm_move(planned, overrides, result.rollback)
        self.say("\nMoving egress:", "bold")
        result = run_phase(last, planned.target, self.backend, self.description, self.console,
                           planned.purpose(len(first)))
        if result.code != PHASE_OK:
            return result.code
        cluster = planned.target.cluster
        self.say(f"Done: {cluster.resource_group}/{cluster.name} now uses outbound type "
                 f"{migrate.OUTBOUND_WIRE[planned.target_type]}.", "bold")
        egress = self.read_after(lambda: egress_after(self.backend, planned))
        self.say("Egress IPs now: " + (", ".join(egress) or "none found"))
        self.say("Remove the old egress IPs from allow-lists once traffic is confirmed.")
        return EXIT_OK

    def connect(self) -> Discovery:
        from wizard.azure.backend import AzureError
        from wizard.azure.discovery import Discovery
        from wizard.run import target

        try:
            self.backend, self.description = target.make_backend(
                sandbox=self.sandbox, sandbox_state=self.sandbox_state, subscription=None)
        except AzureError as error:
            raise Stop(EXIT_FAILED, f"{error.message} ({error.code}). {error.hint}") from None
        return Discovery(self.backend)

    def read(self, what: Callable[[], Any]) -> Any:
        """`what()`, with a failure to read Azure (or a cluster gone) as a stop, not a
        traceback."""
        from wizard.azure.discovery import DiscoveryError
        from wizard.azure.importer import ClusterImportError

        try:
            return what()
        except ClusterImportError as error:
            raise Stop(EXIT_INVALID, f"Cannot migrate: {error}") from None
        except DiscoveryError as error:
            raise Stop(EXIT_FAILED, f"Could not read {self.description}: {error}") from None

    def read_after(self, what: Callable[[], list[str]]) -> list[str]:
        """A read after a run succeeded: a failure to read is said, not fatal."""
        try:
            return what()
        except Exception as error:  # the run itself succeeded; say what is unknown
            from wizard.text.errors import first_line

            return [f"(could not read them: {first_line(error)})"]

    # -- 1. the cluster ------------------------------------------------------------------------
    def choose_cluster(self, discovery: Discovery) -> ImportedCluster:
        from wizard.azure.clusters import list_clusters
        from wizard.azure.importer import import_cluster

        clusters = self.read(lambda: list_clusters(discovery))
        if not clusters:
            raise Stop(EXIT_INVALID, f"There are no AKS clusters in {self.description}."
                       + (SEED_HINT if self.sandbox else ""))
        labels = {}
        for choice in clusters:
            vnet = "your own VNet" if choice.own_vnet else "AKS-managed VNet"
            labels[f"{choice.reference}: {choice.outbound_type}, {choice.location}, "
                   f"{vnet}"] = choice
        answer = self.asker.select(
            "Cluster to change", list(labels), next(iter(labels)),
            f"The AKS clusters of {self.description}: resource group/name, outbound type "
            "today, region, and whose VNet the nodes run on. Nothing changes until you "
            "confirm.")
        if answer is None:
            raise Cancelled
        chosen = labels[answer]
        imported: ImportedCluster = self.read(
            lambda: import_cluster(discovery, chosen.resource_group, chosen.name))
        config = imported.config
        vnet = "your own VNet" if migrate.is_byo(config) else "the VNet AKS created"
        egress = ", ".join(f"{ip.name} ({ip.address or 'no address'})"
                           for ip in imported.egress_ips) or "not found"
        self.say(f"\n{chosen.reference} in {config.cluster.location}: outbound type "
                 f"{imported.outbound_type} on {vnet}.", "bold")
        self.say(f"Egress leaves from: {egress}.")
        for note in imported.notes:
            self.say(f"Note: {note}")
        self.show_health(discovery, imported)
        return imported

    def show_health(self, discovery: Discovery, imported: ImportedCluster) -> None:
        """The cluster's SNAT verdict over the last week, in words and a text plot; its
        recommendation becomes the default of what follows. A failure to read it is said."""
        from wizard.azure.metrics import diagnose_cluster
        from wizard.model import health
        from wizard.text.errors import first_line

        try:
            diagnosis, series = diagnose_cluster(self.backend, discovery, imported.cluster,
                                                 HEALTH_DAYS)
        except Exception as error:  # the migration does not need it
            self.say(f"No SNAT verdict: {first_line(error)}")
            return
        self.diagnosis = diagnosis
        lines = diagnosis.summary()
        self.say(f"SNAT health over the last {HEALTH_DAYS} days: {diagnosis.words}.", "bold")
        for line in lines[1:]:
            self.say(f"  {line}")
        if not series.empty:
            self.say("  Ports used / allocated: "
                     + health.sparkline(health.usage_share(series), 48, top=1.0))
            if any(series.failed_connections):
                self.say("  Failed connections:     "
                         + health.sparkline(series.failed_connections, 48))

    # -- 2. the new outbound type --------------------------------------------------------------
    def choose_target(self, draft: MigrationDraft) -> None:
        for target_type, reason in draft.refusals():
            if reason is not None:
                self.say(f"Not possible: {TARGET_LABELS[target_type]}: {reason}.")
        allowed = draft.allowed()
        if not allowed:
            raise Stop(EXIT_INVALID, "This cluster cannot move to another outbound type.")
        labels = {TARGET_LABELS[t]: t for t in allowed}
        default = next(iter(labels))
        for label, target_type in labels.items():
            if target_type == draft.recommended_target():
                default = label  # what the SNAT verdict recommends
        answer = self.asker.select(
            "Move egress to", list(labels), default,
            "Only the directions Azure supports for this cluster are offered; the others are "
            "listed above with the reason.")
        if answer is None:
            raise Cancelled
        draft.choose(labels[answer])

    # -- 3. its settings -----------------------------------------------------------------------
    def free_ips(self, discovery: Discovery, imported: ImportedCluster) -> list[PublicIp]:
        from wizard.azure.clusters import free_public_ips

        try:
            return free_public_ips(discovery, imported.config.cluster.location)
        except Exception:  # an offer, not a need: without it new IPs are created
            return []

    def ask_settings(self, draft: MigrationDraft, free: list[PublicIp]) -> None:
        """Into the draft: reused IPs (they set the count), the IP count and the idle timeout,
        each re-asked until the model accepts it."""
        assert draft.target_type is not None
        target_type = draft.target_type
        data = migrate.target_data(draft.imported.config, target_type, draft.imported)
        advice = draft.advice()
        if advice is not None:  # the recommendation is each question's default
            self.say(f"Defaults from the SNAT verdict: {advice.ip_count} IP(s), idle timeout "
                     f"{advice.idle_timeout_minutes} minutes, sized for about "
                     f"{advice.concurrent_flows:,} concurrent flows.")
            for item in advice.sets():
                path, _, value = item.partition("=")
                data = fields.set_text(data, path, value)
        if free:
            labels = {f"{ip.name} {ip.address or ''} (resource group {ip.resource_group})": ip.id
                      for ip in free}
            while True:
                picked = self.asker.checkbox(
                    "Reuse public IPs you already have (optional)", list(labels), [],
                    "Standard public IPs of the cluster's region that nothing holds. Their "
                    "addresses stay the same, so allow-lists that name them need no change and "
                    "egress moves in one run. Choose none to create new IPs.")
                if picked is None:
                    raise Cancelled
                if not picked:
                    break
                ids = ",".join(labels[label] for label in picked)
                trial = fields.set_text(data, "outbound.public_ip_ids", ids)
                problem = field_error(trial, "outbound.public_ip_ids")
                if problem is None:
                    draft.reused_ips = [labels[label] for label in picked]
                    data = fields.set_text(trial, "outbound.ip_count", str(len(picked)))
                    break
                self.asker.say(f"  {problem}")
        for path in SETTINGS:
            if path == "outbound.ip_count" and draft.reused_ips:
                continue  # the reused IPs are the count
            draft.settings[path] = self.ask_number(data, path, target_type)
            data = fields.set_text(data, path, draft.settings[path])

    def ask_number(self, data: dict[str, Any], path: str, target_type: str) -> str:
        spec = fields.outbound_spec(path, target_type)
        current = fields.get_path(data, path)
        if current is None:
            current = spec.default
        label = spec.label + (f" ({spec.bounds_text})" if spec.bounds_text else "")

        def validate(raw: str) -> bool | str:
            return field_error(fields.set_text(data, path, raw), path) or True

        while True:
            answer = self.asker.text(label, fields.format_value(current), validate, spec.help)
            if answer is None:
                raise Cancelled
            verdict = validate(answer)
            if verdict is True:
                return answer.strip()
            self.asker.say(f"  {verdict}")

    # -- 4. what changes, confirm ----------------------------------------------------------------
    def show_details(self, planned: MigrationPlan, found: list[Finding]) -> None:
        for index, (heading, items) in enumerate(planned.sections()):
            self.say(f"{chr(10) if index == 0 else ''}{heading}:", "bold")
            for item in items:  # resource ids stay whole on one line, for copying
                self.console.print(Text(f"  {item}"), soft_wrap="/subscriptions/" in item)
        if found:
            self.say("Checks:", "bold")
            self.console.print(render.findings_view(found))
        else:
            self.say("Checks: no problems found.", "bold")
        errors = [f for f in found if f.severity == "error"]
        if errors:
            raise Stop(EXIT_INVALID, "Cannot migrate: " + "; ".join(
                f"{f.field + ': ' if f.field else ''}{f.message}" for f in errors))

    def confirm_start(self, planned: MigrationPlan) -> None:
        cluster = planned.target.cluster
        pause = f" {planned.pause_note}" if planned.pause_note else ""
        answer = self.asker.confirm(
            f"Migrate {cluster.resource_group}/{cluster.name} on {self.description} from "
            f"{migrate.OUTBOUND_WIRE[planned.source_type]} to "
            f"{migrate.OUTBOUND_WIRE[planned.target_type]}, modifying the "
            f"{len(planned.modifies)} resource(s) listed?", False,
            "Nothing changes unless you answer yes. Existing outbound connections drop when "
            "egress moves." + pause)
        if answer is None:
            raise Cancelled
        if not answer:  # a deliberate no, as in the --simple apply: not an error
            raise Stop(EXIT_OK, "Nothing was changed.")

    def confirm_move(self, planned: MigrationPlan, overrides: dict[str, str],
                     rollback: str) -> None:
        """The pause between the phases: go on only on a yes."""
        answer = self.asker.confirm(
            "Allow-lists updated; move egress to the new IPs now?", False,
            "Egress moves to the new IPs and existing outbound connections drop. Answer no to "
            "stop here: the new IPs stay, and you can move egress later.")
        if answer:
            return
        cluster = planned.target.cluster
        sets = " ".join(f"--set {shlex.quote(f'{path}={value}')}"
                        for path, value in overrides.items())
        from wizard.console.migration_run import target_flags

        later = (f"aks-nat-wizard migrate {cluster.resource_group}/{cluster.name} --to "
                 f"{planned.target_type} {sets} {target_flags(self.description)}").strip()
        raise Stop(EXIT_INTERRUPTED if answer is None else EXIT_OK,
                   "Egress has not moved: the cluster still leaves from its old IPs. The new "
                   f"public IPs stay. Move egress later with: {later}; or delete the new IPs "
                   f"with: {rollback}")
