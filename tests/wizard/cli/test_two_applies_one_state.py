"""Two `apply` processes at once on one `--sandbox-state` file: both finish and the file holds
what both created (each request is one transaction on the shared database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wizard.sandbox import Sandbox

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"


def test_two_applies_of_different_groups_both_complete(wizard_home: Path, tmp_path: Path) -> None:
    state = tmp_path / "shared.json"
    # Slow enough that the two runs overlap (each waits on its operations), fast enough to end.
    env = {**os.environ, "AKS_NAT_WIZARD_HOME": str(wizard_home), "NO_COLOR": "1",
           "AKS_NAT_WIZARD_SANDBOX_SPEED": "0.2"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "wizard", "apply", "--sandbox", "--sandbox-state", str(state),
             "--preset", "user-assigned", "--set", f"cluster.resource_group={group}",
             "--set", f"cluster.name=aks-{group}", "--yes"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        for group in ("rg-one", "rg-two")
    ]
    outputs = [proc.communicate()[0] for proc in procs]
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output
    box = Sandbox(speed=0, state_path=state, faults="")
    for group in ("rg-one", "rg-two"):
        cluster = box.get(f"{SUB}/resourceGroups/{group}/providers/"
                          f"Microsoft.ContainerService/managedClusters/aks-{group}")
        assert cluster is not None, group
        assert cluster["properties"]["provisioningState"] == "Succeeded"
        held = [r for r in box.resources()
                if r["id"].lower().startswith(f"{SUB}/resourcegroups/{group}/".lower())]
        assert {r["type"].split("/")[-1] for r in held} >= {
            "publicIPAddresses", "natGateways", "virtualNetworks", "subnets",
            "userAssignedIdentities", "managedClusters", "agentPools"}
