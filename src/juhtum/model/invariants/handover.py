"""Handover (juhis §8): I12 a complete handover."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model.case import Case, as_date, as_str, handles
from juhtum.model.invariants.common import Context, joined, problem
from juhtum.model.problems import Problem

# -- I12 handover is complete (juhis §8) ---------------------------------------------------


def i12_handover(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_date = as_date(case.plan.get("date"))
    for doc in case.handovers:
        h = doc.fields
        if not h:
            continue
        receiver = as_str(h.get("to")) or "?"
        if "access_granted" in h and h.get("access_granted") is not True:
            yield problem(
                "I12",
                doc.path,
                N_("record that {handle} was given access to the case's documents (juhis §8)"),
                ("access_granted",),
                missing=True,
                handle=receiver,
            )
        informed = h.get("client_informed")
        if isinstance(informed, dict) and informed.get("rights_explained") is False:
            yield problem(
                "I12",
                doc.path,
                N_("the person was not told of their rights in the handover (juhis §8)"),
                ("client_informed", "rights_explained"),
                missing=True,
            )
        on = as_date(h.get("date"))
        if "providers_notified" in h and plan_date and on and plan_date <= on:
            not_told = (
                case.providers()
                - {as_str(h.get("from")), receiver}
                - set(handles(h.get("providers_notified")))
            )
            if not_told:
                yield problem(
                    "I12",
                    doc.path,
                    N_("the plan's providers {handles} were not told of the handover (juhis §8)"),
                    ("providers_notified",),
                    handles=joined(h for h in not_told if h),
                )
