"""``juhtum specialists``: the organisation's specialists, registered once per repository."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.shared import commit_date, echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def specialists(
    ctx: typer.Context,
    add: Annotated[
        str | None,
        typer.Option(
            "--add",
            metavar="HANDLE",
            help="Register a specialist with this handle (what documents name them by).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="With --add: their first and last name.", show_default=False),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="With --add: where they work. Default: the organisation of juhtum.yaml.",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help="With --add: their position, e.g. case coordinator, social worker.",
            show_default=False,
        ),
    ] = None,
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            help="With --add: their work e-mail (juhtum knows them by git's user.email).",
            show_default=False,
        ),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option("--phone", help="With --add: their work phone.", show_default=False),
    ] = None,
    age_recipient: Annotated[
        str | None,
        typer.Option(
            "--age-recipient",
            metavar="AGE1…",
            help="With --add: their age public key (age-keygen -y KEYFILE prints it); the "
            "cases they may read are encrypted to it.",
            show_default=False,
        ),
    ] = None,
    signing_key: Annotated[
        str | None,
        typer.Option(
            "--signing-key",
            metavar="KEY",
            help="With --add: the SSH public key (or its .pub file) they sign commits with "
            "(juhtum verify).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the organisation's specialists, or register one (specialists/<handle>.yaml).

    A specialist registered here can be named in any case's documents (coordinator,
    responsible party, signer) without registering them in every case's people/.
    juhtum knows you as the specialist whose e-mail is git's user.email, or by
    JUHTUM_ME=HANDLE; juhtum new then makes you the new case's coordinator.

    \b
    Examples:
      juhtum specialists
      juhtum specialists --add mt --name "Mari Tamm" \\
          --role "sotsiaaltöötaja" --email mari@vald.ee
    """
    from juhtum import specialists as model
    from juhtum.errors import UsageError
    from juhtum.i18n import N_, _
    from juhtum.model.case import as_dict, as_str
    from juhtum.verification import signing_key as read_signing_key

    st = state(ctx)
    repo = st.repository()
    if add is None:
        if any(
            v is not None
            for v in (name, organisation, role, email, phone, age_recipient, signing_key)
        ):
            raise UsageError(
                N_(
                    "--name, --organisation, --role, --email, --phone and --age-recipient go "
                    "with --add"
                )
            )
        registered = model.read_all(repo)
        rows = [
            {
                "handle": handle,
                "name": as_str(data.get("name")),
                "organisation": as_str(data.get("organisation")),
                "role": as_str(data.get("role")),
                "email": as_str(data.get("email")),
            }
            for handle, data in sorted(registered.items())
        ]
        if as_json:
            echo_json(rows)
            return
        if not rows:
            echo(
                _(
                    "No specialists are registered. Register one: juhtum specialists --add "
                    'HANDLE --name "NAME"'
                )
            )
            return
        for row in rows:
            details = ", ".join(v for v in (row["role"], row["organisation"], row["email"]) if v)
            echo(f"{row['handle']}: {row['name'] or '?'}" + (f" ({details})" if details else ""))
        return
    if not name or not name.strip():
        raise UsageError(
            N_('give the specialist\'s name: juhtum specialists --add {handle} --name "NAME"'),
            handle=add,
        )
    from juhtum.storage import create

    org = organisation or as_str(as_dict(create.read_config(repo).get("organisation")).get("name"))
    if not org:
        raise UsageError(N_("give the specialist's organisation: --organisation NAME"))
    path = model.register(
        repo,
        model.Specialist(
            add,
            name.strip(),
            org,
            role=role,
            email=email,
            phone=phone,
            age_recipient=age_recipient,
            signing_key=read_signing_key(signing_key)[0] if signing_key else None,
        ),
        commit_date=commit_date(st),
    )
    if as_json:
        echo_json({"handle": add, "path": path})
    else:
        echo(_("Registered the specialist {handle} ({path}).").format(handle=add, path=path))
