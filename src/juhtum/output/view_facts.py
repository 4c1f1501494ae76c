"""Reading a whole repository for the views (due, list, show, report): the facts of each case.

Facts come from the cache when a case's files are unchanged (validate keeps them too), and
are extracted from the parsed documents, without checking them, when not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from juhtum.check import reading
from juhtum.check.cache import Row
from juhtum.check.cache_keys import Listing, bulk, list_case, now_ns
from juhtum.check.cache_keys import hashes as file_hashes
from juhtum.check.repository_level import repository_checks
from juhtum.check.runner import cache_of
from juhtum.model.case import Settings
from juhtum.model.problems import Problem
from juhtum.storage import Repository

BATCH = 500
"""Cases whose cache rows are read in one query."""


def settings_of(repo: Repository) -> Settings:
    with cache_of(repo) as kept:
        settings, _problems = repository_checks(repo, kept)
    return settings


def case_facts(repo: Repository, case_id: str, settings: Settings) -> dict[str, Any]:
    return next(all_facts(repo, settings, [case_id]))


def _extract(
    repo: Repository, case_id: str, settings: Settings, listing: Listing
) -> tuple[dict[str, Any], Row]:
    from juhtum.model import facts

    read_at = now_ns()
    files = reading.read_case_files(repo, case_id)
    problems: list[Problem] = []
    case = reading.parse_case(files, problems)
    found = facts.extract(case, settings, facts.broken_documents(problems, case.folder))
    return found, Row(listing, file_hashes(files.files), read_at, facts=found)


def all_facts(
    repo: Repository, settings: Settings, case_ids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every case's facts, from the cache where its files are unchanged, one case at a time:
    the cache's rows are read :data:`BATCH` cases at a time, never all at once, so a reader
    that keeps no case (due, report) holds as much for 5,000 cases as for 1,000."""
    with cache_of(repo) as kept, bulk():
        if kept:
            kept.start_git()  # git answers while the first rows are read
        ids = case_ids if case_ids is not None else repo.case_ids()
        for first in range(0, len(ids), BATCH):
            batch = ids[first : first + BATCH]
            if kept:
                kept.preload_batch(batch, ("facts",))
                if first == 0:
                    kept.use_git()
            for case_id in batch:
                entry = None
                listing: Listing = {}
                if kept and kept.clean_tree(case_id):
                    entry = kept.get(case_id, None, None)
                if entry is None or entry.facts is None:
                    listing = list_case(repo.case_dir(case_id))
                    entry = kept.get(case_id, listing, None) if kept else None
                if entry is not None and entry.facts is not None:
                    yield entry.facts
                    continue
                found, row = _extract(repo, case_id, settings, listing)
                if kept:
                    row.tree = kept.clean_tree(case_id)
                    kept.put(case_id, row)
                yield found
        if kept:
            kept.commit()
