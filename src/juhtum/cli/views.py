"""Seeing the work: ``due``, ``services``, ``report`` and ``export``."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from juhtum.cli.app import echo, echo_json, is_terminal, names_wanted, state
from juhtum.i18n import N_

if TYPE_CHECKING:
    from pathlib import Path

    from juhtum.export.blocks import Block
    from juhtum.model.case import Case

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

_SPAN = re.compile(r"(\d+)\s*([dwm]?)\Z")


def parse_span(text: str) -> int:
    """``14d``, ``2w``, ``3m`` (30 days a month) or a number of days, as days."""
    match = _SPAN.match(text.strip().lower())
    if not match:
        from juhtum.i18n import _

        raise typer.BadParameter(_("{text}: write it as 14d, 2w or 3m").format(text=repr(text)))
    n, unit = int(match.group(1)), match.group(2) or "d"
    return n * {"d": 1, "w": 7, "m": 30}[unit]


@commands.command()
def due(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="How far ahead: 14d, 2w, 3m.")] = "14d",
    coordinator: Annotated[
        str | None,
        typer.Option(
            "--coordinator",
            help="Only the cases of this coordinator (a handle).",
            show_default=False,
        ),
    ] = None,
    mine: Annotated[
        bool,
        typer.Option(
            "--mine",
            help="Only my cases: those coordinated by the specialist JUHTUM_ME names, else "
            "the one whose e-mail is git's user.email.",
        ),
    ] = False,
    names: Annotated[
        bool | None,
        typer.Option(
            "--names/--no-names",
            help="Show each case's person by name (default: only on a terminal; never in --json).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Everything that needs doing, soonest first; what is overdue stands out.

    Plan actions not done by their deadline (their status from the latest monitoring
    update), interim reviews due, a plan whose first review is later than the
    repository's review period, plans waiting for signatures, network-meeting
    agreements, follow-up contacts agreed at closing, and cases in implementation
    without a monitoring entry for longer than juhtum.yaml's monitoring_gap_days
    (60). The exit code is 0 either way.
    """
    from juhtum import views
    from juhtum.i18n import _, ngettext, render
    from juhtum.model import due as due_model

    days = parse_span(within)
    st = state(ctx)
    repo = st.repository()
    if mine:
        from juhtum.cli.read import my_handle

        coordinator = my_handle(repo, coordinator)
    settings = views.settings_of(repo)
    today = st.day()
    found = due_model.due(
        list(views.all_facts(repo, settings)),
        today=today,
        within_days=days,
        coordinator=coordinator,
        gap_days=settings.monitoring_gap_days,
        review_months=settings.review_period_months,
    )
    if as_json:
        echo_json(
            [
                {
                    "date": i.date,
                    "overdue": i.overdue(today),
                    "case": i.case,
                    "coordinator": i.coordinator,
                    "kind": i.kind,
                    "file": i.file,
                    "message": render(i.message, i.args),
                }
                for i in found
            ]
        )
        return
    if not found:
        echo(
            ngettext(
                "Nothing due within {days} day.", "Nothing due within {days} days.", days
            ).format(days=days)
        )
        return
    from juhtum.cli.app import table
    from juhtum.i18n import date

    colour = is_terminal()
    overdue_word = _("OVERDUE")
    label = case_labels(repo, {i.case for i in found}) if names_wanted(names) else {}
    rows = [
        [
            date(item.date),
            overdue_word if item.overdue(today) else "",
            label.get(item.case, item.case),
            item.coordinator or "-",
            render(item.message, item.args),
        ]
        for item in found
    ]
    lines = table(["", "", "", "", ""], rows).split("\n")[1:]  # no headings: the columns speak
    if colour:  # painted once laid out: the escapes take no room on the screen
        painted = f"\x1b[1;31m{overdue_word}\x1b[0m"
        lines = [line.replace(f"  {overdue_word}  ", f"  {painted}  ", 1) for line in lines]
    overdue = sum(i.overdue(today) for i in found)
    lines.append(
        ngettext(
            "{n} due within {days} days, {late} of them overdue.",
            "{n} due within {days} days, {late} of them overdue.",
            len(found),
        ).format(n=len(found), days=days, late=overdue)
    )
    # one write: thousands of lines cost no more than one
    echo("\n".join(lines), painted=True)


