"""`AzureBackend`: read, create and delete the plan's resources through the Azure management SDKs.

One method per verb (`get`, `create`, `delete`), each calling the SDK client, operations and method
that the step's kind declares (`wizard.plan.kinds`): every call goes through the real SDK client for
that resource type, so what runs against the sandbox is what runs against Azure. The SDKs do the
hard parts: their long-running-operation pollers follow Azure-AsyncOperation/Location headers, and
azure-core's retry policy retries throttling (429 with Retry-After), 5xx answers and dropped
connections with backoff. There is no retry loop of ours except one, narrow and documented:
creating a role assignment for an identity made seconds earlier can fail with `PrincipalNotFound`
until Azure AD has replicated it (az retries this too).

Bodies are the plan's dicts in ARM's wire shape. The new-style SDKs (network, containerservice,
resource) send a dict as-is; the msrest-style ones (msi, authorization) get the model deserialized
from the same wire dict. Results are returned as the raw ARM JSON of the response.

The SDKs are imported inside methods only: importing this module stays cheap.
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.plan.kinds import KINDS, Kind, StepKind

if TYPE_CHECKING:
    from wizard.plan import Step

Progress = Callable[[str], None]
SUBSCRIPTION_ENV = "AZURE_SUBSCRIPTION_ID"
ROLE_ASSIGNMENT_SEGMENT = "/providers/microsoft.authorization/roleassignments/"
_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

CANCEL_CHECK_SECONDS = 0.25
"""How often a wait on Azure checks whether the run was cancelled (Ctrl-C, Cancel)."""

#: Seconds between polls of a long-running operation, per client (resource provider), used only
#: when Azure sends no `Retry-After` (the SDK's pollers follow it when sent). Without this the
#: SDK waits 30 s. ARM's contract lets a provider ask for 10 s at the least, so polling more
#: often than that is never asked for (docs/AZURE_FACTS.md, "Long-running operations").
POLLING_INTERVALS: dict[str, float] = {
    "resource": 10.0,  # Microsoft.Resources: resource group deletion
    "network": 10.0,  # Microsoft.Network: public IPs, NAT gateways, VNets, subnets
    "containerservice": 10.0,  # Microsoft.ContainerService: clusters, node pools
    "msi": 10.0,  # Microsoft.ManagedIdentity: synchronous writes, no poller
    "authorization": 10.0,  # Microsoft.Authorization: synchronous writes, no poller
}

_HINTS: dict[str, str] = {
    "AuthenticationFailed": "Sign in again with `az login` (or set the AZURE_* variables of a "
    "service principal), then resume the run.",
    "AuthorizationFailed": "Your account may not do this on that scope: you need Contributor on "
    "the subscription or resource group, and Owner or User Access Administrator on the scope to "
    "create role assignments.",
    "LinkedAuthorizationFailed": "Writing a subnet that uses a NAT gateway needs "
    "Microsoft.Network/natGateways/join/action on the gateway: ask for Network Contributor on it.",
    "PrincipalNotFound": "The new managed identity has not reached Azure AD everywhere yet; wait a "
    "minute and resume the run.",
    "RoleAssignmentExists": "The identity already has this role on this scope (under another "
    "assignment id); nothing to do there.",
    "QuotaExceeded": "Your subscription's quota for this region is used up: request more in the "
    "portal (Quotas) or pick a smaller VM size or another region.",
    "OperationNotAllowed": "Azure refused the operation, often for quota: check the message, "
    "adjust the configuration or quota, then resume.",
    "SkuNotAvailable": "That VM size is not offered in this region or zone for your "
    "subscription: pick another size or zone.",
    "InUseSubnetCannotBeDeleted": "Something still uses the subnet: delete what uses it first.",
    "AnotherOperationInProgress": "Azure is still busy with an earlier operation on this "
    "resource: wait for it, then resume.",
    "Conflict": "The resource is in a state that does not allow this now: wait, then resume.",
    "ResourceGroupNotFound": "The resource group is missing: it may have been deleted during the "
    "run. Resume to create it again.",
    "ParentResourceNotFound": "A resource this one lives in is missing: resume the run so it is "
    "created first.",
    "InvalidParameter": "Azure rejected a setting: change it in the configuration and apply "
    "again.",
    "BadRequest": "Azure rejected the request: check the message, change the configuration and "
    "apply again.",
    "SubscriptionNotFound": "Check the subscription id (`az account list`), and that your "
    "login can see it.",
    "ConnectionError": "Azure could not be reached after several retries: check your network "
    "or proxy, then resume the run.",
    "Throttled": "Azure kept throttling the requests: wait a few minutes, then resume the run.",
}
_DEFAULT_HINT = "Read Azure's message above; after fixing the cause, resume the run."
_RETRYABLE_HINT = "This looks temporary: resume the run in a few minutes."


class AzureError(Exception):
    """An Azure failure in our terms: Azure's error code, its message, the HTTP status (when there
    was an answer), whether trying again later may work, and what the user should do."""

    def __init__(self, code: str, message: str, status: int | None = None,
                 retryable: bool = False, hint: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.retryable = retryable
        self.hint = hint or (_RETRYABLE_HINT if retryable else _DEFAULT_HINT)


def hint_for(code: str, kind: str | None = None, retryable: bool = False) -> str:
    """What the user should do about error `code` (raised while handling a step of `kind`)."""
    if code == "AuthorizationFailed" and kind == "role_assignment":
        return ("Creating a role assignment needs Owner or User Access Administrator on the "
                "scope (here, the subnet or its resource group): ask for one, then resume.")
    if code in _HINTS:
        return _HINTS[code]
    return _RETRYABLE_HINT if retryable else _DEFAULT_HINT


def to_azure_error(exc: BaseException, kind: str | None = None) -> AzureError:
    """Translate an azure-core (or azure-identity) exception into an `AzureError`."""
    from azure.core.exceptions import (
        ClientAuthenticationError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )

    if isinstance(exc, AzureError):
        return exc
    if isinstance(exc, ClientAuthenticationError):
        status = exc.status_code
        return AzureError("AuthenticationFailed", _first_line(exc.message), status,
                          False, hint_for("AuthenticationFailed"))
    if isinstance(exc, HttpResponseError):
        status = exc.status_code
        error = exc.error
        code = (error.code if error is not None and error.code else None) or (
            "Throttled" if status == 429 else f"Http{status}" if status else "HttpError")
        message = (error.message if error is not None and error.message else exc.message)
        retryable = status in _RETRYABLE_STATUS or (status is not None and status >= 506)
        return AzureError(code, _first_line(message), status, retryable,
                          hint_for(code, kind, retryable))
    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        return AzureError("ConnectionError", _first_line(str(exc)), None, True,
                          hint_for("ConnectionError"))
    return AzureError(type(exc).__name__, _first_line(str(exc)), None, False, _DEFAULT_HINT)


def _first_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    message = lines[0] if lines else "(no message)"
    for line in lines[1:]:
        if line.lower().startswith("message:"):
            return line.split(":", 1)[1].strip()
    return message


@contextmanager
def _translated(kind: str | None) -> Iterator[None]:
    from azure.core.exceptions import AzureError as CoreAzureError

    try:
        yield
    except CoreAzureError as exc:
        raise to_azure_error(exc, kind) from exc


@dataclass(frozen=True)
class _Parts:
    """The names an SDK call needs, taken from a step's ARM resource id."""

    group: str
    name: str
    parent: str = ""
    scope: str = ""


