"""The people of a case: list them, or register someone (people/<handle>.yaml)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.shared import echo, state
from juhtum.cli.workflow import (
    CaseId,
    Force,
    _report,
    _session,
)

commands = typer.Typer(add_completion=False)
"""This module's command; juhtum.cli.app loads it when it is run. Alone in its Typer it would
become the application itself, so completion stays off: its options are what they were."""


@commands.command()
def people(
    ctx: typer.Context,
    case_id: CaseId,
    add: Annotated[
        str | None,
        typer.Option(
            "--add",
            help="Register someone under this handle (a role or initials, never a name).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", show_default=False, help="Their name.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            show_default=False,
            help="Their role(s): client, representative, coordinator, specialist, "
            "provider, network, other.",
        ),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", show_default=False, help="Their organisation.")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", show_default=False, help="Their e-mail.")
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", show_default=False, help="Their phone.")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            "-f",
            show_default=False,
            help="With --add: the person's whole file (name, roles, personal code, address...) "
            "from this file, - for stdin.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    force: Force = False,
    basis: Annotated[
        str | None,
        typer.Option(
            "--basis",
            show_default=False,
            help="A representative's right rests on: custody, guardianship (a court's "
            "decision) or other (with --basis-text).",
        ),
    ] = None,
    basis_text: Annotated[
        str | None,
        typer.Option("--basis-text", show_default=False, help="What the right rests on, in words."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", show_default=False, help="A representative's first day (YYYY-MM-DD)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", show_default=False, help="A representative's last day (YYYY-MM-DD)."
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            show_default=False,
            help="The number and date of the court decision the right rests on.",
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--end",
            show_default=False,
            help="End this representative's period on --date (custody ended, guardian "
            "released); what they signed before stays valid.",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", show_default=False, help="With --end: the last day (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """List the people of a case, or register someone (people/<handle>.yaml).

    Everyone is named once, in their own file; documents refer to them by handle.
    Personal codes and addresses never go on the command line (shell history keeps
    them): give them in a file with --file, or later with juhtum edit ID HANDLE.
    A legal representative (--role representative) is also listed in case.yaml;
    --basis, --from and --until record what their right rests on and when it holds,
    and --end HANDLE --date D ends it: consent, signatures and notifications are
    checked against the representatives of their own day.
    """
    from juhtum.cli.shared import echo_json
    from juhtum.errors import UsageError
    from juhtum.i18n import N_
    from juhtum.workflow import registering, targets

    period = _period_options(add, role, basis, basis_text, start, until, reference, end, date)
    if end is not None:
        from juhtum import representation

        with _session(ctx, case_id, force) as s:
            _report(s, representation.end(s, end, period["date"]))
        return
    if add is None:
        from juhtum.cli.read import people_of

        st = state(ctx)
        found = people_of(st.repository(), case_id, st.day())
        if as_json:
            echo_json(found)
            return
        from juhtum.cli.shared import wrapped
        from juhtum.i18n import labels

        for handle, person in sorted(found.items()):
            roles = labels(person["roles"]) + _period_text(person.get("representation"))
            echo(wrapped(f"{handle}: {person['name'] or '?'} ({roles})", "", "    "))
        return
    if file is not None:
        from juhtum.cli.editor import obtain

        with _session(ctx, case_id, force) as s:
            _report(
                s,
                obtain(
                    s,
                    lambda s: targets.Target(f"people/{add}.yaml", "person", {}, None),
                    file,
                    lambda target, text: registering.add_person(
                        s, add, targets.stored(s, target.name, text)
                    ),
                    command="people",
                ),
            )
        return
    if not name or not role:
        raise UsageError(N_("--add needs --name and at least one --role, or --file"))
    _check_roles(role)
    document = registering.person_document(
        case_id, name=name, roles=role, organisation=organisation, email=email, phone=phone
    )
    if period:
        from juhtum import representation

        document = representation.with_representation(document, **period)
    with _session(ctx, case_id, force) as s:
        _report(s, registering.add_person(s, add, document))


def _period_options(
    add: str | None,
    role: list[str] | None,
    basis: str | None,
    basis_text: str | None,
    start: str | None,
    until: str | None,
    reference: str | None,
    end: str | None,
    date: str | None,
) -> dict[str, Any]:
    """The representation options, checked: with --add of a representative, or --end."""
    import datetime as dt

    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    for option, value in (("--from", start), ("--until", until), ("--date", date)):
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise UsageError(
                    N_("{option} {date} is not a real date: write YYYY-MM-DD, a day the month has"),
                    option=option,
                    date=value,
                ) from None
    given = [
        option
        for option, value in (
            ("--basis", basis),
            ("--basis-text", basis_text),
            ("--from", start),
            ("--until", until),
            ("--reference", reference),
        )
        if value is not None
    ]
    if end is not None:
        if add is not None or given:
            raise UsageError(
                N_("--end goes alone, with --date: juhtum people ID --end HANDLE --date D")
            )
        if date is None:
            raise UsageError(N_("--end needs --date: the representative's last day"))
        return {"date": dt.date.fromisoformat(date)}
    if date is not None:
        raise UsageError(N_("--date goes with --end"))
    if not given:
        return {}
    if add is None or "representative" not in (role or []):
        raise UsageError(
            N_("{options} go with --add HANDLE --role representative"), options=", ".join(given)
        )
    if basis is not None:
        from juhtum import representation

        representation.check_basis(basis)
    if basis == "other" and not basis_text:
        raise UsageError(N_("--basis other needs --basis-text: what the right rests on"))
    return {
        "basis": basis,
        "start": start,
        "until": until,
        "reference": reference,
        "basis_text": basis_text,
    }


def _period_text(held: dict[str, Any] | None) -> str:
    """ "; parental custody, 12.03.2024 - 14.06.2026": a representative's basis and period."""
    if not held:
        return ""
    from juhtum.i18n import date, label

    start, until = held.get("from"), held.get("until")
    period = f"{date(start) if start else '…'} – {date(until) if until else '…'}"
    basis = held.get("basis")
    return "; " + (f"{label(basis)}, {period}" if basis else period)


def _check_roles(given: list[str]) -> None:
    """A role the schema does not know is refused before anything is written, with the roles
    it knows as a person reads them ("client (klient)")."""
    from juhtum.documents import schemas
    from juhtum.errors import UsageError
    from juhtum.i18n import N_, label

    field = schemas.field_index("person").get(("roles", "*"))
    known = [str(r) for r in (field.enum if field is not None and field.enum else [])]
    unknown = [r for r in given if r not in known]
    if known and unknown:
        raise UsageError(
            N_("--role {role} is not a role; the roles are: {roles}"),
            role=unknown[0],
            roles=", ".join(r if label(r) == r else f"{r} ({label(r)})" for r in known),
        )
