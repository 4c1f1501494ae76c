"""Seeing the work: ``due`` (what needs doing, soonest first), ``report`` (caseload figures)
and ``services`` (the service catalogue)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

import typer

from juhtum.cli.shared import echo, echo_json, is_terminal, names_wanted, state

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
    from juhtum.i18n import _, ngettext, render
    from juhtum.model import due as due_model
    from juhtum.output import view_facts

    days = parse_span(within)
    st = state(ctx)
    repo = st.repository()
    if mine:
        from juhtum.cli.read import my_handle

        coordinator = my_handle(repo, coordinator)
    settings = view_facts.settings_of(repo)
    today = st.day()
    found = due_model.due(
        view_facts.all_facts(repo, settings),
        today=today,
        within_days=days,
        coordinator=coordinator,
        gap_days=settings.monitoring_gap_days,
        review_months=settings.review_period_months,
        retention=retention_of(repo),  # issue 13: ended cases kept past juhtum.yaml's period
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
    from juhtum.cli.shared import table
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


def retention_of(repo: Any) -> Any:
    from juhtum.errors import UserError
    from juhtum.model.retention import of_config
    from juhtum.storage.create import read_config

    try:
        return of_config(read_config(repo))
    except (OSError, UserError):
        return None  # validate reports a juhtum.yaml it cannot read


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
    from juhtum.cli.shared import wrapped
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

    from juhtum.model import report as report_model
    from juhtum.output import report_formats, view_facts

    st = state(ctx)
    repo = st.repository()
    settings = view_facts.settings_of(repo)
    figures = report_model.build(
        view_facts.all_facts(repo, settings),
        today=st.day(),
        start=_date(start, "--from"),
        end=_date(end, "--to"),
        gap_days=settings.monitoring_gap_days,
        review_months=settings.review_period_months,
    )
    named = settings.organisation.get("name")
    organisation = " ".join(named.split()) if isinstance(named, str) and named.strip() else None
    text = {
        ReportFormat.table: lambda: report_formats.as_text(figures, organisation),
        ReportFormat.json: lambda: json.dumps(figures, ensure_ascii=False, indent=2),
        ReportFormat.csv: lambda: report_formats.as_csv(figures),
        ReportFormat.html: lambda: report_formats.as_html(figures, organisation),
    }[output]()
    if out:
        from pathlib import Path

        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    elif output is ReportFormat.table:
        from juhtum.cli.shared import say

        say(text.rstrip("\n"))  # for a person: the long title wrapped to the screen
    else:
        echo(text.rstrip("\n"))
