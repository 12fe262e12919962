"""azure-core exceptions become AzureError with a code, a retryable flag and a useful hint."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.core.pipeline.transport import HttpResponse
from azure.core.rest import HttpRequest

from wizard.azure.backend import AzureError, to_azure_error


class _Response(HttpResponse):
    def __init__(self, status: int, body: dict[str, object]) -> None:
        super().__init__(HttpRequest("PUT", "https://example/x"), None)  # type: ignore[arg-type]
        self.status_code = status
        self.reason = "reason"
        self._body = json.dumps(body).encode()
        self.content_type = "application/json"
        self.headers = {"Content-Type": "application/json"}  # type: ignore[assignment]

    def body(self) -> bytes:
        return self._body


def http_error(status: int, code: str, message: str) -> HttpResponseError:
    return HttpResponseError(response=_Response(status, {"error": {"code": code,
                                                                    "message": message}}))


def test_arm_error_code_and_message_are_kept() -> None:
    error = to_azure_error(http_error(400, "InvalidParameter", "idle timeout out of range"))
    assert (error.code, error.status, error.retryable) == ("InvalidParameter", 400, False)
    assert error.message == "idle timeout out of range"
    assert "configuration" in error.hint


def test_role_assignment_authorization_hint_names_the_roles() -> None:
    error = to_azure_error(http_error(403, "AuthorizationFailed", "no"), kind="role_assignment")
    assert "Owner or User Access Administrator" in error.hint


@pytest.mark.parametrize("status", [429, 500, 503])
def test_server_and_throttling_errors_are_retryable(status: int) -> None:
    assert to_azure_error(http_error(status, "ServerBusy", "later")).retryable


def test_connection_errors_are_retryable_with_network_hint() -> None:
    error = to_azure_error(ServiceRequestError("connection refused"))
    assert error.code == "ConnectionError" and error.retryable and "network" in error.hint


def test_authentication_error_says_to_log_in() -> None:
    error = to_azure_error(ClientAuthenticationError("token expired"))
    assert error.code == "AuthenticationFailed" and "az login" in error.hint


def test_our_error_passes_through() -> None:
    original = AzureError("X", "y")
    assert to_azure_error(original) is original


def test_importing_the_backend_does_not_import_the_sdks() -> None:
    code = ("import sys, wizard.azure.backend, wizard.run.executor, wizard.run.target;"
            "print([m for m in sys.modules if m.startswith(('azure.mgmt', 'azure.identity'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
