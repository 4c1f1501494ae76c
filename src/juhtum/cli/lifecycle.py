"""The commands of a case's life beyond one cycle: reopening a case that has ended, and
linking related cases (juhis §7, §8)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from juhtum.cli.shared import Framework, commit_date, echo, say, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


class ReopenReason(StrEnum):
    new_need = "new_need"
    need_returned = "need_returned"
    service_not_received = "service_not_received"
    person_asked = "person_asked"
    other = "other"


class Relation(StrEnum):
    sibling = "sibling"
    reopened_from = "reopened_from"
    reopened_as = "reopened_as"
    transferred_to = "transferred_to"
    transferred_from = "transferred_from"
    other = "other"


@commands.command()
def reopen(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case that has ended.")],
    reason: Annotated[
        ReopenReason,
        typer.Option(
            "--reason",
            help="Why help is needed again (a code in case.yaml; describe the situation "
            "in the new case's need.yaml).",
        ),
    ],
    new_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Choose the new case's id. Default: a new random id.",
            show_default=False,
        ),
    ] = None,
    framework: Annotated[
        Framework | None,
        typer.Option(
            "--framework",
            help="adult or child for the new case. Default: the old case's (a child who "
            "has turned 18: adult).",
            show_default=False,
        ),
    ] = None,
    coordinator: Annotated[
        str | None,
        typer.Option(
            "--coordinator",
            metavar="HANDLE",
            help="The new case's coordinator until its need stage assigns one (juhis §1.4): "
            "a registered specialist, or - for none. Default: you, when you are one.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id": ...}.')] = False,
) -> None:
    """§7: reopen a closed or referred case as a new case linked to it; print the new id.

    The old case stays as it was, readable and valid: its plan, signatures and
    closing are what the parties signed and were told. The new case starts at
    the need stage (§1): consent and the decision on case management are asked
    anew. The person and their representatives are copied into it; each case
    names the other in case.yaml related (reopened_from, reopened_as), and show
    lists the link. One commit.

    \b
    Example:  juhtum reopen tartu-k7m3qx --reason service_not_received
              juhtum need NEW-ID
    """
    from juhtum import lifecycle
    from juhtum.cli.repository import first_coordinator
    from juhtum.i18n import _

    st = state(ctx)
    repo = st.repository()
    done = lifecycle.reopen(
        repo,
        case_id,
        reason=reason.value,
        today=st.day(),
        new_id=new_id,
        framework=framework.value if framework is not None else None,
        coordinator=first_coordinator(repo, coordinator),
        commit_date=commit_date(st),
    )
    if as_json:
        from juhtum.cli.shared import echo_json

        echo_json({"id": done.case_id, "reopened_from": case_id})
        return
    say(
        _("{old} reopened as {new}: the new case starts at §1 (juhtum need {new})").format(
            old=case_id, new=done.case_id
        )
    )
    if done.commit:
        echo(_("  committed {commit}").format(commit=done.commit[:10]))
    echo(done.case_id)


@commands.command()
def relate(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The case id.")],
    other: Annotated[str, typer.Option("--to", metavar="ID", help="The related case's id.")],
    relation: Annotated[
        Relation,
        typer.Option(
            "--relation",
            help="What the related case is to this one.",
        ),
    ] = Relation.sibling,
) -> None:
    """Link two cases of the repository (siblings, a reopened case, a transfer), both sides.

    Each case.yaml lists the other under related, with the inverse relation
    (reopened_from / reopened_as, transferred_to / transferred_from); show lists
    the links, and validate checks that each names a case of the repository
    (I17). One commit.

    \b
    Example:  juhtum relate tartu-k7m3qx --to tartu-p2h6ca --relation sibling
    """
    from juhtum import lifecycle
    from juhtum.i18n import _, label

    st = state(ctx)
    repo = st.repository()
    done = lifecycle.relate(
        repo,
        case_id,
        other,
        relation.value,
        today=st.day(),
        commit_date=commit_date(st),
    )
    say(
        _("{id} and {other} are linked: {relation}").format(
            id=case_id, other=other, relation=label(relation.value)
        )
    )
    if done.commit:
        echo(_("  committed {commit}").format(commit=done.commit[:10]))


def related_of(docs: list[Any]) -> list[dict[str, Any]]:
    """The links case.yaml records (case, relation, date, the reason code), for show."""
    from juhtum.model.case import as_dict, as_list, as_str

    case = next((d for d in docs if d.kind == "case"), None)
    if case is None:
        return []
    return [
        {
            "case": as_str(as_dict(e).get("case")),
            "relation": as_str(as_dict(e).get("relation")),
            "date": as_str(as_dict(e).get("date")),
            "reason": as_str(as_dict(e).get("reason")),
        }
        for e in as_list(case.get("related"))
        if isinstance(e, dict)
    ]


def show_related(rows: list[dict[str, Any]]) -> None:
    """show's lines for the related cases (juhis §7, §8)."""
    from juhtum.i18n import _, date, label
    from juhtum.output.safe_text import escape

    if not rows:
        return
    say(_("Related cases:"))
    for row in rows:
        when = f", {date(row['date'])}" if row["date"] else ""
        why = f" ({label(row['reason'])})" if row.get("reason") else ""
        text = f"  {row['case'] or '?'}: {label(row['relation'] or '?')}{when}{why}"
        say(escape(text, inline=True))


def export_bundle(ctx: typer.Context, case_id: str, folder: str) -> None:
    """``export --bundle DIR``: the case for the organisation it was transferred to (§8)."""
    from pathlib import Path

    from juhtum import transfer
    from juhtum.i18n import _

    st = state(ctx)
    repo = st.repository()
    made = transfer.bundle(repo, case_id, Path(folder), today=st.day())
    say(
        _(
            "wrote {n} files into {folder}: the case's documents, summary.md and "
            "manifest.json (SHA-256 of each file)"
        ).format(n=made.files, folder=str(made.folder))
    )
    say(_("manifest SHA-256: {hash}").format(hash=made.manifest_hash))
