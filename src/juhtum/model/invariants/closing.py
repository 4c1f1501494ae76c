"""Evaluation and closing (juhis §6, §7): I10 no closing without evaluation, I11 closing
prepared with the person."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model import representatives
from juhtum.model.case import Case, Doc, as_date, as_dict, as_list, as_str, handles
from juhtum.model.invariants.common import Context, joined, problem
from juhtum.model.problems import Problem

# -- I10 no closing without evaluation (juhis §6, §7.1) -----------------------------------


def i10_evaluation(case: Case, ctx: Context) -> Iterator[Problem]:
    plan_goal_ids = [as_str(g.get("id")) for _, g in case.plan_goals()]
    evaluations = case.evaluations
    for n, doc in enumerate(evaluations):
        if not isinstance(doc.data, dict):
            continue
        # a child's representatives in force on the evaluation's day (juhis §6)
        client_side = (
            set(representatives.on(case, as_date(doc.get("date"))))
            if case.framework_on(doc.get("date")) == "child"
            else {case.client}
        )
        # goals first set by this or a later evaluation's next period were not yet evaluated
        newer = {
            as_str(g.get("id"))
            for later in evaluations[n:]
            for g in as_list(as_dict(later.get("next_period")).get("goals"))
            if isinstance(g, dict)
        }
        if "goal_results" in doc.fields:
            results = {as_str(as_dict(r).get("goal")) for r in as_list(doc.get("goal_results"))}
            for goal in plan_goal_ids:
                if goal and goal not in results and goal not in newer:
                    yield problem(
                        "I10",
                        doc.path,
                        N_("the evaluation gives no result for goal {goal} (juhis §6)"),
                        ("goal_results",),
                        missing=True,
                        goal=goal,
                    )
        if "shared_with" in doc.fields:
            expected = set(client_side)
            plan_date = as_date(case.plan.get("date"))
            evaluated_on = as_date(doc.get("date"))
            if (
                n == len(evaluations) - 1
                and plan_date
                and evaluated_on
                and plan_date <= evaluated_on
            ):
                expected |= case.providers()
            not_told = expected - set(handles(doc.get("shared_with")))
            if not_told:
                yield problem(
                    "I10",
                    doc.path,
                    N_("the evaluation's conclusions are not shared with {handles} (juhis §6)"),
                    ("shared_with",),
                    missing=True,
                    handles=joined(not_told),
                )
    closing = case.doc("closing")
    if closing is None:
        return
    reason = closing.get("reason")
    # a referral after case management is §7.1 (2) by another name: once a plan was signed,
    # the evaluation decides it (seed 002: cases ended at the referral)
    if reason in ("goals_achieved", "no_longer_needed", "referred") and (
        case.ever_signed() or reason == "goals_achieved"
    ):
        path = as_str(closing.get("evaluation"))
        if not path:
            yield problem(
                "I10",
                closing.path,
                N_(
                    "closing for this reason needs the evaluation that decided to close: name it "
                    "in evaluation (juhis §6.3 (3), §7)"
                ),
                ("evaluation",),
                missing=True,
            )
            return
        evaluation = next((d for d in evaluations if d.name == path), None)
        if evaluation is None:
            return  # I17 says it does not exist
        decision = evaluation.get("decision")
        if decision != "close":
            yield problem(
                "I10",
                closing.path,
                N_("{path} decided {decision}, not to close (juhis §6.3)"),
                ("evaluation",),
                path=path,
                decision=as_str(decision) or "-",
            )
        elif reason == "goals_achieved":
            outcomes = {
                as_str(as_dict(r).get("goal")): as_dict(r).get("result")
                for r in as_list(evaluation.get("goal_results"))
            }
            for goal in plan_goal_ids:
                if goal in outcomes and outcomes[goal] != "achieved":
                    yield problem(
                        "I10",
                        closing.path,
                        N_(
                            "the reason is goals achieved, but {path} found goal {goal} not "
                            "achieved (juhis §7.1 (1))"
                        ),
                        ("reason",),
                        path=path,
                        goal=goal,
                    )
    if reason in ("cannot_continue", "transferred"):
        safety = as_dict(closing.get("safety"))
        if safety.get("endangers_life_or_health") is True:
            yield problem(
                "I10",
                closing.path,
                N_(
                    "the safety judgement says closing endangers someone's life or health: "
                    "a case cannot be closed so (juhis §7.1 (3))"
                ),
                ("safety", "endangers_life_or_health"),
            )


# -- I11 closing is prepared with the person (juhis §7.2) ---------------------------------


def i11_closing_prepared(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("closing")
    if doc is None:
        return
    if as_dict(case.need.get("decision")).get("outcome") != "case_management":
        return  # no case management was applied: §7.2 is about ending it
    c = doc.fields
    not_possible = _not_possible(doc)
    if not isinstance(c.get("feedback"), dict) and "feedback" not in not_possible:
        yield problem(
            "I11",
            doc.path,
            N_(
                "record the person's feedback on the cooperation and the help, or why none "
                "could be had (juhis §7.2)"
            ),
            ("feedback",),
            missing=True,
        )
    for key, message in (
        (
            "rights_explained",
            N_(
                "record that the closing process and the person's rights in it "
                "were explained (juhis §7.2)"
            ),
        ),
        (
            "consequences_explained",
            N_("record that the consequences of closing were explained (juhis §7)"),
        ),
    ):
        if c.get(key) is not True and key not in not_possible:
            yield problem("I11", doc.path, message, (key,), missing=True)
    for key, message in (
        (
            "strategies",
            N_("record the strategies for solving problems discussed with the person (juhis §7.2)"),
        ),
        ("resources", N_("record the resources the person has for coping on (juhis §7.2)")),
        ("help_contacts", N_("record where and how the person can get help later (juhis §7.2)")),
    ):
        if not c.get(key) and key not in not_possible:
            yield problem("I11", doc.path, message, (key,), missing=True)
    yield from i11_not_possible(case, ctx)


def _not_possible(doc: Doc) -> set[str]:
    """The §7.2 steps a closing records as not possible, with a reason (juhis §7.1 (3))."""
    if doc.get("reason") != "cannot_continue":
        return set()
    return {k for k, v in as_dict(doc.get("not_possible")).items() if v}


def i11_not_possible(case: Case, ctx: Context) -> Iterator[Problem]:
    """ "Not possible" stands in for a §7.2 step only when work cannot go on (§7.1 (3)), and
    never beside a record that the step was taken."""
    doc = case.doc("closing")
    if doc is None or not isinstance(doc.get("not_possible"), dict):
        return
    if doc.get("reason") != "cannot_continue":
        yield problem(
            "I11",
            doc.path,
            N_(
                "not_possible is for a case that cannot continue (juhis §7.1 (3)); with this "
                "reason, record each step of §7.2 as taken"
            ),
            ("not_possible",),
        )
        return
    for key in as_dict(doc.get("not_possible")):
        value = doc.get(key)
        taken = value is True or (key != "feedback" and value not in (None, False, "", []))
        if key == "feedback":
            taken = as_dict(value).get("collected") is True
        if taken:
            yield problem(
                "I11",
                doc.path,
                N_("{key} is recorded as done and as not possible: keep one (juhis §7.2)"),
                ("not_possible", key),
                key=key,
            )
