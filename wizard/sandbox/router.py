"""Path routing: a registry of (path template, methods) -> handler, matched case-insensitively.

Handler modules register their routes (`handlers.register_all`); anyone can add more later
(discovery endpoints, seed data) with `Router.add` or `Router.add_kind` without touching a
central if-chain. Templates use `{param}` for one path segment and `{param:.+}` for a scope that
spans segments (role assignments hang below any resource id).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wizard.sandbox.http import Request, Response

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator
    from wizard.sandbox.kinds import ResourceKind

Handler = Callable[["Emulator", Request, dict[str, str]], Response]
_PARAM = re.compile(r"\{(\w+)(?::([^}]+))?\}")


def compile_template(template: str) -> re.Pattern[str]:
    """Turn `/a/{x}/b/{y:.+}` into a case-insensitive full-match regex with named groups."""
    out: list[str] = []
    pos = 0
    for match in _PARAM.finditer(template):
        out.append(re.escape(template[pos : match.start()]))
        out.append(f"(?P<{match.group(1)}>{match.group(2) or '[^/]+'})")
        pos = match.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out) + "/?", re.IGNORECASE)


def fill_template(template: str, params: dict[str, Any]) -> str:
    """Substitute parameters into a template (the inverse of matching)."""
    return _PARAM.sub(lambda m: str(params[m.group(1)]), template)


@dataclass
class Route:
    """One path template, the resource type it serves (for faults and logs) and its methods."""

    template: str
    resource_type: str
    methods: dict[str, Handler]
    requires_api_version: bool = True
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.regex = compile_template(self.template)
        self.methods = {m.upper(): h for m, h in self.methods.items()}


class Router:
    """Ordered route registry plus the resource kinds, looked up by ARM type for rendering."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.kinds: dict[str, ResourceKind] = {}

    def add(
        self,
        template: str,
        resource_type: str,
        methods: dict[str, Handler],
        *,
        requires_api_version: bool = True,
    ) -> Route:
        """Register a route; earlier registrations win when two templates match."""
        route = Route(template, resource_type, methods, requires_api_version)
        self.routes.append(route)
        return route

    def add_kind(self, kind: ResourceKind) -> None:
        """Register a resource kind and its generic item and collection routes."""
        self.kinds[kind.arm_type.lower()] = kind
        kind.register(self)

    def kind_for(self, arm_type: str) -> ResourceKind | None:
        """The kind that owns resources of `arm_type` (case-insensitive)."""
        return self.kinds.get(arm_type.lower())

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The first route whose template matches `path`, with its parameters."""
        for route in self.routes:
            found = route.regex.fullmatch(path)
            if found:
                return route, {k: v for k, v in found.groupdict().items() if v is not None}
        return None
