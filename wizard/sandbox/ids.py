"""ARM id helpers and the deterministic server-filled values (GUIDs, IP addresses, FQDNs).

Values derive from the resource id through hashing, so the same sandbox run produces the same
output every time, which keeps tests and snapshots stable.
"""

from __future__ import annotations

import hashlib
import uuid

SANDBOX_NAMESPACE = uuid.UUID("6f1f3f9e-7a43-4b4c-9d0a-5a4e2c0d0a11")
TENANT_ID = "00000000-0000-0000-0000-0000000000aa"


def key(resource_id: str) -> str:
    """The store key: ARM ids are case-insensitive."""
    return resource_id.rstrip("/").lower()


def is_within(child_id: str, scope_id: str) -> bool:
    """True when `child_id` equals `scope_id` or lies below it (segment-aligned, any case)."""
    child, scope = key(child_id), key(scope_id)
    return child == scope or child.startswith(scope + "/")


def stable_uuid(resource_id: str, purpose: str) -> str:
    """A GUID derived from the id, so principalId/clientId/resourceGuid never change."""
    return str(uuid.uuid5(SANDBOX_NAMESPACE, f"{purpose}:{key(resource_id)}"))


def fake_ip(resource_id: str) -> str:
    """A fake public address in 20.0.0.0/8 (an Azure range), stable for a given id."""
    digest = hashlib.sha256(key(resource_id).encode()).digest()
    return f"20.{digest[0]}.{digest[1]}.{digest[2] % 254 + 1}"


def fake_ipv6(resource_id: str) -> str:
    """A fake public IPv6 address in 2603:1030::/32 (an Azure range), stable for a given id."""
    digest = hashlib.sha256(key(resource_id).encode()).hexdigest()
    return f"2603:1030:{digest[0:4]}:{digest[4:8]}::{int(digest[8:12], 16) % 65535 + 1:x}"


def short_hash(text: str, length: int = 8) -> str:
    """A short lower-case hex hash, used in FQDNs."""
    return hashlib.sha256(text.lower().encode()).hexdigest()[:length]


def resource_group_of(resource_id: str) -> tuple[str, str] | None:
    """(subscription, resource group) named in an id, original casing, or None."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if len(parts) >= 4 and lowered[0] == "subscriptions" and lowered[2] == "resourcegroups":
        return parts[1], parts[3]
    return None


def rg_id(subscription_id: str, rg: str) -> str:
    """The canonical id of a resource group."""
    return f"/subscriptions/{subscription_id}/resourceGroups/{rg}"
