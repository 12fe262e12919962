"""The Windows admin password: read from the environment or generated, held in memory only.

AKS needs a Windows admin password when a cluster has a Windows pool. The wizard never asks for one
and never stores one: it takes `AKS_NAT_WIZARD_WINDOWS_PASSWORD` when set (so a team can use its own
vaulted value), or generates a strong one that meets Azure's rules (14-123 characters with an upper
case letter, a lower case letter, a digit and a special character). The executor substitutes it
into the request body at the last moment; journals, logs and plan files only ever hold the
`{{secret:windows-admin-password}}` placeholder.
"""

from __future__ import annotations

import os
import secrets
import string

PASSWORD_ENV = "AKS_NAT_WIZARD_WINDOWS_PASSWORD"
MIN_LENGTH = 14
MAX_LENGTH = 123
SPECIALS = "!@#$%^&*()-_=+[]{}:,.?"
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, SPECIALS)


class SecretError(ValueError):
    """A secret given by the user does not meet Azure's rules (the message never contains it)."""


def password_problem(value: str) -> str | None:
    """Why Azure would refuse `value` as a Windows admin password, or None. Never echoes it."""
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH}-{MAX_LENGTH} characters long (it has {len(value)})"
    missing = [
        label
        for label, test in (
            ("an upper-case letter", str.isupper),
            ("a lower-case letter", str.islower),
            ("a digit", str.isdigit),
        )
        if not any(test(ch) for ch in value)
    ]
    if not any(not ch.isalnum() for ch in value):
        missing.append("a special character")
    if missing:
        return "must contain " + ", ".join(missing)
    return None


def generate_password(length: int = 24) -> str:
    """A random password with every character class Azure requires."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"length must be {MIN_LENGTH}-{MAX_LENGTH}")
    alphabet = "".join(_CLASSES)
    chars = [secrets.choice(group) for group in _CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def windows_password() -> str:
    """`$AKS_NAT_WIZARD_WINDOWS_PASSWORD` if set (checked against Azure's rules), else generated."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        problem = password_problem(given)
        if problem:
            raise SecretError(f"{PASSWORD_ENV} {problem}")
        return given
    return generate_password()
