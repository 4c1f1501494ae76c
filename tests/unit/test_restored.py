"""reopen.restored: an existing document reopened as a template, nothing of it lost."""

from __future__ import annotations

from juhtum.documents import reopen, roundtrip, templates, yamlio
from tests.cli import casebuild

MONITORING = """case: tw-1
date: 2026-03-02
by: kk
kind: contact  # talked on the phone
contacts: [client]
# Liina asked to meet at the library next time
progress: Liina on rahul.
"""


def _data(text: str) -> object:
    return yamlio.loads(roundtrip.prune_empty(templates.strip_help(text)), path="-").data


def test_help_lines_and_empty_fields_come_back_and_the_data_stays() -> None:
    out = reopen.restored("monitoring", MONITORING, schema_ref="../x.json")
    assert out.startswith("# yaml-language-server: $schema=../draft/x.json")  # editing copy
    assert "#: " in out
    assert "\nservices:" in out or "\nservices:\n" in out  # a field it left empty, offered
    assert _data(out) == yamlio.loads(MONITORING, path="-").data


def test_the_persons_comments_are_carried_over() -> None:
    out = reopen.restored("monitoring", MONITORING)
    assert "kind: contact  # talked on the phone" in out
    lines = out.split("\n")
    comment = lines.index("# Liina asked to meet at the library next time")
    assert lines[comment + 1] == "progress: Liina on rahul."


def test_every_twin_document_reads_back_the_same() -> None:
    for path in sorted(casebuild.TWIN_CASE.rglob("*.yaml")):
        name = path.relative_to(casebuild.TWIN_CASE).as_posix()
        from juhtum.model.documents import kind_in_case

        kind = kind_in_case(tuple(name.split("/"))) or "case"
        text = path.read_text(encoding="utf-8")
        out = reopen.restored(kind, text)
        assert _data(out) == yamlio.loads(text, path=name).data, name


def test_a_document_that_does_not_parse_is_left_as_it_is() -> None:
    broken = "case: tw-1\nprogress: [unclosed\n"
    assert reopen.restored("monitoring", broken) == broken
