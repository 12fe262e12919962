"""The plan: what Azure resources a configuration needs, as a DAG of steps, and how it changes.

`build(config) -> Plan` (`build.py`) is pure and deterministic; `graph.py` is the plan's shape;
`placeholders.py` the one grammar for values known only while applying; `drift.py` whether an
existing resource already looks as planned; `migration.py` changing an existing cluster's
outbound type; `authorized_ranges.py` the API server's allowed ranges during a migration;
`cost.py` what the plan's egress costs a month; `kinds/` each resource kind, declared once.
The names below are the ones every later stage (exports, runs, front ends) uses.
"""

from wizard.plan.build import build, service_cidr_for, standard_v2_ip_zones
from wizard.plan.graph import (
    API_VERSIONS,
    MANAGED_BY_TAG,
    NETWORK_CONTRIBUTOR_ROLE,
    PLACEHOLDER_SUBSCRIPTION,
    RUN_TAG,
    WINDOWS_PASSWORD_SECRET,
    Plan,
    Step,
)
from wizard.plan.kinds import KINDS, Kind, StepKind
from wizard.plan.placeholders import ref, secret

__all__ = [
    "API_VERSIONS",
    "KINDS",
    "MANAGED_BY_TAG",
    "NETWORK_CONTRIBUTOR_ROLE",
    "PLACEHOLDER_SUBSCRIPTION",
    "RUN_TAG",
    "WINDOWS_PASSWORD_SECRET",
    "Kind",
    "Plan",
    "Step",
    "StepKind",
    "build",
    "ref",
    "secret",
    "service_cidr_for",
    "standard_v2_ip_zones",
]
