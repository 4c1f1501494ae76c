"""The assessment (juhis §2): I3 a balanced assessment, I15 every problem is answered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from juhtum.i18n import N_
from juhtum.model.case import Case, as_dict, as_list, as_str
from juhtum.model.domains import BY_FRAMEWORK
from juhtum.model.invariants.common import Context, handles_or_ids, not_possible, problem
from juhtum.model.problems import WARNING, Problem

# -- I3 balanced assessment (juhis §2) -----------------------------------------------------


def i3_balanced(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("assessment")
    if doc is None:
        return
    a = doc.fields
    domains = [as_dict(d) for d in as_list(a.get("domains"))]
    if domains and not any(as_list(d.get("risks")) for d in domains):
        yield problem(
            "I3",
            doc.path,
            N_("the assessment lists no risks: record both risks and resources (juhis §2)"),
            ("domains",),
            missing=True,
        )
    has_resources = any(as_list(d.get("resources")) for d in domains) or bool(
        as_dict(a.get("summary")).get("resources")
    )
    if domains and not has_resources:
        yield problem(
            "I3",
            doc.path,
            N_(
                "the assessment lists no resources (protective factors): record both risks and "
                "resources (juhis §2)"
            ),
            ("domains",),
            missing=True,
        )
    if a.get("client_informed") is False and "client_informed" not in not_possible(doc):
        yield problem(
            "I3",
            doc.path,
            N_(
                "the person was not told how the assessment is organised and of their rights "
                "and obligations in it: tell them, or record why it was not possible in "
                "not_possible.client_informed (juhis §2)"
            ),
            ("client_informed",),
            missing=True,
        )
    view = a.get("client_view")
    if isinstance(view, dict):
        if view.get("declined") is not True and not view.get("statement"):
            yield problem(
                "I3",
                doc.path,
                N_(
                    "record the person's own view of the assessment summary, or that they "
                    "declined to give one (juhis §2.2)"
                ),
                ("client_view",),
                missing=True,
            )
        if view.get("agrees") is False and not view.get("dissent"):
            yield problem(
                "I3",
                doc.path,
                N_("the person does not agree with the summary: record their dissent (juhis §2.2)"),
                ("client_view", "dissent"),
                missing=True,
            )


# -- I15 every problem is answered (seed 004) ---------------------------------------------


def i15_problems_answered(case: Case, ctx: Context) -> Iterator[Problem]:
    doc = case.doc("assessment")
    if doc is None:
        return
    framework = case.framework_on(as_dict(doc.get("client_view")).get("date"))
    allowed = BY_FRAMEWORK[framework]
    seen: Counter[str] = Counter()
    problems: list[str] = []
    for i, entry in enumerate(as_list(doc.get("domains"))):
        entry = as_dict(entry)
        name = as_str(entry.get("domain"))
        if not name:
            continue
        seen[name] += 1
        if name not in allowed:
            yield problem(
                "I15",
                doc.path,
                N_(
                    "{domain} is not a domain of the {framework} framework; its domains are: "
                    "{allowed}"
                ),
                ("domains", i, "domain"),
                domain=name,
                framework=framework,
                allowed=", ".join(allowed),
            )
        elif seen[name] == 2:
            yield problem(
                "I15",
                doc.path,
                N_("the domain {domain} is rated twice"),
                ("domains", i, "domain"),
                domain=name,
            )
        rating = entry.get("rating")
        if rating == "unknown":
            yield problem(
                "I15",
                doc.path,
                N_(
                    "the domain {domain} is rated unknown: find out, then rate it problem or "
                    "no_problem (juhis §2.2)"
                ),
                ("domains", i, "rating"),
                severity=WARNING,
                domain=name,
            )
        elif rating == "problem":
            problems.append(name)
    plan = case.doc("plan")
    if plan is None or not problems:
        return
    addressed = {d for _, g in case.plan_goals() for d in handles_or_ids(g.get("domains"))}
    unaddressed = {as_str(as_dict(u).get("domain")) for u in as_list(case.plan.get("unaddressed"))}
    for name in dict.fromkeys(problems):
        if name not in addressed and name not in unaddressed:
            yield problem(
                "I15",
                plan.path,
                N_(
                    "the problem in {domain} is addressed by no goal of the plan (goals[].domains) "
                    "and not listed in unaddressed with a reason"
                ),
                ("goals",),
                missing=True,
                domain=name,
            )
