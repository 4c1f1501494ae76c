"""Checking a whole repository (or some of its cases): the cache asked first, the rest read
and checked, in parallel processes when there are many.

Cases are checked one at a time and only their problems are kept, so memory
does not grow with the repository.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from juhtum.check.cache import Cache, Row
from juhtum.check.cache_keys import Listing, bulk, list_case, now_ns
from juhtum.check.cache_keys import hashes as file_hashes
from juhtum.check.case_problems import check_files, check_parsed
from juhtum.check.reading import _finish, read_case_files
from juhtum.check.repository_level import (
    repository_checks,
    stray_case_problems,
    tracked_local_state,
)
from juhtum.check.result import Options, Result, _take
from juhtum.documents import schemas
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.documents import CASES_DIR, REPOSITORY_FILE
from juhtum.model.problems import ERROR, Problem, to_json
from juhtum.storage import Repository


def validate(
    repo: Repository,
    options: Options,
    *,
    case_ids: list[str] | None = None,
    repository_level: bool = True,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Result:
    """Check the repository (or only ``case_ids``) and return every problem found."""
    result = Result()
    problems = result.problems
    whole = case_ids is None and repository_level  # the full run: kept whole when it can be
    # git's list of the files it tracks under .juhtum/ is asked for in the background,
    # beside the cache's own git commands, instead of after them
    tracked = _Later(tracked_local_state, repo) if repository_level else None
    with cache_of(repo, use_cache) as kept:
        if kept:
            kept.start_git()  # git answers while juhtum.yaml and the rows are read
        settings, found = repository_checks(repo, kept)
        if tracked is not None:
            problems.extend(found)
            problems.extend(tracked.result())
        if repository_level and options.legal:
            from juhtum.model.invariants.legal import legal_repository

            problems.extend(_finish(legal_repository(settings, REPOSITORY_FILE), set(), {}))
        if case_ids is None:
            case_ids = repo.case_ids()
        if repository_level:  # --changed-since too: a new stray folder must fail CI
            problems.extend(stray_case_problems(repo))
            from juhtum.lifecycle import related_problems

            problems.extend(related_problems(repo, case_ids))  # links between cases (I17)
        today = options.today.isoformat()
        digest = ids_digest = None
        if kept and whole:
            digest = kept.cases_as_committed()
            ids_digest = _digest(case_ids)
        if kept and digest:
            with bulk():
                saved = kept.whole_run(digest, today)
            if saved is not None and saved.get("ids") == ids_digest:
                result.cases = result.cached = saved["cases"]
                result.unlisted_todos += _take(options, saved["problems"], problems)
                result.problems.sort(key=lambda p: (p.file, p.line or 0, p.rule))
                return result
        if kept:
            kept.preload(("problems",))
            kept.use_git()
        misses: list[str] = []  # just ids: each is listed where it is read (memory stays flat)
        cases_dir = repo.cases_dir
        bounds: list[tuple[str | None, str | None]] = []
        for case_id in case_ids:
            vouched = kept is not None and kept.clean_tree(case_id) is not None
            folder = None if vouched else cases_dir / ids.check_case_id(case_id)
            if folder is not None and (not folder.is_dir() or folder.is_symlink()):
                problems.append(
                    Problem(
                        "file",
                        ERROR,
                        f"{CASES_DIR}/{case_id}",
                        N_("there is no case folder here"),
                        {},
                    )
                )
                digest = None
                continue
            result.cases += 1
            entry = kept.get(case_id, None, today) if kept and vouched else None
            if entry is None and kept and kept.known(case_id):
                listing = list_case(folder or cases_dir / ids.check_case_id(case_id))
                entry = kept.get(case_id, listing, today)
            if entry is not None and entry.problems is not None:
                result.cached += 1
                result.unlisted_todos += _take(options, entry.problems, problems)
                bounds.append((entry.lo, entry.hi))
            else:
                misses.append(case_id)
        rows = checked(repo, settings, options, misses, jobs=jobs, keep=kept is not None)
        for case_id, _listing, row in rows:
            result.unlisted_todos += _take(options, row.problems or [], problems)
            bounds.append((row.lo, row.hi))
            if kept:
                row.tree = kept.clean_tree(case_id)  # read as committed: git can vouch next time
                kept.put(case_id, row)
        if kept and digest and set(case_ids) == set(kept.committed_cases()):
            los = [lo for lo, _ in bounds if lo]
            his = [hi for _, hi in bounds if hi]
            kept.put_whole_run(
                {
                    "digest": digest,
                    "ids": ids_digest,
                    "cases": result.cases,
                    "lo": max(los) if los else None,
                    "hi": min(his) if his else None,
                },
                case_ids,
            )
        if kept:
            kept.commit()
    result.problems.sort(key=lambda p: (p.file, p.line or 0, p.rule))
    return result


class _Later:
    """``work(repo)`` run in a thread (it waits on git, not on Python); ``result`` waits for
    it and raises what it raised."""

    def __init__(self, work: Callable[[Repository], list[Problem]], repo: Repository) -> None:
        import threading

        self._value: list[Problem] = []
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = work(repo)
            except BaseException as exc:  # handed to the caller in result()
                self._error = exc

        self._thread = threading.Thread(target=run, name="juhtum-tracked", daemon=True)
        self._thread.start()

    def result(self) -> list[Problem]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _digest(case_ids: list[str]) -> str:
    return hashlib.sha256("\0".join(case_ids).encode()).hexdigest()


@contextmanager
def cache_of(repo: Repository, use: bool = True) -> Iterator[Cache | None]:
    """The repository's cache, or None where it cannot be kept (or is not wanted)."""
    if not use:
        yield None
        return
    with Cache(repo) as kept:
        yield kept if kept.db is not None else None


