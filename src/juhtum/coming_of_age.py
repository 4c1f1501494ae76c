"""A child who turns 18 (LasteKS § 3 (1)): the case goes on in the adult framework.

The change is recorded in ``case.yaml`` (``framework_changes``, ``framework: adult``), so
what was written before its date stays checked under the child framework
(:meth:`juhtum.model.case.Case.framework_on`). The date is the 18th birthday from the
person's personal code or birth date unless the coordinator gives a later one; it never
goes into the commit message (it tells the birth date).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from juhtum.documents import roundtrip
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.child import ADULT_NOTICE_DAYS, adult_on, birth_date
from juhtum.model.documents import CASE_FILE

if TYPE_CHECKING:
    from juhtum.workflow.session import Outcome, Session


def to_adult(s: Session, *, day: dt.date | None) -> Outcome:
    """Record that the case goes on in the adult framework from ``day`` (default: the 18th
    birthday); refused when the person is not 18 by then (the rule LasteKS)."""
    case = s.case
    if case.framework != "child":
        raise UserError(N_("case {id} is not in the child framework"), id=s.case_id)
    if s.stage in stages.TERMINAL:
        raise UserError(N_("case {id} has ended: its framework no longer changes"), id=s.case_id)
    if day is None:
        born = birth_date(case)
        if born is None:
            raise UserError(
                N_(
                    "the birth date of {handle} cannot be read (people/{handle}.yaml: "
                    "personal_code or birth_date): give the date with --from YYYY-MM-DD"
                ),
                handle=case.client,
            )
        day = adult_on(born)
    if day > s.today + dt.timedelta(days=ADULT_NOTICE_DAYS):
        raise UserError(
            N_(
                "the adult framework would apply more than {days} days from now: decide "
                "nearer to it (juhtum due lists it {days} days ahead)"
            ),
            days=ADULT_NOTICE_DAYS,
        )
    change = {"from": "child", "to": "adult", "date": day.isoformat()}
    text = s.text(CASE_FILE) or ""
    text = roundtrip.append_item(text, "framework_changes", change)
    text = roundtrip.set_fields(text, {"framework": "adult"})
    return s.apply(
        s.propose({CASE_FILE: text.encode("utf-8")}),
        step="framework: child -> adult (LasteKS § 3 (1))",
    )
