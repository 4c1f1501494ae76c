"""The evaluation (juhis §6): the person takes part in it. I10's participation rules: the
person is told of the evaluation, their view is heard, and the decision on the further course
of work is taken with them (§6, §6.2, §6.3), or the evaluation says why that was not possible
(``not_possible``)."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model import representatives
from juhtum.model.case import Case, as_date, handles
from juhtum.model.invariants.common import Context, not_possible, problem
from juhtum.model.problems import Problem


def i10_participation(case: Case, ctx: Context) -> Iterator[Problem]:
    for doc in case.evaluations:
        if not isinstance(doc.data, dict):
            continue
        excused = not_possible(doc)
        side = set(representatives.client_side_on(case, as_date(doc.get("date"))))
        if "client_view" not in doc.fields and "client_view" not in excused:
            yield problem(
                "I10",
                doc.path,
                N_(
                    "record the person's view of the evaluation (client_view), or why it could "
                    "not be heard (not_possible.client_view) (juhis §6.2)"
                ),
                ("client_view",),
                missing=True,
            )
        if (
            "announced_to" in doc.fields
            and not side & set(handles(doc.get("announced_to")))
            and "announced_to" not in excused
        ):
            yield problem(
                "I10",
                doc.path,
                N_(
                    "the person (or their legal representative) was not told of the "
                    "evaluation's purpose, organisation and consequences: add them to "
                    "announced_to, or record why it was not possible in "
                    "not_possible.announced_to (juhis §6)"
                ),
                ("announced_to",),
                missing=True,
            )
        if not doc.get("decision"):
            continue
        at = "decided_with" if "decided_with" in doc.fields else "team"
        if not side & set(handles(doc.get(at))) and "decided_with" not in excused:
            yield problem(
                "I10",
                doc.path,
                N_(
                    "the decision was taken without the person or their legal representative "
                    "({where}): name who decided with them in decided_with, or record why it "
                    "was not possible in not_possible.decided_with (juhis §6.3)"
                ),
                (at,),
                missing=True,
                where=at,
            )
