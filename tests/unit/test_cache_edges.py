"""The cache at its edges: the first day a row no longer holds, and the service catalogue
every row depends on. Each was a mutant that survived the suite (issue 9); both are tested
with and without git (a case's own row, and the whole run git vouches for)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from juhtum.check import runner
from juhtum.check.result import Options, Result
from juhtum.storage import Repository
from tests.cases import build
from tests.conftest import copy_fixture, git

CASE = "twin-a1"
CLOSING = dt.date(2026, 6, 20)
"""The twin's closing date: before it, a closing dated so lies in the future (I14)."""


@pytest.fixture(params=["files", "git"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Repository:
    root = copy_fixture(build.TWIN, tmp_path)
    for path in root.rglob("*.yaml"):  # written a while ago: no row is racy
        stamp = path.stat().st_mtime - 60
        os.utime(path, (stamp, stamp))
    if request.param == "git":
        git(root, "init", "-q")
        (root / ".gitignore").write_text(".juhtum/\n")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "fixture")
    return Repository(root)


def run(repo: Repository, today: dt.date) -> Result:
    return runner.validate(repo, Options(today=today, legal=True))


def rules(result: Result) -> list[str]:
    return sorted(p.rule for p in result.problems if p.severity == "error")


def said(result: Result) -> list[tuple[str, str, int | None, str]]:
    return [(p.rule, p.file, p.line, p.message) for p in result.problems]


def fresh(repo: Repository, today: dt.date) -> list[str]:
    return rules(runner.validate(repo, Options(today=today, legal=True), use_cache=False))


def test_a_row_holds_until_the_day_before_a_future_date_and_not_on_it(repo: Repository) -> None:
    day_before = CLOSING - dt.timedelta(days=1)
    assert "I14" in fresh(repo, day_before) and fresh(repo, CLOSING) == []
    assert rules(run(repo, day_before)) == fresh(repo, day_before)
    assert run(repo, day_before).cached == 1  # the cache answers that day
    assert rules(run(repo, CLOSING)) == []  # the closing's own day: no longer in the future
    assert rules(run(repo, day_before)) == fresh(repo, day_before)


def test_a_change_to_the_service_catalogue_is_seen(repo: Repository) -> None:
    assert rules(run(repo, dt.date(2026, 11, 23))) == []
    assert run(repo, dt.date(2026, 11, 23)).cached == 1
    services = repo.root / "services"
    (services / "toovahendus.yaml").rename(services / "tookoht.yaml")
    assert rules(run(repo, dt.date(2026, 11, 23))) == ["I17"]
    (services / "tookoht.yaml").rename(services / "toovahendus.yaml")
    assert rules(run(repo, dt.date(2026, 11, 23))) == []


def test_a_file_whose_name_is_not_utf8_is_kept_in_the_rows(repo: Repository) -> None:
    """A stray file named in another encoding (a lone surrogate in Python) broke validate with
    the cache (UnicodeEncodeError in the listing's signature and the row's JSON)."""
    stray = repo.root / "cases" / CASE / os.fsdecode(b"\xff.yaml")
    stray.write_bytes(b"x: 1\n")
    os.utime(stray, (stray.stat().st_mtime - 60,) * 2)
    today = dt.date(2026, 11, 23)
    expected = said(runner.validate(repo, Options(today=today), use_cache=False))
    assert any("\udcff" in p[1] for p in expected)
    assert said(run(repo, today)) == expected
    again = run(repo, today)
    assert again.cached == 1 and said(again) == expected


def test_a_row_status_added_to_still_answers_validate(repo: Repository) -> None:
    from juhtum.cli import status as status_cli

    today = dt.date(2026, 11, 23)
    first = run(repo, today)
    status_cli.cached_status(repo, CASE, today)  # the status joins the row
    again = run(repo, today)
    assert again.cached == 1 and said(again) == said(first)
