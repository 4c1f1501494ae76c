"""Legal representatives over time (määrus nr 10 § 1 (1) 5; juhis §1, §4.2, §5.2, §6).

A representative listed in ``case.yaml`` holds the role for a period recorded in their own
file: ``representation`` {``basis``, ``from``, ``until``}. Without a period (documents
written before periods existed) a representative is in force always. Consent, signatures and
notifications are checked against the representatives in force on *their own* dates, so a
custody that ends or a guardian appointed by a court never invalidates what was done before.

Both dates record something that has happened (they are never in the future, I14), so a
representative whose period has an end is no longer in force: ``current`` needs no clock.
Pure: reads a parsed case only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from juhtum.model.case import as_date, as_dict

if TYPE_CHECKING:
    from juhtum.model.case import Case

BASES = ("custody", "guardianship", "other")
"""What a representation rests on: a parent's custody (vanema hooldusõigus), a court's decision
on guardianship (kohtu eestkostemäärus), or something else described in the person's
``basis``."""


def period(case: Case, handle: str) -> tuple[dt.date | None, dt.date | None]:
    """The first and the last day ``handle`` represents the person; None for an open end."""
    person = case.people.get(handle)
    if person is None:
        return None, None
    held = as_dict(person.get("representation"))
    return as_date(held.get("from")), as_date(held.get("until"))


def in_force(case: Case, handle: str, day: dt.date | None) -> bool:
    """Whether ``handle`` is a legal representative of the person on ``day`` (any day when
    ``day`` is unknown: the schema reports a date that is not one)."""
    if handle not in case.representatives:
        return False
    start, end = period(case, handle)
    if day is None:
        return True
    return (start is None or start <= day) and (end is None or day <= end)


def on(case: Case, day: dt.date | None) -> list[str]:
    """The representatives in force on ``day``, in case.yaml's order."""
    return [h for h in case.representatives if in_force(case, h, day)]


def current(case: Case) -> list[str]:
    """The representatives in force now: those whose period has not ended."""
    return [h for h in case.representatives if period(case, h)[1] is None]


def client_side_on(case: Case, day: dt.date | None) -> list[str]:
    """Who speaks for the person on ``day``: the person and their representatives then."""
    return [case.client, *on(case, day)]


def started_after(case: Case, handle: str, day: dt.date | None) -> bool:
    """Whether ``handle`` became a representative after ``day`` (a guardian appointed while
    the plan was already in force)."""
    start = period(case, handle)[0]
    return start is not None and day is not None and start > day
