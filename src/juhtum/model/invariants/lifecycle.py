"""The life of a case beyond one cycle (juhis §7, §8): a referral after case management is a
closing, a transfer to another organisation is a closing with the data passed on on a
recorded basis, and related cases (siblings, a reopened case, a transfer) link to each other.

Why here and not at §1.3: seed 002's first finding is the case that ends at the referral,
with no feedback, no evaluation and nobody checking that the service came. Once case
management was decided (§1.3 (2), §1.4) the case ends only through closing (§7), so a
referral then is a closing with reason ``referred`` that asks what §7.2 asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from juhtum.i18n import N_
from juhtum.model import representatives
from juhtum.model.case import Case, as_date, as_dict, as_list, as_str, handles
from juhtum.model.invariants.common import Context, joined, problem
from juhtum.model.problems import WARNING, Problem

RELATIONS = (
    "sibling",
    "reopened_from",
    "reopened_as",
    "transferred_to",
    "transferred_from",
    "other",
)
"""How one case relates to another (case.yaml ``related[].relation``)."""

INVERSE = {
    "sibling": "sibling",
    "reopened_from": "reopened_as",
    "reopened_as": "reopened_from",
    "transferred_to": "transferred_from",
    "transferred_from": "transferred_to",
    "other": "other",
}
"""The relation the other case records back."""


# -- a referral after case management is a closing (juhis §7.1 (2), §7.2) ----------------------


def closing_referred(case: Case, ctx: Context) -> Iterator[Problem]:
    closing = case.doc("closing")
    if closing is None or closing.get("reason") != "referred":
        return
    outcome = as_dict(case.need.get("decision")).get("outcome")
    if outcome is not None and outcome != "case_management":
        yield problem(
            "stage",
            closing.path,
            N_(
                "the need decision was {outcome}: without case management a referral is the "
                "need decision itself (juhis §1.3 (1)), not a closing"
            ),
            ("reason",),
            outcome=as_str(outcome) or "-",
        )


# -- a transfer to another organisation (juhis §8) ----------------------------------------------


def closing_transferred(case: Case, ctx: Context) -> Iterator[Problem]:
    closing = case.doc("closing")
    if closing is None or closing.get("reason") != "transferred":
        return
    transfer = as_dict(closing.get("transfer"))
    if not transfer:
        return  # the schema asks for it
    if "client_informed" in transfer and transfer.get("client_informed") is not True:
        yield problem(
            "I12",
            closing.path,
            N_(
                "record that the person was told why and how the case moves to another "
                "organisation, and of their rights in it (juhis §8)"
            ),
            ("transfer", "client_informed"),
            missing=True,
        )
    consent = as_dict(transfer.get("consent"))
    given_by = as_str(consent.get("given_by"))
    # the representatives in force on the consent's date, as for every consent (§1.2)
    client_side = representatives.client_side_on(case, as_date(consent.get("date")))
    if given_by and given_by not in client_side:
        yield problem(
            "I12",
            closing.path,
            N_(
                "the consent to pass the data on is given by the person or their "
                "representative, not {handle} (juhis §8)"
            ),
            ("transfer", "consent", "given_by"),
            handle=given_by,
        )
    on = as_date(transfer.get("date"))
    plan_date = as_date(case.plan.get("date"))
    if "providers_notified" in transfer and plan_date and on and plan_date <= on:
        not_told = case.providers() - set(handles(transfer.get("providers_notified")))
        if not_told:
            yield problem(
                "I12",
                closing.path,
                N_("the plan's providers {handles} were not told of the transfer (juhis §8)"),
                ("transfer", "providers_notified"),
                handles=joined(not_told),
            )


# -- related cases (I17) --------------------------------------------------------------------------


def related_links(case: Case, ctx: Context) -> Iterator[Problem]:
    """A case does not relate to itself, and names each link once."""
    doc = case.doc("case")
    if doc is None:
        return
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(as_list(doc.get("related"))):
        entry = as_dict(entry)
        other, relation = as_str(entry.get("case")), as_str(entry.get("relation"))
        if not other or not relation:
            continue
        if other == case.id:
            yield problem(
                "I17",
                doc.path,
                N_("case {id} is named as related to itself"),
                ("related", i, "case"),
                id=case.id,
            )
        elif (other, relation) in seen:
            yield problem(
                "I17",
                doc.path,
                N_("the link to case {other} ({relation}) is recorded twice"),
                ("related", i),
                other=other,
                relation=relation,
            )
        seen.add((other, relation))


def related_across(
    links: Mapping[str, Sequence[tuple[int, str, str]]],
    exists: Callable[[str], bool],
    path_of: Callable[[str], str],
) -> Iterator[Problem]:
    """Links between the cases of a repository: each names a case that exists (I17, an
    error), and the other case records the link back (a warning: one side was edited by
    hand). ``links``: case id -> (index in ``related``, other case, relation)."""
    for case_id, entries in sorted(links.items()):
        for i, other, relation in entries:
            if other == case_id:
                continue  # related_links says so
            if not exists(other):
                yield problem(
                    "I17",
                    path_of(case_id),
                    N_(
                        "case.yaml links to case {other}, which is not in this repository "
                        "(was it erased? juhtum edit {id} case removes the link)"
                    ),
                    ("related", i, "case"),
                    other=other,
                    id=case_id,
                )
                continue
            if other not in links:
                back: set[tuple[str, str]] = set()
            else:
                back = {(o, r) for _, o, r in links[other]}
            if (case_id, INVERSE.get(relation, relation)) not in back:
                yield problem(
                    "I17",
                    path_of(case_id),
                    N_(
                        "case {other} does not record the link back ({relation}): run juhtum "
                        "relate {id} --to {other} --relation {relation} to record both sides"
                    ),
                    ("related", i),
                    severity=WARNING,
                    other=other,
                    relation=relation,
                    id=case_id,
                )