def today_bounds(docs: list[Doc], today: dt.date) -> tuple[str | None, str | None]:
    """The days a case's problems hold for: they depend on today only where a date that
    records the past lies in the future (I14)."""
    day = today.isoformat()
    dates = [
        value
        for doc in docs
        for pattern in schemas.field_index(doc.kind).past_dates
        for _, value in schemas.values_at(doc.data, pattern)
        if isinstance(value, str) and len(value) == 10
    ]
    past = [d for d in dates if d <= day]
    future = [d for d in dates if d > day]
    return (max(past) if past else None), (min(future) if future else None)


def check_one(
    repo: Repository, settings: Settings, today: dt.date, case_id: str, listing: Listing
) -> Row:
    """Everything the cache keeps of a case: its problems (--legal included), facts, bounds."""
    read_at = now_ns()
    case_files = read_case_files(repo, case_id)
    # the case the checks made is the one facts come from: the plan is hashed once
    case, found = check_parsed(case_files, settings, Options(today=today, legal=True))
    lo, hi = today_bounds(case.docs, today)
    from juhtum.model.invariants.implementation import monitoring_gap_from

    gap = monitoring_gap_from(case, settings)
    if gap is not None and gap[1] > today:  # the monitoring gap warning starts on that day
        hi = min(hi or "9999-12-31", gap[1].isoformat())
    return Row(
        listing,
        file_hashes(case_files.files),
        read_at,
        lo,
        hi,
        problems=[to_json(p) for p in found],
        facts=extract_facts(case, settings, found),
    )


def extract_facts(
    case: Case, settings: Settings, problems: list[Problem] | None = None
) -> dict[str, Any]:
    from juhtum.model import facts

    return facts.extract(case, settings, facts.broken_documents(problems or [], case.folder))


_WORKER: dict[str, Any] = {}


def _listed_and_checked(
    repo: Repository, settings: Settings, today: dt.date, case_id: str
) -> tuple[str, Listing, Row]:
    """Stat the case's files, then read and check them (a change after the stat makes the
    row miss next time, as git's index does)."""
    listing = list_case(repo.cases_dir / ids.check_case_id(case_id))
    return case_id, listing, check_one(repo, settings, today, case_id, listing)


def problems_only(
    repo: Repository, settings: Settings, options: Options, case_id: str
) -> tuple[str, Listing, Row]:
    """A case's problems alone, where nothing is kept (--no-cache): no listing, hashes, facts
    or days for a cache, --legal's rule only when asked for, and to-dos that are only counted
    without the second parse that finds their lines."""
    found = check_files(read_case_files(repo, case_id), settings, options)
    return case_id, {}, Row({}, {}, 0, problems=[to_json(p) for p in found])


def _work(case_id: str) -> tuple[str, Listing, Row]:
    repo, settings, options = _WORKER["repo"], _WORKER["settings"], _WORKER["options"]
    if not _WORKER["keep"]:
        return problems_only(repo, settings, options, case_id)
    return _listed_and_checked(repo, settings, options.today, case_id)


def _prepare_workers() -> None:
    """Import and build before forking what every worker needs: the rules, python-stdnum
    (behind personal codes), the parser, each kind's validator and field index. Made once
    here, the workers share it instead of each making its own after the fork."""
    import importlib

    from juhtum.documents import yamlio  # noqa: F401
    from juhtum.model import facts, invariants  # noqa: F401
    from juhtum.model.documents import KINDS

    importlib.import_module("stdnum.ee.ik")
    for kind in KINDS:
        schemas.validator(kind)
        schemas.field_index(kind)


PARALLEL_FROM = 64
"""Check cases in several processes from this many on (each process costs its start-up)."""


def checked(
    repo: Repository,
    settings: Settings,
    options: Options,
    cases: list[str],
    *,
    jobs: int | None = None,
    keep: bool = True,
) -> Iterator[tuple[str, Listing, Row]]:
    """Check ``cases``, in parallel processes when there are many and the machine has cores;
    results stream in so that memory does not grow with the repository. ``keep``: rows for
    the cache (everything it keeps of a case), else only the problems."""
    import multiprocessing
    import os

    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    methods = multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(cases) < PARALLEL_FROM or "fork" not in methods:
        for case_id in cases:
            if keep:
                yield _listed_and_checked(repo, settings, options.today, case_id)
            else:
                yield problems_only(repo, settings, options, case_id)
        return
    _prepare_workers()
    _WORKER.update(repo=repo, settings=settings, options=options, keep=keep)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap_unordered(_work, cases, chunksize=16)
