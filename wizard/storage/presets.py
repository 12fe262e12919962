"""Presets: named starting configurations, as TOML files a person can read and edit.

A preset file is exactly `WizardConfig.model_dump()` written as TOML, minus unset (None) values,
so the dotted paths `--set` takes (`outbound.ip_count`) are the file's `[section]` + key.

Two kinds:
- built-in presets, the repository's `presets/` folder (shipped in the wheel as
  `wizard/_builtin_presets`);
- user presets, in `paths.presets_dir()`, written by `save()`.

A user preset cannot quietly shadow a built-in: `save()` refuses a built-in's name unless forced,
a plain name always means the built-in, and `user:NAME` / `built-in:NAME` pick one explicitly.

Every way a file can be wrong becomes a `PresetError` naming the file, the line (and column for
TOML syntax) and the field path, never a traceback: a syntax error, a `schema_version` this
version cannot read, an invalid value. Files carry `schema_version`; older layouts are migrated on
load by `MIGRATIONS` (a file without the field is the first layout, version 1).

Secrets are never stored: the model has no secret fields (the Windows admin password lives in the
executor's memory only), and a test keeps it that way.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import ValidationError

from wizard.model.config import SCHEMA_VERSION, WizardConfig
from wizard.model.findings import from_validation_error
from wizard.storage import paths
from wizard.text.safe import clean_text

Source = Literal["built-in", "user", "file"]
BUILTIN: Source = "built-in"
USER: Source = "user"
FILE: Source = "file"
SUFFIX = ".toml"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
NAME_RULE = "1-64 letters, digits, '-' or '_', starting with a letter or digit"

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _from_unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """The first layout had no `schema_version`; it is version 1's layout."""
    return {**data, "schema_version": 1}


MIGRATIONS: dict[int, Migration] = {0: _from_unversioned}
"""`MIGRATIONS[n]` turns a version-`n` mapping into version `n + 1`; 0 means "no version field"."""


# -- errors ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PresetProblem:
    """One thing wrong with a preset, where it is, and which setting it concerns."""

    message: str
    line: int | None = None
    column: int | None = None
    field: str = ""


class PresetError(Exception):
    """A preset that cannot be found, read or used; `str()` lists every problem, one a line."""

    def __init__(self, where: Path | str | None, problems: list[PresetProblem] | str) -> None:
        self.where = where
        self.problems = [PresetProblem(problems)] if isinstance(problems, str) else problems
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join(self.format_problem(problem) for problem in self.problems)

    def format_problem(self, problem: PresetProblem, *, with_field: bool = True) -> str:
        """`FILE:LINE:COLUMN: FIELD: MESSAGE`, leaving out the parts that are unknown."""
        location = str(self.where) if self.where is not None else ""
        if location and problem.line is not None:
            location += f":{problem.line}"
            if problem.column is not None:
                location += f":{problem.column}"
        parts = [part for part in (location, problem.field if with_field else "") if part]
        return ": ".join([*parts, problem.message])


# -- where presets are -------------------------------------------------------------------------

@dataclass(frozen=True)
class PresetInfo:
    """A preset as `presets list` shows it."""

    name: str
    source: Source
    path: Path
    description: str

    @property
    def qualified_name(self) -> str:
        return f"{self.source}:{self.name}"


def builtin_dir() -> Path:
    """The built-in presets: inside the installed wheel, or the source checkout's `presets/`."""
    return paths.builtin_presets_dir()


def user_dir() -> Path:
    return paths.presets_dir()


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((path for path in folder.glob(f"*{SUFFIX}") if path.is_file()),
                  key=lambda path: path.stem)


def builtin_names() -> list[str]:
    return [path.stem for path in _files(builtin_dir())]


def user_names() -> list[str]:
    return [path.stem for path in _files(user_dir())]


def list_presets() -> list[PresetInfo]:
    """Built-in presets, then the user's, each sorted by name; a broken file is listed too.
    Temporary files a killed save left in the user's folder are removed."""
    if user_dir().is_dir():
        paths.clean_stale_temp_files(user_dir())
    found: list[PresetInfo] = []
    for source, folder in ((BUILTIN, builtin_dir()), (USER, user_dir())):
        for path in _files(folder):
            try:
                description = read(path).description
            except PresetError as error:
                description = f"(cannot be read: {error.problems[0].message})"
            found.append(PresetInfo(path.stem, source, path, description))
    return found


