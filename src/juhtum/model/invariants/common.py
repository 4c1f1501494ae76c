"""What every rule of the guideline shares: the context of a check, the problem it yields,
and small helpers over values."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from juhtum.documents.schemas import FieldIndex
from juhtum.model.case import Settings, as_list
from juhtum.model.problems import ERROR, Path, Problem

CLIENT_SIDE_ROLES = ("client", "representative")


@dataclass
class Context:
    today: dt.date
    settings: Settings
    index: Callable[[str], FieldIndex]
    legal: bool = False


def problem(
    rule: str,
    file: str,
    message: str,
    field: Path = (),
    *,
    severity: str = ERROR,
    missing: bool = False,
    **args: Any,
) -> Problem:
    return Problem(rule, severity, file, message, args, field, None, missing)


def joined(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def handles_or_ids(value: Any) -> list[str]:
    return [v for v in as_list(value) if isinstance(v, str)]


def not_possible(doc: Any) -> set[str]:
    """The steps with the person a document records as not possible, each with its reason
    (``not_possible`` {field: reason}, the shape closing uses): they stand in for a true mark
    or a missing record of the person's participation (issue: participation is checked)."""
    from juhtum.model.case import as_dict

    return {k for k, v in as_dict(doc.get("not_possible")).items() if isinstance(v, str) and v}