def _parts(step: Step) -> _Parts:
    kind = KINDS[step.kind]
    resource_id = step.resource_id
    if kind.scope == "extension":
        index = resource_id.lower().rfind(ROLE_ASSIGNMENT_SEGMENT)
        return _Parts(group="", name=resource_id[index + len(ROLE_ASSIGNMENT_SEGMENT):],
                      scope=resource_id[:index])
    segments = resource_id.strip("/").split("/")
    pairs = {segments[i].lower(): segments[i + 1] for i in range(0, len(segments) - 1, 2)
             if segments[i].lower() != "providers"}
    group = pairs.get("resourcegroups", "")
    if kind.scope == "subscription":
        return _Parts(group=group, name=group)
    if kind.parent is not None:
        return _Parts(group=group, name=segments[-1], parent=pairs.get(_segment(kind.parent), ""))
    return _Parts(group=group, name=segments[-1])


def _segment(parent: StepKind) -> str:
    """The resource-id segment (lower case) that names a resource of kind `parent`:
    `virtualnetworks` for a subnet's VNet."""
    arm_type = KINDS[parent].arm_type
    if arm_type is None:
        raise ValueError(f"kind {parent} is not a resource and cannot be a parent")
    return arm_type.rsplit("/", 1)[-1].lower()


def _names(kind: Kind, p: _Parts) -> tuple[str, ...]:
    """The positional names an operations method of `kind` takes, in the SDK's order."""
    if kind.scope == "subscription":
        return (p.group,)
    if kind.scope == "extension":
        return (p.scope, p.name)
    if kind.parent is not None:
        return (p.group, p.parent, p.name)
    return (p.group, p.name)


