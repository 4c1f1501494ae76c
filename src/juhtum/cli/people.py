"""The people of a case: list them, or register someone (people/<handle>.yaml)."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.app import echo, state
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
) -> None:
    """List the people of a case, or register someone (people/<handle>.yaml).

    Everyone is named once, in their own file; documents refer to them by handle.
    Personal codes and addresses never go on the command line (shell history keeps
    them): give them in a file with --file, or later with juhtum edit ID HANDLE.
    A legal representative (--role representative) is also listed in case.yaml.
    """
    from juhtum import steps
    from juhtum.cli.app import echo_json
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    if add is None:
        from juhtum.cli.read import people_of

        st = state(ctx)
        found = people_of(st.repository(), case_id, st.day())
        if as_json:
            echo_json(found)
            return
        from juhtum.cli.app import wrapped
        from juhtum.i18n import labels

        for handle, person in sorted(found.items()):
            roles = labels(person["roles"])
            echo(wrapped(f"{handle}: {person['name'] or '?'} ({roles})", "", "    "))
        return
    if file is not None:
        from juhtum.cli.editor import obtain

        with _session(ctx, case_id, force) as s:
            _report(
                s,
                obtain(
                    s,
                    lambda s: steps.Target(f"people/{add}.yaml", "person", {}, None),
                    file,
                    lambda target, text: steps.add_person(
                        s, add, steps.stored(s, target.name, text)
                    ),
                    command="people",
                ),
            )
        return
    if not name or not role:
        raise UsageError(N_("--add needs --name and at least one --role, or --file"))
    _check_roles(role)
    document = steps.person_document(
        case_id, name=name, roles=role, organisation=organisation, email=email, phone=phone
    )
    with _session(ctx, case_id, force) as s:
        _report(s, steps.add_person(s, add, document))


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
