"""Network meetings (seed 004): I13 meeting protocols."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model.case import Case, as_date, as_dict, as_list, handles
from juhtum.model.invariants.common import Context, joined, problem
from juhtum.model.problems import WARNING, Problem

# -- I13 network meeting protocols (seed 004) ----------------------------------------------


def i13_meetings(case: Case, ctx: Context) -> Iterator[Problem]:
    for doc in case.meetings:
        m = doc.fields
        held = as_date(m.get("date"))
        for i, agreement in enumerate(as_list(m.get("agreements"))):
            deadline = as_date(as_dict(agreement).get("deadline"))
            if held and deadline and deadline < held:
                yield problem(
                    "I13",
                    doc.path,
                    N_("the agreement's deadline {deadline} is before the meeting ({date})"),
                    ("agreements", i, "deadline"),
                    deadline=deadline.isoformat(),
                    date=held.isoformat(),
                )
        participants = set(handles(m.get("participants")))
        not_sent = participants - set(handles(m.get("copies_sent_to")))
        if participants and not_sent:
            yield problem(
                "I13",
                doc.path,
                N_(
                    "copies of the protocol are not yet recorded as sent to {handles}: every "
                    "participant gets one (seed 004)"
                ),
                ("copies_sent_to",),
                severity=WARNING,
                handles=joined(not_sent),
            )
