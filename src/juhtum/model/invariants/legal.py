"""What the law asks (määrus nr 10 § 1): I16, and the legal repository's record."""

from __future__ import annotations

from collections.abc import Iterator

from juhtum.i18n import N_, Msg
from juhtum.model.case import Case, Settings, as_dict, as_list, as_str
from juhtum.model.domains import LEGAL_NEED_AREAS
from juhtum.model.invariants.common import Context, problem
from juhtum.model.problems import Problem

LEGAL_ITEMS = {
    "name": Msg("name"),
    "address": Msg("address"),
    "personal_code": Msg("personal code"),
    "basis": Msg("basis of representation"),
    "contacts": Msg("contacts (email or phone)"),
}


# -- I16 what the law asks a case plan to hold (määrus nr 10 § 1) ------------------------


def i16_legal(case: Case, ctx: Context) -> Iterator[Problem]:
    if not ctx.legal or case.doc("plan") is None:
        return
    plan = case.doc("plan")
    assert plan is not None

    def person_items(handle: str, clause: str, items: tuple[str, ...]) -> Iterator[Problem]:
        doc = case.people.get(handle)
        if doc is None:
            return  # I17
        data = doc.fields
        for item in items:
            if item == "contacts":
                present = bool(data.get("email") or data.get("phone"))
            else:
                present = bool(data.get(item))
            if not present:
                yield problem(
                    "I16",
                    doc.path,
                    N_(
                        "the case plan must hold the {item} of {handle} (määrus nr 10 § 1 {clause})"
                    ),
                    (item,) if item != "contacts" else (),
                    missing=True,
                    item=LEGAL_ITEMS[item],
                    handle=handle,
                    clause=clause,
                )

    if case.coordinator:
        yield from person_items(case.coordinator, "(1) 3", ("name", "contacts"))
    yield from person_items(case.client, "(1) 4", ("name", "personal_code", "address", "contacts"))
    for rep in case.representatives:
        yield from person_items(rep, "(1) 5", ("basis", "name", "personal_code", "contacts"))

    assessment = case.doc("assessment")
    if assessment is not None:
        rated = {as_str(as_dict(d).get("domain")) for d in as_list(assessment.get("domains"))}
        framework = case.framework_on(as_dict(assessment.get("client_view")).get("date"))
        for area, domains in LEGAL_NEED_AREAS[framework].items():
            if not rated & set(domains):
                yield problem(
                    "I16",
                    assessment.path,
                    N_(
                        "the need for help must describe the {area}: assess one of {domains} "
                        "(määrus nr 10 § 1 (2))"
                    ),
                    ("domains",),
                    missing=True,
                    area=area,
                    domains=", ".join(domains),
                )
        summary = as_dict(assessment.get("summary"))
        for key, what in (
            ("obstacles", Msg("problems hindering work, study and participation")),
            ("resources", Msg("supporting resources")),
        ):
            if not summary.get(key):
                yield problem(
                    "I16",
                    assessment.path,
                    N_("the need for help must describe {what} (määrus nr 10 § 1 (2))"),
                    ("summary", key),
                    missing=True,
                    what=what,
                )
        if "previous_assessments" not in assessment.fields:
            yield problem(
                "I16",
                assessment.path,
                N_(
                    "record previous assessments, or an empty list when there were none "
                    "(määrus nr 10 § 1 (2))"
                ),
                ("previous_assessments",),
                missing=True,
            )
    for i, goal in case.plan_goals():
        if not goal.get("hindering_factors"):
            yield problem(
                "I16",
                plan.path,
                N_("goal {goal} names no factors hindering it (määrus nr 10 § 1 (3))"),
                ("goals", i, "hindering_factors"),
                missing=True,
                goal=as_str(goal.get("id")) or str(i + 1),
            )
    if case.framework_on(case.plan.get("date")) == "child" and not case.plan.get(
        "caregiver_involvement"
    ):
        yield problem(
            "I16",
            plan.path,
            N_(
                "a child's plan must say how the person raising the child was informed and "
                "involved (määrus nr 10 § 1 (3¹))"
            ),
            ("caregiver_involvement",),
            missing=True,
        )


def legal_repository(settings: Settings, path: str) -> Iterator[Problem]:
    """Määrus nr 10 § 1 (1) 2: the organisation's name, address and contacts."""
    org = settings.organisation
    for item in ("name", "address"):
        if not org.get(item):
            yield problem(
                "I16",
                path,
                N_("a case plan must name the organisation's {item} (määrus nr 10 § 1 (1) 2)"),
                ("organisation", item),
                item=LEGAL_ITEMS[item],
            )
    if not (org.get("email") or org.get("phone")):
        yield problem(
            "I16",
            path,
            N_(
                "a case plan must name the organisation's contacts: email or phone "
                "(määrus nr 10 § 1 (1) 2)"
            ),
            ("organisation",),
        )
