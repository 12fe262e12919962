"""The Windows password: Azure's complexity rules, env override, never echoed in errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.run.secrets import (
    PASSWORD_ENV,
    SecretError,
    generate_password,
    password_problem,
    windows_password,
)


@given(st.integers(14, 123))
def test_generated_passwords_meet_azure_rules(length: int) -> None:
    password = generate_password(length)
    assert len(password) == length
    assert password_problem(password) is None


def test_generated_passwords_differ() -> None:
    assert len({generate_password() for _ in range(20)}) == 20


def test_env_value_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "Correct-Horse-9-Battery")
    assert windows_password() == "Correct-Horse-9-Battery"


@pytest.mark.parametrize(
    "bad", ["Short1!a", "alllowercase-123456", "NoDigitsHere!!!!!", "NoSpecial1234567a"])
def test_weak_env_value_is_refused_without_echo(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(PASSWORD_ENV, bad)
    with pytest.raises(SecretError) as caught:
        windows_password()
    assert bad not in str(caught.value)
    assert PASSWORD_ENV in str(caught.value)
