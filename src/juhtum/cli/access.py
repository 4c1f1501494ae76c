"""``juhtum access``, ``juhtum encrypt`` and ``juhtum textconv``: case data encrypted to the
people who work on it (see juhtum.crypto.repository)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.shared import commit_date, echo, echo_json, say, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def access(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    grant: Annotated[
        str | None,
        typer.Option(
            "--grant",
            metavar="HANDLE",
            help="Let this registered specialist read the case (wraps its data key to them).",
            show_default=False,
        ),
    ] = None,
    revoke: Annotated[
        str | None,
        typer.Option(
            "--revoke",
            metavar="HANDLE",
            help="Take their access away: every document gets a new data key.",
            show_default=False,
        ),
    ] = None,
    rewrap: Annotated[
        bool,
        typer.Option(
            "--rewrap",
            help="Wrap the case to its recipients as they are now (after someone published "
            "their age recipient).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Run even when the case folder has uncommitted changes."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Who may read a case: list, grant or revoke access to its encrypted data.

    A case is encrypted to its coordinator, to the specialists granted access
    and to the recovery recipients of juhtum.yaml. A handover wraps it to the new
    coordinator in the same commit. --revoke rotates the case's data keys: what
    is written from then on cannot be read with the revoked key, but what the
    revoked person already read or copied (a clone, an old commit) cannot be
    taken back. Granting, revoking and rotating never void a plan signature.

    \b
    Examples:
      juhtum access tartu-k7m3qx
      juhtum access tartu-k7m3qx --grant mt
      juhtum access tartu-k7m3qx --revoke mt
    """
    from juhtum.crypto import access as model
    from juhtum.crypto.repository import encryption_config
    from juhtum.errors import UsageError, UserError
    from juhtum.i18n import N_, _

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    if sum(bool(x) for x in (grant, revoke, rewrap)) > 1:
        raise UsageError(N_("give one of --grant, --revoke and --rewrap"))
    config = encryption_config(repo.root)
    if grant is None and revoke is None and not rewrap:
        case = model.case_fields(repo, case_id)
        chosen = model.recipients(repo, case, config or {})
        wrapped = _wrapped_to(repo, case_id)
        rows: dict[str, Any] = {
            "case": case_id,
            "encrypted": config is not None,
            "coordinator": chosen.coordinator,
            "granted": model.granted(case),
            "people": chosen.people,
            "recovery": chosen.recovery,
            "wrapped_to": wrapped,
            "up_to_date": config is None or wrapped == chosen.recipients,
        }
        if as_json:
            echo_json(rows)
            return
        if config is None:
            echo(_("This repository is not encrypted: juhtum encrypt encrypts it."))
        for handle, recipient in chosen.people.items():
            what = _("coordinator") if handle == chosen.coordinator else _("granted access")
            key = recipient or _("no age recipient published: cannot read the case")
            echo(f"{handle} ({what})")
            echo(f"  {key}")  # a recipient is 62 characters: on a line of its own
        for recipient in chosen.recovery:
            echo(_("recovery recipient"))
            echo(f"  {recipient}")
        if config is not None and not rows["up_to_date"]:
            say(
                _(
                    "The case is not wrapped to these recipients yet: juhtum access {id} --rewrap"
                ).format(id=case_id)
            )
        return
    from juhtum.cli.workflow import _report, _session

    if config is None and (revoke or rewrap):
        from juhtum.crypto.repository import NOT_ENCRYPTED

        raise UserError(NOT_ENCRYPTED)
    with _session(ctx, case_id, force) as s:
        current = model.granted(model.case_fields(repo, case_id))
        if grant is not None:
            from juhtum.crypto.setup import require_recipient

            if grant in current:
                raise UserError(
                    N_("{handle} has access to case {id} already"), handle=grant, id=case_id
                )
            require_recipient(repo, grant)
            proposed = s.propose({}, case_fields={"access": [*current, grant]})
            outcome = s.apply(proposed, step=f"access: grant {grant}")
        elif revoke is not None:
            if revoke not in current:
                raise UserError(
                    N_("{handle} has not been granted access to case {id}"),
                    handle=revoke,
                    id=case_id,
                )
            from juhtum.crypto.repository import rotate_on_write

            rotate_on_write(case_id)
            remaining = [h for h in current if h != revoke]
            proposed = s.propose({}, case_fields={"access": remaining})
            outcome = s.apply(proposed, step=f"access: revoke {revoke}, data keys rotated")
        else:
            from juhtum.crypto.setup import rewrap_case

            commit = rewrap_case(s)
            if commit is None and not as_json:
                echo(_("Case {id} is wrapped to its recipients already.").format(id=case_id))
            if as_json:
                echo_json({"case": case_id, "commit": commit})
            elif commit:
                echo(
                    _("{id}: wrapped to its recipients, committed {commit}").format(
                        id=case_id, commit=commit[:10]
                    )
                )
            return
        if as_json:
            echo_json({"case": case_id, "step": outcome.step, "commit": outcome.commit})
        else:
            _report(s, outcome)
            if revoke is not None:
                say(
                    _(
                        "What {handle} already read or copied (a clone, an earlier commit) cannot "
                        "be taken back; from now on the case is under new data keys."
                    ).format(handle=revoke)
                )


