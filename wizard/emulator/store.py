"""The sandbox's memory: ARM resources and long-running operations, optionally on disk.

Resources are keyed by the lower-cased ARM id (ARM ids are case-insensitive) and keep the
casing they were created with for output. One re-entrant lock guards everything; the app holds it
for a whole request so a handler sees a consistent world even while SDK pollers run on other
threads.

With a `path`, the state is loaded at start and written after every change with a temp file and
`os.replace`, so a process killed at any moment leaves either the old or the new file, never a
torn one; the CLI runs several processes one after another against the same file.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wizard.emulator.ids import is_within, key

Json = dict[str, Any]
FORMAT_VERSION = 1


class Store:
    """Thread-safe resource and operation store with optional atomic JSON persistence."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._resources: dict[str, Json] = {}
        self._operations: dict[str, Json] = {}
        self._dirty = False
        self._depth = 0
        if path is not None and path.exists():
            self._load(path)

    # -- persistence -------------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self._resources = {key(r["id"]): r for r in data.get("resources", [])}
        self._operations = {op["id"]: op for op in data.get("operations", [])}
        # A clock reading from another process means nothing here: an operation that was still
        # running when that process ended is treated as due (it finishes on the next settle).
        for op in self._operations.values():
            if op.get("status") == "InProgress":
                op["doneAt"] = None

    def _write(self) -> None:
        if self.path is None:
            return
        data = {
            "version": FORMAT_VERSION,
            "resources": list(self._resources.values()),
            "operations": list(self._operations.values()),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sandbox-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock; write the file once at the end if anything changed."""
        with self.lock:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0 and self._dirty:
                    self._dirty = False
                    self._write()

    def _changed(self) -> None:
        self._dirty = True
        if self._depth == 0:
            self._dirty = False
            self._write()

    # -- resources ---------------------------------------------------------------------------
    def get(self, resource_id: str) -> Json | None:
        """The stored body (a live reference: copy before handing it out of the lock)."""
        with self.lock:
            return self._resources.get(key(resource_id))

    def put(self, body: Json) -> None:
        """Insert or replace a resource; `body["id"]` is the key."""
        with self.lock:
            self._resources[key(body["id"])] = body
            self._changed()

    def delete(self, resource_id: str) -> Json | None:
        """Remove one resource; returns what was removed."""
        with self.lock:
            removed = self._resources.pop(key(resource_id), None)
            if removed is not None:
                self._changed()
            return removed

    def all(self) -> list[Json]:
        """Every stored resource (live references, in insertion order)."""
        with self.lock:
            return list(self._resources.values())

    def of_type(self, arm_type: str) -> list[Json]:
        """Resources of one ARM type, e.g. `Microsoft.Network/natGateways`."""
        wanted = arm_type.lower()
        with self.lock:
            return [r for r in self._resources.values() if str(r.get("type", "")).lower() == wanted]

    def children_of(self, arm_type: str, parent_id: str, collection: str) -> list[Json]:
        """Child resources of one parent, e.g. a VNet's `subnets` or a cluster's `agentPools`."""
        prefix = f"{key(parent_id)}/{collection.lower()}/"
        return [r for r in self.of_type(arm_type) if key(r["id"]).startswith(prefix)]

    def within(self, scope_id: str) -> list[Json]:
        """The resource at `scope_id` and every resource below it."""
        with self.lock:
            return [r for r in self._resources.values() if is_within(r["id"], scope_id)]

    def touch(self) -> None:
        """Record that a stored body was modified in place."""
        with self.lock:
            self._changed()

    # -- operations --------------------------------------------------------------------------
    def add_operation(self, op: Json) -> None:
        """Remember a long-running operation."""
        with self.lock:
            self._operations[op["id"]] = op
            self._changed()

    def operation(self, op_id: str) -> Json | None:
        """One operation by id (ids are lower-case GUIDs)."""
        with self.lock:
            return self._operations.get(op_id.lower())

    def operations(self) -> list[Json]:
        """All operations (live references)."""
        with self.lock:
            return list(self._operations.values())

    def clear(self) -> None:
        """Forget everything (and write the empty state)."""
        with self.lock:
            self._resources.clear()
            self._operations.clear()
            self._changed()

    def snapshot(self) -> list[Json]:
        """A deep copy of every stored resource."""
        with self.lock:
            return copy.deepcopy(list(self._resources.values()))
