"""Placeholders: values a plan's bodies and `az` commands hold that are known only while applying.

`{{ref:STEP_KEY:json.path}}` is an attribute of the resource another step created (an identity's
principalId); `{{secret:NAME}}` is a secret held in memory only (never in a plan file or a
journal). The one grammar every reader shares: the executor resolves them just before sending,
the az export turns them into shell variables, the ARM export into `reference()` expressions and
`securestring` parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

PATTERN = re.compile(r"\{\{(ref|secret):([^{}]*)\}\}")

Kind = Literal["ref", "secret"]


def ref(step_key: str, path: str) -> str:
    """A placeholder for an attribute of another step's resource, known only after it exists."""
    return "{{ref:" + step_key + ":" + path + "}}"


def secret(name: str) -> str:
    """A placeholder for a secret that lives in memory only (never in a plan file or journal)."""
    return "{{secret:" + name + "}}"


def find(text: str) -> Iterator[tuple[Kind, str]]:
    """Every placeholder in `text`, as (kind, value): value is `STEP:path` or the secret's name."""
    for match in PATTERN.finditer(text):
        yield match.group(1), match.group(2)  # type: ignore[misc]


def whole(text: str) -> tuple[Kind, str] | None:
    """The placeholder `text` is, when it is exactly one (so the value keeps its JSON type)."""
    match = PATTERN.fullmatch(text)
    return (match.group(1), match.group(2)) if match else None  # type: ignore[return-value]


def split_ref(value: str) -> tuple[str, str]:
    """A ref's `STEP:path` value as (step key, json path): `identity:myId:properties.principalId`
    -> (`identity:myId`, `properties.principalId`); step keys contain colons, paths do not."""
    key, _, path = value.rpartition(":")
    return key, path


def secrets_in(text: str) -> set[str]:
    """The names of the secrets `text` uses."""
    return {value for kind, value in find(text) if kind == "secret"}
