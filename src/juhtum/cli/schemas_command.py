"""``juhtum schemas``: the installed schemas, and a case repository's copies of them."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.shared import echo, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command("schemas")
def schemas_command(
    ctx: typer.Context,
    path: Annotated[
        bool, typer.Option("--path", help="Print the folder of the installed juhtum's schemas.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Refresh the repository's copies, their catalogue and the editor settings "
            "from the installed juhtum, in one commit.",
        ),
    ] = False,
) -> None:
    """The JSON Schemas: where they are installed, and the case repository's copies of them.

    A case repository keeps copies in .juhtum/schemas/ with a catalogue
    (catalog.json) and VS Code settings (.vscode/settings.json) that map each
    document to its schema, so editors and other validators check documents
    too. After an upgrade of juhtum the copies may be out of date: without
    options this says so, --update refreshes them, and `juhtum validate` warns.

    \b
    Examples:
      juhtum schemas --update
      s=$(juhtum schemas --path)/plan.schema.json
      check-jsonschema --base-uri "file://$s" --schemafile "$s" cases/*/plan.yaml
    """
    from juhtum import history
    from juhtum.documents import schema_copies, schemas
    from juhtum.i18n import _

    if path:
        echo(str(schemas.directory()))
        if not update:
            return
    repo = state(ctx).repository()
    folder = schema_copies.COPIES + "/"
    if update:
        stale, committed = schema_copies.update(repo.root, commit=history.in_git(repo.root))
        names = ", ".join(stale)
        if committed:
            echo(
                _("Refreshed the schema copies in {folder} ({names}) and committed them.").format(
                    folder=folder, names=names or _("the editor settings")
                )
            )
        elif stale:
            echo(
                _("Refreshed the schema copies in {folder} ({names}).").format(
                    folder=folder, names=names
                )
            )
        else:
            echo(_("The schema copies in {folder} were up to date.").format(folder=folder))
        return
    kept = (repo.root / schema_copies.COPIES).is_dir()
    stale = schema_copies.stale_copies(repo.root) if kept else schemas.names()
    if stale:
        echo(stale_message(stale))
    else:
        echo(_("The schema copies in {folder} are up to date.").format(folder=folder))


def stale_message(stale: list[str]) -> str:
    from juhtum import __version__
    from juhtum.documents import schema_copies
    from juhtum.i18n import _

    return _(
        "The schema copies in {folder} differ from those of the installed juhtum {version} "
        "({names}); refresh them with: juhtum schemas --update"
    ).format(folder=schema_copies.COPIES + "/", version=__version__, names=", ".join(stale))
