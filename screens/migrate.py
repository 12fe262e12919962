"""Change an existing cluster's outbound type: pick the cluster, the new type, a few settings, read
what changes, confirm.

The directions Azure does not support are listed too, greyed, each with the reason, so nobody has to
find out by trying. The plan is computed as the user types (`wizard.plan.migration.plan_migration`
is pure); the subscription checks (quota, a subnet already on another NAT gateway) run in a worker.
Nothing changes in Azure before the confirmation; the execution screen then runs the migration,
pausing after new public IPs are created so allow-lists can be updated before egress moves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from screens.migration_text import TARGET_LABELS, cluster_facts, confirmation, migration_details
from screens.modals import ConfirmModal
from screens.widgets.snat_health import SnatHealth
from screens.workers import migrate_runner
from wizard.plan.migration_draft import MigrationDraft
from wizard.text.errors import first_line

if TYPE_CHECKING:
    from wizard.azure.clusters import ClusterSummary
    from wizard.azure.discovery import Discovery, PublicIp
    from wizard.azure.importer import ImportedCluster
    from wizard.model.findings import Finding
    from wizard.model.health import Diagnosis, EgressSeries
    from wizard.plan.migration import MigrationPlan

SETTINGS = {"ip-count": "outbound.ip_count", "idle": "outbound.idle_timeout_minutes"}
"""The settings' input ids, and the paths of `wizard.plan.migration_draft.SETTINGS` they set."""
HEALTH_DAYS = 7
class MigrateScreen(Screen[None]):
    """Pick a cluster and the outbound type to move it to; see what changes; confirm."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="migrate-back-key", tooltip="Back to the start"),
        Binding("ctrl+r", "migrate", "Migrate", id="migrate-key",
                tooltip="Confirm and run the migration (once its checks passed)"),
        Binding("ctrl+s", "save_script", "Save az script", id="migrate-script",
                tooltip="Write the same migration as an az script (to review, or to run "
                "yourself)"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit-migrate", tooltip="Leave the wizard"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="migrate-screen")
        self.clusters: list[ClusterSummary] = []
        self.draft: MigrationDraft | None = None
        """The migration being set up (the same draft the `--simple` flow edits), once the
        picked cluster is read."""
        self._discovery: Discovery | None = None
        self.free_ips: list[PublicIp] = []
        """Public IPs of the cluster's region that a new NAT gateway could reuse."""
        self.diagnosis: Diagnosis | None = None
        """The picked cluster's SNAT verdict; its recommendation pre-fills the settings."""
        self.health_now: Callable[[], datetime] = lambda: datetime.now(UTC)
        """When the verdict's window ends (fixed by snapshot tests)."""

    @property
    def imported(self) -> ImportedCluster | None:
        return self.draft.imported if self.draft is not None else None

    @property
    def target_type(self) -> str | None:
        return self.draft.target_type if self.draft is not None else None

    @property
    def planned(self) -> MigrationPlan | None:
        return self.draft.planned if self.draft is not None else None

    @property
    def problem(self) -> str | None:
        """Why no plan can be made from the current choices (a refusal, a bad setting)."""
        return self.draft.problem if self.draft is not None else None

    @property
    def checks(self) -> list[Finding] | None:
        """The subscription checks of `planned`; None while they run."""
        return self.draft.checks if self.draft is not None else None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="migrate"):
            yield Static(Content.assemble(
                ("Change an existing cluster's outbound type. ", "bold"),
                "Azure allows: on the VNet AKS created, load balancer -> managed NAT gateway; on "
                "your own VNet, load balancer <-> your own NAT gateway. Nothing changes until you "
                "confirm."), id="migrate-intro")
            yield Static("1. Cluster", classes="section-title")
            yield Static("", id="cluster-status")
            yield OptionList(id="cluster-list")
            yield SnatHealth(id="snat-health")
            yield Static("", id="cluster-facts")
            yield Static("2. Move egress to", classes="section-title step-2")
            yield OptionList(id="target-list", classes="step-2")
            yield Static("3. Settings", classes="section-title step-3")
            with Horizontal(id="migrate-settings", classes="step-3"):
                yield Label("Outbound IPs")
                yield Input(id="mig-ip-count", type="integer", compact=True)
                yield Label("Idle timeout (minutes)")
                yield Input(id="mig-idle", type="integer", compact=True)
            yield Static("Or reuse public IPs you already have (nothing holds them; their "
                         "addresses stay the same):", id="reuse-title", classes="step-3")
            yield SelectionList[str](id="mig-reuse", classes="step-3", compact=True)
            yield Static("4. Before you migrate", classes="section-title step-3")
            yield Static("", id="migration-details", classes="step-3")
        with Horizontal(id="migrate-buttons"):
            yield Button("Back", id="migrate-back", compact=True)
            yield Static("", id="migrate-status")
            yield Button("Migrate...", id="migrate-go", variant="warning", disabled=True,
                         compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Change an existing cluster's outbound type"
        self._show_stage()
        where = self.app.target_description  # type: ignore[attr-defined]
        self.query_one("#cluster-status", Static).update(
            Content(f"Reading the clusters of {where}..."))
        self._load_clusters()

    def on_unmount(self) -> None:
        """Leaving the screen stops whatever its workers are still reading."""
        if self._discovery is not None:
            self._discovery.cancel()

    def _show_stage(self) -> None:
        for widget in self.query(".step-2"):
            widget.display = self.imported is not None
        for widget in self.query(".step-3"):
            widget.display = self.imported is not None and self.target_type is not None
        reuse = self.target_type == "user_assigned" and bool(self.free_ips)
        self.query_one("#reuse-title").display = self.query_one("#mig-reuse").display = \
            reuse and self.target_type is not None
        self.query_one("#cluster-list").display = bool(self.clusters)
        go = self.query_one("#migrate-go", Button)
        go.disabled = not self.ready
        self.query_one("#migrate-status", Static).update(self._status_line())
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "migrate":
            return True if self.ready else None
        if action == "save_script":
            return True if self.planned is not None else None
        return True

    def action_save_script(self) -> None:
        """Save the migration's steps as an az script (the same export as a new plan's)."""
        planned = self.planned
        if planned is None:
            return
        from screens.save_file import ask_and_save
        from wizard.export import FORMATS

        ask_and_save(self.app, "Save the migration as an az script", "az script",
                     FORMATS["az"](planned.plan),
                     f"{planned.target.cluster.name}-to-{planned.target_type}.sh",
                     executable=True)

    def _status_line(self) -> str:
        """Why Migrate is not available yet, in a few words."""
        if self.imported is None:
            return "Choose a cluster"
        if self.target_type is None:
            return "Choose the new outbound type"
        if self.planned is None:
            return "Fix the settings"
        if self.checks is None:
            return "Checking the subscription..."
        if not self.ready:
            return "A check failed: see Before you migrate"
        return "Ready: read Before you migrate, then Migrate (ctrl+r)"

    @property
    def ready(self) -> bool:
        """A plan exists and its checks ran without an error."""
        return (self.planned is not None and self.checks is not None
                and not any(f.severity == "error" for f in self.checks))

    # -- 1. the cluster ----------------------------------------------------------------------
    def _connect(self) -> Discovery:
        if self._discovery is None:
            self._discovery = migrate_runner.connect(self.app.target)  # type: ignore[attr-defined]
        return self._discovery

    @work(thread=True, exclusive=True, group="clusters")
    def _load_clusters(self) -> None:
        try:
            clusters = migrate_runner.list_clusters(self._connect())
        except Exception as error:  # shown on screen
            self.app.call_from_thread(self._status, "Could not read the clusters: "
                                      + first_line(error), error=True)
            return
        self.app.call_from_thread(self._show_clusters, clusters)

    def _status(self, text: str, *, error: bool = False) -> None:
        if not self.is_attached:
            return  # the user left while a worker was reading
        self.query_one("#cluster-status", Static).update(
            Content.styled(text, "$text-error") if error else Content(text))

    def _show_clusters(self, clusters: list[ClusterSummary]) -> None:
        if not self.is_attached:
            return  # the user left while a worker was reading
        self.clusters = clusters
        box = self.query_one("#cluster-list", OptionList)
        box.clear_options()
        for choice in clusters:
            vnet = "your own VNet" if choice.own_vnet else "AKS-managed VNet"
            box.add_option(Option(Content.assemble(
                (choice.reference, "bold"),
                f"  {choice.outbound_type}, {choice.location}, {vnet}"), id=choice.reference))
        if clusters:
            self._status(f"{len(clusters)} cluster(s). Choose the one to change (Enter).")
            box.highlighted = 0
            box.focus()
        else:
            sandbox = self.app.target.sandbox  # type: ignore[attr-defined]
            hint = (" In the sandbox, create one with the wizard first, or start it with "
                    "AKS_NAT_WIZARD_SANDBOX_SEED=demo for a VNet and two load-balancer clusters."
                    if sandbox else "")
            self._status("There are no AKS clusters in this subscription." + hint)
        self._show_stage()

    @on(OptionList.OptionSelected, "#cluster-list")
    def _cluster_chosen(self, event: OptionList.OptionSelected) -> None:
        choice = next((c for c in self.clusters if c.reference == event.option.id), None)
        if choice is None:
            return
        self.draft, self.diagnosis = None, None
        self._show_stage()
        self.query_one(SnatHealth).show_message(
            f"Reading the SNAT metrics of {choice.reference}...")
        self.query_one("#cluster-facts", Static).update(Content(f"Reading {choice.reference}..."))
        self._read_health(choice)
        self._read_cluster(choice)

    @work(thread=True, exclusive=True, group="health")
    def _read_health(self, choice: ClusterSummary) -> None:
        try:
            diagnosis, series = migrate_runner.diagnose(self._connect(), choice, HEALTH_DAYS,
                                                        self.health_now())
        except Exception as error:  # shown on screen; the migration does not need it
            self.app.call_from_thread(self._health_problem, choice,
                                      f"No SNAT verdict: {first_line(error)}")
            return
        self.app.call_from_thread(self._show_health, choice, diagnosis, series)

    def _picked(self, choice: ClusterSummary) -> bool:
        """Whether `choice` is still the highlighted cluster (False once the screen is going
        away: a worker may finish while its widgets are removed)."""
        from textual.css.query import NoMatches

        try:
            box = self.query_one("#cluster-list", OptionList)
        except NoMatches:
            return False
        option = box.highlighted_option
        return option is not None and option.id == choice.reference

    def _health_problem(self, choice: ClusterSummary, message: str) -> None:
        if self.is_attached and self._picked(choice):
            self.query_one(SnatHealth).show_message(message, error=True)

    def _show_health(self, choice: ClusterSummary, diagnosis: Diagnosis,
                     series: EgressSeries) -> None:
        if not self.is_attached or not self._picked(choice):
            return  # the user left, or picked another cluster meanwhile
        self.diagnosis = diagnosis
        if self.draft is not None:
            self.draft.diagnosis = diagnosis
        self.query_one(SnatHealth).show(diagnosis, series, HEALTH_DAYS)
        if self.imported is not None and self.target_type is None:
            self._highlight_recommended()

    def _highlight_recommended(self) -> None:
        """Put the target list on the recommended outbound type, when it is offered."""
        wanted = self.draft.recommended_target() if self.draft is not None else None
        targets = self.query_one("#target-list", OptionList)
        for index, option in enumerate(targets.options):
            if option.id == wanted and not option.disabled:
                targets.highlighted = index

    @work(thread=True, exclusive=True, group="cluster")
    def _read_cluster(self, choice: ClusterSummary) -> None:
        try:
            imported = migrate_runner.read_cluster(self._connect(), choice)
        except Exception as error:  # shown on screen
            message = f"Could not read {choice.reference}: {first_line(error)}"
            self.app.call_from_thread(self._facts_problem, message)
            return
        try:
            free = migrate_runner.free_public_ips(self._connect(), choice.location)
        except Exception:  # an offer, not a need: without it new IPs are created
            free = []
        self.app.call_from_thread(self._show_cluster, imported, free)

    def _facts_problem(self, message: str) -> None:
        if not self.is_attached:
            return  # the user left while a worker was reading
        self.query_one("#cluster-facts", Static).update(Content.styled(message, "$text-error"))

    def _show_cluster(self, imported: ImportedCluster, free: list[PublicIp]) -> None:
        if not self.is_attached:
            return  # the user left while a worker was reading
        self.draft = draft = MigrationDraft(imported, diagnosis=self.diagnosis)
        self.free_ips = free
        reuse = self.query_one("#mig-reuse", SelectionList)
        reuse.clear_options()
        for ip in free:
            reuse.add_option(Selection(f"{ip.name} {ip.address or ''}  (resource group "
                                       f"{ip.resource_group})", ip.id))
        self.query_one("#cluster-facts", Static).update(cluster_facts(imported))
        targets = self.query_one("#target-list", OptionList)
        targets.clear_options()
        for target_type, reason in draft.refusals():
            label = TARGET_LABELS[target_type]
            if reason is None:
                targets.add_option(Option(Content(label), id=target_type))
            else:
                targets.add_option(Option(Content.assemble(
                    (label, "dim strike"), "\n", (f"  not possible: {reason}", "dim italic")),
                    id=target_type, disabled=True))
        self._show_stage()
        if draft.allowed():
            targets.focus()
            targets.highlighted = next(i for i, option in enumerate(targets.options)
                                       if not option.disabled)
            self._highlight_recommended()

    # -- 2. the new outbound type, 3. its settings ---------------------------------------------
    @on(OptionList.OptionSelected, "#target-list")
    def _target_chosen(self, event: OptionList.OptionSelected) -> None:
        from wizard.model import fields

        draft = self.draft
        if event.option.disabled or not event.option.id or draft is None:
            return
        draft.choose(event.option.id)  # type: ignore[arg-type]
        for ident, path in SETTINGS.items():
            box = self.query_one(f"#mig-{ident}", Input)
            default = fields.outbound_spec(path, event.option.id).default
            box.placeholder = str(default) if default is not None else ""
        current = getattr(draft.imported.config.outbound, "ip_count", 1)
        idle = ""
        advice = draft.advice()
        if advice is not None:  # the SNAT verdict's recommendation: what its peak needs
            current, idle = advice.ip_count, str(advice.idle_timeout_minutes)
        with self.prevent(Input.Changed):
            self.query_one("#mig-ip-count", Input).value = str(current)
            self.query_one("#mig-idle", Input).value = idle
        self._show_stage()
        self.replan()
        self.call_after_refresh(self._focus_settings)

    def _focus_settings(self) -> None:
        """Bring the settings and what follows into view, the idle timeout focused."""
        next(iter(self.query(".step-3"))).scroll_visible(top=True, animate=False)
        self.query_one("#mig-idle", Input).focus(scroll_visible=False)

    @on(Input.Changed, "#migrate-settings Input")
    @on(SelectionList.SelectedChanged, "#mig-reuse")
    def _setting_changed(self) -> None:
        self.replan()

    def replan(self) -> None:
        """Copy the boxes into the draft, plan it, and read its subscription checks (in a
        worker); reused IPs set the IP count themselves, so its box is disabled then."""
        draft = self.draft
        if draft is None or draft.target_type is None:
            return
        draft.settings = {path: self.query_one(f"#mig-{ident}", Input).value
                          for ident, path in SETTINGS.items()}
        draft.reused_ips = (list(self.query_one("#mig-reuse", SelectionList).selected)
                            if draft.target_type == "user_assigned" else [])
        self.query_one("#mig-ip-count", Input).disabled = bool(draft.reused_ips)
        planned = draft.replan()
        self._show_details()
        if planned is not None:
            self._check(planned)

    @work(thread=True, exclusive=True, group="checks")
    def _check(self, planned: MigrationPlan) -> None:
        from wizard.model.findings import Finding

        try:
            found = migrate_runner.check(self._connect(), planned)
        except Exception as error:  # a check that cannot run blocks, and says why
            found = [Finding("error", "", "could not read the subscription: "
                             + first_line(error), code="preflight.unreadable")]
        self.app.call_from_thread(self._checked, planned, found)

    def _checked(self, planned: MigrationPlan, found: list[Finding]) -> None:
        if not self.is_attached or self.draft is None:
            return  # the user left while a worker was reading
        if self.draft.checked(planned, found):  # else a newer plan's check is running
            self._show_details()

    # -- 4. what changes ---------------------------------------------------------------------
    def _show_details(self) -> None:
        self.query_one("#migration-details", Static).update(
            migration_details(self.planned, self.problem, self.checks))
        self._show_stage()

    # -- confirm and go ----------------------------------------------------------------------
    def action_migrate(self) -> None:
        planned = self.planned
        if planned is None or not self.ready:
            return
        cluster = planned.target.cluster
        body = confirmation(planned, self.app.target_description)  # type: ignore[attr-defined]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.open_migration(planned)  # type: ignore[attr-defined]

        self.app.push_screen(ConfirmModal(f"Migrate {cluster.name}?", body, "Migrate",
                                          danger=True), confirmed)

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#migrate-go")
    def _go(self) -> None:
        self.action_migrate()

    @on(Button.Pressed, "#migrate-back")
    def _back(self) -> None:
        self.action_back()

    def choose(self, reference: str) -> bool:
        """Pick a cluster by `resource_group/name` (the palette and tests use it)."""
        box = self.query_one("#cluster-list", OptionList)
        for index, option in enumerate(box.options):
            if option.id == reference:
                box.highlighted = index
                box.action_select()
                return True
        return False

    def choose_target(self, target_type: str) -> bool:
        """Pick the new outbound type; False when it is not offered (refused)."""
        box = self.query_one("#target-list", OptionList)
        for index, option in enumerate(box.options):
            if option.id == target_type and not option.disabled:
                box.highlighted = index
                box.action_select()
                return True
        return False
