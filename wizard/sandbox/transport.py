"""The in-process transport: real azure-core `RequestsTransport`, fake network.

A `requests` adapter mounted on the sandbox base URL hands each prepared request to the emulator
and wraps the answer in a `requests.Response` backed by a urllib3 response over a byte buffer, so
azure-core reads it exactly as it would a socket's. No socket is opened. Only public API is used:
`RequestsTransport(session=..., session_owner=False)` and `requests.adapters.BaseAdapter`.

`sleep` is scaled by the sandbox speed (never slower than real time): azure-core's retry policy
and LRO pollers sleep through the transport, so at speed 0 a throttled request is retried at
once and fault tests stay fast. On a `VirtualClock` a sleep advances the clock instead of waiting,
so a test can walk through minutes of sandbox time (retry back-offs, replication) at once.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Mapping
from http.client import RemoteDisconnected
from http.client import responses as reasons
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from azure.core.pipeline.transport import RequestsTransport
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import ProtocolError
from urllib3.response import HTTPResponse

from wizard.sandbox.app import Emulator
from wizard.sandbox.http import DroppedConnection, Request, Response
from wizard.sandbox.resources.prices import PRICES_BASE, PricesApi
from wizard.sandbox.timing import VirtualClock


class SandboxAdapter(BaseAdapter):
    """A `requests` adapter that answers from the emulator instead of the network."""

    def __init__(self, emulator: Emulator,
                 handler: Callable[[Request], Response] | None = None) -> None:
        super().__init__()
        self.emulator = emulator
        self.handler = handler or emulator.handle

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Run the request through the emulator."""
        url = request.url or ""
        parts = urlsplit(url)
        raw_body: bytes = b""
        if isinstance(request.body, str):
            raw_body = request.body.encode("utf-8")
        elif isinstance(request.body, bytes):
            raw_body = request.body
        body: Any = None
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                body = raw_body.decode("utf-8", "replace")
        emu_request = Request(
            method=(request.method or "GET").upper(),
            path=unquote(parts.path),
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k: str(v) for k, v in request.headers.items()},
            body=body,
        )
        try:
            answer = self.handler(emu_request)
        except DroppedConnection as err:
            reason = RemoteDisconnected("Remote end closed connection without response")
            raise requests.exceptions.ConnectionError(
                ProtocolError("Connection aborted.", reason), request=request
            ) from err
        content = answer.content()
        headers = dict(answer.headers)
        if content:
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        headers["Content-Length"] = str(len(content))
        raw = HTTPResponse(
            body=io.BytesIO(content),
            headers=headers,
            status=answer.status,
            preload_content=False,
            decode_content=False,
            request_url=url,
        )
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(headers)
        response.raw = raw
        response.reason = reasons.get(answer.status, "")
        response.url = url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        """Nothing to release."""


class SandboxTransport(RequestsTransport):  # type: ignore[misc]
    """azure-core's RequestsTransport on a session whose sandbox URL never leaves the process."""

    def __init__(self, emulator: Emulator, sleep_scale: float = 1.0) -> None:
        session = requests.Session()
        session.trust_env = False
        session.mount(emulator.base_url + "/", SandboxAdapter(emulator))
        # The Retail Prices API (no sign-in, its own host) is answered in-process too.
        self.prices = PricesApi(emulator)
        session.mount(PRICES_BASE + "/", SandboxAdapter(emulator, self.prices.handle))
        super().__init__(session=session, session_owner=False)
        self._emulator = emulator
        self._sleep_scale = sleep_scale

    def sleep(self, duration: float) -> None:
        """Sleep `duration` scaled by the sandbox speed (0 -> return at once); on a virtual
        clock, advance it by as much instead."""
        scaled = float(duration) * self._sleep_scale
        if scaled <= 0:
            return
        clock = self._emulator.clock
        if isinstance(clock, VirtualClock):
            clock.advance(scaled)
        else:
            time.sleep(scaled)
