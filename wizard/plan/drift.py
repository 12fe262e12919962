"""Does an existing Azure resource already look the way the plan wants it? `compare()` answers.

The executor reads every resource before creating it. If it exists, this module decides whether the
existing one is "the same" (skip it) or has drifted (report, and overwrite only when asked).

It is a subset compare: only what the plan sets is checked, because Azure fills in many fields the
plan never mentions (ids, etags, defaults, provisioning state). Azure also normalises what it
stores, so these differences are not drift:
- the casing of strings (resource ids, enum values like "Standard"/"standard", locations, which
  also lose their spaces: "South Central US" is "southcentralus");
- the order of list items (zones, address prefixes) and of lists of `{"id": ...}` references,
  which are compared as sets of lower-cased ids; lists of objects with a `name` pair up by name;
- tags (bookkeeping, not settings: a resource group you made yourself without our tags is fine)
  and `provisioningState`;
- write-only fields Azure never returns (a Windows admin password).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

IGNORED_KEYS = frozenset({"tags", "provisioningstate", "etag"})
WRITE_ONLY_KEYS = frozenset({"adminpassword"})


@dataclass(frozen=True)
class Difference:
    """One setting where Azure's resource differs from the plan."""

    path: str
    desired: Any
    actual: Any

    def __str__(self) -> str:
        actual = "(not set)" if self.actual is _MISSING else repr(self.actual)
        return f"{self.path}: plan wants {self.desired!r}, Azure has {actual}"


class _Missing:
    def __repr__(self) -> str:
        return "(not set)"


_MISSING: Any = _Missing()


def compare(desired_body: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Difference]:
    """The settings in `desired_body` that `actual` does not match (empty: nothing drifted)."""
    found: list[Difference] = []
    _compare_mapping("", desired_body, actual, found)
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _lookup(actual: Mapping[str, Any], key: str) -> Any:
    if key in actual:
        return actual[key]
    lowered = key.lower()
    for other, value in actual.items():
        if isinstance(other, str) and other.lower() == lowered:
            return value
    return _MISSING


def _compare_mapping(path: str, desired: Mapping[str, Any], actual: Any,
                     found: list[Difference]) -> None:
    if not isinstance(actual, Mapping):
        found.append(Difference(path or "(body)", dict(desired), actual))
        return
    for key, want in desired.items():
        lowered = key.lower()
        if lowered in IGNORED_KEYS or lowered in WRITE_ONLY_KEYS:
            continue
        _compare_value(_join(path, key), want, _lookup(actual, key), found,
                       is_location=lowered == "location")


def _compare_value(path: str, want: Any, have: Any, found: list[Difference], *,
                   is_location: bool = False) -> None:
    if have is _MISSING:
        if want is None or want == {} or want == []:
            return
        found.append(Difference(path, want, have))
        return
    if isinstance(want, Mapping):
        _compare_mapping(path, want, have, found)
    elif isinstance(want, list):
        _compare_list(path, want, have, found)
    elif not _scalar_equal(want, have, is_location=is_location):
        found.append(Difference(path, want, have))


def _normal(value: Any, *, is_location: bool = False) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        return text.replace(" ", "") if is_location else text
    return value


def _scalar_equal(want: Any, have: Any, *, is_location: bool = False) -> bool:
    if isinstance(want, bool) or isinstance(have, bool):
        return want is have
    if isinstance(want, int | float) and isinstance(have, int | float):
        return float(want) == float(have)
    return bool(_normal(want, is_location=is_location) == _normal(have, is_location=is_location))


def _is_reference_list(items: list[Any]) -> bool:
    return all(isinstance(item, Mapping) and set(item) == {"id"} for item in items)


def _compare_list(path: str, want: list[Any], have: Any, found: list[Difference]) -> None:
    if not isinstance(have, list):
        found.append(Difference(path, want, have))
        return
    if want and _is_reference_list(want):
        wanted_ids = {str(item["id"]).lower() for item in want}
        have_ids = {str(item.get("id", "")).lower() for item in have if isinstance(item, Mapping)}
        if wanted_ids != have_ids:
            found.append(Difference(path, sorted(wanted_ids), sorted(have_ids)))
        return
    if all(not isinstance(item, Mapping | list) for item in want):
        if any(isinstance(item, Mapping | list) for item in have) or sorted(
            map(repr, map(_normal, want))
        ) != sorted(map(repr, map(_normal, have))):
            found.append(Difference(path, want, have))
        return
    if all(isinstance(item, Mapping) and "name" in item for item in want):
        by_name = {
            str(item.get("name", "")).lower(): item for item in have if isinstance(item, Mapping)
        }
        for item in want:
            name = str(item["name"])
            _compare_value(f"{path}[{name}]", item, by_name.get(name.lower(), _MISSING), found)
        return
    if len(want) != len(have):
        found.append(Difference(path, want, have))
        return
    for index, (item, other) in enumerate(zip(want, have, strict=True)):
        _compare_value(f"{path}[{index}]", item, other, found)
