"""Azure's naming rules, one pattern per resource kind.

Kept apart from the model so the patterns can be shown in help text and reused by the sandbox,
which must reject exactly what Azure rejects. Sources: the AKS REST spec for cluster, DNS prefix and
agent pool; Azure's resource-name-rules page for the network and resource group names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NameRule:
    """A name rule: the pattern Azure enforces and the sentence a newcomer reads when it fails."""

    kind: str
    pattern: re.Pattern[str]
    explanation: str

    def problem(self, value: str) -> str | None:
        """Why `value` is not a valid name of this kind, or None when it is."""
        if self.pattern.fullmatch(value):
            return None
        return f"{value!r} is not a valid {self.kind} name: {self.explanation}"


CLUSTER = NameRule(
    "cluster",
    re.compile(r"[a-zA-Z0-9]|[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]"),
    "1-63 letters, digits, '-' or '_', starting and ending with a letter or digit",
)
DNS_PREFIX = NameRule(
    "DNS prefix",
    re.compile(r"[a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]{0,52}[a-zA-Z0-9]"),
    "1-54 letters, digits or '-', starting and ending with a letter or digit",
)
AGENT_POOL = NameRule(
    "node pool",
    re.compile(r"[a-z][a-z0-9]{0,11}"),
    "1-12 lowercase letters or digits, starting with a letter",
)
WINDOWS_POOL = NameRule(
    "Windows node pool",
    re.compile(r"[a-z][a-z0-9]{0,5}"),
    "1-6 lowercase letters or digits, starting with a letter (Windows computer names are short)",
)
RESOURCE_GROUP = NameRule(
    "resource group",
    re.compile(r"[-\w.()]{0,89}[-\w()]"),
    "1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'",
)
VNET = NameRule(
    "virtual network",
    re.compile(r"[a-zA-Z0-9](?:[-\w.]{0,62}[\w])", re.ASCII),
    "2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a "
    "letter, digit or '_'",
)
NETWORK_CHILD = NameRule(
    "network resource",
    re.compile(r"[a-zA-Z0-9](?:[-\w.]{0,78}[\w])?", re.ASCII),
    "1-80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a "
    "letter, digit or '_'",
)
IDENTITY = NameRule(
    "managed identity",
    re.compile(r"[a-zA-Z0-9][-\w]{2,127}", re.ASCII),
    "3-128 letters, digits, '-' or '_', starting with a letter or digit",
)
