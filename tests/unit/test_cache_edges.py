"""The cache at its edges: the first day a row no longer holds, the service catalogue every
row depends on, the racy window, a name in another encoding, a row status adds to. Each was
a mutant that survived the suite (issue 9); each is tested with and without git (a case's
own row, and the whole run git vouches for)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest

from juhtum import storage
from juhtum.check import runner
from juhtum.check.cache_keys import RACY_NS
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


def test_a_row_status_added_to_still_answers_validate_and_the_views(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.check import reading
    from juhtum.cli import status as status_cli
    from juhtum.output import view_facts
    from juhtum.workflow import snapshot

    today = dt.date(2026, 11, 23)
    settings = view_facts.settings_of(repo)
    facts = list(view_facts.all_facts(repo, settings))
    first = run(repo, today)
    status = status_cli.cached_status(repo, CASE, today)  # the status joins the row
    with monkeypatch.context() as m:
        m.setattr(reading, "parse_case", lambda *a, **k: pytest.fail("parsed again"))
        m.setattr(snapshot.Snapshot, "load", lambda *a, **k: pytest.fail("loaded again"))
        assert list(view_facts.all_facts(repo, settings)) == facts
        again = run(repo, today)
        assert again.cached == 1 and said(again) == said(first)
        assert status_cli.cached_status(repo, CASE, today) == status


def test_only_a_file_written_within_the_racy_window_is_read_again(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = time.time_ns()
    monkeypatch.setattr(runner, "now_ns", lambda: written)
    folder = repo.root / "cases" / CASE
    (folder / "notes.txt").write_text("not a document: nothing to compare\n")
    for name, stamp in (
        ("need.yaml", written - RACY_NS),  # just outside the window: its stat data decide
        ("plan.yaml", written - RACY_NS + 1),  # just inside: compared by content
        ("notes.txt", written),
    ):
        os.utime(folder / name, ns=(stamp, stamp))
    today = dt.date(2026, 11, 23)
    first = run(repo, today)
    read: list[str] = []
    original = storage.read_document

    def recorded(path: Path, *args: Any, **kwargs: Any) -> bytes:
        read.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(storage, "read_document", recorded)
    again = run(repo, today)
    assert again.cached == 1 and said(again) == said(first)
    # in git too: the new file is one git has not seen, so git vouches for nothing here
    assert [n for n in read if n in ("need.yaml", "plan.yaml", "notes.txt")] == ["plan.yaml"]


def test_status_after_a_change_keeps_nothing_of_the_old_files(repo: Repository) -> None:
    from juhtum.cli import status as status_cli

    today = dt.date(2026, 11, 23)
    run(repo, today)
    need = repo.root / "cases" / CASE / "need.yaml"
    need.write_text(need.read_text() + "unknown_field: 1\n")
    status_cli.cached_status(repo, CASE, today)
    assert rules(run(repo, today)) == fresh(repo, today)


def test_a_write_in_progress_and_links_leave_the_row_as_it_is(
    repo: Repository, tmp_path: Path
) -> None:
    """A temporary file of a write (``.<name>.<random>.juhtum-tmp``, never a document) is
    no change to the case; a link is listed, never followed: to nothing, or to a folder
    whose content then changes."""
    folder = repo.root / "cases" / CASE
    (folder / "gone.yaml").symlink_to(folder / "nothing-here.yaml")
    (folder / "people" / "gone.yaml").symlink_to(folder / "nothing-here.yaml")
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "attachments").symlink_to(outside, target_is_directory=True)
    today = dt.date(2026, 11, 23)
    expected = said(runner.validate(repo, Options(today=today, legal=True), use_cache=False))
    assert said(run(repo, today)) == expected
    for temporary in (
        folder / ".plan.yaml.a1b2.juhtum-tmp",
        folder / "people" / ".x.juhtum-tmp",
        outside / "scan.pdf",
    ):
        temporary.write_text("half written")
        again = run(repo, today)
        assert again.cached == 1 and said(again) == expected
