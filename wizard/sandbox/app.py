"""The emulator core: one `handle(Request) -> Response` that behaves like ARM.

Order per request, like the real front door: authentication, routing (unknown path -> 404),
injected transient faults, api-version check, then the handler under the store lock after due
operations have been settled. Every request is logged (method, path, api-version, body, status)
so tests can compare what a client sent with what the plan showed.
"""

from __future__ import annotations

import copy
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.sandbox.directory import Directory
from wizard.sandbox.errors import ArmError, not_found
from wizard.sandbox.http import DroppedConnection, Request, Response
from wizard.sandbox.ids import key, rg_id
from wizard.sandbox.lro import OPERATIONS_PATH, RESULTS_PATH, Operations
from wizard.sandbox.paging import DEFAULT_PAGE_SIZE
from wizard.sandbox.router import Route, Router
from wizard.sandbox.scenarios.faults import FaultPlan
from wizard.sandbox.store import Store
from wizard.sandbox.timing import Durations

Json = dict[str, Any]


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the sandbox saw it."""

    method: str
    path: str
    api_version: str | None
    body: Any
    status: int  # 0 when the connection was dropped
    resource_type: str | None
    fault: str | None = None


class Emulator:
    """ARM in memory. Not used directly by callers: `Sandbox` wires it to a transport."""

    def __init__(
        self,
        store: Store,
        durations: Durations,
        faults: FaultPlan,
        clock: Callable[[], float],
        base_url: str,
        subscription_id: str,
        router: Router,
    ) -> None:
        self.store = store
        self.durations = durations
        self.faults = faults
        self.clock = clock
        self.base_url = base_url.rstrip("/")
        self.subscription_id = subscription_id
        self.router = router
        #: Items per list page; lists answer with `nextLink` beyond it (`paging`).
        self.page_size = DEFAULT_PAGE_SIZE
        self.directory = Directory(clock)
        self.operations = Operations(self)
        router.add(OPERATIONS_PATH, "operations",
                   {"GET": self.operations.handle_status}, requires_api_version=False)
        router.add(RESULTS_PATH, "operations", {"GET": self.operations.handle_result},
                   requires_api_version=False)
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()

    # -- the front door ----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        """Answer one request (raises DroppedConnection when a fault drops it)."""
        matched = self.router.match(req.path)
        rtype = matched[0].resource_type if matched else None
        try:
            response = self._dispatch(req, matched)
        except DroppedConnection:
            self._record(req, 0, rtype, "drop_connection")
            raise
        fault = response.headers.pop("x-sandbox-fault", None)
        self._record(req, response.status, rtype, fault)
        return response

    def _dispatch(
        self, req: Request, matched: tuple[Route, dict[str, str]] | None
    ) -> Response:
        auth = req.header("Authorization") or ""
        if not auth.lower().startswith("bearer "):
            return _error(ArmError(401, "AuthenticationFailed",
                                   "Authentication failed. The 'Authorization' header is missing."))
        if matched is None:
            return _error(not_found("PathNotFound",
                                    f"The sandbox has no resource at {req.method} {req.path}."))
        route, params = matched
        fault = self.faults.take_request_fault(route.resource_type, req.method)
        if fault is not None:
            if fault.kind == "drop_connection":
                raise DroppedConnection(req.path)
            if fault.kind == "throttle":
                resp = _error(ArmError(429, "TooManyRequests",
                                       "The request is being throttled (sandbox fault)."))
                resp.headers["Retry-After"] = str(fault.retry_after)
            else:
                resp = _error(ArmError(fault.status, "InternalServerError" if fault.status == 500
                                       else "ServiceUnavailable",
                                       "The server had an error (sandbox fault)."))
            resp.headers["x-sandbox-fault"] = fault.kind
            return resp
        handler = route.methods.get(req.method.upper())
        if handler is None:
            return _error(ArmError(405, "MethodNotAllowed",
                                   f"The sandbox does not support {req.method} on {req.path}."))
        if route.requires_api_version and not req.api_version:
            return _error(ArmError(400, "MissingApiVersionParameter",
                                   "The api-version query parameter (?api-version=) is required "
                                   "for all requests."))
        try:
            with self.store.transaction():
                self.operations.settle()
                return handler(self, req, params)
        except ArmError as err:
            return _error(err)
        except Exception as err:  # a sandbox bug or a damaged state: loud, in ARM's shape
            return _error(ArmError(500, "SandboxBug",
                                   f"{err!r}\n{traceback.format_exc(limit=5)}"))

    def _record(self, req: Request, status: int, rtype: str | None, fault: str | None) -> None:
        entry = LoggedRequest(req.method.upper(), req.path, req.api_version,
                              copy.deepcopy(req.body), status, rtype, fault)
        with self._log_lock:
            self._log.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A snapshot of the request log."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forget logged requests."""
        with self._log_lock:
            self._log.clear()

    # -- helpers for handlers ----------------------------------------------------------------
    def require_subscription(self, subscription_id: str) -> None:
        """404 SubscriptionNotFound for anything but the sandbox subscription."""
        if subscription_id.lower() != self.subscription_id.lower():
            raise not_found("SubscriptionNotFound",
                            f"The subscription '{subscription_id}' could not be found.")

    def require_resource_group(self, subscription_id: str, rg: str) -> Json:
        """The resource group's stored body, or ARM's 404 ResourceGroupNotFound."""
        self.require_subscription(subscription_id)
        stored = self.store.get(rg_id(subscription_id, rg))
        if stored is None:
            raise not_found("ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
        return stored

    def render(self, stored: Json) -> Json:
        """A stored resource as ARM shows it."""
        kind = self.router.kind_for(str(stored.get("type", "")))
        return kind.render(self, stored) if kind else copy.deepcopy(stored)

    def get_rendered(self, resource_id: str) -> Json | None:
        """Settle, then the rendered resource or None."""
        with self.store.transaction():
            self.operations.settle()
            stored = self.store.get(resource_id)
            return self.render(stored) if stored is not None else None

    def rendered_all(self) -> list[Json]:
        """Settle, then every resource rendered."""
        with self.store.transaction():
            self.operations.settle()
            return [self.render(r) for r in self.store.all()]

    def remove_tree(self, resource_id: str) -> None:
        """Remove a resource and everything below it, running each kind's clean-up."""
        for stored in sorted(self.store.within(resource_id), key=lambda r: -len(r["id"])):
            if self.store.get(stored["id"]) is None:
                continue
            self.store.delete(stored["id"])
            kind = self.router.kind_for(str(stored.get("type", "")))
            if kind is not None:
                kind.on_removed(self, stored)

    def find(self, resource_id: str | None) -> Json | None:
        """A stored resource by id (None-safe)."""
        return self.store.get(resource_id) if resource_id else None

    def same_id(self, a: str | None, b: str | None) -> bool:
        """ARM id equality."""
        return a is not None and b is not None and key(a) == key(b)


def _error(err: ArmError) -> Response:
    return Response(err.status, err.body())
