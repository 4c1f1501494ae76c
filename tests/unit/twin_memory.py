"""The valid twin (tests/cases/valid/twin) as a case in memory, for one rule at a time.

Each test takes a fresh copy, edits a document with one change, and runs a single rule of
the guideline on it: faster than a repository on disk, and every branch of the rule can be
reached (a document without a field the schema asks for, a value of the wrong type).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from juhtum.check.repository_level import check_services, check_specialists, load_settings
from juhtum.documents import schemas, yamlio
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.documents import kind_in_case
from juhtum.model.invariants.common import Context
from juhtum.model.problems import Problem, field_text
from juhtum.storage import Repository
from tests.cases import build
from tests.conftest import TODAY

FOLDER = build.TWIN / build.CASE

Rule = Callable[[Case, Context], Iterator[Problem]]

RULE_IDS = {
    "i10_evaluation": "I10",
    "i10_participation": "I10",
    "i11_closing_prepared": "I11",
    "i11_not_possible": "I11",
    "i12_handover": "I12",
    "closing_transferred": "I12",
    "i13_meetings": "I13",
    "i14_dates_and_case": "I14",
    "i16_legal": "I16",
    "i17_references": "I17",
    "plan_prior_help": "I17",
    "related_links": "I17",
    "closing_referred": "stage",
    "child_views": "LasteKS",
    "child_told": "LasteKS",
    "notification_decided": "LasteKS",
    "framework_changes": "LasteKS",
}
"""The rule id each check gives its problems (domain.md, *Checking*: a stable rule id)."""


@cache
def _documents() -> tuple[tuple[str, str, Any], ...]:
    found = []
    for path in sorted(FOLDER.rglob("*.yaml")):
        name = path.relative_to(FOLDER).as_posix()
        kind = kind_in_case(tuple(name.split("/")))
        assert kind is not None, name
        found.append((kind, name, yamlio.load_file(path, path=name).data))
    return tuple(found)


@cache
def _settings() -> Settings:
    repo = Repository(build.TWIN)
    settings = load_settings(repo, [])
    settings.services = check_services(repo, [])
    settings.specialists = check_specialists(repo, [])
    return settings


def twin() -> Case:
    """A fresh copy of the twin's case."""
    docs = [
        Doc(kind, f"{build.CASE}/{name}", name, copy.deepcopy(data))
        for kind, name, data in _documents()
    ]
    return Case(build.CASE.split("/")[-1], build.CASE, docs)


def edit(case: Case, name: str, change: Callable[[Any], object]) -> Case:
    """``change`` applied to the data of document ``name`` (a folder-relative name)."""
    doc = next(d for d in case.docs if d.name == name)
    change(doc.data)
    case.reindex()
    return case


def put(case: Case, name: str, data: Any) -> Case:
    """Document ``name`` replaced by (or added as) ``data``; None removes it."""
    case.docs = [d for d in case.docs if d.name != name]
    if data is not None:
        kind = kind_in_case(tuple(name.split("/")))
        assert kind is not None, name
        case.docs.append(Doc(kind, f"{build.CASE}/{name}", name, data))
    case.reindex()
    return case


def context(today: str = TODAY, *, legal: bool = True) -> Context:
    return Context(
        dt.date.fromisoformat(today), copy.deepcopy(_settings()), schemas.field_index, legal
    )


def run(
    rule: Rule, case: Case, today: str = TODAY, *, legal: bool = True
) -> list[tuple[str, str, str, dict[str, str]]]:
    """``(file in the case, severity, field, args)`` of every problem ``rule`` finds, sorted;
    the args as text."""
    prefix = f"{build.CASE}/"
    return sorted(
        (
            (
                p.file.removeprefix(prefix),
                p.severity,
                field_text(p.field),
                {k: str(v) for k, v in p.args.items()},
            )
            for p in found(rule, case, today, legal=legal)
        ),
        key=str,
    )


def found(rule: Rule, case: Case, today: str = TODAY, *, legal: bool = True) -> list[Problem]:
    """The problems themselves, in the order the rule yields them, each with its rule's id."""
    problems = list(rule(case, context(today, legal=legal)))
    assert {p.rule for p in problems} <= {RULE_IDS[rule.__name__]}, problems
    for p in problems:  # each names a file of the case and says something
        assert isinstance(p.file, str) and p.file.startswith(f"{build.CASE}/"), p
        assert isinstance(p.message, str) and p.message, p
    return problems
