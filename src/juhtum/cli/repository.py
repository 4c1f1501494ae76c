"""``juhtum init`` and ``juhtum new``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juhtum.cli.app import Framework, Lang, commit_date, echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def init(
    path: Annotated[
        Path, typer.Argument(help="Where to make the case repository (made if missing).")
    ] = Path(),
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            "-o",
            help="The organising municipality or institution "
            "(määrus nr 10 § 1 (1) 2). Default: the folder's name.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        Lang, typer.Option("--language", help="Language of messages for everyone.")
    ] = Lang.et,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            "--id-prefix", help="Start every new case id with this, e.g. tartu.", show_default=False
        ),
    ] = None,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="A plain folder, without git history.")
    ] = False,
) -> None:
    """Make a case repository: juhtum.yaml, cases/, the schemas, and a git repository.

    The schemas are copied to .juhtum/schemas/ so that editors (with the YAML
    language server) and other validators can check documents too. git is set
    to fsync what it commits and to check what it receives.

    Then fill in the organisation's address, e-mail and phone in juhtum.yaml:
    the regulation on case plans asks for them.

    \b
    Example:  juhtum init tartu-cases --organisation "Tartu Linnavalitsus" --id-prefix tartu
    """
    from juhtum import cases

    name = organisation or path.resolve().name or "juhtum"
    created = cases.init_repository(
        path, organisation=name, language=language.value, id_prefix=id_prefix, use_git=not no_git
    )
    from juhtum.i18n import _

    echo(_("Made a case repository in {path}.").format(path=created.root))
    echo(
        _(
            "Next: fill in the organisation's details in juhtum.yaml, then open a case with "
            "juhtum new --client NAME"
        )
    )


@commands.command()
def new(
    ctx: typer.Context,
    client: Annotated[
        str,
        typer.Option(
            "--client",
            help="The person's name (the rest of their details go in "
            "through their file, never on the command line).",
        ),
    ],
    framework: Annotated[
        Framework,
        typer.Option(
            "--framework",
            help="adult, or child for child protection (the child wellbeing triangle).",
        ),
    ] = Framework.adult,
    case_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Choose the case id (lowercase letters, digits, single "
            "hyphens). Default: a new random id.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id": ...}.')] = False,
) -> None:
    """Open a case in the need stage (juhis §1); print its id as the last line.

    Writes cases/<id>/case.yaml and cases/<id>/people/client.yaml, and commits
    them when the repository is in git. The id is unique without a central
    counter, so specialists working offline never draw the same one.

    \b
    Example:  juhtum new --client "Mari Maasikas"
    """
    from juhtum import cases

    st = state(ctx)
    repo = st.repository()
    new_id = cases.new_case(
        repo,
        client_name=client,
        today=st.day(),
        framework=framework.value,
        case_id=case_id,
        commit_date=commit_date(st),
    )
    if as_json:
        echo_json({"id": new_id})
    else:
        echo(new_id)
