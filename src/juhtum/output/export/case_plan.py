"""The case plan as blocks: what määrus nr 10 § 1 lists, a signature line for every party
(juhis §4.2) and who did not sign."""

from __future__ import annotations

import contextlib
from typing import Any

from juhtum.i18n import N_, _, label
from juhtum.model.case import Case, as_dict, as_list, as_str, handles
from juhtum.model.hashing import HashError, content_hash
from juhtum.model.invariants.signatures import signature_state
from juhtum.model.representatives import current as current_representatives
from juhtum.output.export.blocks import Block, Names, _text, organisation_block


def plan_blocks(
    case: Case,
    organisation: dict[str, Any],
    specialists: dict[str, dict[str, Any]] | None = None,
) -> list[Block]:
    plan = case.plan
    name = Names(case, specialists)
    blocks = [
        Block(
            "title",
            _("Case plan {id}, version {version}").format(
                id=case.id, version=plan.get("version") or 1
            ),
        ),
        Block(
            "fields",
            rows=[
                [_("Plan number"), case.id],
                [_("Date"), _text(plan.get("date"))],
                [
                    _("Organisation"),
                    ", ".join(
                        _text(organisation.get(k))
                        for k in ("name", "address", "email", "phone")
                        if organisation.get(k)
                    ),
                ],
                [
                    _("Coordinator"),
                    f"{name(case.coordinator)} — {name.contacts(case.coordinator or '')}",
                ],
                [
                    _("Person"),
                    f"{name(case.client)} — {_text(name.people.get(case.client, {}).get('personal_code'))} "
                    f"{name.contacts(case.client)}",
                ],
                *(
                    [
                        [
                            _("Legal representative"),
                            f"{name(r)} — "
                            f"{_text(name.people.get(r, {}).get('basis'))} {name.contacts(r)}",
                        ]
                        for r in current_representatives(case)  # in force now
                    ]
                ),
            ],
        ),
        Block("heading", _("Problem")),
        Block("text", _text(plan.get("problem_summary"))),
        Block("heading", _("Goals")),
        Block(
            "table",
            header=[
                _("goal"),
                _("statement"),
                _("deadline"),
                _("indicator"),
                _("hindering factors"),
            ],
            rows=[
                [
                    _text(g.get("id")),
                    _text(g.get("statement")),
                    _text(g.get("deadline")),
                    _text(g.get("indicator")),
                    _text(g.get("hindering_factors")),
                ]
                for _i, g in case.plan_goals()
            ],
        ),
        Block("heading", _("Actions")),
        Block(
            "table",
            header=[
                _("action"),
                _("goals"),
                _("what"),
                _("outcome"),
                _("responsible"),
                _("from"),
                _("by"),
                _("how often"),
                _("resources"),
            ],
            rows=[
                [
                    _text(a.get("id")),
                    _text(a.get("goals")),
                    _text(a.get("description")),
                    _text(a.get("outcome")),
                    name(handles(a.get("responsible"))),
                    _text(a.get("start")),
                    _text(a.get("deadline")),
                    _text(a.get("frequency")),
                    _text(a.get("resources")),
                ]
                for _i, a in case.plan_actions()
            ],
        ),
        Block("heading", _("Interim reviews")),
        Block(
            "table",
            header=[_("date"), _("responsible"), _("how")],
            rows=[
                [
                    _text(as_dict(r).get("date")),
                    name(as_dict(r).get("responsible")),
                    _text(as_dict(r).get("method")),
                ]
                for r in as_list(plan.get("reviews"))
            ],
        ),
    ]
    if plan.get("caregiver_involvement"):
        blocks += [
            Block("heading", _("How the person raising the child was involved")),
            Block("text", _text(plan.get("caregiver_involvement"))),
        ]
    unaddressed = as_list(plan.get("unaddressed"))
    if unaddressed:
        blocks += [
            Block("heading", _("Problems not addressed now")),
            Block(
                "table",
                header=[_("domain"), _("why")],
                rows=[
                    [label(_text(as_dict(u).get("domain"))), _text(as_dict(u).get("reason"))]
                    for u in unaddressed
                ],
            ),
        ]
    attached = as_list(plan.get("attached_plans"))
    if attached:
        blocks += [
            Block("heading", _("Attached plans")),
            Block(
                "table",
                header=[_("plan"), _("made by"), _("reference")],
                rows=[
                    [
                        _text(as_dict(a).get("name")),
                        name(as_dict(a).get("provider")),
                        _text(as_dict(a).get("reference")),
                    ]
                    for a in attached
                ],
            ),
        ]
    state = signature_state(case)
    # whose signature holds: of this version, or of an earlier one an announced change keeps
    signed = {
        s.get("party"): s
        for s in as_list(plan.get("signatures"))
        if isinstance(s, dict) and state is not None and as_str(s.get("party")) in state.valid
    }
    parties = [*([] if state is None else state.required)]
    if case.coordinator and case.coordinator not in parties:
        parties.append(case.coordinator)
    child = case.framework_on(plan.get("date")) == "child" and case.client not in parties
    if child:  # the child's own signature: welcome, not required (LasteKS § 21)
        parties.append(case.client)
    blocks.append(Block("heading", _("Signatures (juhis §4.2: the plan is signed by all parties)")))
    with contextlib.suppress(HashError):  # a value no signature binds to: validate names it
        blocks.append(  # the paper signatures bind to this content (issue 13)
            Block(
                "text",
                _("The signatures bind to the plan's content hash (SHA-256): {hash}").format(
                    hash=content_hash(plan)
                ),
            )
        )
    blocks += [
        Block(
            "signatures",
            rows=[
                [
                    _("{name} (the child)").format(name=name(p))
                    if child and p == case.client
                    else name(p),
                    _text(as_dict(signed.get(p)).get("date")),
                    signature_note(as_dict(signed.get(p)), plan.get("version")),
                ]
                for p in parties
            ],
        ),
    ]
    if state is not None and state.not_signed:
        blocks += _not_signed_blocks(state, name)
    return [organisation_block(organisation), *blocks]


