"""The commands of the end of a case: closing (§7), follow-up (§7.2), and handover (§8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from juhtum.cli.workflow import (
    CaseId,
    Discard,
    FileOption,
    Force,
    Resume,
    _document,
)

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

if TYPE_CHECKING:
    from juhtum.workflow.session import Outcome, Session
    from juhtum.workflow.targets import Target


@commands.command()
def close(
    ctx: typer.Context,
    case_id: CaseId,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="goals_achieved, no_longer_needed, cannot_continue (§7.1), referred (a "
            "referral to a single service after case management, §7.1 (2)) or transferred "
            "(to another organisation, §8).",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§7: close the case, prepared with the person (closing.yaml).

    goals_achieved and no_longer_needed need an evaluation that decided to close
    (once a plan was signed); cannot_continue needs the judgement that closing
    endangers nobody's life or health (§7.1 (3)). Record the person's feedback,
    that rights and consequences were explained, strategies, resources and where
    to turn later (§7.2).

    referred: after case management was decided (§1.4), a referral to a single
    service ends the case here, with its referrals, the person's feedback and an
    agreed follow-up (§7.2). transferred: the case moves to another organisation,
    with the receiving organisation, the person told, and the consent or legal
    basis for passing the data on (§8); then juhtum export ID --bundle DIR.
    """
    from juhtum.errors import UsageError
    from juhtum.workflow import closing_handover

    reasons = (
        "goals_achieved",
        "no_longer_needed",
        "cannot_continue",
        "referred",
        "transferred",
    )
    if reason is not None and reason not in reasons:
        from juhtum.i18n import N_, label

        raise UsageError(
            N_("--reason is one of: {reasons}"),
            reasons=", ".join(f"{r} ({label(r)})" for r in reasons),
        )
    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: closing_handover.close_target(s, reason),
        lambda s, t, text: closing_handover.close(s, text, reason=reason),
        resume=resume,
        discard=discard,
    )


@commands.command()
def handover(
    ctx: typer.Context,
    case_id: CaseId,
    to: Annotated[str, typer.Option("--to", help="The handle of the receiving specialist.")],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Their name, to register them when they are new to the case.",
            show_default=False,
        ),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", show_default=False, help="Their organisation.")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", show_default=False, help="Their e-mail.")
    ] = None,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§8: hand the case over to another specialist, in one commit.

    Records the agreed terms and date, that the person was told and the plan's
    providers notified, and that access was given; registers the receiver when new
    and makes them the coordinator. Refused when a provider of the plan was not told.
    """
    from juhtum.workflow import closing_handover, registering

    def build(s: Session, target: Target, text: str) -> Outcome:
        person = (
            registering.person_document(
                case_id, name=name, roles=["coordinator"], organisation=organisation, email=email
            )
            if name
            else None
        )
        return closing_handover.handover(s, target, text, to=to, person=person)

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: closing_handover.handover_target(s, to),
        build,
        resume=resume,
        discard=discard,
    )


@commands.command()
def followup(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§7.2: record a follow-up contact made after closing, as agreed with the person."""
    from juhtum.workflow import closing_handover, implementing

    _document(
        ctx,
        case_id,
        file,
        force,
        closing_handover.followup_target,
        lambda s, t, text: implementing.entry(s, t, text, step="follow-up (§7.2)"),
        resume=resume,
        discard=discard,
    )
