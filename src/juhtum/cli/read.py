"""``juhtum show`` and ``juhtum list``: reading cases."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.app import Stage, app, echo, echo_json, state
from juhtum.i18n import N_

LIST_COLUMNS = ("id", "stage", "framework", "opened", "coordinator")
HEADERS = {
    "id": N_("id"),
    "stage": N_("state"),
    "framework": N_("framework"),
    "opened": N_("opened"),
    "coordinator": N_("coordinator"),
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


@app.command("list")
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
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the cases of the repository: id, state, framework, opened, coordinator."""
    from juhtum import validation

    repo = state(ctx).repository()
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
        if stage is None or row["stage"] == stage.value:
            rows.append(row)
    if as_json:
        echo_json(rows)
        return
    _table(rows, LIST_COLUMNS)


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


@app.command()
def show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one case: its state, people, documents and what the checks say."""
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
    counts = {"monitoring": 0, "evaluation": 0, "meeting": 0, "handover": 0, "followup": 0}
    for doc in docs:
        if doc.kind == "person":
            continue
        if doc.kind in counts:
            counts[doc.kind] += 1
        elif doc.kind != "case":
            documents.append(doc.name)
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
