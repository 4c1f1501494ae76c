"""The content hash of a plan (domain.md, *Content hash*): stable under form, bound to content."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from juhtum.documents import yamlio
from juhtum.model.hashing import HashError, canonical_json, content_hash

PLAN = """\
case: x
version: 1
date: 2026-03-01
goals:
  - id: g1
    statement: Mari leiab töö
actions: []
signatures:
  - party: client
"""


def parse(text: str) -> dict[str, object]:
    data = yamlio.loads(text, path="plan.yaml").data
    assert isinstance(data, dict)
    return data


def test_the_hash_is_sha256_of_rfc8785_without_signatures() -> None:
    data = parse(PLAN)
    body = {k: v for k, v in data.items() if k != "signatures"}
    assert content_hash(data) == hashlib.sha256(rfc8785.dumps(body)).hexdigest()  # type: ignore[arg-type]


def test_comments_quoting_and_key_order_do_not_change_it() -> None:
    other = """\
# a comment
version: 1   # another
case: 'x'
goals:
  - statement: "Mari leiab töö"
    id: g1
date: "2026-03-01"
actions: []
"""
    assert content_hash(parse(PLAN)) == content_hash(parse(other))


def test_signatures_do_not_change_it_but_content_does() -> None:
    data = parse(PLAN)
    signed = {**data, "signatures": [{"party": "kk"}]}
    assert content_hash(data) == content_hash(signed)
    assert content_hash(data) != content_hash({**data, "version": 2})


def test_absent_key_and_null_differ() -> None:
    data = parse(PLAN)
    assert content_hash(data) != content_hash({**data, "unaddressed": None})


def test_unicode_normal_forms_hash_alike() -> None:
    nfd = unicodedata.normalize("NFD", "Mari leiab töö")
    assert nfd != "Mari leiab töö"
    data = parse(PLAN)
    changed = {**data, "goals": [{"id": "g1", "statement": nfd}]}
    assert content_hash(changed) == content_hash(data)


def test_values_without_canonical_form_raise() -> None:
    with pytest.raises(HashError):
        content_hash({"version": 2**60})
    with pytest.raises(HashError):
        content_hash({"x": float("nan")})
    with pytest.raises(HashError):
        content_hash({"x": "\ud800"})


@given(
    st.dictionaries(st.text(max_size=8), st.integers(-1000, 1000) | st.text(max_size=8), max_size=6)
)
def test_key_order_never_matters(data: dict[str, object]) -> None:
    reordered = dict(reversed(list(data.items())))
    assert content_hash(data) == content_hash(reordered)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@given(json_values)
def test_canonical_json_is_rfc8785(value: object) -> None:
    try:
        expected = rfc8785.dumps(value)  # type: ignore[arg-type]
    except (rfc8785.CanonicalizationError, ValueError):
        with pytest.raises(HashError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\uffff": 2, "a": 3},  # keys beyond the BMP sort differently in UTF-16
        {"x": '\u2028\u0000\u001f"\\/'},
        {"n": 2**53 - 1, "m": -(2**53 - 1)},
        [1.0, 1e21, 0.1, -0.0],
    ],
)
def test_canonical_json_edges(value: object) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


def test_keys_are_nfc_normalised_too() -> None:
    """A key typed in another normal form (a tool that writes NFD) names the same field."""
    nfd = unicodedata.normalize("NFD", "tööd")
    assert nfd != "tööd"
    data = parse(PLAN)
    assert content_hash({**data, nfd: 1}) == content_hash({**data, "tööd": 1})
    assert canonical_json({"tööd": 1}) == rfc8785.dumps({"tööd": 1})


def test_a_key_just_beyond_the_bmp_sorts_by_utf16() -> None:
    # U+10000 is D800 DC00 in UTF-16: before U+E000, though after it by code point
    value = {"\U00010000": 1, "\ue000": 2}
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value).index("\U00010000".encode()) == 2


def test_what_a_plan_holds_is_rendered_without_the_full_canonicaliser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Text, whole numbers within JSON's safe range, booleans and null, under keys of the
    Basic Multilingual Plane, take the standard library's path (several times faster)."""
    plain = {
        "statement": "Mari leiab töö",
        "none": None,
        "yes": True,
        "no": False,
        "safe": 2**53 - 1,
        "negative": -(2**53 - 1),
        "edge\uffff": ["a", 1, None],
        "nested": {"k": [{"x": "y"}]},
    }
    expected = rfc8785.dumps(plain)
    plan = parse(PLAN)
    hashed = content_hash(plan)

    def refuse(value: object) -> bytes:
        raise AssertionError("the full canonicaliser was called for plain values")

    monkeypatch.setattr(rfc8785, "dumps", refuse)
    assert canonical_json(plain) == expected
    values: list[object] = ["text", None, True, 0, 2**53 - 1, [], {}]
    for value in values:
        canonical_json(value)
    assert content_hash(plan) == hashed


def test_a_value_without_canonical_form_says_why() -> None:
    with pytest.raises(HashError, match=r"^a string holds a lone surrogate$"):
        canonical_json({"x": "\ud800"})
    for value in (2**60, float("nan")):
        with pytest.raises(HashError) as raised:
            canonical_json({"x": value})
        assert str(raised.value) not in ("", "None")


SEALED = "ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]"


@pytest.mark.parametrize(
    "where",
    [
        lambda plan: plan.__setitem__("date", SEALED),
        lambda plan: plan["goals"][0].__setitem__("statement", SEALED),
        lambda plan: plan.__setitem__("notes", ["plain", SEALED]),
    ],
    ids=["top", "nested", "in-a-list"],
)
def test_a_plan_read_without_its_key_hashes_as_it_recorded(where: object) -> None:
    # crypto.repository: an encrypted plan keeps the plaintext's hash in content_hash, so a
    # reader without the key checks signatures against it instead of hashing ciphertext
    plan = parse(PLAN)
    recorded = content_hash(plan)
    where(plan)  # type: ignore[operator]
    plan["content_hash"] = recorded
    assert content_hash(plan) == recorded


def test_a_recorded_hash_never_stands_for_readable_content() -> None:
    # a plaintext plan whose content_hash was edited by hand (or left from before a change) is
    # hashed from its content: otherwise editing the plan and keeping the old value would keep
    # the signatures valid
    plan = parse(PLAN)
    honest = content_hash(plan)
    plan["content_hash"] = "0" * 64
    assert content_hash(plan) == honest
    plan["goals"][0]["statement"] = "ENC is only a word here, not a sealed value"  # type: ignore[index]
    assert content_hash(plan) not in (honest, "0" * 64)