def looks_like_path(reference: str) -> bool:
    """`./x.toml`, `~/p.toml`, `dir/p` or `p.toml` are paths; `managed-basic` is a name."""
    return (reference.endswith(SUFFIX) or "/" in reference or "\\" in reference
            or reference.startswith(("~", ".")))


def locate(reference: str) -> tuple[Path, Source, str]:
    """The file a name (`managed-basic`, `user:mine`, `built-in:x`) or path refers to."""
    if looks_like_path(reference) and not reference.startswith(("user:", "built-in:")):
        path = Path(reference).expanduser()
        if not path.is_file():
            raise PresetError(path, "no such preset file")
        return path, FILE, path.stem
    source_prefix, _, name = reference.partition(":") if ":" in reference else ("", "", reference)
    wanted: list[tuple[Source, Path]] = []
    if source_prefix in ("", BUILTIN):
        wanted.append((BUILTIN, builtin_dir()))
    if source_prefix in ("", USER):
        wanted.append((USER, user_dir()))
    if not wanted:
        raise PresetError(None, f"unknown preset source {source_prefix!r} in {reference!r}; "
                          "use user:NAME or built-in:NAME")
    for source, folder in wanted:
        path = folder / f"{name}{SUFFIX}"
        if NAME_PATTERN.match(name) and path.is_file():
            return path, source, name
    available = sorted(set(builtin_names()) | set(user_names()))
    close = difflib.get_close_matches(name, available, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise PresetError(None, f"no preset named {reference!r}; {hint}available: "
                      f"{', '.join(available) or '(none)'} (or give the path of a .toml file)")


# -- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PresetFile:
    """A preset's text and its (migrated, not yet validated) mapping, with line lookup."""

    name: str
    source: Source
    path: Path
    text: str
    data: dict[str, Any]

    @property
    def description(self) -> str:
        value = self.data.get("description", "")
        return value if isinstance(value, str) else ""

    def line_of(self, field: str) -> int | None:
        """The line of `field`'s key, else of its closest enclosing table; None if absent."""
        return find_key_line(self.text, field)

    def config(self) -> WizardConfig:
        """The validated configuration; PresetError lists every invalid value with its line."""
        try:
            return WizardConfig.model_validate(self.data)
        except ValidationError as error:
            problems = [
                PresetProblem(f.message, self.line_of(f.field), None, f.field)
                for f in from_validation_error(error)
            ]
            raise PresetError(self.path, problems) from None


def read(reference: str | Path) -> PresetFile:
    """Find, read, parse and migrate a preset (by name or path); PresetError on any problem."""
    if isinstance(reference, Path):
        path, source, name = reference, FILE, reference.stem
    else:
        path, source, name = locate(reference)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PresetError(path, f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PresetError(path, [PresetProblem("is not UTF-8 text", line)]) from None
    if not text.strip():
        raise PresetError(path, "is empty: a preset needs at least `schema_version = 1` and "
                          "the settings to keep (see `aks-nat-wizard presets show "
                          "managed-basic`)")
    return PresetFile(name, source, path, text, parse(text, path))


_SYNTAX_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_SYNTAX_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse(text: str, where: Path | str = "<preset>") -> dict[str, Any]:
    """TOML text to a current-version mapping; PresetError names line and column of a typo."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line: int | None = None
        column: int | None = None
        if match := _SYNTAX_WHERE.search(message):
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif match := _SYNTAX_END.search(message):
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            message = message[: match.start()] + " at the end of the file"
        raise PresetError(where, [PresetProblem(f"TOML syntax: {message}", line, column)]) \
            from None
    except RecursionError:
        raise PresetError(where, "TOML syntax: nested too deeply") from None
    return migrate(data, where, text)


def migrate(data: dict[str, Any], where: Path | str = "<preset>", text: str = "") -> dict[str, Any]:
    """Bring a mapping of any known `schema_version` to the current one."""
    version: Any = data.get("schema_version", 0)
    line = find_key_line(text, "schema_version") if text else None

    def fail(message: str) -> PresetError:
        return PresetError(where, [PresetProblem(message, line, None, "schema_version")])

    if isinstance(version, bool) or not isinstance(version, int):
        raise fail(f"must be a whole number like {SCHEMA_VERSION}, not {version!r}")
    if version > SCHEMA_VERSION:
        raise fail(f"version {version} was written by a newer aks-nat-wizard; this one reads "
                   f"versions up to {SCHEMA_VERSION}: upgrade aks-nat-wizard to use this file")
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise fail(f"version {version} is not a layout aks-nat-wizard ever wrote "
                       f"(known: 1 to {SCHEMA_VERSION})")
        data = step(data)
        if data.get("schema_version") != version + 1:  # a migration must advance, or we loop
            raise fail(f"migrating from version {version} did not reach version {version + 1}")
        version = version + 1
    return data


def load(reference: str | Path) -> WizardConfig:
    """The validated configuration of a preset (name or path); PresetError on any problem."""
    return read(reference).config()


# -- locating keys in TOML text ------------------------------------------------------------------

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER_LINE = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PART = re.compile(_KEY_PART)


def _key_parts(dotted: str) -> list[str]:
    parts = []
    for match in _PART.finditer(dotted):
        token = match.group(0)
        parts.append(token[1:-1] if token[:1] in "\"'" else token)
    return parts


def _key_lines(text: str) -> Iterator[tuple[str, int]]:
    """(dotted path, line number) of every table header and key, in file order."""
    table: list[str] = []
    closing = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if closing:
            if line.count(closing) % 2 == 1:
                closing = ""
            continue
        if header := _HEADER_LINE.match(line):
            table = _key_parts(header.group(1))
            yield ".".join(table), number
            continue
        if key := _KEY_LINE.match(line):
            yield ".".join([*table, *_key_parts(key.group(1))]), number
            value = key.group(2)
            for delimiter in ('"""', "'''"):
                if value.count(delimiter) % 2 == 1:
                    closing = delimiter
                    break


def find_key_line(text: str, field: str) -> int | None:
    """The line where `field` (a dotted path) is set, else where its nearest table starts."""
    lines: dict[str, int] = {}
    for path, number in _key_lines(text):
        lines.setdefault(path, number)
    parts = field.split(".") if field else []
    while parts:
        found = lines.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


# -- writing -----------------------------------------------------------------------------------

def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {key: _without_none(item) for key, item in value.items() if item is not None}
        return {key: item for key, item in cleaned.items() if item != {}}
    if isinstance(value, list):
        return [_without_none(item) for item in value if item is not None]
    return value


def to_data(config: WizardConfig) -> dict[str, Any]:
    """The preset mapping of `config`: its dump minus unset values, `outbound.type` first."""
    data: dict[str, Any] = _without_none(config.model_dump(mode="json"))
    outbound = data.get("outbound")
    if isinstance(outbound, dict) and "type" in outbound:
        data["outbound"] = {"type": outbound["type"],
                            **{k: v for k, v in outbound.items() if k != "type"}}
    return data


def dumps(config: WizardConfig) -> str:
    """`config` as preset TOML, with a short header saying how to check it."""
    header = ("# An aks-nat-wizard preset. Check it with:  aks-nat-wizard presets validate FILE\n"
              "# Every key is a setting; `aks-nat-wizard plan --help` explains --set paths.\n\n")
    return header + tomli_w.dumps(to_data(config))


def check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise PresetError(None, f"{name!r} is not a usable preset name ({NAME_RULE})")


def save(name: str, config: WizardConfig, *, force: bool = False) -> Path:
    """Write `config` as the user preset `name`, atomically; returns the file's path.

    Control characters in the description (a pasted escape sequence) are dropped, so the file
    never carries them. Refuses a built-in's name, or an existing user preset, unless `force`.
    A user preset saved under a built-in's name is then loaded as `user:NAME` (the plain name
    keeps meaning the built-in).
    """
    check_name(name)
    if config.description != clean_text(config.description):
        config = config.model_copy(update={"description": clean_text(config.description)})
    target = user_dir() / f"{name}{SUFFIX}"
    if not force and name in builtin_names():
        raise PresetError(None, f"{name!r} is a built-in preset; choose another name, or pass "
                          f"--force to save it anyway (then load it as user:{name})")
    if not force and target.exists():
        raise PresetError(target, "a user preset of this name exists; pass --force to replace it")
    return paths.write_atomic(target, dumps(config), private=True)
