"""``juhtum show`` and ``juhtum list``: reading cases."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.app import Stage, echo, echo_json, state
from juhtum.i18n import N_

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

LIST_COLUMNS = ("id", "stage", "framework", "opened", "coordinator")
HEADERS = {
    "id": N_("id"),
    "stage": N_("state"),
    "framework": N_("framework"),
    "opened": N_("opened"),
    "coordinator": N_("coordinator"),
    "overdue": N_("overdue"),
}


ROLES = {
    "client": N_("client"),
    "representative": N_("representative"),
    "coordinator": N_("coordinator"),
    "specialist": N_("specialist"),
    "provider": N_("provider"),
    "network": N_("network"),
    "other": N_("other"),
}


@commands.command("list")
def list_cases(
    ctx: typer.Context,
    stage: Annotated[
        Stage | None,
        typer.Option(
            "--stage",
            help="Only cases in this state.",
            show_default=False,
        ),
    ] = None,
    coordinator: Annotated[
        str | None,
        typer.Option(
            "--coordinator",
            show_default=False,
            help="Only the cases of this coordinator (a handle).",
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option("--framework", show_default=False, help="Only adult or child cases."),
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue",
            help="Only cases with something overdue (what juhtum due lists), and how many.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the cases of the repository: id, state, framework, opened, coordinator."""
    from juhtum import validation, views
    from juhtum.model import due

    st = state(ctx)
    repo = st.repository()
    settings = views.settings_of(repo) if overdue else None
    all_facts = {f["id"]: f for f in views.all_facts(repo, settings)} if settings else {}
    rows = []
    for case_id in repo.case_ids():
        try:
            row = validation.case_summary(repo, case_id)
        except Exception:  # a broken case.yaml: list it, validate says what is wrong
            row = {
                "id": case_id,
                "stage": None,
                "framework": None,
                "opened": None,
                "coordinator": None,
            }
        if stage is not None and row["stage"] != stage.value:
            continue
        if coordinator is not None and row["coordinator"] != coordinator:
            continue
        if framework is not None and row["framework"] != framework:
            continue
        if settings is not None:
            items = due.items(
                all_facts[case_id],
                gap_days=settings.monitoring_gap_days,
                review_months=settings.review_period_months,
            )
            row["overdue"] = sum(i.overdue(st.day()) for i in items)
            if not row["overdue"]:
                continue
        rows.append(row)
    if as_json:
        echo_json(rows)
        return
    _table(rows, (*LIST_COLUMNS, "overdue") if overdue else LIST_COLUMNS)


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    from juhtum.i18n import _

    headers = {c: _(HEADERS.get(c, c)) for c in columns}
    cells = [[str(r.get(c) or "-") for c in columns] for r in rows]
    widths = [
        max([len(headers[c])] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)
    ]
    echo("  ".join(headers[c].ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def people_of(repo: Any, case_id: str, today: Any) -> dict[str, dict[str, Any]]:
    """Everyone registered in a case: handle -> name, roles, organisation."""
    from juhtum import validation

    docs, _problems = validation.read_case(repo, case_id, validation.Options(today=today))
    return people_in(docs)


def people_in(docs: list[Any]) -> dict[str, dict[str, Any]]:
    from juhtum.model.case import as_list, as_str

    return {
        doc.name.split("/")[1].removesuffix(".yaml"): {
            "name": as_str(doc.fields.get("name")),
            "roles": [r for r in as_list(doc.fields.get("roles")) if isinstance(r, str)],
            "organisation": as_str(doc.fields.get("organisation")),
        }
        for doc in docs
        if doc.kind == "person"
    }


def goal_progress(case_facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each active goal: its deadline, the latest evaluation's result, its actions done."""
    results: dict[str, str] = {}
    for evaluation in case_facts["evaluations"]:
        for result in evaluation["results"]:
            if result.get("goal") and result.get("result"):
                results[result["goal"]] = result["result"]
    goals = []
    for goal in case_facts["goals"]:
        serving = [a for a in case_facts["actions"] if goal["id"] in a.get("goals", [])]
        goals.append(
            {
                "id": goal["id"],
                "deadline": goal["deadline"],
                "result": results.get(goal["id"] or ""),
                "actions": len(serving),
                "done": sum(a["status"] == "done" for a in serving),
            }
        )
    return goals


@commands.command()
def show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One case on one screen: state, goals with progress, open actions, next review, people."""
    from juhtum import validation
    from juhtum.i18n import _
    from juhtum.model import stages

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    summary = validation.case_summary(repo, case_id)
    docs, problems = validation.read_case(repo, case_id, validation.Options(today=st.day()))
    people = people_in(docs)
    documents = []
    counts = {
        "monitoring": 0,
        "evaluation": 0,
        "meeting": 0,
        "handover": 0,
        "followup": 0,
        "diary": 0,
    }
    for doc in docs:
        if doc.kind == "person":
            continue
        if doc.kind in counts:
            counts[doc.kind] += 1
        elif doc.kind != "case":
            documents.append(doc.name)
    from juhtum.model import facts as facts_model
    from juhtum.model.case import Case

    settings = validation.load_settings(repo, [])
    case_facts = facts_model.extract(Case(case_id, f"cases/{case_id}", docs), settings)
    progress = goal_progress(case_facts)
    today = st.day().isoformat()
    open_actions = [a for a in case_facts["actions"] if a["status"] not in ("done", "cancelled")]
    upcoming = sorted(
        [r for r in (case_facts["plan"] or {}).get("reviews", []) if r >= today]
        + [e["next_review"] for e in case_facts["evaluations"][-1:] if e.get("next_review")]
    )
    next_review = upcoming[0] if upcoming else None
    checks = {
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "todos": sum(p.severity == "todo" for p in problems),
    }
    if as_json:
        echo_json(
            {
                **summary,
                "people": people,
                "documents": documents,
                "entries": counts,
                "checks": checks,
                "goals": progress,
                "open_actions": open_actions,
                "next_review": next_review,
                "not_signed": (case_facts["plan"] or {}).get("not_signed", []),
                "diary": case_facts["diary"],
            }
        )
        return
    stage = summary["stage"]
    echo(_("Case {id} ({framework})").format(id=case_id, framework=summary["framework"] or "?"))
    if stage in stages.STAGES:
        echo(
            _("State: {stage} - juhis {clause}, {title}").format(
                stage=stage, clause=stages.CLAUSE[stage], title=_(stages.TITLE[stage])
            )
        )
    echo(_("Opened: {date}").format(date=summary["opened"] or "?"))
    coordinator = summary["coordinator"]
    if coordinator:
        name = people.get(coordinator, {}).get("name") or "?"
        echo(_("Coordinator: {handle} ({name})").format(handle=coordinator, name=name))
    else:
        echo(_("Coordinator: not yet assigned (juhis §1.4)"))
    echo(_("People:"))
    for handle, person in sorted(people.items()):
        roles = ", ".join(_(ROLES.get(r, r)) for r in person["roles"])
        org = f", {person['organisation']}" if person["organisation"] else ""
        echo(f"  {handle}: {person['name'] or '?'} ({roles}{org})")
    if progress:
        echo(_("Goals:"))
        for goal in progress:
            outcome = str(goal["result"] or "")
            result = _(outcome) if outcome else _("not evaluated yet")
            echo(
                "  "
                + _("{goal} (by {deadline}): {result}; actions done {done}/{total}").format(
                    goal=goal["id"],
                    deadline=goal["deadline"] or "?",
                    result=result,
                    done=goal["done"],
                    total=goal["actions"],
                )
            )
    if open_actions:
        echo(_("Open actions:"))
        for action in open_actions:
            late = " " + _("OVERDUE") if (action["deadline"] or "9") < today else ""
            echo(
                f"  {action['id']}: {action['deadline'] or '?'}{late}  "
                f"{', '.join(action['responsible'])}  ({_(action['status'])})"
            )
    if next_review:
        echo(_("Next review: {date}").format(date=next_review))
    show_practice(case_facts)
    echo(_("Documents: {names}").format(names=", ".join(documents) or "-"))
    echo(
        _(
            "Entries: {monitoring} monitoring, {evaluation} evaluations, {meeting} meetings, "
            "{handover} handovers, {followup} follow-ups"
        ).format(**counts)
    )
    echo(
        _(
            "Checks: {errors} errors, {warnings} warnings, {todos} to-dos "
            "(juhtum validate cases/{id} --todo lists them)"
        ).format(id=case_id, **checks)
    )


def show_practice(case_facts: dict[str, Any]) -> None:
    """Who did not sign the plan and why (juhis §4.2), and the case diary (§3, §5.1)."""
    from juhtum.i18n import _

    not_signed = (case_facts["plan"] or {}).get("not_signed", [])
    if not_signed:
        echo(_("Not signed (juhis §4.2):"))
        statuses = {
            "refused": N_("refused to sign"),
            "unable": N_("cannot sign"),
            "oral": N_("agreed orally"),
        }
        for row in not_signed:
            why = _(statuses.get(row["status"] or "", "?"))
            if row.get("cause"):
                why += f" ({row['cause']})"
            line = _("  {party}: {why} on {date}").format(
                party=row["party"], why=why, date=row["date"] or "?"
            )
            if row.get("in_force"):
                line += "; " + _("the plan is in force without it since {date}").format(
                    date=row["in_force"]
                )
            echo(line)
    diary = case_facts.get("diary") or []
    if diary:
        echo(_("Case diary (juhis §3):"))
        for entry in diary:
            echo(f"  {entry['date'] or '?'}  {entry['kind'] or '?'}  {entry['file']}")
