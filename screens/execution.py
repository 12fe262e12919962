"""The execution screen: an apply, resume or rollback as it happens, step by step.

The executor runs in a thread worker; its events come back through `call_from_thread` and update
one row per step (waiting, running with a spinner and elapsed time, succeeded or exists, skipped,
failed with Azure's error and the hint), the overall progress bar and the log. Cancelling asks
first and leaves the run resumable; a failed run offers Resume and Rollback; a finished one shows
the resource ids and the `az aks get-credentials` command.

A migration (`wizard.plan.migration.MigrationPlan`) runs in its phases: when it creates public IPs,
those first, then the screen shows their addresses and waits for "Move egress now", so allow-lists
can be updated before the cluster's egress moves. Each phase is a run of its own (resumable, and
rolled back alone).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, ProgressBar, RichLog, Static

from screens.modals import ConfirmModal, stop_run_dialog
from screens.widgets.step_rows import RowState, StepRow
from screens.workers import apply_runner
from wizard.model.config import WizardConfig
from wizard.plan import Plan
from wizard.run.events import (
    Event,
    RunFinished,
    RunStarted,
    StepFailed,
    StepProgress,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)

if TYPE_CHECKING:
    from wizard.plan.migration import MigrationPlan
    from wizard.run.service import ApplyPreparation, RollbackPreparation, Run

Mode = Literal["apply", "resume", "rollback", "migrate"]
VERBS = {"apply": "Applying", "resume": "Resuming", "rollback": "Rolling back",
         "migrate": "Migrating"}


class ExecutionScreen(Screen[None]):
    """Runs one apply/resume/rollback and shows it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+x", "cancel_run", "Cancel run", id="cancel-run",
                tooltip="Stop starting steps (asks first); the run stays resumable"),
        Binding("r", "resume", "Resume", id="resume",
                tooltip="Continue the run where it stopped"),
        Binding("u", "rollback", "Roll back", id="rollback",
                tooltip="Delete what this run created (asks first)"),
        Binding("m", "move_egress", "Move egress now", id="move-egress",
                tooltip="Allow-lists updated: switch the cluster's egress to the new IPs"),
        Binding("w", "show_password", "Show Windows password", id="show-password",
                tooltip="Show the generated Windows admin password once"),
        Binding("n", "new", "New configuration", id="new-after-run",
                tooltip="Back to the start screen"),
        Binding("ctrl+q", "quit", "Quit", id="quit-run",
                tooltip="Leave the wizard (while a run is under way: stop it first, asking)"),
    ]

    def __init__(self, mode: Mode, *, config: WizardConfig | None = None,
                 run_id: str | None = None, migration: MigrationPlan | None = None) -> None:
        super().__init__(classes="execution-screen")
        self.mode: Mode = mode
        self.config = config
        self.run_id = run_id
        self.migration = migration
        self.phase = 0
        """Which of `migration.phases()` runs (or ran last)."""
        self.plan: Plan | None = None
        self.status: str = "starting"
        self._run: Run | None = None
        self._failures: list[StepFailed] = []
        self._egress: list[str] | None = None
        self._password: str | None = None
        self._quit_when_stopped = False
        self._before: tuple[Mode, str] = (mode, "starting")
        self._stop_rollback = threading.Event()
        self._rows: dict[str, StepRow] = {}
        self._frame = 0
        self._run_start = 0.0

    @property
    def _clock(self) -> float:
        return float(self.app.clock())  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="run-title")
        yield ProgressBar(id="overall", show_eta=False)
        with VerticalScroll(id="step-rows"):
            pass
        with VerticalScroll(id="run-summary-box"):
            yield Static("", id="run-summary")
        yield RichLog(id="run-log", max_lines=500, wrap=True, markup=False, highlight=False)
        with Horizontal(id="run-buttons"):
            yield Button("Cancel run", id="cancel-button", variant="error")
            yield Button("Move egress now", id="move-button", variant="warning")
            yield Button("Resume", id="resume-button", variant="primary")
            yield Button("Roll back", id="rollback-button", variant="warning")
            yield Button("New configuration", id="new-button")
            yield Button("Quit", id="quit-button")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = VERBS[self.mode]
        self.query_one("#run-summary-box").display = False
        self.set_interval(0.1, self._tick)
        self._start(self.mode)

    # -- running -------------------------------------------------------------------------------
    def _start(self, mode: Mode) -> None:
        self._before = (self.mode, self.status)
        self.mode = mode
        self.status = "starting"
        self._run_start = self._clock
        self.query_one("#run-summary-box").display = False
        self._update_title()
        self._update_buttons()
        self._work(mode)

    @work(thread=True, exclusive=True, group="run")
    def _work(self, mode: Mode) -> None:
        app = self.app
        target = app.target  # type: ignore[attr-defined]

        def listen(event: Event) -> None:
            app.call_from_thread(self._on_event, event)

        try:
            if mode == "rollback":
                assert self.run_id is not None
                self._stop_rollback = threading.Event()
                prepared_rollback = apply_runner.rollback(target, self.run_id)
                app.call_from_thread(self._confirm_rollback, prepared_rollback)
                return
            run: Run
            if mode == "apply":
                assert self.config is not None
                prepared = apply_runner.apply(target, self.config)
                if prepared.blocking:
                    app.call_from_thread(self._blocked, prepared)
                    return
                self._password = apply_runner.generated_password(prepared)
                run = prepared.start(listen)
            elif mode == "migrate":
                assert self.migration is not None
                run = apply_runner.migration(
                    target, self.migration.phases()[self.phase], self.migration.target,
                    self.migration.purpose(self.phase)).start(listen)
            else:
                assert self.run_id is not None
                run = apply_runner.resume(target, self.run_id).start(listen)
            self._run = run
            app.call_from_thread(self._show_plan, run.plan, run.run_id)
            result = run.execute()
            if self.migration is not None and result.status == "succeeded":
                self._after_phase(run.connection.backend)
            elif result.status == "succeeded":
                self._read_egress(run)
        except Exception as error:  # shown on screen; the journal keeps the run
            from wizard.text.errors import error_message

            app.call_from_thread(self._crashed, error_message(error))

    def _blocked(self, prepared: ApplyPreparation) -> None:
        """Preflight found errors or drift: nothing was created; say what and why."""
        self.status = "blocked"
        lines: list[str | tuple[str, str]] = [
            ("Nothing was created. ", "bold $text-error"), f"{prepared.blocking}\n"]
        for finding in prepared.errors:
            where = f" ({finding.field})" if finding.field else ""
            lines.append(f"\n  error{where}: {finding.message}")
        for check in prepared.drifted:
            lines.append(f"\n  {check.kind.replace('_', ' ')} {check.name}: {check.label}")
        lines.append("\n\nGo back to the review, change the settings, and apply again.")
        self.query_one("#run-summary", Static).update(Content.assemble(*lines))
        self.query_one("#run-summary-box").display = True
        self._log(f"refused before any change: {prepared.blocking}")
        self._finish_quit()
        self._update_title()
        self._update_buttons()

    def _confirm_rollback(self, prepared: RollbackPreparation) -> None:
        """The rollback holds the run's lock and has read what exists: ask, naming each one."""
        self.run_id = prepared.run_id
        container = self.query_one("#step-rows", VerticalScroll)
        container.remove_children()
        self._rows = {}
        for item in prepared.doomed:
            self._add_row(item.key, item.title)
        self._update_title()
        if not prepared.to_delete:  # all gone already: record it, nothing to ask
            self._delete(prepared)
            return
        listed = "\n".join(f"  {item.title}" for item in prepared.to_delete)
        body = Content.assemble(
            f"Run {prepared.run_id} created these {len(prepared.to_delete)} resource(s) on "
            f"{prepared.connection.description}. Roll back deletes them and nothing else:\n\n",
            (listed, "bold"),
            "\n\nResources that existed before the run are never touched.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(prepared)
            else:
                prepared.close()
                self._log("rollback declined: nothing was deleted")
                self.mode, self.status = self._before
                if self.status not in ("failed", "cancelled", "succeeded"):
                    self.status = "not_rolled_back"
                self._finished()

        self.app.push_screen(ConfirmModal("Roll back?", body, "Delete them", danger=True),
                             answered)

    @work(thread=True, exclusive=True, group="run")
    def _delete(self, prepared: RollbackPreparation) -> None:
        app = self.app

        def listen(event: Event) -> None:
            app.call_from_thread(self._on_event, event)

        try:
            prepared.run(listen, cancel=self._stop_rollback)
        except Exception as error:  # shown on screen; the journal keeps the run
            from wizard.text.errors import error_message

            app.call_from_thread(self._crashed, error_message(error))

    def _read_egress(self, run: Run) -> None:
        """(Worker thread.) After a new cluster: the addresses its egress leaves from."""
        from wizard.text.errors import first_line

        try:
            found = apply_runner.egress(run)
        except Exception as error:  # the run succeeded; say what is unknown
            found = [f"(could not read them: {first_line(error)})"]
        self.app.call_from_thread(self._show_addresses, found)

    def _show_addresses(self, found: list[str]) -> None:
        self._egress = found
        if self.status == "succeeded" and self.plan is not None:
            self.query_one("#run-summary", Static).update(self._success_text(self.plan))

    def action_show_password(self) -> None:
        """Show a generated Windows admin password once, then forget it."""
        password, self._password = self._password, None
        if password is None:
            return
        self.refresh_bindings()
        if self.plan is not None and self.status == "succeeded":
            self.query_one("#run-summary", Static).update(self._success_text(self.plan))
        self.app.push_screen(ConfirmModal(
            "Windows admin password", Content.assemble(
                "The Windows nodes' admin user has this password. Store it in your vault now: "
                "it is shown only this once.\n\n", (password, "bold")),
            "I have stored it"))

    def _after_phase(self, backend: Any) -> None:
        """(Worker thread.) After a migration phase: the new IPs' addresses, or the cluster's
        egress IPs once the migration is done."""
        from screens.workers import migrate_runner
        from wizard.text.errors import first_line

        migration = self.migration
        assert migration is not None
        last = self.phase == len(migration.phases()) - 1
        try:
            lines = (migrate_runner.egress_after(backend, migration) if last
                     else migrate_runner.new_ip_addresses(backend, migration))
        except Exception as error:  # the migration itself succeeded; say what is unknown
            lines = [f"(could not read them: {first_line(error)})"]
        self.app.call_from_thread(self._show_egress, lines, last)

    def _show_egress(self, lines: list[str], last: bool) -> None:
        migration = self.migration
        assert migration is not None
        from wizard.plan.migration import OUTBOUND_WIRE

        cluster = migration.target.cluster
        summary = self.query_one("#run-summary", Static)
        if last:
            summary.update(Content.assemble(
                ("Done. ", "bold $text-success"),
                f"{cluster.resource_group}/{cluster.name} now uses outbound type "
                f"{OUTBOUND_WIRE[migration.target_type]}.\n\nEgress leaves from: ",
                (", ".join(lines) or "none found", "bold"),
                "\n\nRemove the old egress IPs from allow-lists once traffic is confirmed."))
        else:
            summary.update(Content.assemble(
                ("New egress IPs created: ", "bold $text-success"), (", ".join(lines), "bold"),
                "\n\nAdd them to downstream allow-lists (firewalls, authorized IP ranges) now. "
                "Egress has not moved yet: the cluster still leaves from its old IPs. When "
                "the allow-lists are updated, choose ", ("Move egress now", "bold"), " (m)."))
        self.query_one("#run-summary-box").display = True

    @property
    def egress_pending(self) -> bool:
        """A migration paused between phases: the new IPs exist, egress has not moved."""
        return (self.migration is not None and self.status == "succeeded"
                and self.phase < len(self.migration.phases()) - 1)

    def action_move_egress(self) -> None:
        if self.egress_pending:
            self.phase += 1
            self._start("migrate")

    def _show_plan(self, plan: Plan | None, run_id: str) -> None:
        self.run_id = run_id
        container = self.query_one("#step-rows", VerticalScroll)
        container.remove_children()
        self._rows = {}
        if plan is not None:
            self.plan = plan
            for step in plan.steps:
                name = step.key.rsplit(":", 1)[-1] if step.kind == "role_assignment" \
                    else step.name
                self._add_row(step.key, f"{step.kind.replace('_', ' ')} {name}")
        self._update_title()

    def _add_row(self, key: str, title: str) -> StepRow:
        row = StepRow(RowState(key, title))
        self._rows[key] = row
        self.query_one("#step-rows", VerticalScroll).mount(row)
        row.render_row(self._clock, self._frame)
        return row

    def _row(self, key: str) -> StepRow:
        if key in self._rows:
            return self._rows[key]
        name = key.rsplit(":", 1)[-1]
        return self._add_row(key, name)

    def _log(self, text: str) -> None:
        elapsed = max(self._clock - self._run_start, 0)
        self.query_one(RichLog).write(Text(f"[{elapsed:4.0f}s] {text}"))

    def _on_event(self, event: Event) -> None:
        now = self._clock
        bar = self.query_one(ProgressBar)
        if isinstance(event, RunStarted):
            self.status = "running"
            bar.update(total=event.total_steps, progress=0)
            for row in self._rows.values():
                row.row.state, row.row.detail, row.row.hint = "waiting", "", ""
                row.row.started = row.row.finished = None
                row.render_row(now, self._frame)
            self._log(f"run {event.run_id}: {event.total_steps} steps")
            self._failures = []
            self._update_title()
            self._update_buttons()
            return
        if isinstance(event, RunFinished):
            self.status = event.status
            self._log(f"run finished: {event.status}")
            self._finished()
            return
        row = self._row(event.key)
        state = row.row
        if isinstance(event, StepStarted):
            state.state, state.started, state.detail = "running", now, ""
            self._log(f"{event.key}: started")
        elif isinstance(event, StepProgress):
            state.detail = event.message
        elif isinstance(event, StepSucceeded):
            state.state, state.finished, state.detail = "succeeded", now, event.outcome
            bar.advance(1)
            self._log(f"{event.key}: {event.outcome}")
        elif isinstance(event, StepSkipped):
            state.state, state.detail = "skipped", event.reason
            state.finished = now if state.started is not None else None
            bar.advance(1)
            self._log(f"{event.key}: skipped ({event.reason})")
        elif isinstance(event, StepFailed):
            state.state, state.finished = "failed", now
            state.detail, state.hint = f"{event.code}: {event.message}", event.hint
            bar.advance(1)
            self._failures.append(event)
            self._log(f"{event.key}: failed, {event.code}: {event.message}")
        row.render_row(now, self._frame)
        if not isinstance(event, StepProgress):
            self._update_title()

    def _crashed(self, message: str) -> None:
        self.status = "error"
        summary = self.query_one("#run-summary", Static)
        summary.update(Content.assemble(("Could not run: ", "bold $text-error"), message))
        self.query_one("#run-summary-box").display = True
        self._log(f"error: {message}")
        if self._finish_quit():
            return
        self._update_title()
        self._update_buttons()

    def _finished(self) -> None:
        self._run = None
        if self._finish_quit():
            return
        summary = self.query_one("#run-summary", Static)
        if self.status == "succeeded" and self.migration is not None:
            summary.update(Content("Reading the egress IPs..."))
        elif self.status == "succeeded" and self.plan is not None:
            summary.update(self._success_text(self.plan))
        elif self.status == "rolled_back":
            summary.update(Content.assemble(("Rolled back: ", "bold"),
                                            "everything this run created is deleted."))
        elif self.status == "not_rolled_back":
            summary.update(Content.assemble(("Not rolled back. ", "bold"),
                                            "Nothing was deleted; roll back (u) when you are "
                                            "ready."))
        elif self.status == "cancelled" and self.mode == "rollback":
            summary.update(Content.assemble(
                ("Rollback stopped. ", "bold $text-warning"),
                "What it deleted is gone; the rest is still there. Roll back again (u) to "
                "finish."))
        elif self.status == "cancelled":
            summary.update(Content.assemble(
                ("Cancelled. ", "bold $text-warning"),
                f"Run {self.run_id} can be resumed (r) or rolled back (u)."))
        else:
            summary.update(self._failure_text())
        self.query_one("#run-summary-box").display = True
        self._update_title()
        self._update_buttons()

    def _success_text(self, plan: Plan) -> Content:
        from wizard.run.service import credentials_command

        lines: list[str | tuple[str, str]] = [
            ("Done. ", "bold $text-success"),
            f"{len(plan.steps)} resources are in place in resource group {plan.resource_group}."
            "\n\nEgress leaves from (put these on partners' allow-lists): "]
        if self._egress is None:
            lines.append(("reading...", "italic"))
        else:
            lines.append((", ".join(self._egress) or "none found", "bold"))
        lines += ["\n\nConnect to the cluster with:\n", (credentials_command(plan), "bold")]
        if self.app.target.sandbox:  # type: ignore[attr-defined]
            lines.append(("\n(the sandbox: this is what you would run after applying to Azure)",
                          "dim"))
        if self._password is not None:
            lines += ["\n\nA Windows admin password was generated for this cluster. ",
                      ("Press w to show it once", "bold"),
                      ": it is kept nowhere else (change it later with az aks update "
                      "--windows-admin-password)."]
        lines.append("\n\nChanged your mind? Roll back (u) deletes what this run created.")
        return Content.assemble(*lines)

    def _failure_text(self) -> Content:
        lines: list[str | tuple[str, str]] = [("The run failed. ", "bold $text-error")]
        for failure in self._failures:
            lines += ["\n\n", (failure.key, "bold"), f": {failure.code}\n{failure.message}",
                      "\nWhat to do: ", (failure.hint, "italic")]
        lines.append("\n\nWhat did not depend on the failed step was still done. Fix the "
                     "cause, then Resume (r); or Roll back (u) to delete what it created.")
        return Content.assemble(*lines)

    def _tick(self) -> None:
        self._frame += 1
        if self._frame % 10 == 0 and self.status == "running":
            self._update_title()
        now = self._clock
        for row in self._rows.values():
            if row.row.state == "running":
                row.render_row(now, self._frame)

    # -- what the user can do ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.status in ("starting", "running")

    def _update_title(self) -> None:
        verb = VERBS[self.mode]
        run = f" run {self.run_id}" if self.run_id else ""
        where = self.app.target_description  # type: ignore[attr-defined]
        status = ("new IPs created, egress not moved yet" if self.egress_pending
                  else self.status.replace("_", " "))
        parts: list[str | tuple[str, str]] = [(f"{verb}{run}", "bold"), f" on {where}: ",
                                              (status, "bold")]
        rows = [row.row for row in self._rows.values()]
        if self.status == "running" and rows:
            done = sum(r.state in ("succeeded", "skipped", "failed") for r in rows)
            now = [r.title for r in rows if r.state == "running"]
            elapsed = max(self._clock - self._run_start, 0)
            parts.append(f", step {min(done + 1, len(rows))} of {len(rows)}, "
                         f"{elapsed:.0f} s")
            if now:
                parts.append("\nNow: ")
                parts.append((", ".join(now[:3]) + (f" and {len(now) - 3} more"
                                                    if len(now) > 3 else ""), "italic"))
        self.query_one("#run-title", Static).update(Content.assemble(*parts))

    @property
    def can_roll_back(self) -> bool:
        """A run that stopped (or succeeded: there is a way back from success too)."""
        return bool(self.run_id) and self.status in (
            "failed", "cancelled", "succeeded", "not_rolled_back") and not self.egress_pending

    def _update_buttons(self) -> None:
        resumable = self.status in ("failed", "cancelled") and self.mode != "rollback"
        visible = {"cancel-button": self.running,
                   "move-button": self.egress_pending,
                   "resume-button": resumable,
                   "rollback-button": self.can_roll_back,
                   "new-button": not self.running, "quit-button": not self.running}
        for ident, show in visible.items():
            self.query_one(f"#{ident}", Button).display = show
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that do something now are offered (the footer teaches them)."""
        if action == "cancel_run":
            return self.running
        if action == "resume":
            return self.status in ("failed", "cancelled") and self.mode != "rollback"
        if action == "rollback":
            return self.can_roll_back
        if action == "new":
            return not self.running
        if action == "move_egress":
            return self.egress_pending
        if action == "show_password":
            return self._password is not None and self.status == "succeeded"
        return True

    def action_cancel_run(self) -> None:
        if not self.running:
            return
        if self.mode == "rollback":
            def stop(yes: bool | None) -> None:
                if yes:
                    self._stop_rollback.set()
                    self._log("stopping: no new delete starts; those under way finish")

            self.app.push_screen(ConfirmModal(
                "Stop the rollback?", "Deletes already under way finish; nothing else is "
                "deleted. Rolling back again later finishes the job.", "Stop the rollback",
                danger=True), stop)
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self._run is not None:
                self._run.cancel()
                self._log("cancelling: no new steps start; the run stays resumable")

        self.app.push_screen(stop_run_dialog(), confirmed)

    def action_quit(self) -> None:
        """Quit; while a run is under way, ask, and stop it (resumable) before leaving."""
        if not self.running:
            self.app.exit()
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self._quit_when_stopped = True
            if self._run is not None:
                self._run.cancel()
            self._stop_rollback.set()
            self._log("stopping the run before quitting...")

        what = "rollback" if self.mode == "rollback" else "run"
        self.app.push_screen(ConfirmModal(
            f"Quit during the {what}?", "No new step starts and the wizard closes. Steps Azure "
            f"is already working on carry on in Azure; run {self.run_id or ''} stays in the "
            "journal, to resume or roll back later.", "Stop and quit", danger=True), confirmed)

    def action_resume(self) -> None:
        if self.check_action("resume", ()) and self.run_id:
            self._start("resume")

    def action_rollback(self) -> None:
        """Roll back: the rollback takes the run's lock, reads what exists, then asks."""
        if self.check_action("rollback", ()):
            self._start("rollback")

    def _finish_quit(self) -> bool:
        """After the user chose to quit mid-run, once the run has stopped: close the app and
        say (in the terminal, after the app is gone) how to resume or roll back; exit 130."""
        if not self._quit_when_stopped:
            return False
        from wizard.run.service import resume_command, rollback_command

        flags = self.app.target.flags  # type: ignore[attr-defined]
        if self.status in ("succeeded", "rolled_back"):  # it finished before it could stop
            self.app.exit(0, return_code=0, message=f"Run {self.run_id} finished "
                          f"({self.status.replace('_', ' ')}) before it could be stopped.")
            return True
        message = "Stopped before the run finished; nothing more is sent to Azure."
        if self.run_id:
            message = (f"Run {self.run_id} was interrupted; the journal keeps what was done.\n"
                       f"Resume it:    {resume_command(self.run_id, flags)}\n"
                       f"Roll it back: {rollback_command(self.run_id, flags)}")
        self.app.exit(130, return_code=130, message=message)
        return True

    def action_new(self) -> None:
        if not self.running:
            self.app.back_to_start()  # type: ignore[attr-defined]

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"cancel-button": self.action_cancel_run, "resume-button": self.action_resume,
                   "move-button": self.action_move_egress,
                   "rollback-button": self.action_rollback, "new-button": self.action_new,
                   "quit-button": self.app.exit}
        if event.button.id in actions:
            actions[event.button.id]()
