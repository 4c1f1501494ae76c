"""Seeing the work: ``due``, ``services``, ``report`` and ``export``."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from juhtum.cli.app import app, echo, echo_json, is_terminal, state

_SPAN = re.compile(r"(\d+)\s*([dwm]?)\Z")


def parse_span(text: str) -> int:
    """``14d``, ``2w``, ``3m`` (30 days a month) or a number of days, as days."""
    match = _SPAN.match(text.strip().lower())
    if not match:
        raise typer.BadParameter(f"{text!r}: write it as 14d, 2w or 3m")
    n, unit = int(match.group(1)), match.group(2) or "d"
    return n * {"d": 1, "w": 7, "m": 30}[unit]


@app.command()
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
    from juhtum.i18n import _, render
    from juhtum.model import due as due_model

    days = parse_span(within)
    st = state(ctx)
    repo = st.repository()
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
        echo(_("Nothing due within {days} days.").format(days=days))
        return
    colour = is_terminal()
    overdue_word = _("OVERDUE")
    for item in found:
        late = item.overdue(today)
        mark = overdue_word if late else " " * len(overdue_word)
        if late and colour:
            mark = f"\x1b[1;31m{mark}\x1b[0m"
        echo(
            f"{item.date}  {mark}  {item.case:<16} {item.coordinator or '-':<10} "
            f"{render(item.message, item.args)}"
        )
    overdue = sum(i.overdue(today) for i in found)
    echo(
        _("{n} due within {days} days, {late} of them overdue.").format(
            n=len(found), days=days, late=overdue
        )
    )


@app.command()
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
    from juhtum import validation
    from juhtum.i18n import _

    repo = state(ctx).repository()
    entries = []
    for path in repo.service_files():
        doc, _source, _problems = validation.read(path, f"services/{path.name}", "service")
        if doc is None or not isinstance(doc.data, dict):
            continue
        data = doc.fields
        text = " ".join(
            str(data.get(k, ""))
            for k in ("name", "provider", "description", "needs", "area", "eligibility")
        )
        if domain and domain not in data.get("domains", []):
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
            _("{days} days").format(days=entry["waiting_days"]) if "waiting_days" in entry else "-"
        )
        echo(f"{entry['id']}: {entry.get('name')} ({entry.get('provider')})")
        echo(
            "  "
            + _("domains: {domains}; typical wait: {wait}").format(
                domains=", ".join(entry.get("domains", [])), wait=wait
            )
        )
        contact = entry.get("contact") or {}
        reach = ", ".join(str(v) for v in contact.values())
        if reach:
            echo("  " + _("contact: {contact}").format(contact=reach))
