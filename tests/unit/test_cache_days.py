"""The days a case's row holds for, where validate's problems and status's data, each found
for its own days, meet in one row: the row holds only on the days both hold (issue 9: a
status row once took another day's problems). Told through the cache's own rows: the ranges
that differ between validate and status (a monitoring gap ends validate's early) are rare in
a fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from juhtum.check.cache import Cache, Entry, Row
from juhtum.check.cache_keys import list_case
from juhtum.storage import Repository
from tests.cases import build
from tests.conftest import copy_fixture

CASE = "twin-a1"
PROBLEMS = [{"rule": "I4"}]
STATUS = {"stage": "plan"}
FACTS = {"id": CASE}


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(copy_fixture(build.TWIN, tmp_path))


def put(repo: Repository, lo: str | None, hi: str | None, **columns: Any) -> None:
    with Cache(repo) as kept:
        listing = list_case(repo.case_dir(CASE))
        kept.put(CASE, Row(listing, {}, 0, lo, hi, **columns))


def on(repo: Repository, day: str | None) -> Entry | None:
    with Cache(repo) as kept:
        return kept.get(CASE, list_case(repo.case_dir(CASE)), day)


@pytest.mark.parametrize("his", [("2026-03-01", "2026-04-01"), ("2026-04-01", "2026-03-01")])
def test_problems_and_a_status_hold_together_only_where_both_hold(
    repo: Repository, his: tuple[str, str]
) -> None:
    put(repo, "2026-01-10", his[0], problems=PROBLEMS, facts=FACTS)
    put(repo, "2026-02-01", his[1], status=STATUS)
    assert on(repo, "2026-01-15") is None and on(repo, "2026-03-15") is None
    assert on(repo, "2026-02-15") == Entry(PROBLEMS, FACTS, STATUS, "2026-02-01", "2026-03-01")
    facts = on(repo, None)  # the facts hold whatever the day
    assert facts is not None and facts.facts == FACTS


def test_a_status_found_for_other_days_leaves_the_problems_out(repo: Repository) -> None:
    put(repo, "2026-01-10", "2026-02-01", problems=PROBLEMS, facts=FACTS)
    put(repo, "2026-02-01", None, status=STATUS)  # from the day the problems no longer hold
    assert on(repo, "2026-01-15") is None
    assert on(repo, "2026-03-15") == Entry(None, FACTS, STATUS, "2026-02-01", None)


@pytest.mark.parametrize(
    ("column", "old", "new"),
    [("problems", PROBLEMS, []), ("status", STATUS, {"stage": "closed"})],
)
def test_a_new_finding_holds_for_its_own_days(
    repo: Repository, column: str, old: object, new: object
) -> None:
    put(repo, "2026-01-10", "2026-03-01", **{column: old})
    put(repo, "2026-02-01", "2026-04-01", **{column: new})
    for day in ("2026-02-15", "2026-03-15"):
        entry = on(repo, day)
        assert entry is not None and getattr(entry, column) == new, day
    assert on(repo, "2026-01-15") is None


def test_facts_leave_the_days_of_a_status_as_they_are(repo: Repository) -> None:
    put(repo, "2026-01-10", "2026-03-01", facts=FACTS)
    put(repo, "2026-02-01", "2026-04-01", status=STATUS)
    assert on(repo, "2026-03-15") == Entry(None, FACTS, STATUS, "2026-02-01", "2026-04-01")


def test_facts_found_later_keep_the_status_for_its_days(repo: Repository) -> None:
    put(repo, "2026-02-01", "2026-04-01", status=STATUS)
    put(repo, None, None, facts=FACTS)  # what the views find: it holds whatever the day
    assert on(repo, "2026-01-15") is None
    assert on(repo, "2026-03-15") == Entry(None, FACTS, STATUS, "2026-02-01", "2026-04-01")
