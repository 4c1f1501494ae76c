"""``juhtum history`` and ``juhtum sync``: how a case got where it stands, from git, and
sharing the repository with the remote."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.shared import echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]


@commands.command("history")
def history_command(
    ctx: typer.Context,
    case_id: CaseId,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The timeline of a case from git: date, who, step, documents touched."""
    from dataclasses import asdict

    from juhtum import history
    from juhtum.errors import UserError
    from juhtum.i18n import N_
    from juhtum.model.documents import CASES_DIR

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    if not history.in_git(repo.root):
        raise UserError(N_("this case repository is not in git: it keeps no history"))
    entries = history.log(repo.root, f"{CASES_DIR}/{case_id}", case_id)
    from juhtum.verification import signers

    signed = signers(repo, f"{CASES_DIR}/{case_id}")  # a registered specialist's handle
    if as_json:
        echo_json([{**asdict(e), "signed_by": signed.get(e.commit)} for e in entries])
        return
    from juhtum.cli.shared import table
    from juhtum.i18n import _, date, step

    prefix = f"{CASES_DIR}/{case_id}/"
    rows = [
        [
            date(entry.date[:10]),
            entry.author,
            signed.get(entry.commit) or _("unsigned"),
            step(entry.step),
            ", ".join(f.removeprefix(prefix) for f in entry.files),
        ]
        for entry in reversed(entries)
    ]
    echo(table([_("date"), _("who"), _("signed by"), _("step"), _("documents")], rows))


@commands.command()
def sync(
    ctx: typer.Context,
    ours: Annotated[
        list[str] | None,
        typer.Option(
            "--ours",
            help="For a document both sides changed: keep your version (repeat for more).",
            show_default=False,
        ),
    ] = None,
    theirs: Annotated[
        list[str] | None,
        typer.Option(
            "--theirs", help="For a document both sides changed: keep theirs.", show_default=False
        ),
    ] = None,
    combined: Annotated[
        list[str] | None,
        typer.Option(
            "--combined",
            help="For a document both "
            "sides changed: use the version you combined in .juhtum/sync/.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Share with the remote: pull (a real merge, never an overwrite), then push.

    Monitoring entries, evaluations, handovers, meetings and people's files never
    conflict: each has its own file. When both sides changed the same stage
    document (or case.yaml) since you last shared, sync stops before merging, keeps
    both versions, shows the difference and says how to keep one or combine them.
    When the incoming change deletes or rewrites a record (a monitoring entry, an
    evaluation, a meeting, a handover, a signature, a whole case not erased by
    juhtum erase), sync stops and merges nothing.
    """
    from juhtum import sharing
    from juhtum.i18n import _
    from juhtum.output.reporters import message

    st = state(ctx)
    repo = st.repository()
    result = sharing.sync(repo, today=st.day(), ours=ours, theirs=theirs, combined=combined)
    for recovery in result.recovered:
        echo(f"juhtum: {recovery.render()}")
    echo(
        _(
            "Shared: {received} files changed elsewhere came in, {sent} changed here went out."
        ).format(received=result.received, sent=result.sent)
    )
    if result.cases:
        echo(_("Cases touched: {ids}").format(ids=", ".join(sorted(result.cases))))
    for case_id, reason in sorted(result.erased.items()):
        echo(
            _("Case {id} was erased elsewhere (juhtum erase, {reason}).").format(
                id=case_id, reason=reason
            )
        )
    if result.problems:
        echo(_("After the merge these cases have errors (juhtum validate):"))
        for p in result.problems:
            echo(f"  {p.file}:{p.line or ''} [{p.rule}] {message(p)}")
        raise typer.Exit(1)