SIGNATURE_METHODS = {"paper": N_("on paper"), "digital": N_("digitally")}


def signature_note(signature: dict[str, Any], version: Any) -> str:
    """How a signature was given, in words; one given to an earlier version of the plan (an
    announced change keeps it, juhis §5.2) says so."""
    method = as_str(signature.get("method")) or ""
    note = _(SIGNATURE_METHODS[method]) if method in SIGNATURE_METHODS else method
    signed = signature.get("version")
    if signature and isinstance(signed, int) and signed != version:
        note = _("{method}; signed version {version}, an earlier version").format(
            method=note, version=signed
        )
    return note


def _not_signed_blocks(state: Any, name: Any) -> list[Block]:
    """Who did not sign and why, and the coordinator's decision to put the plan in force
    without them (juhis §4.2); the reason's text stays in the case (it is sensitive)."""
    statuses = {
        "refused": _("refused to sign"),
        "unable": _("cannot sign"),
        "oral": _("agreed orally"),
    }
    rows = []
    for party, record in sorted(state.not_signed.items()):
        status = statuses.get(as_str(record.get("status")) or "", "?")
        cause = as_str(record.get("cause"))
        decision = state.waived.get(party)
        rows.append(
            [
                name(party),
                f"{status} ({cause})" if cause else status,
                _text(record.get("date")),
                _("in force without it since {date}, by {by}; legal basis: {basis}").format(
                    date=_text(decision.get("date")),
                    by=name(decision.get("recorded_by")),
                    basis=_text(decision.get("basis")),
                )
                if decision
                else "",
            ]
        )
    return [
        Block("heading", _("Not signed (juhis §4.2)")),
        Block("table", header=[_("party"), _("why"), _("date"), _("decision")], rows=rows),
    ]
