"""``juhtum recover``: complete or roll back what a crash interrupted, and nothing else."""

from __future__ import annotations

import typer

from juhtum.cli.shared import echo, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def recover(ctx: typer.Context) -> None:
    """Complete or roll back a change a crash interrupted (what the next change would do).

    Every command that changes the repository does this first; commands that only read
    never do, and say that a change is waiting. A journal entry this clone did not write
    (one that came with git) is left alone and named.
    """
    import sys

    from juhtum import journal, storage
    from juhtum.i18n import _

    repo = state(ctx).repository()
    with storage.Lock(repo):
        done = journal.recover(repo)
    for recovery in done:
        sys.stderr.write(f"juhtum: {recovery.render()}\n")
    if not any(r.ignored is None for r in done):
        echo(_("Nothing was waiting to be completed."))
