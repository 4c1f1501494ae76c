"""Reading a whole repository for the views (due, list, show, report): the facts of each case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from juhtum import validation
from juhtum.model import facts
from juhtum.model.case import Settings
from juhtum.storage import Repository


def settings_of(repo: Repository) -> Settings:
    settings = validation.load_settings(repo, [])
    settings.services = validation.check_services(repo, [])
    return settings


def case_facts(repo: Repository, case_id: str, settings: Settings) -> dict[str, Any]:
    case = validation.parse_case(validation.read_case_files(repo, case_id))
    return facts.extract(case, settings)


def all_facts(repo: Repository, settings: Settings) -> Iterator[dict[str, Any]]:
    for case_id in repo.case_ids():
        yield case_facts(repo, case_id, settings)
