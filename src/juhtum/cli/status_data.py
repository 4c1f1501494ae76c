"""What ``juhtum status`` shows, as data (for --json and for the text): worked out from a full
check of the case as it is and as each next step would make it, when the cache has no status
for the case's files."""

from __future__ import annotations

from typing import Any


def status_data(snapshot: Any) -> dict[str, Any]:
    """Everything status shows, as data (for --json and for the text)."""
    from juhtum.i18n import N_
    from juhtum.model import stages, transitions
    from juhtum.model.case import as_list, as_str
    from juhtum.model.invariants.signatures import signature_state
    from juhtum.model.problems import to_json

    case = snapshot.case
    stage = case.stage
    problems = snapshot.problems

    def shown(p: Any) -> dict[str, Any]:
        return to_json(p)  # rendered when shown, in the language of that moment

    documents = []
    for name in ("need.yaml", "assessment.yaml", "planning.yaml", "plan.yaml", "closing.yaml"):
        if name in snapshot.files.files:
            path = snapshot.path(name)
            open_items = [p for p in problems if p.file == path and p.severity in ("error", "todo")]
            documents.append({"document": name, "complete": not open_items})
    signatures: dict[str, Any] = {}
    state_of = signature_state(case)
    if state_of is not None:
        void = {id(s) for _, s in state_of.void}
        entries = []
        for item in as_list(case.plan.get("signatures")):
            if not isinstance(item, dict):
                continue
            if id(item) in void:
                standing = N_("void: the plan changed after it was signed")
            elif item.get("content_hash") == state_of.hash:
                standing = N_("valid")
            elif state_of.announcement is not None:
                standing = N_("stands: an earlier version, the change was announced")
            else:
                standing = N_("given to an earlier version")
            entries.append(
                {
                    "party": as_str(item.get("party")) or "?",
                    "date": item.get("date"),
                    "version": item.get("version"),
                    "standing": standing,
                    **not_signed_fields(item),
                }
            )
        signatures = {
            "version": case.plan.get("version"),
            "signatures": entries,
            "missing": state_of.missing,
        }
    # a document that cannot be read blocks every step: no check can tell what it holds
    unreadable = [p for p in problems if p.rule in ("yaml", "file") and p.severity == "error"]
    next_steps = []
    for target in transitions.NEXT.get(stage or "", ()):
        if target == stages.CLOSED:
            next_steps.append(closing_step(case))
            continue
        missing = [*unreadable, *snapshot.missing_for(target)]
        next_steps.append(
            {
                "state": target,
                "command": f"juhtum {transitions.COMMAND[target]} {case.id}",
                "possible": not missing,
                "missing": [shown(p) for p in missing],
            }
        )
    return {
        "id": case.id,
        "state": stage,
        "clause": stages.CLAUSE.get(stage or ""),
        "documents": documents,
        "entries": {k: len(v) for k, v in case.series.items()},
        "plan": signatures,
        "todo": [shown(p) for p in problems if p.severity == "todo"],
        "errors": [shown(p) for p in problems if p.severity == "error"],
        "warnings": [shown(p) for p in problems if p.severity == "warning"],
        "next": next_steps,
    }


def not_signed_fields(item: dict[str, Any]) -> dict[str, Any]:
    """A signature record's status and why (juhis §4.2), without its sensitive reason text."""
    status = item.get("status")
    if status in (None, "signed"):
        return {"dissent": True} if item.get("dissent") else {}
    fields = {"status": status, "recorded_by": item.get("recorded_by")}
    if status == "unable":
        fields["cause"] = item.get("cause")
    if status == "waived":
        fields["basis"] = item.get("basis")
    return fields


def closing_step(case: Any) -> dict[str, Any]:
    """What closing needs depends on its reason (juhis §7.1): say so rather than simulate."""
    from juhtum.i18n import N_
    from juhtum.model.problems import TODO, Problem, to_json

    def item(text: str) -> dict[str, Any]:
        return to_json(Problem("stage", TODO, f"cases/{case.id}/closing.yaml", text))

    decided = any(d.get("decision") == "close" for d in case.evaluations)
    needs = [
        item(
            N_(
                "closing.yaml, prepared with the person: feedback, rights and consequences "
                "explained, strategies, resources, where to turn for help (juhis §7.2)"
            )
        )
    ]
    if case.ever_signed() and not decided:
        needs.append(
            item(
                N_(
                    "for goals_achieved or no_longer_needed: an evaluation that decided "
                    "to close (juhis §6.3 (3)); for cannot_continue: the judgement that "
                    "closing endangers nobody's life or health (juhis §7.1 (3))"
                )
            )
        )
    return {
        "state": "closed",
        "command": f"juhtum close {case.id} --reason "
        "goals_achieved|no_longer_needed|cannot_continue",
        "possible": False,
        "missing": needs,
    }
