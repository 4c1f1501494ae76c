"""``juhtum show`` and ``juhtum list``: reading cases."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.shared import Stage, echo, echo_json, names_wanted, state
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
    "name": N_("person"),
}

MINE_HELP = (
    "Only my cases: those coordinated by the specialist JUHTUM_ME names, else the one "
    "whose e-mail is git's user.email."
)
NAMES_HELP = "Show each case's person by name (default: only on a terminal; never in --json)."


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
    mine: Annotated[bool, typer.Option("--mine", help=MINE_HELP)] = False,
    names: Annotated[
        bool | None, typer.Option("--names/--no-names", help=NAMES_HELP, show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the cases of the repository: id, state, framework, opened, coordinator."""
    from juhtum.check.reading import case_summary
    from juhtum.i18n import _
    from juhtum.model import due
    from juhtum.model.documents import CASE_FILE
    from juhtum.output import view_facts

    st = state(ctx)
    repo = st.repository()
    coordinator = my_handle(repo, coordinator) if mine else coordinator
    settings = view_facts.settings_of(repo) if overdue else None
    all_facts = {f["id"]: f for f in view_facts.all_facts(repo, settings)} if settings else {}
    rows = []
    unreadable: list[str] = []
    for case_id in repo.case_ids():
        try:
            row = case_summary(repo, case_id)
        except Exception:  # a broken case.yaml: list it, say so; validate says what is wrong
            row = {
                "id": case_id,
                "stage": None,
                "framework": None,
                "opened": None,
                "coordinator": None,
                "unreadable": [CASE_FILE],
            }
        if settings is not None:
            broken = [b["file"] for b in all_facts[case_id].get("broken") or []]
            if broken:
                row["unreadable"] = broken
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
            if not row["overdue"] and not row.get("unreadable"):
                continue
        if row.get("unreadable"):
            unreadable += [f"cases/{case_id}/{name}" for name in row["unreadable"]]
        rows.append(row)
    if as_json:
        echo_json(rows)
        return
    columns: tuple[str, ...] = (*LIST_COLUMNS, "overdue") if overdue else LIST_COLUMNS
    if names_wanted(names):
        columns = with_names(repo, rows, columns)
    _table(rows, columns)
    for path in unreadable:  # a typo never makes a case look empty: say which cannot be read
        echo(_("{path} cannot be read: juhtum validate says what is wrong").format(path=path))


def my_handle(repo: Any, coordinator: str | None) -> str:
    """The handle --mine stands for (an error saying how to set it when none)."""
    from juhtum import specialists
    from juhtum.errors import UsageError

    if coordinator is not None:
        raise UsageError(N_("--mine and --coordinator exclude each other"))
    return specialists.require_me(repo)


