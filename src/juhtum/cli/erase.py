"""``juhtum erase``: the one documented way a case leaves the repository."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from juhtum.cli.shared import commit_date, echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


class Reason(StrEnum):
    retention_over = "retention-over"
    data_subject_request = "data-subject-request"
    recorded_in_error = "recorded-in-error"


@commands.command()
def erase(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    reason: Annotated[
        Reason,
        typer.Option(
            "--reason",
            help="Why: retention-over (a closed case kept as long as it must be), "
            "data-subject-request (the person asked, GDPR art. 17), recorded-in-error "
            "(a wrong person, a duplicate).",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Erase a case: remove its folder in one commit that records the reason.

    Monitoring entries, evaluations, meetings, handovers, signatures and cases are
    append-only: sync and validate --changed-since refuse a change that takes one
    back, except a case erased by this command (its commit carries the trailers
    Case, Stage: erase and Erasure-Reason). The case stays in git's history and in
    other clones until that is purged too: the command says how.
    """
    from juhtum import erasure
    from juhtum.i18n import _
    from juhtum.storage.create import read_config

    st = state(ctx)
    repo = st.repository()
    config = read_config(repo) if repo.config_path.is_file() else {}
    author = config.get("author") if isinstance(config.get("author"), dict) else None
    done = erasure.erase(repo, case_id, reason.value, author=author, date=commit_date(st))
    if as_json:
        echo_json(
            {
                "case": done.case_id,
                "reason": done.reason,
                "commit": done.commit,
                "removed": done.folder,
            }
        )
        return
    echo(
        _("Case {id} is erased in commit {commit} ({reason}: {meaning}).").format(
            id=done.case_id,
            commit=done.commit[:12],
            reason=done.reason,
            meaning=_(erasure.REASONS[done.reason]),
        )
    )
    echo()
    echo(_("What still holds the case's documents:"))
    echo(
        _(
            "  - git's history in this clone: every earlier commit "
            "(git log --all -- {folder} lists them);"
        ).format(folder=done.folder)
    )
    echo(
        _(
            "  - the remote and every colleague's clone: juhtum sync carries the erasure to "
            "them, but their history keeps the documents too;"
        )
    )
    echo(_("  - copies outside git: backups, exports, CI artefacts and caches, forks."))
    from juhtum.crypto.repository import is_encrypted

    if is_encrypted(repo.root):
        echo(
            _(
                "  - in an encrypted repository the history keeps the case encrypted: whoever "
                "holds a key it was encrypted to (a recovery key included) can still read it."
            )
        )
    echo()
    echo(_("To purge the history as well (git filter-repo, in a fresh clone):"))
    echo(f"  git filter-repo --invert-paths --path {done.folder} --prune-empty never")
    echo("  git push --force --all && git push --force --tags")
    echo(
        _(
            "--prune-empty never keeps this erasure commit, so the history still says the case "
            "was erased, and why. Limits: every commit from the case's first one on gets a new "
            "id; every colleague must clone anew (a clone that pushes its old history brings the "
            "documents back, and sync refuses the rewritten history); the hosting service keeps "
            "its own references (merge requests, caches) until it is asked to purge them; "
            "backups and other copies are not reached."
        )
    )
