"""Case ids and handles: strict patterns checked before any path is made."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juhtum.errors import InvalidId
from juhtum.model import ids


@pytest.mark.parametrize(
    "value",
    [
        "../../etc",
        "/etc",
        "tartu-abc ",
        " tartu",
        "tar\x00tu",
        "Tartu",
        "a--b",
        "-a",
        "a-",
        "a/b",
        "a\\b",
        ".",
        "..",
        "",
        "con",
        "nul",
        "lpt1",
        "ä",
        "a_b",
        "x" * 41,
        "a\n",
    ],
)
def test_bad_case_ids_are_refused(value: str) -> None:
    assert not ids.is_case_id(value)
    with pytest.raises(InvalidId):
        ids.check_case_id(value)


def test_refusal_shows_control_characters_escaped() -> None:
    with pytest.raises(InvalidId) as info:
        ids.check_case_id("ab\x00cd")
    assert "\\x00" in info.value.render()
    assert "\x00" not in info.value.render()


@pytest.mark.parametrize("value", ["tartu-k7m3qx", "a", "2026-001", "x" * 40])
def test_good_case_ids(value: str) -> None:
    assert ids.check_case_id(value) == value


def test_new_ids_avoid_existing_and_carry_the_prefix() -> None:
    taken = {ids.new_case_id("tartu", set()) for _ in range(200)}
    assert len(taken) == 200
    fresh = ids.new_case_id("tartu", taken)
    assert fresh not in taken
    assert fresh.startswith("tartu-")
    assert ids.is_case_id(ids.new_case_id(None, set()))


@given(st.text(max_size=50))
def test_anything_accepted_is_a_safe_single_path_segment(value: str) -> None:
    if ids.is_case_id(value):
        assert "/" not in value and "\\" not in value and value not in (".", "..")
        assert value == value.strip()
        assert value.isascii()
        assert value == value.lower()


@pytest.mark.parametrize("value", ["client", "kk", "tootukassa", "a1-b2"])
def test_good_handles(value: str) -> None:
    assert ids.check_handle(value) == value


@pytest.mark.parametrize("value", ["Client", "1kk", "mari maasikas", "", "a" * 33, "kk/.."])
def test_bad_handles(value: str) -> None:
    with pytest.raises(InvalidId):
        ids.check_handle(value)


def test_document_names_start_with_the_date() -> None:
    name = ids.document_name("2026-03-04")
    assert name.startswith("2026-03-04-") and name.endswith(".yaml")
    assert len({ids.document_name("2026-03-04") for _ in range(50)}) > 1