def with_names(repo: Any, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> tuple[str, ...]:
    """Each row's person by name (read from the case's files, for the screen only)."""
    from juhtum import names

    for row in rows:
        row["name"] = names.client_name(repo, row["id"])
    return (columns[0], "name", *columns[1:])


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    from juhtum.cli.shared import table
    from juhtum.i18n import _, date, label

    def cell(row: dict[str, Any], column: str) -> str:
        value = row.get(column)
        if value is None or value == "":
            return "-"
        if column in ("stage", "framework"):
            return label(value)
        if column == "opened":
            return date(value)
        return str(value)

    headers = [_(HEADERS.get(c, c)) for c in columns]
    echo(table(headers, [[cell(r, c) for c in columns] for r in rows]))


def people_of(repo: Any, case_id: str, today: Any) -> dict[str, dict[str, Any]]:
    """Everyone registered in a case: handle -> name, roles, organisation."""
    from juhtum.check import case_problems
    from juhtum.check.result import Options
    from juhtum.crypto.repository import OPEN, set_mode

    set_mode(OPEN)  # names are plaintext: an encrypted case needs its key
    docs, _problems = case_problems.read_case(repo, case_id, Options(today=today))
    return people_in(docs)


def people_in(docs: list[Any]) -> dict[str, dict[str, Any]]:
    from juhtum.model.case import as_list, as_str

    return {
        doc.name.split("/")[1].removesuffix(".yaml"): {
            "name": as_str(doc.fields.get("name")),
            "roles": [r for r in as_list(doc.fields.get("roles")) if isinstance(r, str)],
            "organisation": as_str(doc.fields.get("organisation")),
            **_representation(doc.fields.get("representation")),
        }
        for doc in docs
        if doc.kind == "person"
    }


def _representation(value: Any) -> dict[str, Any]:
    """A representative's basis and period (määrus nr 10 § 1 (1) 5), when recorded."""
    if not isinstance(value, dict):
        return {}
    return {"representation": {k: value[k] for k in ("basis", "from", "until") if k in value}}


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
    names: Annotated[
        bool | None, typer.Option("--names/--no-names", help=NAMES_HELP, show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One case on one screen: state, goals with progress, open actions, next review, people."""
    from juhtum.crypto.repository import OPEN, set_mode

    set_mode(OPEN)  # an encrypted case is shown to a key holder only
    from juhtum.check.case_problems import read_case
    from juhtum.check.reading import case_summary
    from juhtum.check.repository_level import load_settings
    from juhtum.check.result import Options
    from juhtum.i18n import _
    from juhtum.model import stages
    from juhtum.output.safe_text import escape

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    summary = case_summary(repo, case_id)
    docs, problems = read_case(repo, case_id, Options(today=st.day()))
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
    from juhtum.cli.lifecycle import related_of, show_related
    from juhtum.model import facts as facts_model
    from juhtum.model.case import Case

    settings = load_settings(repo, [])
    folder = f"cases/{case_id}"
    unreadable = facts_model.broken_documents(problems, folder)
    case_facts = facts_model.extract(Case(case_id, folder, docs), settings, unreadable)
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
                "unreadable": unreadable,
                "not_signed": (case_facts["plan"] or {}).get("not_signed", []),
                "diary": case_facts["diary"],
                "notification": (case_facts.get("child") or {}).get("notification"),
                "related": related_of(docs),
            }
        )
        return
    from juhtum.cli.shared import wrapped
    from juhtum.i18n import date, label

    def out(text: str, indent: str = "") -> None:
        echo(wrapped(text, indent, indent + "    "))

    stage = summary["stage"]
    framework = summary["framework"]
    shown = case_id
    if names_wanted(names):
        from juhtum import names as names_model

        shown = names_model.labelled(case_id, names_model.client_name(repo, case_id))
    echo(_("Case {id} ({framework})").format(id=shown, framework=label(framework or "?")))
    if stage in stages.STAGES:
        out(
            _("State: {stage} (juhis {clause})").format(
                stage=label(stage), clause=stages.CLAUSE[stage]
            )
        )
    else:
        out(_("State: missing or unknown in case.yaml ({value})").format(value=stage or "-"))
    echo(_("Opened: {date}").format(date=date(summary["opened"] or "?")))
    notified = (case_facts.get("child") or {}).get("notification")
    if notified:  # never who reported (LasteKS § 27)
        out(
            _(
                "Notification of a child in need: received {received}, decided {decided} "
                "(LasteKS § 27)"
            ).format(
                received=date(notified["received"]),
                decided=date(notified["decided"]) if notified["decided"] else _("not yet"),
            )
        )
    coordinator = summary["coordinator"]
    if coordinator:
        name = people.get(coordinator, {}).get("name")
        if not name:  # a specialist of the organisation (specialists/), not of people/
            from juhtum import specialists

            name = specialists.read_all(repo).get(coordinator, {}).get("name")
        echo(_("Coordinator: {handle} ({name})").format(handle=coordinator, name=name or "?"))
    else:
        echo(_("Coordinator: not yet assigned (juhis §1.4)"))
    echo(_("People:"))
    for handle, person in sorted(people.items()):
        roles = ", ".join(label(r) for r in person["roles"])
        org = f", {person['organisation']}" if person["organisation"] else ""
        out(escape(f"{handle}: {person['name'] or '?'} ({roles}{org})", inline=True), "  ")
    show_related(related_of(docs))  # reopened, sibling, transferred cases (juhis §7, §8)
    if progress:
        echo(_("Goals:"))
        for goal in progress:
            outcome = str(goal["result"] or "")
            result = label(outcome) if outcome else _("not evaluated yet")
            out(
                _("{goal} (by {deadline}): {result}; actions done {done}/{total}").format(
                    goal=goal["id"],
                    deadline=date(goal["deadline"] or "?"),
                    result=result,
                    done=goal["done"],
                    total=goal["actions"],
                ),
                "  ",
            )
    ended = stage in (stages.CLOSED, stages.REFERRED)  # nothing is open or due any more
    if open_actions and not ended:
        echo(_("Open actions:"))
        for action in open_actions:
            late = " " + _("OVERDUE") if (action["deadline"] or "9") < today else ""
            out(
                f"{action['id']}: {date(action['deadline'] or '?')}{late}  "
                f"{', '.join(action['responsible'])}  ({label(action['status'])})",
                "  ",
            )
    if next_review and not ended:
        echo(_("Next review: {date}").format(date=date(next_review)))
    show_practice(case_facts)
    out(_("Documents: {names}").format(names=", ".join(documents) or "-"))
    for entry in unreadable:  # shown as broken, never left out as if absent
        out(
            _("Cannot be read: {file}, line {line} (juhtum validate cases/{id})").format(
                file=entry["file"], line=entry["line"] or "?", id=case_id
            )
        )
    out(
        _(
            "Entries: {monitoring} monitoring, {evaluation} evaluations, {meeting} meetings, "
            "{handover} handovers, {followup} follow-ups"
        ).format(**counts)
    )
    out(
        _(
            "Checks: {errors} errors, {warnings} warnings, {todos} to-dos "
            "(juhtum validate cases/{id} --todo lists them)"
        ).format(id=case_id, **checks)
    )


@commands.command()
def find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="A name, or part of one.")],
    names: Annotated[
        bool | None,
        typer.Option(
            "--names/--no-names",
            help="Show the names found beside the ids (default: only on a terminal).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the cases and handles found (no names).")
    ] = False,
) -> None:
    """Find a case by the name of a person in it; print the case ids.

    Reads every case's people/ directly (nothing keeps names elsewhere). The text
    matches any part of a name, in any letter case, with or without diacritics
    (tonis finds Tõnis). The exit code is 1 when nobody matches.

    \b
    Example:  juhtum find maasikas
    """
    from juhtum import names as names_model
    from juhtum.i18n import _

    repo = state(ctx).repository()
    found = list(names_model.find(repo, text))
    if as_json:
        echo_json([{"case": f.case, "handle": f.handle} for f in found])
    elif names_wanted(names):
        for f in found:
            echo(f"{f.case}  {f.handle}: {f.name}")
    else:
        for case_id in dict.fromkeys(f.case for f in found):
            echo(case_id)
    if not found:
        if not as_json:
            typer.echo(_("Nobody in any case has a name with this text."), err=True)
        raise typer.Exit(1)


def show_practice(case_facts: dict[str, Any]) -> None:
    """Who did not sign the plan and why (juhis §4.2), and the case diary (§3, §5.1)."""
    from juhtum.cli.shared import say
    from juhtum.i18n import _, date, label

    not_signed = (case_facts["plan"] or {}).get("not_signed", [])
    if not_signed:
        say(_("Not signed (juhis §4.2):"))
        statuses = {
            "refused": N_("refused to sign"),
            "unable": N_("cannot sign"),
            "oral": N_("agreed orally"),
        }
        for row in not_signed:
            why = _(statuses.get(row["status"] or "", "?"))
            if row.get("cause"):
                why += f" ({label(row['cause'])})"
            line = _("  {party}: {why} on {date}").format(
                party=row["party"], why=why, date=date(row["date"] or "?")
            )
            if row.get("in_force"):
                line += "; " + _("the plan is in force without it since {date}").format(
                    date=date(row["in_force"])
                )
            say(line)
    diary = case_facts.get("diary") or []
    if diary:
        say(_("Case diary (juhis §3):"))
        for entry in diary:
            say(f"  {date(entry['date'] or '?')}  {label(entry['kind'] or '?')}  {entry['file']}")
