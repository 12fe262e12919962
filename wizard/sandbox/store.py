"""The sandbox's memory: ARM resources and long-running operations in SQLite.

Why SQLite: the sandbox must hold thousands of resources and be shared by several processes
(an `apply` in each of two terminals on one `--sandbox-state`). Rows are indexed by type and
parent collection (a list reads only its own rows), by referenced id (back-references such as a
public IP's NAT gateway are index look-ups, not scans), and operations by status (settling reads
only running ones). Each change writes only the rows it touched, in WAL mode; finished operations
are pruned after `OPERATION_RETENTION` seconds. Without a `path` the same database lives in memory.

Transactions: `transaction()` holds a re-entrant lock (threads of this process) and an SQLite
write transaction (`BEGIN IMMEDIATE`: other processes wait for it), so every request sees one
consistent world and two processes never lose each other's work. Bodies handed out inside a
transaction are live: a handler may change one in place; the change is written when the
transaction ends (or at `touch()`, which a handler calls before relying on what it changed).
Each public method outside a transaction runs in one of its own.

Opening a file validates it first (`state_file`): a damaged file or one of the wrong shape or
version raises `SandboxStateError`, one line, before anything is written.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wizard.sandbox import state_file
from wizard.sandbox.ids import key

Json = dict[str, Any]
FORMAT_VERSION = state_file.FORMAT_VERSION
#: Seconds (wall clock) a finished operation stays readable for pollers, then it is pruned.
OPERATION_RETENTION = 600.0
#: Milliseconds a process waits for another's write transaction before giving up.
BUSY_TIMEOUT_MS = 60_000

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS resources (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, parent TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS resources_by_type_parent ON resources (type, parent)",
    "CREATE INDEX IF NOT EXISTS resources_by_principal ON resources"
    " (lower(json_extract(body, '$.properties.principalId')))",
    "CREATE INDEX IF NOT EXISTS resources_by_identity_principal ON resources"
    " (lower(json_extract(body, '$.identity.principalId')))",
    "CREATE TABLE IF NOT EXISTS refs (dst TEXT NOT NULL, src TEXT NOT NULL,"
    " PRIMARY KEY (dst, src)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS refs_by_src ON refs (src)",
    "CREATE TABLE IF NOT EXISTS operations (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " resource TEXT NOT NULL, status TEXT NOT NULL, ended REAL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS operations_by_status ON operations (status, resource)",
    "CREATE INDEX IF NOT EXISTS operations_by_end ON operations (ended)",
)


def _dumps(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _collection_of(resource_key: str) -> str:
    return resource_key.rsplit("/", 1)[0]


def _references(body: Json) -> set[str]:
    """Every ARM id a body mentions besides its own (`{"id": ...}` references, scopes, owners)."""
    found: set[str] = set()
    own = key(str(body.get("id", "")))

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value[:15].lower() == "/subscriptions/":
            ref = key(value)
            if ref != own:
                found.add(ref)

    walk(body)
    return found


class _Entry:
    """A body handed out in this transaction and the text it was last written as."""

    __slots__ = ("body", "text")

    def __init__(self, body: Json, text: str) -> None:
        self.body = body
        self.text = text


def _connect(target: str) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Sorts and UNIONs over many bodies (a type's list in insertion order) build temporary
    # b-trees; on disk they wrote megabytes per apply on a big state, in memory nothing.
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {state_file.APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class Store:
    """Thread- and process-safe resource and operation store (SQLite, in memory or on disk)."""

    def __init__(self, path: Path | None = None, *,
                 wall: Callable[[], float] = time.time,
                 operation_retention: float = OPERATION_RETENTION) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._wall = wall
        self.operation_retention = operation_retention
        self._depth = 0
        self._live: dict[str, _Entry] = {}
        self._live_ops: dict[str, _Entry] = {}
        self._conn = self._open(path)

    # -- opening -----------------------------------------------------------------------------
    def _open(self, path: Path | None) -> sqlite3.Connection:
        if path is None:
            conn = _connect(":memory:")
            _create_schema(conn)
            return conn
        kind = state_file.kind_of(path)
        if kind == "json":
            self._migrate(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(str(path))
        try:
            ready = kind != "missing" and state_file.check_database(path, conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if not ready:
                _create_schema(conn)
            state_file.opened_as_database(path)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise state_file.SandboxStateError(path, f"cannot be opened ({error})") from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, path: Path) -> None:
        """Turn a format-1 JSON file into a database at the same path (once, under a lock)."""
        from filelock import FileLock

        state_file.read_json_state(path, path.read_bytes())  # refuse a bad file before any lock
        with FileLock(str(path) + ".lock"):
            if state_file.kind_of(path) != "json":
                return  # another process migrated it meanwhile
            resources, operations = state_file.read_json_state(path, path.read_bytes())
            fd, tmp = tempfile.mkstemp(prefix=".sandbox-", suffix=".tmp", dir=path.parent)
            os.close(fd)
            built = Path(tmp)
            try:
                conn = _connect(tmp)
                _create_schema(conn)
                conn.execute("BEGIN IMMEDIATE")
                for body in resources:
                    self._write_resource(conn, body)
                for op in operations:
                    if op["status"] == "InProgress":
                        op["doneAt"] = None  # that process has ended: the operation is due
                    self._write_operation(conn, op)
                conn.execute("COMMIT")
                conn.close()
                state_file.keep_backup(path)
                state_file.replace_with(path, built)
            finally:
                built.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the database (a later call on this store fails)."""
        with self.lock:
            self._conn.close()

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One consistent, atomic unit of work across threads and processes (re-entrant)."""
        with self.lock:
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._end()

    def _end(self) -> None:
        try:
            self._flush_all()
            self._prune()
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._live.clear()
            self._live_ops.clear()

    def _flush_all(self) -> None:
        for rkey, entry in self._live.items():
            self._flush(rkey, entry)
        for op_id, entry in self._live_ops.items():
            self._flush_op(op_id, entry)

    def _flush(self, rkey: str, entry: _Entry) -> None:
        text = _dumps(entry.body)
        if text != entry.text:
            self._write_resource(self._conn, entry.body, text)
            entry.text = text

    def _flush_op(self, op_id: str, entry: _Entry) -> None:
        text = _dumps(entry.body)
        if text != entry.text:
            entry.text = self._write_operation(self._conn, entry.body)

    def _write_resource(self, conn: sqlite3.Connection, body: Json,
                        text: str | None = None) -> None:
        rkey = key(body["id"])
        conn.execute(
            "INSERT INTO resources (key, type, parent, body) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET type = excluded.type, parent = excluded.parent,"
            " body = excluded.body",
            (rkey, str(body.get("type", "")).lower(), _collection_of(rkey),
             text if text is not None else _dumps(body)))
        wanted = _references(body)
        held = {row[0] for row in conn.execute("SELECT dst FROM refs WHERE src = ?", (rkey,))}
        if held - wanted:
            conn.executemany("DELETE FROM refs WHERE dst = ? AND src = ?",
                             [(dst, rkey) for dst in held - wanted])
        if wanted - held:
            conn.executemany("INSERT INTO refs (dst, src) VALUES (?, ?)",
                             [(dst, rkey) for dst in wanted - held])

    def _write_operation(self, conn: sqlite3.Connection, op: Json) -> str:
        status = str(op.get("status", ""))
        if status != "InProgress" and op.get("endedWall") is None:
            op["endedWall"] = self._wall()
        text = _dumps(op)
        conn.execute(
            "INSERT INTO operations (id, resource, status, ended, body) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET resource = excluded.resource,"
            " status = excluded.status, ended = excluded.ended, body = excluded.body",
            (str(op["id"]).lower(), key(str(op.get("resourceId", ""))), status,
             op.get("endedWall"), text))
        return text

    def _prune(self) -> None:
        self._conn.execute("DELETE FROM operations WHERE ended < ?",
                           (self._wall() - self.operation_retention,))

    # -- reading rows through the live map ----------------------------------------------------
    def _body(self, rkey: str, text: str) -> Json:
        entry = self._live.get(rkey)
        if entry is None:
            entry = _Entry(json.loads(text), text)
            self._live[rkey] = entry
        return entry.body

    def _bodies(self, sql: str, args: Iterable[Any] = ()) -> list[Json]:
        with self.transaction():
            return [self._body(rkey, text) for rkey, text in self._conn.execute(sql, tuple(args))]

    def _op(self, op_id: str, text: str) -> Json:
        entry = self._live_ops.get(op_id)
        if entry is None:
            entry = _Entry(json.loads(text), text)
            self._live_ops[op_id] = entry
        return entry.body

    def _ops(self, sql: str, args: Iterable[Any] = ()) -> list[Json]:
        with self.transaction():
            return [self._op(op_id, text) for op_id, text in self._conn.execute(sql, tuple(args))]

    # -- resources ---------------------------------------------------------------------------
    def get(self, resource_id: str) -> Json | None:
        """The stored body (live within the transaction: copy before handing it out)."""
        found = self._bodies("SELECT key, body FROM resources WHERE key = ?", (key(resource_id),))
        return found[0] if found else None

    def put(self, body: Json) -> None:
        """Insert or replace a resource; `body["id"]` is the key (insertion order is kept)."""
        with self.transaction():
            rkey = key(body["id"])
            text = _dumps(body)
            self._write_resource(self._conn, body, text)
            self._live[rkey] = _Entry(body, text)

    def delete(self, resource_id: str) -> Json | None:
        """Remove one resource; returns what was removed."""
        with self.transaction():
            removed = self.get(resource_id)
            if removed is not None:
                rkey = key(resource_id)
                self._conn.execute("DELETE FROM resources WHERE key = ?", (rkey,))
                self._conn.execute("DELETE FROM refs WHERE src = ?", (rkey,))
                self._live.pop(rkey, None)
            return removed

    def all(self) -> list[Json]:
        """Every stored resource, in insertion order."""
        return self._bodies("SELECT key, body FROM resources ORDER BY seq")

    def of_type(self, arm_type: str) -> list[Json]:
        """Resources of one ARM type, e.g. `Microsoft.Network/natGateways` (insertion order)."""
        return self._bodies("SELECT key, body FROM resources WHERE type = ? ORDER BY seq",
                            (arm_type.lower(),))

    def in_collection(self, arm_type: str, collection_id: str, *, after: int = 0,
                      limit: int | None = None) -> list[tuple[int, Json]]:
        """Resources of one type directly in a collection (`.../resourceGroups/rg/providers/
        Microsoft.Network/virtualNetworks`), with their position, for paging: rows after
        position `after`, at most `limit` of them."""
        return self._page("type = ? AND parent = ?", (arm_type.lower(), key(collection_id)),
                          after, limit)

    def page(self, arm_type: str | None = None, *, location: str | None = None, after: int = 0,
             limit: int | None = None) -> list[tuple[int, Json]]:
        """Resources anywhere, of one type and in one location when given, with their position
        (see `in_collection`)."""
        where, args = ["1"], []
        if arm_type is not None:
            where.append("type = ?")
            args.append(arm_type.lower())
        if location is not None:
            self.touch()  # a location changed in place must count
            where.append("lower(json_extract(body, '$.location')) = ?")
            args.append(location.lower())
        return self._page(" AND ".join(where), tuple(args), after, limit)

    def _page(self, where: str, args: tuple[Any, ...], after: int,
              limit: int | None) -> list[tuple[int, Json]]:
        sql = f"SELECT seq, key, body FROM resources WHERE {where} AND seq > ? ORDER BY seq"
        params: tuple[Any, ...] = (*args, after)
        if limit is not None:
            sql += " LIMIT ?"
            params = (*params, limit)
        with self.transaction():
            return [(seq, self._body(rkey, text))
                    for seq, rkey, text in self._conn.execute(sql, params)]

    def children_of(self, arm_type: str, parent_id: str, collection: str) -> list[Json]:
        """Child resources of one parent, e.g. a VNet's `subnets` or a cluster's `agentPools`."""
        return [body for _, body in
                self.in_collection(arm_type, f"{key(parent_id)}/{collection.lower()}")]

    def within(self, scope_id: str) -> list[Json]:
        """The resource at `scope_id` and every resource below it."""
        scope = key(scope_id)
        return self._bodies(
            "SELECT key, body FROM resources WHERE key = ? OR (key > ? AND key < ?) ORDER BY seq",
            (scope, scope + "/", scope + "0"))

    def referrers(self, target_id: str, arm_type: str | None = None) -> list[Json]:
        """Resources (of `arm_type`, if given) whose body mentions `target_id` anywhere: the
        index behind back-references. A body changed in place is seen after `touch()`; callers
        check the field they care about on what comes back."""
        sql = ("SELECT r.key, r.body FROM refs f JOIN resources r ON r.key = f.src"
               " WHERE f.dst = ?")
        args: list[Any] = [key(target_id)]
        if arm_type is not None:
            sql += " AND r.type = ?"
            args.append(arm_type.lower())
        return self._bodies(sql + " ORDER BY r.seq", args)

    def with_principal(self, principal_id: str) -> list[Json]:
        """Resources whose `properties.principalId` or `identity.principalId` is this one."""
        wanted = principal_id.lower()
        return self._bodies(
            "SELECT key, body FROM resources"
            " WHERE lower(json_extract(body, '$.properties.principalId')) = ?"
            " UNION SELECT key, body FROM resources"
            " WHERE lower(json_extract(body, '$.identity.principalId')) = ?", (wanted, wanted))

    def count(self, arm_type: str, location: str | None = None) -> int:
        """How many resources of a type (in a location, if given) are stored."""
        with self.transaction():
            self._flush_all()
            if location is None:
                row = self._conn.execute("SELECT count(*) FROM resources WHERE type = ?",
                                         (arm_type.lower(),)).fetchone()
            else:
                row = self._conn.execute(
                    "SELECT count(*) FROM resources WHERE type = ?"
                    " AND lower(json_extract(body, '$.location')) = ?",
                    (arm_type.lower(), location.lower())).fetchone()
            return int(row[0])

    def touch(self, *bodies: Json) -> None:
        """Write bodies changed in place now (all handed-out bodies when none is named)."""
        with self.transaction():
            if not bodies:
                self._flush_all()
                return
            for body in bodies:
                rkey = key(body["id"])
                entry = self._live.get(rkey)
                if entry is not None and entry.body is body:
                    self._flush(rkey, entry)

    # -- operations --------------------------------------------------------------------------
    def add_operation(self, op: Json) -> None:
        """Remember a long-running operation."""
        with self.transaction():
            op_id = str(op["id"]).lower()
            text = self._write_operation(self._conn, op)
            self._live_ops[op_id] = _Entry(op, text)

    def operation(self, op_id: str) -> Json | None:
        """One operation by id (ids are lower-case GUIDs)."""
        found = self._ops("SELECT id, body FROM operations WHERE id = ?", (op_id.lower(),))
        return found[0] if found else None

    def running(self, resource_id: str | None = None) -> list[Json]:
        """Operations still in progress (on one resource, if given), oldest first."""
        if resource_id is None:
            found = self._ops("SELECT id, body FROM operations WHERE status = 'InProgress'"
                              " ORDER BY seq")
        else:
            found = self._ops("SELECT id, body FROM operations WHERE status = 'InProgress'"
                              " AND resource = ? ORDER BY seq", (key(resource_id),))
        return [op for op in found if op.get("status") == "InProgress"]

    def operations(self) -> list[Json]:
        """Every operation not yet pruned, oldest first."""
        return self._ops("SELECT id, body FROM operations ORDER BY seq")

    def clear(self) -> None:
        """Forget everything."""
        with self.transaction():
            for table in ("resources", "refs", "operations"):
                self._conn.execute(f"DELETE FROM {table}")
            self._live.clear()
            self._live_ops.clear()

    def snapshot(self) -> list[Json]:
        """A deep copy of every stored resource."""
        with self.transaction():
            return copy.deepcopy(self.all())
