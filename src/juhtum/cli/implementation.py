"""The commands of implementation: signing the plan (§4.2), monitoring (§5), evaluation (§6),
network meetings and the case diary."""

from __future__ import annotations

from typing import Annotated

import typer

from juhtum.cli.workflow import (
    CaseId,
    Discard,
    FileOption,
    Force,
    Resume,
    _document,
    _report,
    _session,
)

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


UNABLE_CAUSES = ("not_found", "lacks_capacity", "in_hospital", "other")


@commands.command()
def sign(
    ctx: typer.Context,
    case_id: CaseId,
    party: Annotated[str, typer.Option("--party", help="The handle of who signs.")],
    role: Annotated[
        str | None,
        typer.Option(
            "--role", help="In what role (default: their first role).", show_default=False
        ),
    ] = None,
    method: Annotated[str, typer.Option("--method", help="paper or digital.")] = "paper",
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The date it was signed or happened (YYYY-MM-DD, default today; never later).",
            show_default=False,
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Where the signed original is: the scanned file or the document register number.",
            show_default=False,
        ),
    ] = None,
    dissent: Annotated[
        str | None,
        typer.Option(
            "--dissent",
            help="They signed (or agreed orally) with this dissent from the plan.",
            show_default=False,
        ),
    ] = None,
    refused: Annotated[
        bool, typer.Option("--refused", help="They refused to sign (give --reason).")
    ] = False,
    unable: Annotated[
        str | None,
        typer.Option(
            "--unable",
            metavar="CAUSE",
            help="They cannot sign: not_found, lacks_capacity, in_hospital or other.",
            show_default=False,
        ),
    ] = None,
    oral: Annotated[
        bool, typer.Option("--oral", help="They agreed orally but did not sign.")
    ] = False,
    in_force: Annotated[
        bool,
        typer.Option(
            "--in-force",
            help="The coordinator puts the plan in force without their signature "
            "(give --reason and --basis; for a child, the child's interest, LasteKS).",
        ),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="Why they refused or cannot sign, or why the plan goes in force without.",
            show_default=False,
        ),
    ] = None,
    basis: Annotated[
        str | None,
        typer.Option(
            "--basis",
            help="With --in-force: the legal basis of the decision.",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
) -> None:
    """§4.2: record a signature on the plan as it stands (bound to its content hash).

    The plan is signed by all parties: the person (for a child, the legal
    representatives), the coordinator and everyone responsible for an active
    action. The last signature needed starts the implementation (§5).
    A party who refuses (--refused), cannot sign (--unable CAUSE) or agrees only
    orally (--oral) is recorded with the date, the reason and who recorded it; the
    coordinator can then put the plan in force without that signature (--in-force
    --reason ... --basis ...), never without a coordinator's or a provider's.
    """
    import datetime as dt

    from juhtum.errors import UsageError
    from juhtum.i18n import N_
    from juhtum.workflow import signing

    if method not in ("paper", "digital"):
        raise UsageError(N_("--method is paper or digital"))
    chosen = [
        name
        for name, on in (
            ("refused", refused),
            ("unable", unable is not None),
            ("oral", oral),
            ("waived", in_force),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UsageError(N_("--refused, --unable, --oral and --in-force exclude each other"))
    status = chosen[0] if chosen else "signed"
    if unable is not None and unable not in UNABLE_CAUSES:
        raise UsageError(N_("--unable is one of {causes}"), causes=", ".join(UNABLE_CAUSES))
    if status in ("refused", "waived") and not reason:
        raise UsageError(N_("--refused and --in-force need --reason"))
    if status == "waived" and not basis:
        raise UsageError(N_("--in-force needs --basis: the legal basis of the decision"))
    if basis and status != "waived":
        raise UsageError(N_("--basis goes with --in-force"))
    if dissent and status not in ("signed", "oral"):
        raise UsageError(N_("--dissent goes with a signature or --oral"))
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(
                N_("--date {date} is not a real date: write YYYY-MM-DD, a day the month has"),
                date=date,
            ) from None
    record = signing.SignatureRecord(
        status=status,
        date=date,
        reason=reason,
        cause=unable,
        dissent=dissent,
        basis=basis,
        reference=reference,
    )
    with _session(ctx, case_id, force) as s:
        _report(s, signing.sign(s, party=party, role=role, method=method, record=record))


@commands.command()
def monitor(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§5: add a monitoring entry: contacts, services received, progress, action updates.

    Works in every state after the plan was first signed (services go on during a
    reassessment). To change the plan itself, use juhtum plan (§5.2).
    """
    from juhtum.workflow import implementing

    _document(
        ctx,
        case_id,
        file,
        force,
        implementing.monitor_target,
        lambda s, t, text: implementing.entry(s, t, text, step="monitoring (§5)"),
        resume=resume,
        discard=discard,
    )


@commands.command()
def evaluate(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§6: write an evaluation: a result for every goal, views, and the decision.

    The decision moves the case: continue -> implementation (with the next review),
    modify -> planning (goals of the next period restated), reassess -> assessment,
    close -> juhtum close. Without a decision the evaluation stays a draft.
    """
    from juhtum.workflow import implementing

    _document(
        ctx,
        case_id,
        file,
        force,
        implementing.evaluate_target,
        implementing.evaluate,
        resume=resume,
        discard=discard,
    )


@commands.command()
def meeting(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """A network meeting's protocol: participants, agreements (activity, deadline, responsible).

    Every participant gets a copy (seed 004): record to whom copies were sent.
    Register new participants first with juhtum people ID --add.
    """
    from juhtum.workflow import implementing

    _document(
        ctx,
        case_id,
        file,
        force,
        implementing.meeting_target,
        lambda s, t, text: implementing.entry(s, t, text, step="network meeting"),
        resume=resume,
        discard=discard,
    )


@commands.command()
def note(
    ctx: typer.Context,
    case_id: CaseId,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="contact, call, visit, urgent_help, information_received or "
            "information_passed (with its legal basis).",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    force: Force = False,
) -> None:
    """§3, §5.1: add a case diary entry: a contact, call, visit, urgent help, information.

    In any state, without moving the case: help given before the plan is signed
    is recorded here, and the plan can name it in prior_help. What happened goes
    in the entry (editor or --file), never on the command line. Entries are
    append-only, like monitoring.
    """
    from juhtum.errors import UsageError
    from juhtum.i18n import N_
    from juhtum.workflow import implementing

    if kind is not None and kind not in implementing.DIARY_KINDS:
        raise UsageError(N_("--kind is one of {kinds}"), kinds=", ".join(implementing.DIARY_KINDS))
    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: implementing.note_target(s, kind),
        lambda s, t, text: implementing.note(s, t, text, kind=kind),
    )
