"""Work validate does not do (issue 10): nothing for a cache under --no-cache, no second parse
for a to-do that is only counted, one hash of each plan, the workers' imports made before the
fork. Each test also checks the answer stays the same."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from juhtum.check import runner
from juhtum.check.result import Options, Result
from juhtum.documents import yamlio
from juhtum.storage import Repository
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    """An example repository: cases in every stage, drafts with to-dos, a warning."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "lepiku", root, ignore=shutil.ignore_patterns(".juhtum", ".git"))
    return Repository(root)


def summary(result: Result) -> list[tuple[str, str, str, int | None]]:
    return [(p.rule, p.severity, p.file, p.line) for p in result.problems]


class CacheWork(Exception):
    """Raised by what only a cache needs (an Exception: a worker process passes it on)."""


def refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise CacheWork("cache work under --no-cache")


@pytest.mark.parametrize("parallel", [False, True])
def test_no_cache_lists_hashes_and_extracts_nothing(
    repo: Repository, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    options = Options(today=TODAY, legal=True)
    cached = runner.validate(repo, options, jobs=1)
    if parallel:  # forked workers inherit the refusals below
        monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    for name in ("list_case", "file_hashes", "extract_facts", "today_bounds", "now_ns"):
        monkeypatch.setattr(runner, name, refuse)
    bare = runner.validate(repo, options, use_cache=False, jobs=2 if parallel else 1)
    assert bare.cases == cached.cases > 2
    assert summary(bare) == summary(cached)
    assert bare.todos == cached.todos > 0


def test_a_to_do_only_counted_is_not_parsed_again_for_its_line(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_lines: list[str] = []
    loads = yamlio.loads

    def counted(source: Any, *, path: str, lines: bool = False) -> yamlio.Loaded:
        if lines:
            with_lines.append(path)
        return loads(source, path=path, lines=lines)

    monkeypatch.setattr(yamlio, "loads", counted)
    counting = runner.validate(
        repo, Options(today=TODAY, list_todos=False), use_cache=False, jobs=1
    )
    assert counting.todos > 0 and counting.ok
    reparsed = set(with_lines)
    with_lines.clear()
    listing = runner.validate(repo, Options(today=TODAY), use_cache=False, jobs=1)
    todos = [p for p in listing.problems if p.severity == "todo"]
    assert len(todos) == counting.todos
    assert all(p.line for p in todos)  # listed, each has its line
    only_todos = {p.file for p in todos} - {p.file for p in counting.problems}
    assert only_todos and only_todos <= set(with_lines)
    assert not reparsed & only_todos  # counted, they cost no second parse


def test_each_plan_is_hashed_once(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    from juhtum.model.invariants import signatures

    hashed: list[object] = []
    content_hash = signatures.content_hash  # type: ignore[attr-defined]

    def counted(document: dict[str, Any]) -> str:
        hashed.append(document)
        return content_hash(document)

    monkeypatch.setattr(signatures, "content_hash", counted)
    result = runner.validate(repo, Options(today=TODAY), jobs=1)  # rows, facts included
    plans = list((repo.root / "cases").glob("*/plan.yaml"))
    assert result.cases > len(plans) > 1
    assert len(hashed) == len(plans)


def test_the_workers_imports_are_made_before_the_fork(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.documents import schemas
    from juhtum.model.documents import KINDS

    for name in [m for m in sys.modules if m.startswith("stdnum")]:
        monkeypatch.delitem(sys.modules, name)
    schemas.validator.cache_clear()
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)
    result = runner.validate(repo, Options(today=TODAY), use_cache=False, jobs=2)
    assert result.cases > 2 and result.errors == 0
    assert "stdnum.ee.ik" in sys.modules  # in this process, so the workers had it
    assert schemas.validator.cache_info().currsize == len(KINDS)
