"""The steps of a legal representative's period (määrus nr 10 § 1 (1) 5; juhis §4.2).

``juhtum people ID --add HANDLE --role representative --basis B --from D`` registers a
representative with the kind and the start of their right; ``juhtum people ID --end HANDLE
--date D`` ends it. Each is one commit, checked like every change: the past (a consent, a
signature given while the period ran) stays valid, and a case that would be left without
the representative a child's plan needs is refused with what to do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from juhtum.documents import roundtrip, yamlio
from juhtum.documents.yamlio import dumps
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model.case import as_dict
from juhtum.model.representatives import BASES, period
from juhtum.workflow.session import Outcome, Session


def with_representation(
    document: bytes,
    *,
    basis: str | None,
    start: str | None,
    until: str | None,
    reference: str | None,
    basis_text: str | None,
) -> bytes:
    """A person's file with the period and kind of their representation added."""
    person = as_dict(yamlio.loads(document, path="person").data)
    held: dict[str, Any] = {}
    for key, value in (("basis", basis), ("from", start), ("until", until)):
        if value:
            held[key] = value
    if reference:
        held["reference"] = reference
    if held:
        person["representation"] = held
    if basis_text:
        person["basis"] = basis_text
    return dumps(person).encode("utf-8")


def check_basis(basis: str | None) -> None:
    if basis is not None and basis not in BASES:
        raise UserError(
            N_("--basis {given} is not one of: {allowed}"),
            given=basis,
            allowed=", ".join(BASES),
        )


def end(s: Session, handle: str, day: dt.date) -> Outcome:
    """End ``handle``'s period as the person's legal representative on ``day`` (its last day).
    What they gave while it ran (consent, signatures) stays valid."""
    name = f"people/{handle}.yaml"
    if handle not in s.case.representatives or name not in s.files.files:
        raise UserError(
            N_("{handle} is not a legal representative in case {id}: case.yaml lists {listed}"),
            handle=handle,
            id=s.case_id,
            listed=", ".join(s.case.representatives) or "-",
        )
    if day > s.today:
        raise UserError(
            N_("--date {date} is later than today ({today}): a period ends on a day that has come"),
            date=day.isoformat(),
            today=s.today.isoformat(),
        )
    start, until = period(s.case, handle)
    if until is not None:
        raise UserError(
            N_("{handle}'s period as representative ended on {date} already"),
            handle=handle,
            date=until.isoformat(),
        )
    if start is not None and day < start:
        raise UserError(
            N_("{handle}'s period as representative began on {start}: it cannot end before"),
            handle=handle,
            start=start.isoformat(),
        )
    text = s.text(name) or ""
    person = s.case.people.get(handle)
    held = dict(as_dict(person.get("representation") if person is not None else None))
    held["until"] = day.isoformat()
    changed = roundtrip.set_fields(text, {"representation": held}).encode("utf-8")
    return s.apply(
        s.propose({name: changed}),
        step=f"people: {handle} represents until {day.isoformat()}",
        refusal=N_("the representative's period cannot end so: it would leave these errors"),
    )
