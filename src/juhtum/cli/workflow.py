"""The commands of the workflow: §1–§4 stage by stage, editing any document, and their shared
helpers (the session, the report after a step, the document loop, the common options)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated

import typer

from juhtum.cli.shared import commit_date, state
from juhtum.i18n import _

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

if TYPE_CHECKING:
    from juhtum.workflow.session import Outcome, Session
    from juhtum.workflow.targets import Target

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]
FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        help="Take the document from this file (- for stdin) instead of opening an editor.",
        show_default=False,
    ),
]
Resume = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Resume the draft an interrupted or abandoned edit left, without asking.",
    ),
]
Discard = Annotated[
    bool,
    typer.Option(
        "--discard",
        help="Start afresh: the waiting draft is set aside in .juhtum/rejected/.",
    ),
]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Run even when the case folder has changes nobody committed (what they touch "
        "is kept in .juhtum/overwritten/).",
    ),
]


def _session(ctx: typer.Context, case_id: str, force: bool) -> AbstractContextManager[Session]:
    from juhtum.workflow import session

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    return session.session(repo, case_id, today=st.day(), force=force, commit_date=commit_date(st))


def _report(s: Session, outcome: Outcome) -> None:
    import sys

    from juhtum.model import stages
    from juhtum.output.reporters import message

    for recovery in s.recovered:
        from juhtum.output.safe_text import escape

        sys.stderr.write(f"juhtum: {escape(recovery.render())}\n")
    after = outcome.stage_after or "?"
    from juhtum.cli.shared import say as echo  # wrapped to the screen
    from juhtum.i18n import label, ngettext, step

    line = _("{id}: {step}").format(id=outcome.case_id, step=step(outcome.step))
    echo(line)
    if outcome.stage_after != outcome.stage_before and after in stages.STAGES:
        echo(
            _("state: {before} -> {after} (juhis {clause})").format(
                before=label(outcome.stage_before),
                after=label(after),
                clause=stages.CLAUSE[after],
            )
        )
    else:
        echo(_("state: {stage}").format(stage=label(after)))
    for path in outcome.written:
        echo(_("  wrote {path}").format(path=path))
    if outcome.commit:
        echo(_("  committed {commit}").format(commit=outcome.commit[:10]))
    for note in outcome.notes:
        echo(note)
    for p in outcome.warnings:
        echo(
            _("  warning [{rule}] {file}: {message}").format(
                rule=p.rule, file=p.file, message=message(p)
            )
        )
    if outcome.todos:
        echo(
            ngettext(
                "  {n} to-do remains: juhtum status {id} lists it",
                "  {n} to-dos remain: juhtum status {id} lists them",
                len(outcome.todos),
            ).format(n=len(outcome.todos), id=outcome.case_id)
        )


def _document(
    ctx: typer.Context,
    case_id: str,
    file: str | None,
    force: bool,
    target_of: Callable[[Session], Target],
    build: Callable[[Session, Target, str], Outcome],
    resume: bool = False,
    discard: bool = False,
) -> None:
    from juhtum.cli.editor import obtain
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    if resume and discard:
        raise UsageError(N_("--resume and --discard exclude each other"))
    command = ctx.info_name or "edit"
    with _session(ctx, case_id, force) as s:
        outcome = obtain(
            s,
            target_of,
            file,
            lambda target, text: build(s, target, text),
            command=command,
            draft="resume" if resume else "discard" if discard else None,
        )
        _report(s, outcome)


@commands.command()
def need(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§1: write need.yaml: consent, the information gathered, the decision, the coordinator.

    Consent comes before information is gathered (§1.2). A decision for a single
    service, benefit or other help, with the referrals explained to the person,
    ends the case as referred (§1.3 (1)); a decision for case management names
    the coordinator (§1.4) and the agreement with the person (§1.5), and
    juhtum assess then takes the case on.
    """
    from juhtum.workflow import stage_documents

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: stage_documents.stage_target(s, "need"),
        lambda s, t, text: stage_documents.stage_document(s, "need", text),
        resume=resume,
        discard=discard,
    )


