"""ARM's error shape, raised by handlers and turned into a response by the app.

Azure answers every failed call with `{"error": {"code": ..., "message": ...}}`; the SDKs read
`error.code` from it, so the sandbox raises one exception type that carries exactly that.
"""

from __future__ import annotations

from typing import Any


class ArmError(Exception):
    """A failed ARM call: HTTP status plus Azure's error code and message."""

    def __init__(self, status: int, code: str, message: str, target: str | None = None,
                 subcode: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.subcode = subcode
        """AKS adds a `subcode` to some errors (e.g. ManagedNATGatewayWithCustomVNetNotAllowed)."""

    def error(self) -> dict[str, Any]:
        """The inner error object (also used for a failed LRO's `error`)."""
        inner: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.subcode:
            inner["subcode"] = self.subcode
        if self.target:
            inner["target"] = self.target
        return inner

    def body(self) -> dict[str, Any]:
        """The response body ARM sends."""
        return {"error": self.error()}


def bad_request(code: str, message: str, target: str | None = None) -> ArmError:
    """A 400, the status Azure uses for nearly every validation failure."""
    return ArmError(400, code, message, target)


def not_found(code: str, message: str) -> ArmError:
    """A 404 (ResourceNotFound, ResourceGroupNotFound, ParentResourceNotFound...)."""
    return ArmError(404, code, message)