def _wrapped_to(repo: Any, case_id: str) -> list[str]:
    from juhtum import storage
    from juhtum.crypto.sops import recipients_of
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError
    from juhtum.model.documents import CASE_FILE

    try:
        data = yamlio.loads(
            storage.read_document(repo.case_dir(case_id) / CASE_FILE), path=CASE_FILE
        ).data
    except (OSError, storage.TooLarge, DocumentError):
        return []
    return recipients_of(data) if isinstance(data, dict) else []


@commands.command()
def encrypt(
    ctx: typer.Context,
    recovery: Annotated[
        list[str],
        typer.Option(
            "--recovery",
            metavar="AGE1…",
            help="A recovery recipient (age public key) kept offline by a supervisor or the "
            "archive; repeat for several.",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Encrypt every case of the repository to the people who work on it, in one commit.

    Every value the schemas mark sensitive (names, personal codes, contacts, free
    text about a person) is encrypted the SOPS way; ids, handles, dates and
    states stay readable, so validate, due, report, list and status work without
    a key. Each case is encrypted to its coordinator, the specialists granted
    access (juhtum access) and the recovery recipients; a specialist publishes
    an age recipient in specialists/<handle>.yaml (age_recipient). git diff and
    git log -p show plaintext to a key holder (the juhtum diff driver).

    The history before this commit still holds every case in plain text. It can
    be purged with git filter-repo (the command prints how), but every clone,
    fork or backup made before keeps the plain text: that cannot be taken back.
    """
    from juhtum.crypto.setup import encrypt_repository
    from juhtum.i18n import _, ngettext

    st = state(ctx)
    repo = st.repository()
    done = encrypt_repository(repo, recovery, commit_date=commit_date(st))
    if as_json:
        echo_json(
            {
                "cases": done.cases,
                "documents": done.documents,
                "commit": done.commit,
                "unreadable_by": done.unreadable_by,
            }
        )
        return
    echo(
        ngettext(
            "Encrypted {documents} documents of {n} case.",
            "Encrypted {documents} documents of {n} cases.",
            done.cases,
        ).format(documents=done.documents, n=done.cases)
    )
    if done.commit:
        echo(_("  committed {commit}").format(commit=done.commit[:10]))
    for case_id, handles in sorted(done.unreadable_by.items()):
        say(
            _(
                "  {id}: {handles} published no age recipient and cannot read it yet; when "
                "they do: juhtum access {id} --rewrap"
            ).format(id=case_id, handles=", ".join(handles))
        )
    say(purge_help())


def purge_help() -> str:
    from juhtum.i18n import _

    return _(
        "The history before this commit still holds the cases in plain text. To purge it\n"
        "(this rewrites history; every colleague clones anew afterwards):\n"
        "  cp -a cases ../cases-encrypted\n"
        "  git filter-repo --invert-paths --path cases/ --force\n"
        "  cp -a ../cases-encrypted/. cases/ && git add cases\n"
        '  git commit -m "cases, encrypted" && git push --force --all\n'
        "The cases' history (juhtum history) is lost with it, and every clone, fork or\n"
        "backup made before keeps the plain text: that cannot be taken back."
    )


@commands.command(hidden=True)
def textconv(
    path: Annotated[str, typer.Argument(metavar="FILE", help="The file git shows.")],
) -> None:
    """Print a case document as a key holder reads it (git's diff driver for juhtum)."""
    import sys
    from pathlib import Path

    from juhtum.crypto.setup import textconv as convert

    try:
        raw = Path(path).read_bytes()
    except OSError:
        return
    sys.stdout.buffer.write(convert(raw))
    sys.stdout.buffer.flush()
