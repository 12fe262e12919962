"""Opening a `--sandbox-state` file: recognise it, validate it, migrate the old JSON format.

The state is an SQLite database (format 2). Before anything is written, an existing file is
checked: SQLite's own `quick_check`, the application id and format version in its header, the
tables, and that every stored body is a JSON object with a string `id`. A file in the first
format (one JSON document, `{"version": 1, "resources": [...], "operations": [...]}`) is validated
with pydantic and converted in place (the original is kept beside it as `NAME.v1.json`).

Anything else (wrong shape or version, truncated or damaged content, a file that is neither) is
refused with `SandboxStateError`: one line naming the file and what is wrong, the file untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

#: The format this version writes and reads; version 1 (JSON) is migrated.
FORMAT_VERSION = 2
JSON_FORMAT_VERSION = 1
#: Stored in the SQLite header so a foreign database is recognised as such ("AKSN").
APPLICATION_ID = 0x414B534E
SQLITE_MAGIC = b"SQLite format 3\x00"
TABLES = ("resources", "refs", "operations")


class SandboxStateError(ValueError):
    """A sandbox state file that cannot be used; the message is one line for the user."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"sandbox state {path}: {problem}")
        self.path = path
        self.problem = problem


class _Resource(BaseModel):
    """What the sandbox relies on in a stored resource (the rest is kept as it is)."""

    model_config = ConfigDict(extra="allow")
    id: str
    type: str
    name: str | None = None
    location: str | None = None
    properties: dict[str, Any] = {}  # absent, or an object (as the database check wants)
    tags: dict[str, Any] | None = None
    sku: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None


class _Operation(BaseModel):
    """What the sandbox relies on in a stored long-running operation (field names as stored)."""

    model_config = ConfigDict(extra="allow")
    id: str
    resourceId: str
    status: Literal["InProgress", "Succeeded", "Failed"]
    action: str
    followers: list[str] = []
    doneAt: float | None = None
    failWith: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class _JsonState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    resources: list[_Resource] = []
    operations: list[_Operation] = []


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the document"
    return f"{where}: {first['msg']}"


def read_json_state(path: Path, raw: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The resources and operations of a format-1 JSON state, or SandboxStateError."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SandboxStateError(path, "is neither a sandbox database nor JSON text") from None
    except json.JSONDecodeError as error:
        raise SandboxStateError(path, f"is not valid JSON (truncated or damaged?): {error.msg} "
                                f"at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, dict):
        raise SandboxStateError(path, f"must hold a JSON object, not {type(data).__name__}")
    version = data.get("version")
    if version != JSON_FORMAT_VERSION:
        raise SandboxStateError(path, f"has version {version!r}; this version of the wizard "
                                f"reads versions {JSON_FORMAT_VERSION} (JSON) and "
                                f"{FORMAT_VERSION} (SQLite)")
    try:
        state = _JsonState.model_validate(data)
    except ValidationError as error:
        raise SandboxStateError(path, _first_error(error)) from None
    resources = [r.model_dump(exclude_unset=True) for r in state.resources]
    operations = [op.model_dump(exclude_unset=True) for op in state.operations]
    return resources, operations


def check_database(path: Path, conn: sqlite3.Connection) -> bool:
    """Validate an opened SQLite file; False when it is an empty database to initialise."""
    try:
        verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":
            raise SandboxStateError(path, f"is damaged ({verdict})")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id == 0 and version == 0 and not tables:
            return False
        if app_id != APPLICATION_ID:
            raise SandboxStateError(path, "is an SQLite database but not a sandbox state")
        if version != FORMAT_VERSION:
            raise SandboxStateError(path, f"has format version {version}; this version of the "
                                    f"wizard reads format {FORMAT_VERSION}")
        missing = [t for t in TABLES if t not in tables]
        if missing:
            raise SandboxStateError(path, f"lacks the table {missing[0]!r}")
        bad = conn.execute(
            "SELECT key FROM resources WHERE NOT json_valid(body) OR json_type(body) != 'object'"
            " OR json_type(body, '$.id') IS NOT 'text' OR json_type(body, '$.type') IS NOT 'text'"
            " OR coalesce(json_type(body, '$.properties'), 'object') != 'object'"
            " OR coalesce(json_type(body, '$.tags'), 'object') NOT IN ('object', 'null')"
            " LIMIT 1").fetchone()
        if bad is not None:
            raise SandboxStateError(path, f"resource {bad[0]!r} is not a valid body")
        bad = conn.execute(
            "SELECT id FROM operations WHERE NOT json_valid(body) OR json_type(body) != 'object'"
            " OR json_type(body, '$.id') IS NOT 'text'"
            " OR json_type(body, '$.resourceId') IS NOT 'text'"
            " OR json_type(body, '$.action') IS NOT 'text'"
            " OR json_extract(body, '$.status') NOT IN ('InProgress', 'Succeeded', 'Failed')"
            " OR coalesce(json_type(body, '$.followers'), 'array') != 'array'"
            " LIMIT 1").fetchone()
        if bad is not None:
            raise SandboxStateError(path, f"operation {bad[0]!r} is not a valid record")
    except sqlite3.DatabaseError as error:
        raise SandboxStateError(path, f"is damaged ({error})") from None
    return True


_OPEN_DATABASES: set[tuple[int, int]] = set()
"""(device, inode) of the database files this process has open. SQLite's locks are POSIX
advisory locks, which the OS drops for the whole process as soon as *any* descriptor on the
file is closed: reading a database's header with a plain open()/close() while a connection is
open would silently unlock it, and another process could then checkpoint and remove the WAL
under that connection ("disk I/O error"). A file already open as a database is not read again."""


def opened_as_database(path: Path) -> None:
    """Remember that this process has `path` open as a database (see `_OPEN_DATABASES`)."""
    with contextlib.suppress(OSError):
        info = path.stat()
        _OPEN_DATABASES.add((info.st_dev, info.st_ino))


def kind_of(path: Path) -> Literal["missing", "sqlite", "json"]:
    """What is at `path`: nothing (or an empty file), an SQLite database, or something else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        raise SandboxStateError(path, f"cannot be read ({error.strerror})") from None
    if (info.st_dev, info.st_ino) in _OPEN_DATABASES:
        return "sqlite"
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        raise SandboxStateError(path, f"cannot be read ({error.strerror})") from None
    if not head:
        return "missing"
    return "sqlite" if head == SQLITE_MAGIC else "json"


def backup_path(path: Path) -> Path:
    """Where a migrated format-1 file is kept."""
    return path.with_name(path.name + f".v{JSON_FORMAT_VERSION}.json")


def keep_backup(path: Path) -> Path:
    """Copy the format-1 file aside before it is replaced."""
    target = backup_path(path)
    shutil.copy2(path, target)
    return target


def replace_with(path: Path, built: Path) -> None:
    """Move a freshly built database over the old file (atomic on one filesystem)."""
    os.replace(built, path)
