"""``juhtum validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juhtum.cli.shared import Format, echo, is_terminal, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="What to check: the repository (default), case folders, or single files "
            "(the cases holding them are checked, as a pre-commit hook passes them).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text for people, json for programs, github for GitHub Actions "
            "annotations, gitlab for a GitLab code quality report (JSON).",
        ),
    ] = Format.text,
    legal: Annotated[
        bool,
        typer.Option(
            "--legal",
            help="Also list what the regulation on case plans (määrus nr 10) "
            "requires and a case plan lacks.",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="JUHTUM_NO_CACHE",
            help="Check every case anew, "
            "without .juhtum/cache (which a repeated run uses for the cases whose "
            "files, schemas and settings have not changed).",
        ),
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Check only the cases whose files differ from git revision REV (a branch, "
            "tag or commit: committed since, staged, changed or new), and always juhtum.yaml "
            "and the service catalogue; every case when one of those changed. A record "
            "deleted or rewritten since REV is an error (append-only).",
            show_default=False,
        ),
    ] = None,
    todo: Annotated[
        bool,
        typer.Option(
            "--todo",
            help="Also list the to-dos: what the documents of stages in progress still need.",
        ),
    ] = False,
) -> None:
    """Check documents, invariants and stages; exit 1 on any error.

    Every document is checked against its JSON Schema, every case against the
    invariants of the guideline (I1-I17: consent before information, one
    coordinator, a signed plan, no closing without evaluation, ...) and its
    stage: the document of the current stage may be a draft (what it still
    lacks is a to-do), every earlier stage's document must be complete.
    Warnings are shown and counted but do not fail.

    \b
    Examples:
      juhtum validate
      juhtum validate cases/tartu-k7m3qx --format json
      juhtum validate --legal --format github
      juhtum validate --changed-since origin/main
      juhtum validate --format gitlab > gl-code-quality-report.json
    """
    from juhtum.check.changed import (
        append_only_problems,
        cases_changed_since,
        cases_for_paths,
    )
    from juhtum.check.result import Options
    from juhtum.check.runner import validate
    from juhtum.errors import UsageError
    from juhtum.i18n import N_
    from juhtum.output import reporters

    st = state(ctx)
    repo = st.repository()
    # the text report counts to-dos unless --todo lists them: they need not be made
    options = Options(today=st.day(), legal=legal, list_todos=todo or output is not Format.text)
    if paths and changed_since:
        raise UsageError(N_("give either paths or --changed-since, not both"))
    from juhtum.crypto.repository import open_if_key

    no_cache = open_if_key(repo.root) or no_cache  # a key holder's checks are never kept
    if changed_since:
        result = validate(
            repo,
            options,
            case_ids=cases_changed_since(repo, changed_since),
            use_cache=not no_cache,
        )
        result.problems.extend(append_only_problems(repo, changed_since))
    elif paths:
        case_ids, repository_level = cases_for_paths(repo, paths)
        result = validate(
            repo,
            options,
            case_ids=case_ids,
            repository_level=repository_level,
            use_cache=not no_cache,
        )
    else:
        result = validate(repo, options, use_cache=not no_cache)
    if output is Format.text:
        # reporters.text escapes what it took from the repository, then adds its colours
        echo(
            fitted(reporters.text(result, repo.root, todos=todo, colour=is_terminal())),
            painted=True,
        )
    else:
        echo(reporters.RENDERERS[output.value](result, repo.root))
    _warn_of_stale_schemas(repo.root)
    if not result.ok:
        raise typer.Exit(1)


def _warn_of_stale_schemas(root: Path) -> None:
    """A warning, on stderr and never an error: copies an editor reads are out of date."""
    from juhtum.cli.schemas_command import stale_message
    from juhtum.documents import schema_copies
    from juhtum.i18n import _

    stale = schema_copies.stale_copies(root)
    if stale:
        typer.echo(_("warning: {message}").format(message=stale_message(stale)), err=True)


def fitted(text: str) -> str:
    """validate's lines wrapped to a screen a person reads (a terminal, or ``COLUMNS`` set),
    the rest of a problem indented; unwrapped for a program or a CI log (one problem a line)."""
    from juhtum.cli.shared import UNWRAPPED, screen_width, wrapped

    width = screen_width()
    if width == UNWRAPPED:
        return text
    return "\n".join(
        line if len(line) <= width else wrapped(line, "", "    ", width)
        for line in text.split("\n")
    )
