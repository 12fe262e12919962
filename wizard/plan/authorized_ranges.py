"""A migration's step that adds the new egress addresses to the API server's authorized IP ranges
before egress moves, so the nodes never lose the API server.

AKS allows the load balancer's outbound IP by itself when authorized IP ranges are enabled; for
any other outbound type the doc says to add the cluster's egress address (the NAT gateway's IPs)
to the ranges yourself (docs/AZURE_FACTS.md, "Authorized IP ranges"). So a cluster that has
ranges and moves to a NAT gateway needs them extended first:

- user-assigned: the new public IPs exist after the migration's first phase, so the step (a PUT
  of the cluster as it is, its `apiServerAccessProfile.authorizedIPRanges` extended with each new
  IP's `{{ref:STEP:properties.ipAddress}}/32`) runs before the subnet is associated, which is
  what moves egress; the cluster update that follows keeps the extended list;
- managed: AKS creates the IPs during the move, so no address can be added before; the wizard
  says so (`managed_notice`).

Pure: it plans and reads nothing.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from wizard import plan as planner

STEP_KEY = "authorized_ip_ranges"
MAX_RANGES = 200
"""The most ranges AKS takes."""


def current_ranges(cluster: dict[str, Any] | None) -> list[str]:
    """The cluster's authorized IP ranges (empty: any address may reach the API server)."""
    access = ((cluster or {}).get("properties") or {}).get("apiServerAccessProfile") or {}
    return [str(item) for item in access.get("authorizedIPRanges") or []]


def extended(ranges: list[str], ip_steps: tuple[planner.Step, ...] | list[planner.Step]
             ) -> list[str]:
    """`ranges` plus each new public IP's address as a /32, or a new prefix's CIDR (a
    placeholder until it exists)."""
    added = [planner.ref(step.key, "properties.ipPrefix") if step.kind == "public_ip_prefix"
             else planner.ref(step.key, "properties.ipAddress") + "/32" for step in ip_steps]
    return [*ranges, *[item for item in added if item not in ranges]]


def with_ranges(body: dict[str, Any], ranges: list[str]) -> dict[str, Any]:
    """`body` (a cluster PUT) with `ranges` as its authorized IP ranges."""
    out = copy.deepcopy(body)
    access = out.setdefault("properties", {}).setdefault("apiServerAccessProfile", {})
    access["authorizedIPRanges"] = list(ranges)
    return out


def ranges_step(cluster_step: planner.Step, cluster_body: dict[str, Any],
                ranges: list[str], ip_steps: tuple[planner.Step, ...] | list[planner.Step]
                ) -> planner.Step:
    """The PUT of the cluster as it is (`cluster_body`: its current outbound settings kept)
    with the new IPs added to its authorized ranges, after those IPs exist."""
    wanted = extended(ranges, ip_steps)
    return replace(
        cluster_step, key=STEP_KEY, body=with_ranges(cluster_body, wanted),
        depends_on=tuple(step.key for step in ip_steps),
        summary=f"Allow the new egress IPs on {cluster_step.name}'s API server: authorized IP "
        f"ranges {len(ranges)} -> {len(wanted)}",
        why="The API server accepts only its authorized ranges; the nodes reach it from their "
        "egress addresses, so the new ones must be allowed before egress moves to them.",
        az=("az", "aks", "update", "--resource-group",
            cluster_step.resource_id.split("/")[4], "--name", cluster_step.name,
            "--api-server-authorized-ip-ranges", ",".join(wanted)),
        snat_ports=0,
    )


def too_many(ranges: list[str], new_ips: int) -> str | None:
    """Why the ranges cannot take the new IPs, or None."""
    total = len(ranges) + new_ips
    if total > MAX_RANGES:
        return (f"the API server's authorized IP ranges would hold {total} entries; AKS takes "
                f"at most {MAX_RANGES}: merge some into wider ranges first")
    return None


def managed_notice(ranges: list[str]) -> str:
    """What to tell a user moving a cluster with ranges to a managed NAT gateway."""
    return (f"The API server accepts only its {len(ranges)} authorized IP range(s). AKS creates "
            "the managed NAT gateway's IPs during the move, so they cannot be allowed before "
            "egress moves: until you add them (`aks-nat-wizard egress` lists them, then `az aks "
            "update --api-server-authorized-ip-ranges`), nodes may not reach the API server. "
            "Moving to your own NAT gateway (user_assigned) avoids this: its IPs are created "
            "and allowed first.")
