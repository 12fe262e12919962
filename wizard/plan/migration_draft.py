"""The migration being set up: the one state the TUI and `--simple` edit, ask about and render.

Changing an existing cluster's outbound type is chosen in steps: the cluster (read from Azure,
with its SNAT verdict when the metrics could be read), the new outbound type, a few settings,
and the public IPs to reuse. Both front ends keep that state here, so the rules that turn it into
a plan are written once: which directions Azure allows, what the SNAT verdict pre-fills, that
reused IPs set the IP count themselves, and that a change of anything drops the subscription
checks of the plan before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.plan import migration

if TYPE_CHECKING:
    from wizard.azure.importer import ImportedCluster
    from wizard.model.findings import Finding
    from wizard.model.health import Diagnosis, Recommendation
    from wizard.plan.migration import MigrationPlan, TargetType

SETTINGS = ("outbound.ip_count", "outbound.idle_timeout_minutes")
"""The settings a migration asks, as `--set` paths; an empty answer keeps the target's default."""


@dataclass
class MigrationDraft:
    """What the user chose so far for one cluster, and the plan and checks it gives."""

    imported: ImportedCluster
    diagnosis: Diagnosis | None = None
    target_type: TargetType | None = None
    settings: dict[str, str] = field(default_factory=dict)
    """Typed text per path of `SETTINGS`; blank means the default."""
    reused_ips: list[str] = field(default_factory=list)
    """Ids of existing public IPs for a user-assigned gateway (their count is the IP count)."""
    planned: MigrationPlan | None = None
    problem: str | None = None
    """Why the choices give no plan (Azure refuses them), once `replan()` ran."""
    checks: list[Finding] | None = None
    """The subscription checks of `planned`, once read (None while they are being read)."""

    # -- the directions ------------------------------------------------------------------------
    def refusals(self) -> list[tuple[TargetType, str | None]]:
        """Every outbound type with the reason Azure refuses moving there (None: allowed)."""
        config = self.imported.config
        return [(target, migration.check_transition(config, target))
                for target in migration.TARGET_TYPES]

    def allowed(self) -> list[TargetType]:
        return migration.allowed_targets(self.imported.config)

    def recommended_target(self) -> str | None:
        """The outbound type the SNAT verdict recommends, when it asks for a change."""
        advice = self.diagnosis.recommendation if self.diagnosis is not None else None
        return advice.target_type if advice is not None and advice.change_needed else None

    def advice(self) -> Recommendation | None:
        """The verdict's recommendation, when it is for the chosen type and asks for a change:
        its IP count and idle timeout are the settings' defaults, its flows size the plan."""
        advice = self.diagnosis.recommendation if self.diagnosis is not None else None
        if advice is None or not advice.change_needed or advice.target_type != self.target_type:
            return None
        return advice

    def choose(self, target_type: TargetType) -> None:
        """Pick the new outbound type; what was typed for another type is dropped."""
        self.target_type = target_type
        self.settings, self.reused_ips = {}, []
        self.planned, self.problem, self.checks = None, None, None

    # -- the settings --------------------------------------------------------------------------
    def overrides(self) -> dict[str, str]:
        """The choices as `--set` pairs: the verdict's flows, reused IPs (they set the count,
        whatever was typed for it), then the typed settings."""
        found: dict[str, str] = {}
        advice = self.advice()
        if advice is not None and advice.concurrent_flows:
            found["workload.concurrent_flows"] = str(advice.concurrent_flows)
        if self.reused_ips and self.target_type == "user_assigned":
            found["outbound.public_ip_ids"] = ",".join(self.reused_ips)
            found["outbound.ip_count"] = str(len(self.reused_ips))
        for path in SETTINGS:
            value = self.settings.get(path, "").strip()
            if value and path not in found:
                found[path] = value
        return found

    def replan(self) -> MigrationPlan | None:
        """The plan of the current choices (None, with `problem` set, when Azure refuses
        them); the previous plan's checks are dropped."""
        self.checks = None
        if self.target_type is None:
            self.planned, self.problem = None, None
            return None
        try:
            self.planned = migration.plan_migration(self.imported.config, self.target_type,
                                                    self.overrides(), self.imported)
            self.problem = None
        except migration.MigrationRefused as error:
            self.planned, self.problem = None, str(error)
        return self.planned

    def checked(self, planned: MigrationPlan, found: list[Finding]) -> bool:
        """Keep the checks of `planned` if it is still the current plan (a check read for an
        older plan is dropped); True when kept."""
        if planned is not self.planned:
            return False
        self.checks = found
        return True
