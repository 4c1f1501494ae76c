"""Round-trip editing keeps comments, and both readers read every example identically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import roundtrip, yamlio
from tests.conftest import EXAMPLES, ROOT

DOCUMENTS = sorted(EXAMPLES.rglob("*.yaml")) + sorted(
    (ROOT / "tests" / "cases" / "valid").rglob("*.yaml")
)


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_readers_agree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert plain(roundtrip.load(text)) == yamlio.loads(text, path=str(path)).data


def test_prune_drops_empty_fields_and_keeps_comments() -> None:
    text = """\
# yaml-language-server: $schema=../../.juhtum/schemas/need.schema.json
case: x-1   # the case
specialist:
decision:
  outcome: case_management   # agreed with Mari
  reasoning:
  referrals:
    - to:
      service:
previous: []
"""
    pruned = roundtrip.prune_empty(text)
    assert yamlio.loads(pruned, path="x").data == {
        "case": "x-1",
        "decision": {"outcome": "case_management"},
        "previous": [],
    }
    assert "# yaml-language-server" in pruned
    assert "# the case" in pruned and "# agreed with Mari" in pruned


def test_prune_leaves_complete_text_byte_for_byte() -> None:
    text = "case: x-1\nversion: 1   # first\nlist:\n    - a\n"
    assert roundtrip.prune_empty(text) == text


def test_append_keeps_the_sequence_style_and_comments() -> None:
    indented = "case: x\nsignatures:\n  - party: client   # Mari\n    version: 1\n"
    out = roundtrip.append_item(indented, "signatures", {"party": "kk", "version": 1})
    assert "\n  - party: kk\n" in out and "# Mari" in out
    flush = "case: x\nsignatures:\n- party: client\n"
    assert "\n- party: kk" in roundtrip.append_item(flush, "signatures", {"party": "kk"})
    made = roundtrip.append_item("case: x\n", "signatures", {"party": "kk"})
    assert yamlio.loads(made, path="x").data == {"case": "x", "signatures": [{"party": "kk"}]}


def test_set_fields_changes_only_what_it_sets() -> None:
    text = "id: x-1   # keep\nstage: need\nopened: 2026-01-01\n"
    out = roundtrip.set_fields(text, {"stage": "assessment", "coordinator": "kk"})
    assert yamlio.loads(out, path="x").data == {
        "id": "x-1",
        "stage": "assessment",
        "opened": "2026-01-01",
        "coordinator": "kk",
    }
    assert "# keep" in out


def test_a_document_is_parsed_once_edited_in_place_and_written_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "# kept\nstage: need   # the state\ngoal:\nlist:\n  -\n  - a\n"
    made: list[str] = []
    original = roundtrip._yaml

    def counted(source: str) -> Any:
        made.append(source)
        return original(source)

    monkeypatch.setattr(roundtrip, "_yaml", counted)
    document = roundtrip.Document(text)
    assert document.prune_empty()
    assert document.set_fields({"case": "x-1"}, first=True)
    assert document.remove_fields(["stage"])
    assert not document.remove_fields(["nothing"])
    out = document.dump()
    assert made == [text]  # one parse for every edit
    assert out.startswith("# kept\ncase: x-1\n")
    assert yamlio.loads(out, path="x").data == {"case": "x-1", "list": ["a"]}
    plain = yamlio.loads(text, path="x").data
    assert roundtrip.prune_value(plain) and plain == {"stage": "need", "list": ["a"]}


def test_a_document_with_nothing_to_change_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(source: str) -> Any:
        raise AssertionError("parsed")

    monkeypatch.setattr(roundtrip, "_yaml", refused)
    text = "case: x-1\nversion: 1   # first\n"
    document = roundtrip.Document(text)
    assert not document.prune_empty()
    assert document.dump() == text
