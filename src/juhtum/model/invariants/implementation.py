"""Implementation (juhis §5): I9 announced changes, and the monitoring gap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model import representatives, stages
from juhtum.model.case import Case, Settings, as_date, as_list, handles
from juhtum.model.invariants.common import Context, joined, not_possible, problem
from juhtum.model.invariants.signatures import signature_state
from juhtum.model.problems import WARNING, Problem

# -- I9 announced changes (juhis §5.2) ---------------------------------------------------


def i9_announced(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_doc = case.doc("plan")
    if plan_doc is None:
        return
    version = case.plan.get("version")
    for doc in case.monitoring:
        announced = doc.get("plan_version")
        if (
            doc.get("kind") == "plan_change"
            and isinstance(announced, int)
            and isinstance(version, int)
            and announced > version
        ):
            yield problem(
                "I9",
                doc.path,
                N_(
                    "this entry announces plan version {announced}, but the plan is version "
                    "{version}"
                ),
                ("plan_version",),
                announced=announced,
                version=version,
            )
    yield from _change_told_to_the_person(case)
    state = signature_state(case)
    if state is None or state.announcement is None:
        return
    entry = state.announcement
    responsible = {h for _, a in case.plan_actions() for h in handles(a.get("responsible"))}
    not_told = responsible - set(handles(entry.get("notified")))
    if "notified" in not_possible(entry):  # the person could not be told, and why (§5.2)
        not_told -= set(representatives.client_side_on(case, as_date(entry.get("date"))))
    if not_told:
        yield problem(
            "I9",
            entry.path,
            N_(
                "the change to plan version {version} was not announced to {handles}, "
                "responsible for its actions (juhis §5.2)"
            ),
            ("notified",),
            version=version,
            handles=joined(not_told),
        )
    signed_versions = sorted(
        {
            s["version"]
            for s in as_list(case.plan.get("signatures"))
            if isinstance(s, dict) and isinstance(s.get("version"), int)
        }
    )
    yield problem(
        "I9",
        plan_doc.path,
        N_(
            "plan version {version} is a change announced on {date}: the signatures given to "
            "earlier versions ({signed}) stand for it (juhis §5.2)"
        ),
        ("version",),
        severity=WARNING,
        version=version,
        date=entry.date,
        signed=", ".join(str(v) for v in signed_versions) or "-",
    )


def _change_told_to_the_person(case: Case) -> Iterator[Problem]:
    """§5.2: a change of the plan during implementation is told to the person and to their
    legal representatives in force on the day of the change, or the entry records why it
    could not be (``not_possible.notified``)."""
    for doc in case.monitoring:
        if doc.get("kind") != "plan_change" or "notified" in not_possible(doc):
            continue
        expected = representatives.client_side_on(case, as_date(doc.get("date")))
        not_told = set(expected) - set(handles(doc.get("notified")))
        if not_told:
            yield problem(
                "I9",
                doc.path,
                N_(
                    "the plan change was not told to {handles}: the person and their legal "
                    "representatives are told of every change, or record why it was not "
                    "possible in not_possible.notified (juhis §5.2)"
                ),
                ("notified",),
                handles=joined(not_told),
            )


def monitoring_gap_from(case: Case, settings: Settings) -> tuple[str, dt.date] | None:
    """For a case in implementation: the last monitoring entry (or the day the plan came into
    force) and the first day without a monitoring entry for too long (juhis §5.2)."""
    if case.stage != stages.IMPLEMENTATION or case.doc("plan") is None:
        return None
    from juhtum.model.facts import timeline

    dates = [d.date for d in case.monitoring if d.date]
    started = [d for d, s in timeline(case) if s == stages.IMPLEMENTATION]
    last = max(dates + started[-1:], default=None)
    day = as_date(last)
    if last is None or day is None:
        return None
    return last, day + dt.timedelta(days=settings.monitoring_gap_days + 1)


def monitoring_gap(case: Case, ctx: Context) -> Iterator[Problem]:
    """A case in implementation without a monitoring entry for longer than juhtum.yaml's
    monitoring_gap_days: a warning, so CI shows what juhtum due lists (juhis §5.2)."""
    found = monitoring_gap_from(case, ctx.settings)
    if found is not None and ctx.today >= found[1]:
        yield problem(
            "stage",
            case.path("monitoring"),
            N_("no monitoring entry since {date}: one is due every {days} days (juhis §5.2)"),
            severity=WARNING,
            date=found[0],
            days=ctx.settings.monitoring_gap_days,
        )
