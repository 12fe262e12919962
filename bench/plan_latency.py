"""How long the live review takes after one keystroke, per built-in preset.

The TUI re-derives findings and the plan on every edit: it validates the edited mapping, then runs
`rules.check(config)` and `plan.build(config)`. This measures, for each built-in preset and a
one-field edit (`cluster.node_count` toggled between two values, so every round validates a new
mapping):

- `validate`: one `WizardConfig.model_validate` of the edited mapping (the reference, measured in
  the same run so the ratio does not depend on the machine);
- `check+build`: `rules.check` plus `plan.build` on the validated config, and its ratio to
  `validate` (target below 5x);
- `edit cycle`: edit + validate + check + build, in microseconds (target below 2 ms);
- `+offers`: the same cycle once the TUI's workers have learned what the target offers and holds
  (`wizard.azure.offers.offer_findings`: region and zones, Kubernetes version, VM sizes read from
  the sandbox, and a VNet of the plan's name already holding three other subnets), in
  microseconds (same 2 ms target).

Medians of many rounds, after a warm-up. Run on demand:

    uv run python bench/plan_latency.py [--rounds N]

Exit code 0 when every preset meets both targets, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from wizard import plan as planner
from wizard.azure.discovery import SubnetInfo, VirtualNetwork
from wizard.azure.offers import Offers, offer_findings
from wizard.model import fields, rules
from wizard.model.config import UserAssignedOutbound, WizardConfig
from wizard.storage import presets

RATIO_TARGET = 5.0
CYCLE_TARGET_US = 2000.0
EDIT_PATH = "cluster.node_count"


def median_us(function: Callable[[int], Any], rounds: int) -> float:
    """The median wall time of `function(round)` in microseconds, after a short warm-up."""
    for index in range(min(20, rounds)):
        function(index)
    samples = []
    for index in range(rounds):
        start = time.perf_counter_ns()
        function(index)
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def target_offers() -> Offers:
    """What the sandbox offers, as the TUI's workers read it (every region's details)."""
    from wizard.azure.backend import AzureBackend
    from wizard.azure.discovery import Discovery
    from wizard.azure.offers import fetch_offers
    from wizard.sandbox import Sandbox

    discovery = Discovery(AzureBackend.for_sandbox(Sandbox(speed=0)))
    offers = fetch_offers(discovery)
    for location in offers.locations:
        offers = fetch_offers(discovery, location.name, offers)
    return offers


def with_existing_vnet(offers: Offers, config: WizardConfig) -> Offers:
    """`offers` plus a VNet of the plan's name that already holds three other subnets."""
    out = config.outbound
    if not isinstance(out, UserAssignedOutbound):
        return offers
    space = out.vnet_address_space
    blocks = list(ipaddress.ip_network(space).subnets(new_prefix=24))[-3:]
    subnets = tuple(SubnetInfo(f"s{i}", f"other-{i}", str(block), None)
                    for i, block in enumerate(blocks))
    vnet = VirtualNetwork("vnet-id", out.vnet_name, config.cluster.resource_group,
                          config.cluster.location, (space,), subnets)
    return offers.with_networks(config.cluster.resource_group, (vnet,))


def measure(name: str, rounds: int, known: Offers) -> dict[str, float]:
    base = presets.to_data(presets.load(name))
    count = int(base["cluster"]["node_count"])
    edited = [fields.set_text(base, EDIT_PATH, str(value)) for value in (count + 1, count)]
    configs = [WizardConfig.model_validate(data) for data in edited]

    def validate(index: int) -> None:
        WizardConfig.model_validate(edited[index % 2])

    def check_and_build(index: int) -> None:
        config = configs[index % 2]
        rules.check(config)
        planner.build(config)

    def edit_cycle(index: int) -> None:
        data = fields.set_text(base, EDIT_PATH, str(count + index % 2))
        config = WizardConfig.model_validate(data)
        rules.check(config)
        planner.build(config)

    offers = with_existing_vnet(known, configs[0])
    assert offers.knows_region(configs[0].cluster.location)

    def edit_cycle_with_offers(index: int) -> None:
        data = fields.set_text(base, EDIT_PATH, str(count + index % 2))
        config = WizardConfig.model_validate(data)
        rules.check(config)
        planner.build(config)
        offer_findings(config, offers)

    reference = median_us(validate, rounds)
    derived = median_us(check_and_build, rounds)
    cycle = median_us(edit_cycle, rounds)
    with_offers = median_us(edit_cycle_with_offers, rounds)
    return {"validate": reference, "derived": derived, "ratio": derived / reference,
            "cycle": cycle, "offers": with_offers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=2000, help="rounds per measurement")
    args = parser.parse_args(argv)
    header = (f"{'preset':<24} {'validate µs':>12} {'check+build µs':>15} {'ratio':>7} "
              f"{'edit cycle µs':>14} {'+offers µs':>11}  verdict")
    print(header)
    print("-" * len(header))
    all_ok = True
    known = target_offers()
    for name in presets.builtin_names():
        result = measure(name, args.rounds, known)
        ok = (result["ratio"] < RATIO_TARGET and result["cycle"] < CYCLE_TARGET_US
              and result["offers"] < CYCLE_TARGET_US)
        all_ok = all_ok and ok
        print(f"{name:<24} {result['validate']:>12.1f} {result['derived']:>15.1f} "
              f"{result['ratio']:>6.2f}x {result['cycle']:>14.1f} {result['offers']:>11.1f}  "
              f"{'ok' if ok else 'MISSED'}")
    print(f"\ntargets: check+build < {RATIO_TARGET:g}x one model_validate of the same config; "
          f"edit cycle < {CYCLE_TARGET_US / 1000:g} ms")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
