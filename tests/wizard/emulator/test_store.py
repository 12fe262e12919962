"""Persistence across sandbox instances, atomic writes, and concurrency from threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from tests.wizard.emulator.conftest import call, make_clients, nat_gateway, public_ip, rg
from wizard.emulator import Sandbox

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"


def test_state_survives_a_new_sandbox(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    first = make_clients(Sandbox(speed=0, state_path=state, faults=""))
    rg(first)
    ip = public_ip(first)
    nat_gateway(first, ips=[str(ip.id)])
    second = make_clients(Sandbox(speed=0, state_path=state, faults=""))
    gw = second.network.nat_gateways.get("rg1", "gw1")
    assert gw.public_ip_addresses[0].id == ip.id
    assert second.network.public_ip_addresses.get("rg1", "ip1").ip_address == ip.ip_address
    second.network.nat_gateways.begin_delete("rg1", "gw1").result()
    third = Sandbox(speed=0, state_path=state, faults="")
    assert third.get(str(gw.id)) is None and third.get(str(ip.id)) is not None


def test_operation_pending_at_exit_finishes_after_restart(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    first = Sandbox(speed=1, state_path=state, faults="", clock=lambda: 0.0)
    call(first, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    gw = f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/natGateways/gw"
    put = call(first, "PUT", gw, {"location": "eastus"})
    assert first.get(gw)["properties"]["provisioningState"] == "Creating"
    op = put.headers["Azure-AsyncOperation"].split("invalid", 1)[1].split("?")[0]
    second = Sandbox(speed=1, state_path=state, faults="", clock=lambda: 0.0)
    assert call(second, "GET", op, api_version=None).body["status"] == "Succeeded"
    assert second.get(gw)["properties"]["provisioningState"] == "Succeeded"


def stored_ids(state: Path) -> list[str]:
    """What another reader of the file sees (a connection of its own)."""
    conn = sqlite3.connect(state)
    try:
        return [row[0] for row in conn.execute("SELECT key FROM resources ORDER BY seq")]
    finally:
        conn.close()


def test_every_change_is_committed_at_once_and_no_temp_left(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    sandbox = Sandbox(speed=0, state_path=state, faults="")
    call(sandbox, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    for i in range(5):
        call(
            sandbox,
            "PUT",
            f"{SUB}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/"
            f"userAssignedIdentities/id{i}",
            {"location": "eastus"},
        )
        assert len(stored_ids(state)) == i + 2
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_reset_empties_everything(tmp_path: Path) -> None:
    sandbox = Sandbox(speed=0, state_path=tmp_path / "s.json", faults="natGateways:PUT:throttle:5")
    call(sandbox, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    sandbox.reset()
    assert sandbox.resources() == [] and sandbox.request_log == [] and sandbox.faults.rules == []
    assert stored_ids(tmp_path / "s.json") == []


def test_concurrent_puts_from_threads(tmp_path: Path) -> None:
    sandbox = Sandbox(speed=0, state_path=tmp_path / "s.json", faults="")
    clients = make_clients(sandbox)
    rg(clients)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            own = make_clients(sandbox)  # each thread its own clients, like the executor
            for j in range(4):
                public_ip(own, f"ip-{index}-{j}")
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = {ip.name for ip in clients.network.public_ip_addresses.list("rg1")}
    assert len(names) == 32
    addresses = {ip.ip_address for ip in clients.network.public_ip_addresses.list("rg1")}
    assert len(addresses) == 32
    reloaded = Sandbox(speed=0, state_path=tmp_path / "s.json", faults="")
    assert len(reloaded.resources()) == 33


def test_sigkilled_writer_leaves_a_readable_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    state = tmp_path / "s.json"
    script = f"""
from pathlib import Path
from wizard.emulator import Sandbox
from wizard.emulator.http import Request
sb = Sandbox(speed=0, state_path=Path({str(state)!r}), faults="")
def put(path, body):
    sb.emulator.handle(Request("PUT", path, {{"api-version": "1"}},
                               {{"Authorization": "Bearer x"}}, body))
put("{SUB}/resourcegroups/rg1", {{"location": "eastus"}})
print("ready", flush=True)
i = 0
while True:
    put(f"{SUB}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/"
        f"userAssignedIdentities/id{{i % 50}}", {{"location": "eastus", "tags": {{"i": str(i)}}}})
    i += 1
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    import time

    deadline = time.monotonic() + 30  # a guard against a hang, not a timing assertion
    for _ in range(3):  # let it write a few times, then kill it mid-stream
        mtime = state.stat().st_mtime_ns
        while state.stat().st_mtime_ns == mtime and time.monotonic() < deadline:
            time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored_ids(state)[0] == f"{SUB}/resourcegroups/rg1".lower()
    assert len(Sandbox(speed=0, state_path=state, faults="").resources()) >= 2
