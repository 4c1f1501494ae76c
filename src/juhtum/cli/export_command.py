"""``juhtum export``: documents for other people, the plan to print and sign, a meeting's
protocol, the deadlines as a calendar; pseudonymised or without free text on request."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from juhtum.cli.shared import state
from juhtum.i18n import N_

if TYPE_CHECKING:
    from pathlib import Path

    from juhtum.model.case import Case
    from juhtum.output.export.blocks import Block

commands = typer.Typer(add_completion=False)
"""This module's command; juhtum.cli.app loads it when it is run. Alone in its Typer it would
become the application itself, so completion stays off: its options are what they were."""


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
    bundle: Annotated[
        str | None,
        typer.Option(
            "--bundle",
            metavar="DIR",
            help="A case closed as transferred (§8): write its documents, a printable "
            "summary and a manifest of content hashes into DIR for the receiving organisation.",
            show_default=False,
        ),
    ] = None,
    subject_access: Annotated[
        bool,
        typer.Option(
            "--subject-access",
            help="Everything recorded about the person, for them (GDPR art. 15): a folder "
            "(--output DIR) with every document, the diary and the history of changes; "
            "other people's data and a notification's reporter withheld, and the "
            "withholding stated.",
        ),
    ] = False,
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
      juhtum export tartu-k7m3qx --bundle ../uleandmine
    """
    if bundle is not None:
        from juhtum.cli.lifecycle import export_bundle

        export_bundle(ctx, case_id, bundle)
        return
    from pathlib import Path

    from juhtum.check import reading, repository_level
    from juhtum.crypto.repository import OPEN, set_mode
    from juhtum.errors import UserError
    from juhtum.i18n import N_
    from juhtum.output.export import calendar as export_calendar
    from juhtum.output.export import case_plan as export_plan
    from juhtum.output.export import markup as export_render
    from juhtum.output.export import meeting as export_meeting
    from juhtum.output.export import omit as export_omit

    set_mode(OPEN)  # an export is plaintext: an encrypted case needs its key
    st = state(ctx)
    if subject_access:  # issue 13: the person's own copy (juhtum.subject_access)
        from juhtum.cli.subject_access import subject_access_export

        return subject_access_export(st, case_id, out)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    unreadable: list[Any] = []
    case = whole = reading.parse_case(reading.read_case_files(repo, case_id), unreadable)
    _refuse_unreadable(unreadable)
    case = whole = export_omit.without_confidential(case)  # never a reporter (LasteKS § 27)
    if omit_free_text:
        case = export_omit.omit_free_text(case)
    from juhtum import specialists
    from juhtum.output.safe_text import escape

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
        from juhtum.marking import marked

        blocks = marked(blocks, repo, st.day())  # AvTS § 35 where juhtum.yaml asks for it
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

    from juhtum.i18n import N_, render
    from juhtum.model.case import as_str
    from juhtum.output import pseudonym
    from juhtum.output.export import blocks as export_blocks

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
