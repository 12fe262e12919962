"""SNAT capacity bought vs what the workload says it needs, as a bar and a sentence.

The arithmetic is `wizard.model.capacity`'s (shared with the rules): each public IP gives 64,512
ports and 50,000 concurrent flows to one destination; a closed port waits 65 s before reuse. The bar
shows the highest of the three uses, so the limit that binds first is the one the user sees.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from screens.widgets.shown import update
from wizard.model import capacity

BAR_WIDTH = 20


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def gauge_content(ip_count: Any, gateways: int, workload: dict[str, Any]) -> Content:
    """The gauge for `ip_count` IPs on each of `gateways` gateways and the stated workload."""
    ips = _int(ip_count)
    if ips is None:
        return Content("SNAT: enter a valid number of public IPs to see the ports it buys")
    bought = capacity.Capacity(ips)
    total_ports = bought.snat_ports * max(gateways, 1)
    lines = [Content.assemble(
        ("SNAT ", "bold"),
        f"{ips} IP{'s' if ips != 1 else ''}"
        f"{f' x {gateways} gateways' if gateways > 1 else ''}: {total_ports:,} ports, "
        f"{bought.flows_per_destination:,} flows per destination")]
    flows = _int(workload.get("concurrent_flows"))
    busiest = _int(workload.get("busiest_destination_flows"))
    rate = _int(workload.get("new_connections_per_second"))
    uses: list[tuple[float, str]] = []
    if flows:
        uses.append((flows / total_ports, f"{flows:,} open flows"))
    if busiest:
        uses.append((busiest / bought.flows_per_destination, f"{busiest:,} to one destination"))
    if rate:
        per_dest = max(bought.new_connections_per_second_per_destination, 1)
        uses.append((rate / per_dest, f"{rate:,} new/s to one destination"))
    if not uses:
        lines.append(Content.styled("State the expected connections (NAT step) to size it.",
                                    "italic"))
        return Content("\n").join(lines)
    ratio, what = max(uses, key=lambda item: item[0])
    filled = min(BAR_WIDTH, round(ratio * BAR_WIDTH))
    style = "$text-error" if ratio > 1 else "$text-warning" if ratio > 0.8 else "$text-success"
    bar = Content.assemble(("█" * filled, style), ("░" * (BAR_WIDTH - filled), "dim"),
                           (f" {ratio:.0%} used", f"bold {style}"))
    lines.append(bar)
    sizing = capacity.size(flows, busiest, rate)
    verdict = (f"by {what}; needs {sizing.required_ips} IP"
               f"{'s' if sizing.required_ips != 1 else ''}"
               f"{'' if sizing.fits_one_gateway else ' (more than one gateway takes)'}")
    lines.append(Content(verdict))
    return Content("\n").join(lines)


class SnatGauge(Static):
    """Shows `gauge_content`; `show` is called after every edit."""

    def show(self, ip_count: Any, gateways: int, workload: dict[str, Any]) -> None:
        update(self, gauge_content(ip_count, gateways, workload))
