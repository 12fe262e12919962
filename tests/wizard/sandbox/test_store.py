"""Persistence across sandbox instances, atomic writes, and concurrency from threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tests.wizard.sandbox.conftest import call, make_clients, nat_gateway, public_ip, rg
from wizard.sandbox import Sandbox

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"


@pytest.fixture
def sandbox_path(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


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
from wizard.sandbox import Sandbox
from wizard.sandbox.http import Request
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


class Wall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_finished_operations_are_pruned_after_the_retention(tmp_path: Path) -> None:
    from wizard.sandbox.store import Store

    wall = Wall()
    store = Store(tmp_path / "s.db", wall=wall, operation_retention=600)
    store.add_operation({"id": "done", "resourceId": "/x/a", "status": "Succeeded",
                         "action": "create"})
    store.add_operation({"id": "running", "resourceId": "/x/b", "status": "InProgress",
                         "action": "create"})
    wall.now += 599
    store.get("/x/a")  # any transaction
    assert {op["id"] for op in store.operations()} == {"done", "running"}
    wall.now += 2
    store.get("/x/a")
    assert [op["id"] for op in store.operations()] == ["running"]
    with store.transaction():
        store.operation("running")["status"] = "Failed"  # finished in place
    wall.now += 601
    store.get("/x/a")
    assert store.operations() == []


def test_a_finished_operation_stays_readable_for_its_poller(sandbox_path: Path) -> None:
    sandbox = Sandbox(speed=0, state_path=sandbox_path, faults="")
    call(sandbox, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    put = call(sandbox, "PUT", f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/"
               "natGateways/gw", {"location": "eastus"})
    op = put.headers["Azure-AsyncOperation"].split("invalid", 1)[1].split("?")[0]
    assert call(sandbox, "GET", op, api_version=None).body["status"] == "Succeeded"
    assert call(sandbox, "GET", op, api_version=None).body["status"] == "Succeeded"


def test_a_second_sandbox_sees_the_first_ones_changes_at_once(sandbox_path: Path) -> None:
    """Two stores on one file (as two processes): each request reads what the other wrote."""
    first = Sandbox(speed=0, state_path=sandbox_path, faults="")
    second = Sandbox(speed=0, state_path=sandbox_path, faults="")
    call(first, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
    assert second.get(f"{SUB}/resourceGroups/rg1") is not None
    call(second, "PUT", f"{SUB}/resourcegroups/rg2", {"location": "eastus"})
    call(first, "DELETE", f"{SUB}/resourcegroups/rg1")
    names = {r["name"] for r in Sandbox(speed=0, state_path=sandbox_path, faults="").resources()}
    assert names == {"rg2"}


def test_bytes_written_per_change_do_not_grow_with_the_state(tmp_path: Path) -> None:
    """One more resource in a big state writes about what it writes in a small one."""
    def file_bytes(path: Path) -> int:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))

    growth = {}
    for size in (10, 3000):
        path = tmp_path / f"s{size}.db"
        sandbox = Sandbox(speed=0, state_path=path, faults="")
        call(sandbox, "PUT", f"{SUB}/resourcegroups/rg1", {"location": "eastus"})
        with sandbox.store.transaction():
            for i in range(size):
                sandbox.store.put({"id": f"{SUB}/resourceGroups/rg1/providers/Microsoft."
                                   f"ManagedIdentity/userAssignedIdentities/id{i}",
                                   "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
                                   "name": f"id{i}", "properties": {"principalId": str(i)}})
        sandbox.store.close()
        sandbox = Sandbox(speed=0, state_path=path, faults="")
        before = file_bytes(path)  # the WAL starts empty after a checkpoint at close
        call(sandbox, "PUT", f"{SUB}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/"
             "userAssignedIdentities/extra", {"location": "eastus"})
        growth[size] = file_bytes(path) - before
    assert growth[3000] <= 2 * growth[10] + 8192, growth


def _written() -> int:
    """Bytes this process has written so far (every write call: files, pipes, temp files)."""
    with open("/proc/self/io") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("wchar:"))


def test_big_lists_write_nothing(tmp_path: Path) -> None:
    """A type's list in insertion order, over more bodies than SQLite's cache holds, sorts in
    memory: on a 20,000-resource state, sort files on disk once wrote 6 MB per apply."""
    sandbox = Sandbox(speed=0, state_path=tmp_path / "big.db", faults="")
    ip_type = "Microsoft.Network/publicIPAddresses"
    with sandbox.store.transaction():
        for i in range(3000):
            sandbox.store.put({"id": f"{SUB}/resourceGroups/rg{i % 7}/providers/{ip_type}/ip{i}",
                               "type": ip_type, "name": f"ip{i}", "location": "eastus",
                               "properties": {"padding": "x" * 1500}})
    before = _written()
    with sandbox.store.transaction():
        listed = sandbox.store.of_type(ip_type)
    written = _written() - before
    assert len(listed) == 3000
    assert [body["name"] for body in listed[:3]] == ["ip0", "ip1", "ip2"]
    # On disk the sort wrote the bodies out again (5.6 MB here); what is left is the process's
    # other writing meanwhile (a test worker reports to its controller).
    assert written < 1_000_000, written
