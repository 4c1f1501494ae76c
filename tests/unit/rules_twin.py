"""The valid twin (tests/cases/valid/twin) parsed into memory, for the unit tests of the rules
of the guideline: each test takes a fresh copy, makes one edit, and runs one rule on it."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from juhtum.check.reading import CaseFiles, parse_case
from juhtum.documents.schemas import field_index
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.invariants import Context
from juhtum.model.problems import Problem, field_text
from tests.cases import build

TODAY = "2026-07-01"
Rule = Callable[[Case, Context], Iterator[Problem]]


@cache
def _parsed() -> Case:
    root = build.TWIN / build.CASE
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}
    return parse_case(CaseFiles("twin-a1", files))


def twin() -> Case:
    """A fresh copy of the twin case: edit it with :func:`edit`, :func:`put` or :func:`drop`."""
    found = _parsed()
    return Case(found.id, found.folder, [copy.deepcopy(d) for d in found.docs])


def edit(case: Case, name: str, change: Callable[[Any], Any]) -> None:
    """Change the data of the document ``name`` (``plan.yaml``, ``monitoring/….yaml``)."""
    doc = next(d for d in case.docs if d.name == name)
    change(doc.data)
    case.reindex()


def put(case: Case, name: str, kind: str, data: Any) -> None:
    """Add (or replace) the document ``name`` of ``kind``."""
    case.docs = [d for d in case.docs if d.name != name]
    case.docs.append(Doc(kind, case.path(name), name, data))
    case.reindex()


def drop(case: Case, name: str) -> None:
    case.docs = [d for d in case.docs if d.name != name]
    case.reindex()


def context(today: str = TODAY, **settings: Any) -> Context:
    return Context(dt.date.fromisoformat(today), Settings(**settings), field_index)


STAGE_RULES = ("planning_decided", "stage_rule", "monitoring_gap")


def run(case: Case, rule: Rule, today: str = TODAY, **settings: Any) -> list[Problem]:
    """What ``rule`` finds in ``case``; each problem names its rule (``i8_signatures``: I8) and
    a file of the case."""
    problems = list(rule(case, context(today, **settings)))
    name = "stage" if rule.__name__ in STAGE_RULES else rule.__name__.split("_")[0].upper()
    for p in problems:
        assert p.rule == name, p
        assert p.file.startswith(f"{case.folder}/"), p
        assert p.line is None
    return problems


def found(case: Case, rule: Rule, today: str = TODAY, **settings: Any) -> list[tuple[str, str]]:
    """``(severity, field)`` of what ``rule`` finds in ``case``."""
    return [(p.severity, field_text(p.field)) for p in run(case, rule, today, **settings)]


def by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return build.by_id(items, item_id)


def representative(case: Case, handle: str, **representation: str) -> None:
    """Register ``handle`` as the person's legal representative for this period."""
    person: dict[str, Any] = {"case": case.id, "name": "Ülle Test", "roles": ["representative"]}
    if representation:
        person["representation"] = representation
    put(case, f"people/{handle}.yaml", "person", person)
    edit(case, "case.yaml", lambda c: c.update(representatives=[*c["representatives"], handle]))
