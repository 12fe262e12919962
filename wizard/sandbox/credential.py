"""A token credential for the sandbox only: it hands out a fixed bearer token.

The SDKs insist on a credential and on https for bearer tokens; the sandbox checks only that a
bearer token is present, as ARM would reject a call without one.
"""

from __future__ import annotations

import time
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo

SANDBOX_TOKEN = "sandbox-token"


class SandboxCredential:
    """Implements `TokenCredential` and `SupportsTokenInfo` with a token valid for an hour."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """A fake token; scopes and options are ignored."""
        return AccessToken(SANDBOX_TOKEN, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        """The same fake token in the newer protocol."""
        return AccessTokenInfo(SANDBOX_TOKEN, int(time.time()) + 3600)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> SandboxCredential:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()
