"""The cache over a repository of several cases (the example repository, nine cases, one of
them without a problem): the whole run git vouches for, the rows read a batch at a time, and
a row that status added to. Each answer must be what a run without the cache gives."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from juhtum.check import cache, reading, runner
from juhtum.check.cache_keys import Listing, list_case
from juhtum.check.result import Options, Result
from juhtum.output import view_facts
from juhtum.storage import Repository
from tests.conftest import EXAMPLES, copy_fixture, git

TODAY = dt.date(2026, 11, 23)
LATEST_PAST = dt.date(2026, 11, 17)
"""The latest date a case of the example records on or before TODAY: a run on TODAY holds
from that day on (before it, the date would lie in the future)."""
REMOVED = "lepiku-k9s2vb"
"""A case with problems of its own."""


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    root = copy_fixture(EXAMPLES / "lepiku", tmp_path)
    for path in root.rglob("*.yaml"):  # written a while ago: no row is racy
        stamp = path.stat().st_mtime - 60
        os.utime(path, (stamp, stamp))
    git(root, "init", "-q")
    (root / ".gitignore").write_text(".juhtum/\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fixture")
    return Repository(root)


def run(repo: Repository, today: dt.date = TODAY) -> Result:
    return runner.validate(repo, Options(today=today))


def said(result: Result) -> list[tuple[str, str, str, int | None, str]]:
    return [(p.rule, p.severity, p.file, p.line, p.message) for p in result.problems]


def fresh(repo: Repository, today: dt.date = TODAY) -> list[tuple[str, str, str, int | None, str]]:
    return said(runner.validate(repo, Options(today=today), use_cache=False))


def no_row_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a case's row was read: the whole run was not used")

    monkeypatch.setattr(cache.Cache, "get", refuse)
    monkeypatch.setattr(cache.Cache, "preload", refuse)


def test_the_whole_run_says_what_every_case_says(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(repo)
    assert first.cases == 9 and first.cached == 0
    expected = fresh(repo)
    assert sum(1 for p in expected if p[1] != "todo") and said(first) == expected
    with monkeypatch.context() as m:
        no_row_reads(m)
        again = run(repo)
    assert again.cached == again.cases == 9
    assert said(again) == expected


def test_a_removed_case_is_not_in_the_whole_run(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(repo)  # every case's row, the removed one's too
    git(repo.root, "rm", "-rq", f"cases/{REMOVED}")
    git(repo.root, "commit", "-qm", "a case removed")
    expected = fresh(repo)
    assert not any(REMOVED in p[2] for p in expected)
    assert said(run(repo)) == expected
    with monkeypatch.context() as m:
        no_row_reads(m)
        again = run(repo)
    assert again.cases == 8 and said(again) == expected


def test_the_whole_run_answers_from_the_first_day_it_holds_for(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(repo)
    with monkeypatch.context() as m:
        no_row_reads(m)
        on_the_day = run(repo, LATEST_PAST)
    assert said(on_the_day) == fresh(repo, LATEST_PAST)
    day_before = LATEST_PAST - dt.timedelta(days=1)
    assert said(run(repo, day_before)) == fresh(repo, day_before)


def test_the_facts_of_every_case_come_from_the_rows(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = view_facts.settings_of(repo)
    expected = list(view_facts.all_facts(repo, settings))
    run(repo)
    with monkeypatch.context() as m:
        m.setattr(reading, "parse_case", lambda *a, **k: pytest.fail("parsed again"))
        assert list(view_facts.all_facts(repo, settings)) == expected


def test_a_row_read_ahead_holds_every_column_asked_for(repo: Repository) -> None:
    run(repo)
    case_id = REMOVED
    listing = list_case(repo.case_dir(case_id))
    with cache.Cache(repo) as kept:
        one = kept.get(case_id, listing, TODAY.isoformat(), columns=("problems", "facts"))
    with cache.Cache(repo) as kept:
        kept.preload(("problems", "facts"))
        ahead = kept.get(case_id, listing, TODAY.isoformat())
    with cache.Cache(repo) as kept:
        kept.preload_batch([case_id, "lepiku-v3n8qd"], ("problems", "facts"))
        batch = kept.get(case_id, listing, TODAY.isoformat())
    assert one is not None and one.problems and one.facts
    assert ahead == one and batch == one


def test_git_vouches_for_a_folder_whose_files_were_only_touched(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(repo)
    for path in (repo.root / "cases").rglob("*.yaml"):  # touched, not changed: git sees none
        os.utime(path)
    need = repo.root / "cases" / REMOVED / "need.yaml"
    need.write_text(need.read_text() + "unknown_field: 1\n")  # one case changed: no whole run
    again = run(repo)
    assert again.cached == 8 and said(again) == fresh(repo)


def test_a_case_without_a_row_is_read_once(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(repo)
    new = "lepiku-z2z2zz"
    shutil.copytree(repo.root / "cases" / REMOVED, repo.root / "cases" / new)
    listed: list[str] = []

    def counted(folder: Path | str) -> Listing:
        listed.append(Path(folder).name)
        return list_case(folder)

    monkeypatch.setattr(runner, "list_case", counted)
    again = run(repo)
    assert again.cases == 10 and again.cached == 9
    assert listed.count(new) == 1  # no stat for a row the cache does not have


def test_the_repository_settings_are_read_once_until_they_change(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.check import repository_level

    first = run(repo)
    with monkeypatch.context() as m:
        m.setattr(repository_level, "load_settings", lambda *a: pytest.fail("read again"))
        assert said(run(repo)) == said(first)


def test_without_git_status_git_vouches_for_nothing(repo: Repository) -> None:
    """A damaged index: git ls-tree still answers, git status cannot; every case is then
    checked by its stat data (a case changed since is seen)."""
    run(repo)
    (repo.root / ".git" / "index").write_bytes(b"not an index")
    need = repo.root / "cases" / REMOVED / "need.yaml"
    need.write_text(need.read_text() + "unknown_field: 1\n")
    again = run(repo)
    assert again.cached == 8 and said(again) == fresh(repo)
    assert ("schema", "error", f"cases/{REMOVED}/need.yaml") in [p[:3] for p in said(again)]


def test_a_committed_folder_named_in_another_encoding_is_reported(repo: Repository) -> None:
    stray = repo.root / "cases" / os.fsdecode(b"\xff")
    stray.mkdir()
    (stray / "x.yaml").write_text("a: 1\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "a stray folder")
    expected = fresh(repo)
    assert any(p[2] == "cases/\udcff" for p in expected)
    assert said(run(repo)) == expected
    assert said(run(repo)) == expected


def test_a_row_answers_from_the_first_day_it_holds_for(repo: Repository) -> None:
    shutil.rmtree(repo.root / ".git")  # no whole run: each case's row answers
    run(repo)
    on_the_day = run(repo, LATEST_PAST)
    assert on_the_day.cached == 9 and said(on_the_day) == fresh(repo, LATEST_PAST)


@pytest.mark.parametrize("days", [-1, 1])
def test_a_whole_run_made_of_rows_holds_only_for_their_days(repo: Repository, days: int) -> None:
    shutil.rmtree(repo.root / ".git")
    day = dt.date(2026, 11, 16)  # a case records this day, and another the next
    run(repo, day)  # the rows: without git
    git(repo.root, "init", "-q")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "now in git")
    assert run(repo, day).cached == 9  # the rows answer, and a whole run is made of them
    other = day + dt.timedelta(days=days)
    assert said(run(repo, other)) == fresh(repo, other)


def test_a_row_status_added_to_is_still_vouched_for_by_git(repo: Repository) -> None:
    from juhtum.cli import status as status_cli

    run(repo)
    status_cli.cached_status(repo, REMOVED, TODAY)  # the status joins the case's row
    for path in (repo.root / "cases" / REMOVED).rglob("*.yaml"):  # touched, not changed
        os.utime(path)
    other = repo.root / "cases" / "lepiku-v3n8qd" / "need.yaml"
    other.write_text(other.read_text() + "unknown_field: 1\n")  # no whole run
    again = run(repo)
    assert again.cached == 8 and said(again) == fresh(repo)
