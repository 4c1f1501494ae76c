"""The views read a repository one case at a time (issue 10 item 5): due and report hold no
case's facts longer than it takes to count them, and the first status after a validate
takes the problems validate kept instead of checking the case again."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from juhtum.check import cache, case_problems, reading, runner
from juhtum.check.result import Options
from juhtum.model import due as due_model
from juhtum.model import report as report_model
from juhtum.output import view_facts
from juhtum.storage import Repository
from tests.conftest import EXAMPLES
from tests.unit.test_cache import CASE, TWIN, settle


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    """An invalid twin (I4), closed."""
    shutil.copytree(TWIN, tmp_path / "repo", ignore=shutil.ignore_patterns(".juhtum"))
    return Repository(tmp_path / "repo")


@pytest.fixture
def lepiku(tmp_path: Path) -> Repository:
    root = shutil.copytree(EXAMPLES / "lepiku", tmp_path / "lepiku")
    shutil.rmtree(root / ".juhtum", ignore_errors=True)
    repository = Repository(root)
    settle(repository)
    return repository


def first_and_fresh_status(
    repo: Repository, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], int, dict[str, Any], int]:
    """The first status after a validate and one with no validate before it, each with the
    number of whole-case checks it made."""
    from juhtum.cli import status as status_cli

    today = dt.date(2026, 11, 23)
    runner.validate(repo, Options(today=today))
    checked: list[object] = []
    check_files = case_problems.check_files

    def counted(*args: Any, **kwargs: Any) -> Any:
        checked.append(args[0])
        return check_files(*args, **kwargs)

    monkeypatch.setattr(case_problems, "check_files", counted)
    first = status_cli.cached_status(repo, case_id, today)
    after_validate = len(checked)
    shutil.rmtree(repo.state_dir / "cache")
    checked.clear()
    fresh = status_cli.cached_status(repo, case_id, today)
    return first, after_validate, fresh, len(checked)


@pytest.mark.parametrize("case_id", ["lepiku-k9s2vb", "lepiku-m4q7ze", "lepiku-h4s8xe"])
def test_the_first_status_after_validate_checks_only_the_next_steps(
    lepiku: Repository, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, after_validate, fresh, alone = first_and_fresh_status(lepiku, case_id, monkeypatch)
    steps = [s for s in first["next"] if s["state"] != "closed"]  # closing is said, not checked
    assert after_validate == len(steps)  # each next step; the case as it is: not again
    assert alone == len(steps) + 1
    assert first == fresh


def test_the_first_status_after_validate_shows_the_problems_validate_found(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(repo)
    first, after_validate, fresh, alone = first_and_fresh_status(repo, CASE, monkeypatch)
    assert (after_validate, alone) == (0, 1)  # closed: no next step to check
    assert first == fresh
    assert first["errors"]  # the twin breaks I4


def facts_of(repo: Repository) -> list[dict[str, Any]]:
    return list(view_facts.all_facts(repo, view_facts.settings_of(repo)))


def once(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The facts as a stream that can be read only once, as all_facts gives them."""
    yield from items


def test_report_and_due_count_the_facts_in_one_pass(lepiku: Repository) -> None:
    facts = facts_of(lepiku)
    assert len(facts) > 5
    today = dt.date(2026, 11, 23)
    figures = report_model.build(once(facts), today=today, start=dt.date(2025, 1, 1))
    assert figures == report_model.build(facts, today=today, start=dt.date(2025, 1, 1))
    assert figures["cases"] == len(facts)
    assert figures["closings"]["total"] > 0 and figures["goal_results"]["total"]
    found = due_model.due(once(facts), today=today, within_days=365)
    assert found == due_model.due(facts, today=today, within_days=365) != []


def test_the_facts_are_read_from_the_cache_a_batch_at_a_time(
    lepiku: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.validate(lepiku, Options(today=dt.date(2026, 11, 23)))
    whole = facts_of(lepiku)
    batches: list[int] = []
    preload_batch = cache.Cache.preload_batch

    def recorded(self: cache.Cache, case_ids: list[str], columns: tuple[str, ...]) -> None:
        batches.append(len(case_ids))
        preload_batch(self, case_ids, columns)

    def every_row(*args: object, **kwargs: object) -> None:
        raise AssertionError("every row read at once")

    monkeypatch.setattr(view_facts, "BATCH", 3)
    monkeypatch.setattr(cache.Cache, "preload_batch", recorded)
    monkeypatch.setattr(cache.Cache, "preload", every_row)
    monkeypatch.setattr(reading, "parse_case", lambda *a, **k: pytest.fail("parsed again"))
    assert facts_of(lepiku) == whole
    assert max(batches) == 3 and sum(batches) == len(whole)
