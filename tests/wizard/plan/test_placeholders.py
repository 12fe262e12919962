"""The one placeholder grammar: what the plan writes, the executor and both exports read back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wizard.plan import placeholders
from wizard.plan.placeholders import find, ref, secret, secrets_in, split_ref, whole

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_:/", min_size=1, max_size=20)
"""Step keys such as `subnet:vnet/aks` hold colons and slashes."""
PATHS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzA", min_size=1, max_size=8),
                 min_size=1, max_size=4).map(".".join)


@given(KEYS, PATHS)
def test_a_ref_reads_back_as_its_step_and_path(key: str, path: str) -> None:
    text = ref(key, path)
    found = whole(text)
    assert found is not None and found[0] == "ref"
    assert split_ref(found[1]) == (key, path)


@given(KEYS, st.text(max_size=30).filter(lambda s: "{" not in s and "}" not in s))
def test_a_secret_inside_other_text_is_found_and_only_it(name: str, around: str) -> None:
    text = f"{around}{secret(name)}{around}"
    assert list(find(text)) == [("secret", name)]
    assert secrets_in(text) == {name}
    assert whole(text) is None or around == ""


def test_the_executor_and_both_exports_read_one_grammar() -> None:
    from wizard.export import arm, az
    from wizard.run import executor

    for module in (arm, az, executor):
        assert module.placeholders is placeholders
        assert not any(name.endswith("PLACEHOLDER") for name in vars(module))
