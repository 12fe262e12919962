"""The sandbox's own request/response values, independent of any HTTP library.

The transport (requests adapter) and a future HTTPS server both translate to and from these, so
handlers never see `requests` or sockets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    """One incoming call: method, path (original casing), query, headers, parsed JSON body."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def api_version(self) -> str | None:
        """The `api-version` query parameter, if any."""
        for key, value in self.query.items():
            if key.lower() == "api-version":
                return value
        return None

    def header(self, name: str) -> str | None:
        """A header value, looked up case-insensitively."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Response:
    """What the sandbox answers: status, JSON body (or None) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        """The body serialised as JSON bytes (empty when there is no body)."""
        if self.body is None:
            return b""
        return json.dumps(self.body).encode("utf-8")


class DroppedConnection(Exception):
    """Raised by the app when a fault says the socket drops; the transport turns it into the
    connection error `requests` would raise."""
