"""Names derived from the cluster's name: the subnet and the identity of a user-assigned NAT
gateway are named after the cluster unless the user names them.

So a second cluster in the same resource group gets its own subnet and identity instead of
colliding with the first one's (`myNatCluster`, `myNatClusterId`). A name "follows" the cluster
while it is unset or still equal to what the old cluster name derived; one the user typed stays.
The model fills unset ones (`config.WizardConfig`), and `fields.set_path` carries the followers
along when the cluster is renamed, so `--set`, the prompts and the TUI behave the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DERIVED: dict[str, Callable[[str], str]] = {
    "outbound.subnet_name": lambda cluster: cluster,
    "outbound.identity_name": lambda cluster: f"{cluster}Id",
}
"""Setting path -> its name derived from the cluster name."""

DEFAULT_CLUSTER_NAME = "myNatCluster"


def derived(path: str, cluster_name: str) -> str | None:
    """The name `path` takes from `cluster_name`, or None if `path` is not derived."""
    rule = DERIVED.get(path)
    return rule(cluster_name) if rule else None


def fill_unset(outbound: dict[str, Any], cluster_name: str,
               allowed: Callable[[str], bool]) -> dict[str, Any]:
    """`outbound` with each derived name it lacks (and its type has) set from the cluster."""
    filled = dict(outbound)
    for path, rule in DERIVED.items():
        key = path.partition(".")[2]
        if key not in filled and allowed(key):
            filled[key] = rule(cluster_name)
    return filled


def follow_rename(data: dict[str, Any], old: str, new: str) -> None:
    """Rename the derived names in `data` (in place) that still follow `old`."""
    outbound = data.get("outbound")
    if not isinstance(outbound, dict):
        return
    for path, rule in DERIVED.items():
        key = path.partition(".")[2]
        if key in outbound and outbound[key] == rule(old):
            outbound[key] = rule(new)