def _model(path: str) -> Any:
    """The msrest model class `module:Class`, imported now (at call time, not import time)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _raw_json(pipeline_response: Any, _deserialized: Any, _headers: Any) -> Any:
    """`cls=` hook: return the response's JSON exactly as Azure sent it."""
    text = pipeline_response.http_response.text()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


class AzureBackend:
    """The management clients for one subscription, behind three verbs the executor uses."""

    #: Waits between attempts when a new identity's principal is not yet known to Azure AD.
    principal_retry_delays: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0)
    #: How often a waiting long-running operation reports progress (seconds).
    progress_interval: float = 2.0

    def __init__(self, credential: Any, subscription_id: str, *, transport: Any = None,
                 base_url: str | None = None, polling_interval: float | None = None,
                 client_kwargs: dict[str, Any] | None = None) -> None:
        self.credential = credential
        self.subscription_id = subscription_id
        kwargs: dict[str, Any] = dict(client_kwargs or {})
        if transport is not None:
            kwargs["transport"] = transport
        if base_url is not None:
            kwargs["base_url"] = base_url
        if polling_interval is not None:
            kwargs["polling_interval"] = polling_interval
        self._kwargs = kwargs
        self._clients: dict[str, Any] = {}
        chosen = kwargs.get("transport")
        self._sleep: Callable[[float], None] = (
            chosen.sleep if chosen is not None and hasattr(chosen, "sleep") else time.sleep)
        if kwargs.get("polling_interval") is not None:
            self.progress_interval = min(self.progress_interval,
                                         max(float(kwargs["polling_interval"]), 0.05))

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def for_sandbox(cls, sandbox: Any) -> AzureBackend:
        """A backend whose clients talk to an in-process emulator sandbox."""
        backend = cls(sandbox.credential(), sandbox.subscription_id,
                      client_kwargs=dict(sandbox.client_kwargs()))
        return backend

    @classmethod
    def from_environment(cls, subscription_id: str | None) -> AzureBackend:
        """A backend for real Azure: `DefaultAzureCredential` (so `az login` just works) and the
        subscription given, else `$AZURE_SUBSCRIPTION_ID`, else the only one the login sees."""
        from azure.identity import DefaultAzureCredential

        credential = DefaultAzureCredential()
        chosen = subscription_id or os.environ.get(SUBSCRIPTION_ENV, "").strip() or None
        if chosen is None:
            chosen = only_subscription(credential)
        return cls(credential, chosen)

    # -- clients (created on first use) ----------------------------------------------------
    def client(self, name: str) -> Any:
        """The SDK client `name` (resource, network, msi, authorization, containerservice,
        monitor, prices), for reads beyond the three verbs (discovery, preflight); created on
        first use."""
        return self._client(name)

    def _client(self, name: str) -> Any:
        client = self._clients.get(name)
        if client is None:
            client = self._make_client(name)
            self._clients[name] = client
        return client

    def client_options(self, name: str) -> dict[str, Any]:
        """Keyword arguments for client `name`: those given, else that provider's polling
        interval (`POLLING_INTERVALS`)."""
        if name not in POLLING_INTERVALS:
            raise ValueError(f"unknown client {name}")
        return {"polling_interval": POLLING_INTERVALS[name], **self._kwargs}

    def _make_client(self, name: str) -> Any:
        args = (self.credential, self.subscription_id)
        if name == "prices":  # the public Retail Prices API, through the same transport
            from wizard.azure.prices import RetailPricesClient

            return RetailPricesClient(transport=self._kwargs.get("transport"))
        if name == "monitor":  # Azure Monitor metrics (SNAT health), read by wizard.azure.metrics
            from azure.mgmt.monitor import MonitorManagementClient

            return MonitorManagementClient(*args, **self._kwargs)
        options = self.client_options(name)
        if name == "resource":
            from azure.mgmt.resource.resources import ResourceManagementClient

            return ResourceManagementClient(*args, **options)
        if name == "network":
            from azure.mgmt.network import NetworkManagementClient

            return NetworkManagementClient(*args, **options)
        if name == "msi":
            from azure.mgmt.msi import ManagedServiceIdentityClient

            return ManagedServiceIdentityClient(*args, **options)
        if name == "authorization":
            from azure.mgmt.authorization import AuthorizationManagementClient

            return AuthorizationManagementClient(*args, **options)
        from azure.mgmt.containerservice import ContainerServiceClient

        return ContainerServiceClient(*args, **options)

    def close(self) -> None:
        """Close the clients created so far (their HTTP sessions)."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    # -- the three verbs -------------------------------------------------------------------
    def get(self, step: Step) -> dict[str, Any] | None:
        """The resource as ARM JSON, or None when it does not exist."""
        from azure.core.exceptions import ResourceNotFoundError

        p = _parts(step)
        try:
            with _translated(step.kind):
                return self._get(step, p)
        except AzureError as exc:
            if exc.status == 404:
                return None
            raise
        except ResourceNotFoundError:  # pragma: no cover - translated above
            return None

    def create(self, step: Step, body: dict[str, Any], progress: Progress) -> dict[str, Any]:
        """Create (or overwrite) the resource with `body` and wait until Azure says it is done."""
        p = _parts(step)
        with _translated(step.kind):
            if KINDS[step.kind].retries_new_principal:
                return self._create_retrying(step, p, body, progress)
            return self._create(step, p, body, progress)

    def delete(self, step: Step, progress: Progress) -> None:
        """Delete the resource and wait; one already gone (404) is not an error."""
        p = _parts(step)
        try:
            with _translated(step.kind):
                self._delete(step, p, progress)
        except AzureError as exc:
            if exc.status != 404:
                raise

    # -- per kind: what `wizard.plan.kinds` declares ---------------------------------------
    def _operations(self, kind: Kind) -> Any:
        return getattr(self._client(kind.client), kind.operations)

    def _get(self, step: Step, p: _Parts) -> dict[str, Any] | None:
        kind = KINDS[step.kind]
        if kind.get is None:
            return None  # an action, not a resource: it runs whenever its step does
        if kind.scope == "extension":
            return self._get_role_assignment(step, p)
        method = getattr(self._operations(kind), kind.get)
        return method(*_names(kind, p), cls=_raw_json)  # type: ignore[no-any-return]

    def _get_role_assignment(self, step: Step, p: _Parts) -> dict[str, Any] | None:
        """By its name; failing that, any assignment of the same role to the same principal on
        the same scope counts (Azure refuses a second one with `RoleAssignmentExists`)."""
        from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

        kind = KINDS[step.kind]
        ops = self._operations(kind)
        try:
            return getattr(ops, kind.get or "get")(  # type: ignore[no-any-return]
                *_names(kind, p), cls=_raw_json)
        except ResourceNotFoundError:
            pass
        wanted = step.body.get("properties", {})
        principal = str(wanted.get("principalId", ""))
        role = str(wanted.get("roleDefinitionId", "")).rstrip("/").rsplit("/", 1)[-1].lower()
        if not principal or principal.startswith("{{"):
            return None
        try:
            for item in ops.list_for_scope(p.scope, filter=f"principalId eq '{principal}'"):
                found = item.serialize(keep_readonly=True)
                props = found.get("properties", {})
                if (str(props.get("scope", "")).lower() == p.scope.lower()
                        and str(props.get("principalId", "")).lower() == principal.lower()
                        and str(props.get("roleDefinitionId", "")).rstrip("/").rsplit("/", 1)[-1]
                        .lower() == role):
                    return found  # type: ignore[no-any-return]
        except HttpResponseError:
            return None
        return None

    def _create(self, step: Step, p: _Parts, body: dict[str, Any],
                progress: Progress) -> dict[str, Any]:
        kind = KINDS[step.kind]
        method = getattr(self._operations(kind), kind.create)
        if not kind.sends_body:
            self._wait(method(*_names(kind, p)), progress, kind.create_verb)
            return {}
        sent: Any = _model(kind.model).deserialize(body) if kind.model else body
        result = method(*_names(kind, p), sent, cls=_raw_json)
        if not Kind.long_running(kind.create):
            return result  # type: ignore[no-any-return]
        return self._wait(result, progress, kind.create_verb)  # type: ignore[no-any-return]

    def _create_retrying(self, step: Step, p: _Parts, body: dict[str, Any],
                         progress: Progress) -> dict[str, Any]:
        """The one retry loop of ours: `PrincipalNotFound` right after the identity was made
        (Azure AD replication; az retries it the same way), a few times with growing waits."""
        delays = list(self.principal_retry_delays)
        while True:
            try:
                with _translated(step.kind):
                    return self._create(step, p, body, progress)
            except AzureError as exc:
                if exc.code != "PrincipalNotFound" or not delays:
                    raise
                delay = delays.pop(0)
                progress(f"identity not replicated yet; retrying in {delay:g} s")
                self._sleep(delay)

    def _delete(self, step: Step, p: _Parts, progress: Progress) -> None:
        kind = KINDS[step.kind]
        if kind.delete is None:
            return  # an action: nothing to undo (the nodes keep the newer image)
        result = getattr(self._operations(kind), kind.delete)(*_names(kind, p))
        if Kind.long_running(kind.delete):
            self._wait(result, progress, "deleting")

    def _wait(self, poller: Any, progress: Progress, verb: str) -> Any:
        """Wait on an SDK poller, telling `progress` its status at least every quarter second
        (the poller itself polls Azure at the provider's pace). If `progress` raises (the run
        was cancelled), waiting is abandoned at once; Azure carries on. The message changes
        once a second, and listeners report only what changed."""
        started = time.monotonic()
        while not poller.done():
            elapsed = time.monotonic() - started
            progress(f"{verb}: {poller.status()} ({elapsed:.0f} s)")
            poller.wait(min(self.progress_interval, CANCEL_CHECK_SECONDS))
        return poller.result()


def only_subscription(credential: Any, **client_kwargs: Any) -> str:
    """The one subscription `credential` can see; an error that says what to do otherwise.
    (`client_kwargs` point the client elsewhere, as for the sandbox.)"""
    from azure.core.rest import HttpRequest
    from azure.mgmt.resource.resources import ResourceManagementClient

    client = ResourceManagementClient(credential, PLACEHOLDER, **client_kwargs)
    try:
        with _translated(None):
            response = client.send_request(
                HttpRequest("GET", "/subscriptions?api-version=2022-12-01"))
            response.raise_for_status()
            items = response.json().get("value", [])
    finally:
        client.close()
    enabled = [item for item in items if item.get("state", "Enabled") == "Enabled"]
    if len(enabled) == 1:
        return str(enabled[0]["subscriptionId"])
    if not enabled:
        raise AzureError("SubscriptionNotFound", "your login sees no enabled subscription",
                         hint="Sign in with an account that has one (`az login`), or pass "
                         "--subscription.")
    names = ", ".join(f"{item.get('displayName', '?')} ({item['subscriptionId']})"
                      for item in enabled[:10])
    raise AzureError("SubscriptionAmbiguous", f"your login sees {len(enabled)} subscriptions: "
                     f"{names}", hint=f"Choose one with --subscription ID or {SUBSCRIPTION_ENV}.")


PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
