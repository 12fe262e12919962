"""Long-running operations, the Azure-AsyncOperation way.

A write on an LRO type stores the resource as Creating/Updating/Deleting and records an
operation due `duration` seconds later on the injected clock. Nothing runs in the background:
before every request the app settles whatever is due, so the operation endpoint flips from
InProgress to Succeeded (or Failed) at the same moment the resource's provisioningState does,
and a fake clock makes that fully deterministic.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wizard.sandbox.http import Request, Response

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator
    from wizard.sandbox.kinds import ResourceKind

Json = dict[str, Any]
OPERATIONS_PATH = "/subscriptions/{sub}/providers/Microsoft.Sandbox/operations/{op}"
RESULTS_PATH = "/subscriptions/{sub}/providers/Microsoft.Sandbox/operationResults/{op}"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


class Operations:
    """Starts, settles and reports long-running operations kept in the store."""

    def __init__(self, emu: Emulator, wall: Callable[[], float] = time.time) -> None:
        self.emu = emu
        self._wall = wall
        #: Marks this sandbox's operations: their `doneAt` is on this sandbox's clock.
        self.owner = uuid.uuid4().hex
        #: Send `Retry-After` on operations, as resource providers do (tests turn it off to
        #: see a client's own polling interval).
        self.send_retry_after = True

    def start(
        self, kind: ResourceKind, rid: str, action: str, req: Request, followers: list[str]
    ) -> dict[str, str]:
        """Record an operation on `rid`; returns the response headers that point at it."""
        emu = self.emu
        for op in emu.store.running(rid):
            # A newer write takes over an unfinished one: the old poller ends quietly.
            op["status"], op["endTime"] = "Succeeded", _now_iso()
        fault = emu.faults.take_lro_failure(kind.resource_type, req.method)
        error = None
        if fault is not None:
            error = {
                "code": fault.code,
                "message": f"The sandbox failed this {req.method} of {rid} on purpose "
                "(fault injection).",
            }
        op_id = str(uuid.uuid4())
        duration = emu.durations.seconds(kind.resource_type, action)
        emu.store.add_operation(
            {
                "id": op_id,
                "resourceId": rid,
                "armType": kind.arm_type,
                "action": action,
                "followers": followers,
                "status": "InProgress",
                "doneAt": emu.clock() + duration,
                "owner": self.owner,
                "pid": os.getpid(),
                "dueWall": self._wall() + duration,
                "startTime": _now_iso(),
                "failWith": error,
                "apiVersion": req.api_version or "",
            }
        )
        query = f"?api-version={req.api_version}" if req.api_version else ""
        headers = {"Azure-AsyncOperation": self.url(OPERATIONS_PATH, op_id) + query}
        self._retry_after(headers, duration)
        if action == "delete":
            headers["Location"] = self.url(RESULTS_PATH, op_id) + query
        return headers

    def url(self, template: str, op_id: str) -> str:
        """Absolute URL of an operation endpoint on the sandbox base."""
        path = template.format(sub=self.emu.subscription_id, op=op_id)
        return self.emu.base_url + path

    def busy(self, rid: str) -> bool:
        """Whether an operation on `rid` is still running."""
        return bool(self.emu.store.running(rid))

    def due(self, op: Json) -> bool:
        """Whether a running operation's time has come. This sandbox's own operations follow its
        clock; those of another live process follow the wall clock (a clock reading from
        another process means nothing here); those of a process that has ended are due now."""
        if op.get("doneAt") is None:
            return True
        if op.get("owner") == self.owner:
            return bool(op["doneAt"] <= self.emu.clock())
        pid = op.get("pid")
        if isinstance(pid, int) and pid != os.getpid() and _alive(pid):
            return bool(float(op.get("dueWall") or 0) <= self._wall())
        return True

    def remaining(self, op: Json) -> float:
        """Seconds of sandbox time until a running operation is due (0 when due)."""
        if self.due(op):
            return 0.0
        if op.get("owner") == self.owner:
            return max(float(op["doneAt"]) - self.emu.clock(), 0.0)
        return max(float(op.get("dueWall") or 0) - self._wall(), 0.0)

    def retry_after(self, remaining: float) -> str | None:
        """The `Retry-After` to send: the whole seconds left until the operation is due, in the
        client's seconds (its sleeps are scaled by the sandbox speed), rounded down; none in the
        last second, where the client's own polling interval applies (ARM lets a provider omit
        it). A poller that follows it wakes before the operation is due, never long after."""
        scale = self.emu.durations.sleep_scale
        if scale <= 0:
            return None
        seconds = int(remaining / scale + 1e-9)
        return str(seconds) if seconds >= 1 else None

    def _retry_after(self, headers: dict[str, str], remaining: float) -> None:
        value = self.retry_after(remaining) if self.send_retry_after else None
        if value is not None:
            headers["Retry-After"] = value

    def settle(self) -> None:
        """Finish every operation whose time has come (in the order they were started)."""
        for op in self.emu.store.running():
            if self.due(op):
                self._finish(op)

    def _finish(self, op: Json) -> None:
        emu = self.emu
        failed = op.get("failWith") is not None
        op["status"] = "Failed" if failed else "Succeeded"
        op["endTime"] = _now_iso()
        if failed:
            op["error"] = op["failWith"]
        if op["action"] == "delete" and not failed:
            emu.remove_tree(op["resourceId"])
        else:
            state = "Failed" if failed else "Succeeded"
            for rid in [op["resourceId"], *op.get("followers", [])]:
                stored = emu.store.get(rid)
                if stored is not None:
                    stored.setdefault("properties", {})["provisioningState"] = state
        emu.store.touch()

    # -- endpoints ---------------------------------------------------------------------------
    def handle_status(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """GET on Azure-AsyncOperation: `{"status": ...}`, with a Retry-After while running."""
        op = emu.store.operation(params["op"])
        if op is None:
            return Response(404, {"error": {"code": "OperationNotFound",
                                            "message": f"Operation {params['op']} not found."}})
        body: Json = {"id": self.url(OPERATIONS_PATH, op["id"]), "name": op["id"],
                      "status": op["status"], "startTime": op["startTime"]}
        if "endTime" in op:
            body["endTime"] = op["endTime"]
        if op.get("error"):
            body["error"] = op["error"]
        headers: dict[str, str] = {}
        if op["status"] == "InProgress":
            self._retry_after(headers, self.remaining(op))
        return Response(200, body, headers)

    def handle_result(self, emu: Emulator, req: Request, params: dict[str, str]) -> Response:
        """GET on Location: 202 while running, then 204 (or the error for a failed one)."""
        op = emu.store.operation(params["op"])
        if op is None:
            return Response(404, {"error": {"code": "OperationNotFound",
                                            "message": f"Operation {params['op']} not found."}})
        if op["status"] == "InProgress":
            headers = {"Location": self.url(RESULTS_PATH, op["id"])}
            self._retry_after(headers, self.remaining(op))
            return Response(202, None, headers)
        if op["status"] == "Failed":
            return Response(400, {"error": op["error"]})
        return Response(204)


def _alive(pid: int) -> bool:
    """Whether a process with this id is running (signal 0 checks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
