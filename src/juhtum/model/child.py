"""A child's case (LasteKS; ``framework: child``): what the rules, facts and ``due`` share.

The notification that started the case and the decision on it within
:data:`NOTIFICATION_DAYS`; the day the child turns 18, from the personal code (or the
birth date) of ``people/client.yaml``, after which the case goes on in the adult
framework (``case.yaml`` ``framework_changes``) or closes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from juhtum.i18n import N_
from juhtum.model.case import Case, as_date, as_dict, as_str

NOTIFICATION_DAYS = 10
"""Days from a notification of a child in need to the decision on it (LasteKS § 27)."""
ADULT_NOTICE_DAYS = 90
"""How long before the child's 18th birthday ``due`` asks the coordinator to decide."""
ADULT_AGE = 18


def notification(case: Case) -> tuple[dt.date, dt.date | None] | None:
    """When the notification that started the case arrived, and the decision's date, if any."""
    found = as_dict(case.need.get("notification"))
    received = as_date(found.get("received"))
    if received is None:
        return None
    return received, as_date(as_dict(case.need.get("decision")).get("date"))


def birth_date(case: Case) -> dt.date | None:
    """The person's birth date from their personal code (a valid one in clear) or their
    ``birth_date``; None when neither can be read (an encrypted value)."""
    person = case.people.get(case.client)
    if person is None:
        return None
    code = as_str(person.get("personal_code"))
    if code and len(code) == 11 and code.isdigit():
        from juhtum.model import personal_code

        if personal_code.problem(code) is None:
            return personal_code.birth_date(code)
    return as_date(person.get("birth_date"))


def adult_on(born: dt.date) -> dt.date:
    """The 18th birthday (one born on 29 February comes of age on 1 March)."""
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:
        return dt.date(born.year + ADULT_AGE, 3, 1)


def facts(case: Case) -> dict[str, Any]:
    """What ``due`` needs of a child's case: dates only. ``adult_on``, the day the child
    comes of age while the case is in the child framework, is derived from the birth date:
    it is read only from a value in clear, and it stays in the clone's own cache, which
    is never committed."""
    found: dict[str, Any] = {}
    note = notification(case)
    if note is not None and case.framework_on(note[0].isoformat()) == "child":
        found["notification"] = {
            "received": note[0].isoformat(),
            "decided": note[1].isoformat() if note[1] else None,
        }
    if case.framework == "child":
        born = birth_date(case)
        if born is not None:
            found["adult_on"] = adult_on(born).isoformat()
    return found


def due_items(facts_of_case: dict[str, Any]) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """``due``'s items of a child's case: (date, kind, message, file, args)."""
    child = facts_of_case.get("child") or {}
    found: list[tuple[str, str, str, str, dict[str, Any]]] = []
    note = child.get("notification") or {}
    received = as_date(note.get("received"))
    if received is not None and not note.get("decided"):
        found.append(
            (
                (received + dt.timedelta(days=NOTIFICATION_DAYS)).isoformat(),
                "notification",
                N_(
                    "decide on the notification of a child in need received on {date}: within "
                    "{days} days (LasteKS § 27)"
                ),
                "need.yaml",
                {"date": received.isoformat(), "days": NOTIFICATION_DAYS},
            )
        )
    adult = as_date(child.get("adult_on"))
    if adult is not None:
        found.append(
            (
                (adult - dt.timedelta(days=ADULT_NOTICE_DAYS)).isoformat(),
                "adult",
                N_(
                    "the child turns 18 on {date}: decide whether the case goes on in the adult "
                    "framework (juhtum adult {id}) or closes (juhtum close {id}; LasteKS § 3 (1))"
                ),
                "case.yaml",
                {"date": adult.isoformat(), "id": facts_of_case.get("id")},
            )
        )
    return found
