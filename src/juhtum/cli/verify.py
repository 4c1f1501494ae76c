"""``juhtum verify``: every commit that changed a case is signed by someone who had access."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.shared import echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def verify(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Only the commits after this revision (e.g. origin/main, a tag).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check that a specialist with access signed every commit that changed a case.

    Specialists sign their commits with an SSH key (git config gpg.format ssh,
    user.signingkey, commit.gpgsign true; juhtum init --signing-key sets them) and
    register the public key in their file (juhtum specialists --add H --signing-key
    KEY). git itself checks each signature against the specialists' files as they
    were before the commit, so a commit cannot register its own key. The signer must
    have had access to the case before the commit: its coordinator, a specialist
    granted access (juhtum access), or the holder of a recovery key (a specialist
    whose age_recipient is one of juhtum.yaml's recovery recipients); the commit
    opening a case may be any registered specialist's. Commits changing specialists/
    or juhtum.yaml need a registered specialist's signature too, once anyone has a
    signing key. Each failing commit is named with its case and the reason; the exit
    code is 1 on any.

    \b
    Examples:
      juhtum verify
      juhtum verify --since origin/main
    """
    from juhtum import history, verification
    from juhtum.errors import UserError
    from juhtum.i18n import N_, ngettext, render

    st = state(ctx)
    repo = st.repository()
    if not history.in_git(repo.root):
        raise UserError(N_("this case repository is not in git: it keeps no history"))
    result = verification.verify(repo, since)
    if as_json:
        echo_json(
            {
                "checked": result.checked,
                "before_signing": result.before_signing,
                "failures": [
                    {
                        "commit": f.commit,
                        "case": f.case,
                        "message": render(f.reason, f.args),
                    }
                    for f in result.failures
                ],
            }
        )
    else:
        for f in result.failures:
            where = f.case or "-"
            echo(f"{f.commit} {where}: {render(f.reason, f.args)}")
        if result.failures:
            echo(
                ngettext(
                    "{n} commit fails of {checked} checked.",
                    "{n} commits fail of {checked} checked.",
                    len({f.commit for f in result.failures}),
                ).format(n=len({f.commit for f in result.failures}), checked=result.checked)
            )
        else:
            echo(
                ngettext(
                    "{n} commit checked: each is signed by a specialist who had access.",
                    "{n} commits checked: each is signed by a specialist who had access.",
                    result.checked,
                ).format(n=result.checked)
            )
    if result.before_signing and not as_json:
        echo(
            ngettext(
                "{n} commit was made before any specialist registered a signing key: not "
                "checked (juhtum specialists --add H --signing-key KEY).",
                "{n} commits were made before any specialist registered a signing key: not "
                "checked (juhtum specialists --add H --signing-key KEY).",
                result.before_signing,
            ).format(n=result.before_signing)
        )
    if result.failures:
        raise typer.Exit(1)