def catalogue_names(repo: Any) -> dict[str, str]:
    """The service catalogue's entries: id -> name (what a calendar may say of a service)."""
    from juhtum.check import reading
    from juhtum.model.case import as_str

    names: dict[str, str] = {}
    for path in repo.service_files():
        doc, _source, _problems = reading.read(path, f"services/{path.name}", "service")
        name = as_str(doc.get("name")) if doc is not None else None
        if name:
            names[path.name.removesuffix(".yaml")] = " ".join(name.split())
    return names


def case_labels(repo: Any, case_ids: set[str]) -> dict[str, str]:
    """``id – Name`` for each case, read from its files for the screen only."""
    from juhtum import names

    return {c: names.labelled(c, names.client_name(repo, c)) for c in case_ids}


@commands.command()
def services(
    ctx: typer.Context,
    domain: Annotated[
        str | None,
        typer.Option(
            "--domain",
            help="Only services for this life domain (health, housing, employment...).",
            show_default=False,
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            help="Only services whose name, provider, description or needs hold this text.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The service catalogue: what partner organisations offer, for which needs (services/).

    A planning measure names an entry with catalogue: <id>, and validate checks it exists.
    """
    from juhtum.check import reading
    from juhtum.cli.app import wrapped
    from juhtum.i18n import _, labels, ngettext
    from juhtum.model.case import as_dict, as_list

    repo = state(ctx).repository()
    entries = []
    for path in repo.service_files():
        doc, _source, _problems = reading.read(path, f"services/{path.name}", "service")
        if doc is None or not isinstance(doc.data, dict):
            continue
        data = doc.fields
        text = " ".join(
            str(data.get(k, ""))
            for k in ("name", "provider", "description", "needs", "area", "eligibility")
        )
        if domain and domain not in as_list(data.get("domains")):
            continue
        if search and search.casefold() not in text.casefold():
            continue
        entries.append({"id": path.stem, **data})
    if as_json:
        echo_json(entries)
        return
    if not entries:
        echo(_("No service in the catalogue matches."))
        return
    for entry in entries:
        wait = entry.get("waiting_time") or (
            ngettext("{days} day", "{days} days", entry["waiting_days"]).format(
                days=entry["waiting_days"]
            )
            if "waiting_days" in entry
            else "-"
        )
        echo(wrapped(f"{entry['id']}: {entry.get('name')} ({entry.get('provider')})", "", "    "))
        echo(
            wrapped(
                _("domains: {domains}; typical wait: {wait}").format(
                    # a broken entry is shown as far as it reads (validate says what is wrong)
                    domains=labels([str(d) for d in as_list(entry.get("domains"))]),
                    wait=wait,
                ),
                "  ",
                "    ",
            )
        )
        contact = as_dict(entry.get("contact"))
        reach = ", ".join(str(v) for v in contact.values())
        if reach:
            echo(wrapped(_("contact: {contact}").format(contact=reach), "  ", "    "))


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from juhtum.i18n import _, parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(
            _("{value} is not a date: write it as YYYY-MM-DD").format(value=repr(value)),
            param_hint=option,
        ) from None


@commands.command()
def report(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).", show_default=False)
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="To this date (YYYY-MM-DD); default today.", show_default=False),
    ] = None,
    output: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="table, json, csv, or html: one self-contained page with charts."
        ),
    ] = ReportFormat.table,
    out: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of printing.", show_default=False
        ),
    ] = None,
) -> None:
    """Caseload figures for managers: states, coordinators, time in stages, follow-through.

    Cases by state and coordinator; overdue plan actions; days spent in each
    stage; closings by reason and how many followed an evaluation that decided to
    close; the wait from a measure agreed to the service started; evaluation results
    of goals, by life domain; feedback collected at closing and average satisfaction;
    services whose goal the evaluation found not achieved. Counts and days only: no
    person's data.

    \b
    Example:  juhtum report --from 2026-01-01 --format html -o aruanne.html
    """
    import json

    from juhtum import report_render, views
    from juhtum.model import report as report_model

    st = state(ctx)
    repo = st.repository()
    settings = views.settings_of(repo)
    figures = report_model.build(
        list(views.all_facts(repo, settings)),
        today=st.day(),
        start=_date(start, "--from"),
        end=_date(end, "--to"),
        gap_days=settings.monitoring_gap_days,
        review_months=settings.review_period_months,
    )
    named = settings.organisation.get("name")
    organisation = " ".join(named.split()) if isinstance(named, str) and named.strip() else None
    text = {
        ReportFormat.table: lambda: report_render.as_text(figures, organisation),
        ReportFormat.json: lambda: json.dumps(figures, ensure_ascii=False, indent=2),
        ReportFormat.csv: lambda: report_render.as_csv(figures),
        ReportFormat.html: lambda: report_render.as_html(figures, organisation),
    }[output]()
    if out:
        from pathlib import Path

        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    elif output is ReportFormat.table:
        from juhtum.cli.app import say

        say(text.rstrip("\n"))  # for a person: the long title wrapped to the screen
    else:
        echo(text.rstrip("\n"))


def _refuse_unreadable(problems: list[Any]) -> None:
    """An export needs every document of its case: one that cannot be read is named, never
    taken as absent (a plan with a YAML error is no missing plan)."""
    from juhtum.errors import DocumentError
    from juhtum.i18n import render

    for p in problems:
        if p.severity == "error" and p.rule in ("yaml", "file"):
            raise DocumentError(
                N_("{problem} (the export needs every document of the case: juhtum validate)"),
                path=p.file,
                line=p.line,
                problem=render(p.message, p.args),
            )


def _birth_date(value: object) -> str | None:
    """A birth date as ``YYYY-MM-DD`` for the pseudonymiser, also when it was written the
    Estonian way (``03.06.1971``, which validate reports); None when it is no date."""
    import datetime as dt

    from juhtum.model.case import as_date

    if (day := as_date(value)) is not None:
        return day.isoformat()
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value.strip(), "%d.%m.%Y").date().isoformat()
        except ValueError:
            return None
    return None


class ExportFormat(StrEnum):
    md = "md"
    html = "html"
    ics = "ics"


@commands.command()
def export(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    output: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="md or html: the case "
            "plan (or a meeting's protocol) to print; ics: its deadlines and reviews "
            "for a calendar.",
        ),
    ] = ExportFormat.md,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            help="Export this network "
            "meeting's protocol instead of the plan: its file, e.g. "
            "meetings/2026-03-20-g7h8.yaml, or its date.",
            show_default=False,
        ),
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="Replace names and "
            "personal codes with keyed pseudonyms and drop birth dates, free "
            "text included: for a third party.",
        ),
    ] = False,
    omit_free_text: Annotated[
        bool,
        typer.Option(
            "--omit-free-text",
            help="Leave every free-text "
            "field out (what the schemas type as text: the problem, goals, actions, a "
            "meeting's place and information…), names and dates kept.",
        ),
    ] = False,
    key_file: Annotated[
        str | None,
        typer.Option(
            "--key-file",
            help="The pseudonym key, kept "
            "outside the repository (default ~/.config/juhtum/pseudonym.key, made "
            "when missing). The same key gives the same pseudonyms.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of printing.", show_default=False
        ),
    ] = None,
) -> None:
    """Documents for other people: the plan to print and sign, a protocol, a calendar.

    The case plan with a signature line for every party (§4.2), a network meeting's
    protocol for every participant (seed 004), or the case's deadlines and reviews as
    an iCalendar file.

    \b
    Examples:
      juhtum export tartu-k7m3qx --format html -o juhtumiplaan.html
      juhtum export tartu-k7m3qx --meeting 2026-03-20 --format md
      juhtum export tartu-k7m3qx --format ics -o tahtajad.ics
    """
    from pathlib import Path

    from juhtum.check import reading, repository_level
    from juhtum.errors import UserError
    from juhtum.export import calendar as export_calendar
    from juhtum.export import meeting as export_meeting
    from juhtum.export import omit as export_omit
    from juhtum.export import plan as export_plan
    from juhtum.export import render as export_render
    from juhtum.i18n import N_

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    unreadable: list[Any] = []
    case = whole = reading.parse_case(reading.read_case_files(repo, case_id), unreadable)
    _refuse_unreadable(unreadable)
    if omit_free_text:
        case = export_omit.omit_free_text(case)
    from juhtum import specialists
    from juhtum.safe_text import escape

    colleagues = specialists.read_all(repo)
    if output is ExportFormat.ics:
        lines = export_calendar.calendar(case, catalogue_names(repo)).decode("utf-8").split("\r\n")
        data = "\r\n".join(escape(line, inline=True) for line in lines).encode("utf-8")
    else:
        if meeting is not None:
            found = [
                d
                for d in case.meetings
                if meeting in (d.name, d.date) or d.name == f"meetings/{meeting}"
            ]
            if len(found) != 1:
                raise UserError(
                    N_("case {id} has no single meeting {meeting}; its meetings: {names}"),
                    id=case_id,
                    meeting=meeting,
                    names=", ".join(d.name for d in case.meetings) or "-",
                )
            organisation = repository_level.load_settings(repo, []).organisation
            blocks = export_meeting.meeting_blocks(case, found[0], organisation, colleagues)
        else:
            if case.doc("plan") is None:
                raise UserError(N_("case {id} has no plan yet (juhis §4)"), id=case_id)
            settings = repository_level.load_settings(repo, [])
            blocks = export_plan.plan_blocks(case, settings.organisation, colleagues)
        if pseudonymise:
            blocks = _pseudonymise(
                blocks, whole, Path(key_file) if key_file else None, repo.root, colleagues
            )
        text = (
            export_render.markdown(blocks)
            if output is ExportFormat.md
            else export_render.page(blocks)
        )
        # a document for people to read, printed or saved: no control character survives
        data = escape(text).encode("utf-8")
    if out:
        Path(out).write_bytes(data)
    else:
        import sys

        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()


def _pseudonymise(
    blocks: list[Block],
    case: Case,
    key_file: Path | None,
    root: Path,
    colleagues: dict[str, dict[str, Any]] | None = None,
) -> list[Block]:
    """The blocks with every person pseudonymised, before any escaping; what was replaced,
    counted by kind (never the text), on stderr."""
    import sys

    from juhtum import pseudonym
    from juhtum.export import blocks as export_blocks
    from juhtum.i18n import N_, render
    from juhtum.model.case import as_str

    def text(value: Any) -> str | None:
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None

    key = pseudonym.load_key(key_file, root)
    people = [
        pseudonym.Person(
            as_str(d.get("name")) or h,
            text(d.get("personal_code")),
            text(d.get("birth_date")),
            tuple(str(d.get(k)) for k in ("address", "email", "phone") if text(d.get(k))),
        )
        for h, d in [
            *((h, d.fields) for h, d in case.people.items()),
            *((h, d) for h, d in (colleagues or {}).items() if h not in case.people),
        ]
    ]
    rewriter = pseudonym.Pseudonymiser(key, people, pseudonym.synthesiser())
    blocks = export_blocks.map_text(blocks, rewriter.apply)
    counts: dict[str, object] = {kind: rewriter.counts[kind] for kind in pseudonym.KINDS}
    summary = N_(
        "replaced: {name} names, {personal_code} personal codes, {birth_date} birth dates, "
        "{phone} phone numbers, {address} addresses, {email} e-mail addresses"
    )
    sys.stderr.write(f"juhtum: {render(summary, counts)}\n")
    if rewriter.exact_only:
        exact = N_(
            "the Estonian morphological analyser is not installed (pip install "
            "'juhtum[morph]'): free text was pseudonymised only by the exact forms of the "
            "names, not their inflected forms"
        )
        sys.stderr.write(f"juhtum: {render(exact, {})}\n")
    return blocks
