"""Where an apply would go, as the app shows it: the sandbox, or Azure.

For Azure the signed-in subscription is found later, in a worker, after the first screen is up
(`resolve_azure()` imports the Azure SDK and may talk to the network), so start-up stays fast and
never imports the SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.run.target import Target

__all__ = ["Target", "connect", "fetch_offers", "open_discovery", "resolve_azure"]

if TYPE_CHECKING:
    from wizard.azure.offers import Offers


def resolve_azure(subscription: str | None) -> str:
    """The subscription an apply would use, as a sentence; never raises (runs in a worker)."""
    try:
        from wizard.azure.backend import AzureBackend

        backend = AzureBackend.from_environment(subscription)
    except Exception as error:  # the reason is shown to the user, not raised
        from wizard.text.errors import first_line

        return f"Azure: not ready ({first_line(error)}). Sign in with `az login`."
    return f"Azure subscription {backend.subscription_id}"


def connect(target: Target) -> Any:
    """A `Discovery` of the target (blocking: runs in a worker); raises when the target cannot
    be reached. One per screen or app: its answers are cached."""
    from wizard.azure.discovery import Discovery
    from wizard.run.target import make_backend

    backend, _ = make_backend(sandbox=target.sandbox, sandbox_state=target.sandbox_state,
                              subscription=None)
    return Discovery(backend)


def open_discovery(target: Target) -> Any:
    """`connect(target)`, or None when the target cannot be reached; the wizard then goes on
    without checking what it offers."""
    try:
        return connect(target)
    except Exception:  # not signed in, no network: the checks are a help, not a gate
        return None


def fetch_offers(discovery: Any, location: str, group: str,
                 known: Offers | None) -> Offers | None:
    """`known` plus the regions, `location`'s versions and VM sizes and `group`'s VNets
    (blocking: runs in a worker), or None when the target cannot answer."""
    if discovery is None:
        return None
    try:
        from wizard.azure.offers import fetch_networks
        from wizard.azure.offers import fetch_offers as fetch

        offers = fetch(discovery, location or None, known)
        return fetch_networks(discovery, group, offers) if group else offers
    except Exception:  # as above: skip the checks rather than stop the wizard
        return None
