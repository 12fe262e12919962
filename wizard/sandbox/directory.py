"""The sandbox's view of the Microsoft Entra directory: when a new principal becomes visible.

In Azure a user-assigned identity's service principal is created with the identity, but
Microsoft.Authorization looks principals up in a replica of the directory that lags behind. For a
while a role assignment for the new principal fails with 400 `PrincipalNotFound`, unless the
request sets `principalType` (then ARM skips the lookup). The sandbox keeps, per principal, the
sandbox-clock moment it becomes visible: `created` starts the delay, `visible` answers the lookup.

Visibility moments live in memory only. A principal the sandbox knows from its state file but
not from this process (a run resumed in a new process) has long replicated: it is visible.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Directory:
    """When each principal becomes visible to role assignments, on the sandbox clock.

    `delay`: seconds of sandbox clock between an identity's creation and its principal's
    visibility (already scaled by the sandbox speed; tests set it through `Sandbox`).
    """

    def __init__(self, clock: Callable[[], float], delay: float = 0.0) -> None:
        self.clock = clock
        self.delay = delay
        self.lags_despite_principal_type = False
        """When True, a role assignment for a principal still replicating fails with
        PrincipalNotFound even with `principalType` set: reported to still happen
        (docs/AZURE_FACTS.md, identity.principal-type), not documented, so off by default."""
        self._visible_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def created(self, principal_id: str) -> None:
        """A principal was just created: it becomes visible `delay` seconds from now."""
        with self._lock:
            self._visible_at[principal_id.lower()] = self.clock() + self.delay

    def visible(self, principal_id: str) -> bool:
        """Whether a lookup now finds the principal (callers check it exists at all)."""
        with self._lock:
            due = self._visible_at.get(principal_id.lower())
        return due is None or self.clock() >= due

    def clear(self) -> None:
        """Forget every pending principal (they count as replicated)."""
        with self._lock:
            self._visible_at.clear()
