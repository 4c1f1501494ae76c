"""The invariants of domain.md (I1-I17) and the stage rule, over one parsed case.

Each check yields :class:`Problem` values and never raises on malformed data:
the schema check reports a wrong type, so a check skips what it cannot read.
A problem about something *not yet written* carries ``missing=True``; in the
document of the current stage (a draft) it becomes a to-do rather than an
error (domain.md, *Checking*). Messages cite the guideline (juhis §N), the
regulation (määrus nr 10) or the seed they come from, and never quote a
sensitive value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from juhtum.model import stages
from juhtum.model.case import Case
from juhtum.model.invariants.assessment import i3_balanced, i15_problems_answered
from juhtum.model.invariants.child import (
    child_told,
    child_views,
    framework_changes,
    notification_decided,
)
from juhtum.model.invariants.closing import i10_evaluation, i11_closing_prepared
from juhtum.model.invariants.common import Context
from juhtum.model.invariants.evaluation import i10_participation
from juhtum.model.invariants.handover import i12_handover
from juhtum.model.invariants.implementation import i9_announced, monitoring_gap
from juhtum.model.invariants.legal import i16_legal
from juhtum.model.invariants.lifecycle import (
    closing_referred,
    closing_transferred,
    related_links,
)
from juhtum.model.invariants.meetings import i13_meetings
from juhtum.model.invariants.need import i1_consent, i2_coordinator
from juhtum.model.invariants.plan import (
    i4_actions,
    i5_goals_served,
    i6_not_only_services,
    i7_reviews,
)
from juhtum.model.invariants.references import i14_dates_and_case, i17_references, plan_prior_help
from juhtum.model.invariants.signatures import i8_signatures
from juhtum.model.invariants.stage import planning_decided, stage_rule
from juhtum.model.problems import Problem

__all__ = ["CHECKS", "Context", "check", "draft_names"]


CHECKS: tuple[Callable[[Case, Context], Iterator[Problem]], ...] = (
    i1_consent,
    i2_coordinator,
    i3_balanced,
    i4_actions,
    i5_goals_served,
    i6_not_only_services,
    i7_reviews,
    i8_signatures,
    i9_announced,
    i10_evaluation,
    i10_participation,
    i11_closing_prepared,
    i12_handover,
    i13_meetings,
    i14_dates_and_case,
    i15_problems_answered,
    i16_legal,
    i17_references,
    planning_decided,
    stage_rule,
    plan_prior_help,
    monitoring_gap,
    child_views,
    child_told,
    notification_decided,
    framework_changes,
    closing_referred,
    closing_transferred,
    related_links,
)


def check(case: Case, ctx: Context) -> Iterator[Problem]:
    for run in CHECKS:
        yield from run(case, ctx)


def draft_names(case: Case) -> set[str]:
    """The documents (names in the case folder) that may still be drafts.

    The current stage's document, and in the loop back from an evaluation the
    later stage documents being reworked; in state *evaluation* the latest
    evaluation. A case closed because it *cannot continue* (or moved to another
    organisation, §8) may leave the
    document of the stage it stopped in unfinished, unless the plan was in
    force already.
    """
    stage = case.stage
    names: set[str] = set()
    if stage in stages.STAGE_DOCUMENT:
        position = stages.CYCLE.index(stage)
        names = {stages.STAGE_DOCUMENT[s] for s in stages.CYCLE[position:4]}
    elif stage == stages.EVALUATION and case.evaluations:
        names = {case.evaluations[-1].name}
    elif (
        stage == stages.CLOSED
        and case.closing.get("reason") in ("cannot_continue", "transferred")
        and not (case.monitoring or case.evaluations)
    ):
        present = [n for n in stages.STAGE_DOCUMENT.values() if any(d.name == n for d in case.docs)]
        if present:
            names = {present[-1]}
    return names