@commands.command()
def assess(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    refer: Annotated[
        bool,
        typer.Option(
            "--refer",
            help="Only before case management was decided (§1.3 (1)). After it, "
            "a referral to a single service is a closing (§7): juhtum close ID --reason "
            "referred.",
        ),
    ] = False,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§2: write assessment.yaml: risks and resources, the person's view, goals with deadlines.

    From need, this is the step into assessment: the need decision must be case
    management with a coordinator assigned and an agreement made (§1.3-1.5).
    From planning it is the step back, when a provider declines (§3.1).
    When the assessment shows needs one organisation can meet, the case ends
    through closing, with feedback and a follow-up (§7.2):
    juhtum close ID --reason referred.
    """
    from juhtum.workflow import stage_documents

    def target(s: Session) -> Target:
        if refer:
            from juhtum.lifecycle import refer_refusal

            refusal = refer_refusal(s.case)  # before the editor opens: nothing typed is lost
            if refusal is not None:
                raise refusal
        return stage_documents.stage_target(s, "assess")

    _document(
        ctx,
        case_id,
        file,
        force,
        target,
        lambda s, t, text: stage_documents.stage_document(s, "assess", text, refer=refer),
        resume=resume,
        discard=discard,
    )


@commands.command()
def measures(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """§3: write planning.yaml: the measures chosen with the person and negotiated with providers.

    From assessment, this is the step into planning: the assessment must be complete
    (§2). From plan it is the step back, when a party refuses to sign (§4.2).
    """
    from juhtum.workflow import stage_documents

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: stage_documents.stage_target(s, "measures"),
        lambda s, t, text: stage_documents.stage_document(s, "measures", text),
        resume=resume,
        discard=discard,
    )


@commands.command()
def plan(
    ctx: typer.Context,
    case_id: CaseId,
    file: FileOption = None,
    notify: Annotated[
        str | None,
        typer.Option(
            "--notify",
            help="During implementation: who was "
            "told of the change, comma-separated handles (default: everyone "
            "responsible for an action).",
            show_default=False,
        ),
    ] = None,
    agreed_by: Annotated[
        str | None,
        typer.Option(
            "--agreed-by",
            help="During implementation: the "
            "providers who agreed to the change, comma-separated handles.",
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="During implementation: why the plan changes (from monitoring, §5.2).",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
    not_told: Annotated[
        str | None,
        typer.Option(
            "--not-told",
            help="During implementation: why the person or their representatives could "
            "not be told of the change (§5.2).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """§4: write the case plan (plan.yaml); during implementation, an announced change (§5.2).

    From planning, this is the step into the plan stage: every measure negotiated
    and the person's informed decision recorded (§3). Signatures come only from
    juhtum sign; editing a plan voids the signatures given to the old text.
    During implementation the plan changes as §5.2 allows: its version goes up and
    a plan_change monitoring entry, in the same commit, names who was told and the
    providers who agreed.
    """
    from juhtum.workflow import case_plan

    def split(value: str | None) -> list[str] | None:
        return [v.strip() for v in value.split(",") if v.strip()] if value is not None else None

    _document(
        ctx,
        case_id,
        file,
        force,
        case_plan.plan_target,
        lambda s, t, text: case_plan.plan(
            s,
            text,
            notify=split(notify),
            agreed_by=split(agreed_by),
            reason=reason,
            not_told=not_told,
        ),
        resume=resume,
        discard=discard,
    )


@commands.command()
def edit(
    ctx: typer.Context,
    case_id: CaseId,
    document: Annotated[
        str | None,
        typer.Argument(
            help="Which document: need, assessment, "
            "planning, plan, closing, case, a person's handle, or a path such as "
            "monitoring/2026-03-04-k3x9.yaml. Default: the current stage's.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    force: Force = False,
    resume: Resume = False,
    discard: Discard = False,
) -> None:
    """Change any document of the case, through the same checks and one commit.

    Refused when the case would get new errors. The state changes only through
    the stage commands, and a signed plan in force only through juhtum plan (§5.2).
    """
    from juhtum.workflow import editing

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: editing.edit_target(s, document),
        editing.edit,
        resume=resume,
        discard=discard,
    )
