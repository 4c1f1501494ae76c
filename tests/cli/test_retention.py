"""Retention (issue 13 item 7): juhtum.yaml says how long an ended case is kept, ``due``
lists the cases kept past it, and ``erase`` removes one and says what still holds it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLES, Run, copy_fixture, git

CLOSED = "lepiku-r7k2m4"  # closed on 2026-06-12
LATER = "lepiku-j5t9wx"  # closed on 2026-07-06
REFERRED = "lepiku-v3n8qd"  # referred on 2026-09-17


def example(tmp_path: Path, retention: str | None) -> Path:
    root = copy_fixture(EXAMPLES / "lepiku", tmp_path)
    if retention is not None:
        config = root / "juhtum.yaml"
        config.write_text(config.read_text(encoding="utf-8") + retention, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "example")
    return root


def retention_items(juhtum: Callable[..., Run], root: Path, today: str) -> list[dict[str, Any]]:
    result = juhtum("--today", today, "due", "--json", cwd=root)
    assert result.code == 0, result.output
    return [i for i in json.loads(result.out) if i["kind"] == "retention"]


def test_due_lists_the_cases_kept_past_their_period_and_erase_removes_one(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example(tmp_path, "retention:\n  closed_years: 1\n")
    assert juhtum("validate", cwd=root).code == 0

    assert retention_items(juhtum, root, "2027-05-01") == []  # kept for a year yet
    found = retention_items(juhtum, root, "2027-06-20")
    assert [(i["case"], i["date"], i["overdue"]) for i in found] == [(CLOSED, "2027-06-13", True)]
    assert found[0]["message"] == (
        f"retention: case {CLOSED} ended on 2026-06-12, kept until 2027-06-12; erase it with "
        f"juhtum erase {CLOSED} --reason retention-over"
    )
    screen = juhtum("--today", "2027-06-20", "due", cwd=root).out
    assert f"juhtum erase {CLOSED}" in screen
    # a case referred at §1 ended on its decision's day
    later = {i["case"]: i["date"] for i in retention_items(juhtum, root, "2027-12-31")}
    assert later == {
        CLOSED: "2027-06-13",
        LATER: "2027-07-07",
        REFERRED: "2027-09-18",
        "lepiku-h4s8xe": "2027-10-16",
    }

    erased = juhtum("erase", CLOSED, "--reason", "retention-over", cwd=root)
    assert erased.code == 0, erased.output
    assert "git's history in this clone" in erased.out
    assert f"git filter-repo --invert-paths --path cases/{CLOSED}" in erased.out
    assert "every colleague must clone anew" in erased.out
    assert not (root / "cases" / CLOSED).exists()
    assert retention_items(juhtum, root, "2027-06-20") == []


def test_days_add_to_years_and_nothing_is_listed_without_a_period(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example(tmp_path, "retention:\n  closed_years: 1\n  closed_days: 10\n")
    found = retention_items(juhtum, root, "2027-06-30")
    assert [(i["case"], i["date"]) for i in found] == [(CLOSED, "2027-06-23")]
    plain = example(tmp_path / "plain", None)
    assert retention_items(juhtum, plain, "2099-01-01") == []


def test_a_wrong_period_is_an_error_in_juhtum_yaml(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example(tmp_path, "retention:\n  closed_years: 0\n")
    result = juhtum("validate", cwd=root)
    assert result.code == 1
    assert "juhtum.yaml" in result.out and "retention.closed_years" in result.out


def test_erase_in_an_encrypted_repository_says_the_history_keeps_it_encrypted(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    from pyrage import x25519

    from juhtum.crypto.repository import LOCKED, set_mode

    root = example(tmp_path, "retention:\n  closed_years: 1\n")
    recovery = str(x25519.Identity.generate().to_public())
    try:
        assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
        set_mode(LOCKED)
        found = retention_items(juhtum, root, "2027-06-20")  # no key needed
        assert [i["case"] for i in found] == [CLOSED]
        erased = juhtum("erase", CLOSED, "--reason", "retention-over", cwd=root)
    finally:
        set_mode(LOCKED)
    assert erased.code == 0, erased.output
    assert "the history keeps the case encrypted" in erased.out
