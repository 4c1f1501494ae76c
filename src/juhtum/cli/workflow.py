"""The commands of the workflow: one per stage of the guideline, and the steps between them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated

import typer

from juhtum.cli.app import commit_date, echo, state
from juhtum.i18n import _

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

if TYPE_CHECKING:
    from juhtum.steps import Target
    from juhtum.workflow import Outcome, Session

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
    from juhtum import workflow

    st = state(ctx)
    repo = st.repository()
    repo.existing_case_dir(case_id)
    return workflow.session(repo, case_id, today=st.day(), force=force, commit_date=commit_date(st))


def _report(s: Session, outcome: Outcome) -> None:
    import sys

    from juhtum.model import stages
    from juhtum.render import message

    for recovery in s.recovered:
        from juhtum.safe_text import escape

        sys.stderr.write(f"juhtum: {escape(recovery.render())}\n")
    after = outcome.stage_after or "?"
    from juhtum.cli.app import say as echo  # wrapped to the screen
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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.stage_target(s, "need"),
        lambda s, t, text: steps.stage_document(s, "need", text),
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
            help="The assessment shows needs one "
            "organisation can meet: record its referrals and end the case as referred "
            "(§1.3, §7.1 (2)).",
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
    """
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.stage_target(s, "assess"),
        lambda s, t, text: steps.stage_document(s, "assess", text, refer=refer),
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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.stage_target(s, "measures"),
        lambda s, t, text: steps.stage_document(s, "measures", text),
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
) -> None:
    """§4: write the case plan (plan.yaml); during implementation, an announced change (§5.2).

    From planning, this is the step into the plan stage: every measure negotiated
    and the person's informed decision recorded (§3). Signatures come only from
    juhtum sign; editing a plan voids the signatures given to the old text.
    During implementation the plan changes as §5.2 allows: its version goes up and
    a plan_change monitoring entry, in the same commit, names who was told and the
    providers who agreed.
    """
    from juhtum import steps

    def split(value: str | None) -> list[str] | None:
        return [v.strip() for v in value.split(",") if v.strip()] if value is not None else None

    _document(
        ctx,
        case_id,
        file,
        force,
        steps.plan_target,
        lambda s, t, text: steps.plan(
            s, text, notify=split(notify), agreed_by=split(agreed_by), reason=reason
        ),
        resume=resume,
        discard=discard,
    )


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

    from juhtum import steps
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

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
    record = steps.SignatureRecord(
        status=status,
        date=date,
        reason=reason,
        cause=unable,
        dissent=dissent,
        basis=basis,
        reference=reference,
    )
    with _session(ctx, case_id, force) as s:
        _report(s, steps.sign(s, party=party, role=role, method=method, record=record))


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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        steps.monitor_target,
        lambda s, t, text: steps.entry(s, t, text, step="monitoring (§5)"),
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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        steps.evaluate_target,
        steps.evaluate,
        resume=resume,
        discard=discard,
    )


@commands.command()
def close(
    ctx: typer.Context,
    case_id: CaseId,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="goals_achieved, no_longer_needed or cannot_continue (§7.1).",
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
    """
    from juhtum import steps
    from juhtum.errors import UsageError

    if reason is not None and reason not in (
        "goals_achieved",
        "no_longer_needed",
        "cannot_continue",
    ):
        from juhtum.i18n import N_, label

        reasons = ("goals_achieved", "no_longer_needed", "cannot_continue")
        raise UsageError(
            N_("--reason is one of: {reasons}"),
            reasons=", ".join(f"{r} ({label(r)})" for r in reasons),
        )
    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.close_target(s, reason),
        lambda s, t, text: steps.close(s, text, reason=reason),
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
    from juhtum import steps

    def build(s: Session, target: Target, text: str) -> Outcome:
        person = (
            steps.person_document(
                case_id, name=name, roles=["coordinator"], organisation=organisation, email=email
            )
            if name
            else None
        )
        return steps.handover(s, target, text, to=to, person=person)

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.handover_target(s, to),
        build,
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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        steps.meeting_target,
        lambda s, t, text: steps.entry(s, t, text, step="network meeting"),
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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        steps.followup_target,
        lambda s, t, text: steps.entry(s, t, text, step="follow-up (§7.2)"),
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
    from juhtum import steps
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    if kind is not None and kind not in steps.DIARY_KINDS:
        raise UsageError(N_("--kind is one of {kinds}"), kinds=", ".join(steps.DIARY_KINDS))
    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.note_target(s, kind),
        lambda s, t, text: steps.note(s, t, text, kind=kind),
    )


@commands.command()
def people(
    ctx: typer.Context,
    case_id: CaseId,
    add: Annotated[
        str | None,
        typer.Option(
            "--add",
            help="Register someone under this handle (a role or initials, never a name).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", show_default=False, help="Their name.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            show_default=False,
            help="Their role(s): client, representative, coordinator, specialist, "
            "provider, network, other.",
        ),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", show_default=False, help="Their organisation.")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", show_default=False, help="Their e-mail.")
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", show_default=False, help="Their phone.")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            "-f",
            show_default=False,
            help="With --add: the person's whole file (name, roles, personal code, address...) "
            "from this file, - for stdin.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    force: Force = False,
) -> None:
    """List the people of a case, or register someone (people/<handle>.yaml).

    Everyone is named once, in their own file; documents refer to them by handle.
    Personal codes and addresses never go on the command line (shell history keeps
    them): give them in a file with --file, or later with juhtum edit ID HANDLE.
    A legal representative (--role representative) is also listed in case.yaml.
    """
    from juhtum import steps
    from juhtum.cli.app import echo_json
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    if add is None:
        from juhtum.cli.read import people_of

        st = state(ctx)
        found = people_of(st.repository(), case_id, st.day())
        if as_json:
            echo_json(found)
            return
        from juhtum.cli.app import wrapped
        from juhtum.i18n import labels

        for handle, person in sorted(found.items()):
            roles = labels(person["roles"])
            echo(wrapped(f"{handle}: {person['name'] or '?'} ({roles})", "", "    "))
        return
    if file is not None:
        from juhtum.cli.editor import obtain

        with _session(ctx, case_id, force) as s:
            _report(
                s,
                obtain(
                    s,
                    lambda s: steps.Target(f"people/{add}.yaml", "person", {}, None),
                    file,
                    lambda target, text: steps.add_person(
                        s, add, steps.stored(s, target.name, text)
                    ),
                    command="people",
                ),
            )
        return
    if not name or not role:
        raise UsageError(N_("--add needs --name and at least one --role, or --file"))
    document = steps.person_document(
        case_id, name=name, roles=role, organisation=organisation, email=email, phone=phone
    )
    with _session(ctx, case_id, force) as s:
        _report(s, steps.add_person(s, add, document))


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
    from juhtum import steps

    _document(
        ctx,
        case_id,
        file,
        force,
        lambda s: steps.edit_target(s, document),
        steps.edit,
        resume=resume,
        discard=discard,
    )
