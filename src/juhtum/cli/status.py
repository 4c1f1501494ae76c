"""``juhtum status`` and ``juhtum history``: where a case stands, and how it got there."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.app import echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]


def status_data(snapshot: Any) -> dict[str, Any]:
    """Everything status shows, as data (for --json and for the text)."""
    from juhtum.i18n import N_
    from juhtum.model import stages, transitions
    from juhtum.model.case import as_list
    from juhtum.model.invariants import signature_state
    from juhtum.model.problems import to_json

    case = snapshot.case
    stage = case.stage
    problems = snapshot.problems

    def shown(p: Any) -> dict[str, Any]:
        return to_json(p)  # rendered when shown, in the language of that moment

    documents = []
    for name in ("need.yaml", "assessment.yaml", "planning.yaml", "plan.yaml", "closing.yaml"):
        if name in snapshot.files.files:
            path = snapshot.path(name)
            open_items = [p for p in problems if p.file == path and p.severity in ("error", "todo")]
            documents.append({"document": name, "complete": not open_items})
    signatures: dict[str, Any] = {}
    state_of = signature_state(case)
    if state_of is not None:
        void = {id(s) for _, s in state_of.void}
        entries = []
        for item in as_list(case.plan.get("signatures")):
            if not isinstance(item, dict):
                continue
            if id(item) in void:
                standing = N_("void: the plan changed after it was signed")
            elif item.get("content_hash") == state_of.hash:
                standing = N_("valid")
            elif state_of.announcement is not None:
                standing = N_("stands: an earlier version, the change was announced")
            else:
                standing = N_("given to an earlier version")
            entries.append(
                {
                    "party": item.get("party"),
                    "date": item.get("date"),
                    "version": item.get("version"),
                    "standing": standing,
                    **not_signed_fields(item),
                }
            )
        signatures = {
            "version": case.plan.get("version"),
            "signatures": entries,
            "missing": state_of.missing,
        }
    next_steps = []
    for target in transitions.NEXT.get(stage or "", ()):
        if target == stages.CLOSED:
            next_steps.append(closing_step(case))
            continue
        missing = snapshot.missing_for(target)
        next_steps.append(
            {
                "state": target,
                "command": f"juhtum {transitions.COMMAND[target]} {case.id}",
                "possible": not missing,
                "missing": [shown(p) for p in missing],
            }
        )
    return {
        "id": case.id,
        "state": stage,
        "clause": stages.CLAUSE.get(stage or ""),
        "documents": documents,
        "entries": {k: len(v) for k, v in case.series.items()},
        "plan": signatures,
        "todo": [shown(p) for p in problems if p.severity == "todo"],
        "errors": [shown(p) for p in problems if p.severity == "error"],
        "warnings": [shown(p) for p in problems if p.severity == "warning"],
        "next": next_steps,
    }


def not_signed_fields(item: dict[str, Any]) -> dict[str, Any]:
    """A signature record's status and why (juhis §4.2), without its sensitive reason text."""
    status = item.get("status")
    if status in (None, "signed"):
        return {"dissent": True} if item.get("dissent") else {}
    fields = {"status": status, "recorded_by": item.get("recorded_by")}
    if status == "unable":
        fields["cause"] = item.get("cause")
    if status == "waived":
        fields["basis"] = item.get("basis")
    return fields


def not_signed_line(sig: dict[str, Any]) -> str:
    """One line saying who did not sign and why, or that the plan went in force without."""
    from juhtum.i18n import _

    def escape(text: str) -> str:  # a repository's text never drives the terminal
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)

    args = {
        "party": sig.get("party"),
        "date": sig.get("date"),
        "by": sig.get("recorded_by") or "?",
        "version": sig.get("version"),
        "cause": sig.get("cause") or "?",
        "basis": escape(str(sig.get("basis") or "?")),
    }
    texts = {
        "refused": _("{party}: refused to sign on {date} (recorded by {by}, version {version})"),
        "unable": _(
            "{party}: cannot sign: {cause} (recorded by {by} on {date}, version {version})"
        ),
        "oral": _("{party}: agreed orally, did not sign, on {date} (recorded by {by})"),
        "waived": _(
            "{party}: the plan is in force without their signature, decided by {by} on {date} "
            "(legal basis: {basis})"
        ),
    }
    return texts.get(str(sig.get("status")), "{party}: {date}").format(**args)


def closing_step(case: Any) -> dict[str, Any]:
    """What closing needs depends on its reason (juhis §7.1): say so rather than simulate."""
    from juhtum.i18n import N_
    from juhtum.model.problems import TODO, Problem, to_json

    def item(text: str) -> dict[str, Any]:
        return to_json(Problem("stage", TODO, f"cases/{case.id}/closing.yaml", text))

    decided = any(d.get("decision") == "close" for d in case.evaluations)
    needs = [
        item(
            N_(
                "closing.yaml, prepared with the person: feedback, rights and consequences "
                "explained, strategies, resources, where to turn for help (juhis §7.2)"
            )
        )
    ]
    if case.ever_signed() and not decided:
        needs.append(
            item(
                N_(
                    "for goals_achieved or no_longer_needed: an evaluation that decided "
                    "to close (juhis §6.3 (3)); for cannot_continue: the judgement that "
                    "closing endangers nobody's life or health (juhis §7.1 (3))"
                )
            )
        )
    return {
        "state": "closed",
        "command": f"juhtum close {case.id} --reason "
        "goals_achieved|no_longer_needed|cannot_continue",
        "possible": False,
        "missing": needs,
    }


def cached_status(repo: Any, case_id: str, today: Any) -> dict[str, Any]:
    """status's data from the cache when the case's files are unchanged (it is what takes a
    status its time: every next step is a full check of the case as it would be)."""
    from juhtum.cache import Cache, list_case, now_ns

    folder = repo.existing_case_dir(case_id)
    with Cache(repo) as kept:
        listing = list_case(folder)
        # one case: its few files' stat data is the cheap test (a git status is not)
        entry = kept.get(case_id, listing, today.isoformat(), columns=("status",))
        if entry is not None and entry.status is not None:
            return entry.status

        from juhtum import validation
        from juhtum.cache import Row
        from juhtum.cache import hashes as file_hashes
        from juhtum.workflow import Snapshot

        read_at = now_ns()
        snapshot = Snapshot(repo, case_id, today=today).load()
        data = status_data(snapshot)
        lo, hi = validation.today_bounds(snapshot.docs, today)
        row = Row(listing, file_hashes(snapshot.files.files), read_at, lo, hi, status=data)
        # only the status is new: the row's problems, if any, keep their own days
        kept.put(case_id, row)
        return data


def presented(data: dict[str, Any]) -> dict[str, Any]:
    """status's data with every problem's message rendered in the current language."""
    from juhtum.model.problems import from_json
    from juhtum.render import message

    def show(raw: dict[str, Any]) -> dict[str, Any]:
        p = from_json(raw)
        return {"rule": p.rule, "file": p.file, "line": p.line, "message": message(p)}

    out = dict(data)
    for key in ("todo", "errors", "warnings"):
        out[key] = [show(p) for p in data[key]]
    out["next"] = [{**step, "missing": [show(p) for p in step["missing"]]} for step in data["next"]]
    return out


@commands.command()
def status(
    ctx: typer.Context,
    case_id: CaseId,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Where a case stands: its state, what is done, and what each next step still needs.

    Lists the documents and whether each is complete, the plan's signatures
    (valid, void because the plan changed after signing, or missing), the to-dos
    of the current stage, and for every step the guideline allows from here what
    is missing and which § asks for it.
    """
    from juhtum.i18n import _
    from juhtum.model import stages

    st = state(ctx)
    repo = st.repository()
    data = presented(cached_status(repo, case_id, st.day()))
    data["interrupted_changes"] = repo.interrupted_changes()
    if as_json:
        echo_json(data)
        return
    stage = data["state"]
    title = _(stages.TITLE[stage]) if stage in stages.TITLE else "?"
    echo(
        _("Case {id}: {stage} (juhis {clause}, {title})").format(
            id=case_id, stage=stage, clause=data["clause"], title=title
        )
    )
    for pending in data["interrupted_changes"]:
        echo(
            _(
                "  an interrupted change is waiting: the next juhtum command that writes "
                "completes it ({name})"
            ).format(name=pending)
        )
    for doc in data["documents"]:
        mark = _("complete") if doc["complete"] else _("not complete")
        echo(f"  {doc['document']}: {mark}")
    entries = data["entries"]
    echo(
        _(
            "  entries: {monitoring} monitoring, {evaluation} evaluations, {meeting} meetings, "
            "{handover} handovers, {followup} follow-ups"
        ).format(**entries)
    )
    plan = data["plan"]
    if plan:
        echo(_("Plan version {version}, signatures:").format(version=plan["version"]))
        for sig in plan["signatures"]:
            if sig.get("status", "signed") != "signed":
                echo("  " + not_signed_line(sig))
                continue
            line = _("  {party}: {standing} (signed {date}, version {version})").format(
                party=sig["party"],
                standing=_(str(sig.get("standing"))),
                date=sig["date"],
                version=sig["version"],
            )
            echo(line + (" " + _("with a dissent (juhis §4.2)") if sig.get("dissent") else ""))
        for party in plan["missing"]:
            echo(_("  {party}: not signed").format(party=party))
    if data["todo"]:
        echo(_("To do in this stage:"))
        for item in data["todo"]:
            echo(f"  {item['file']}:{item['line'] or ''} [{item['rule']}] {item['message']}")
    if data["errors"]:
        echo(
            _("Errors ({n}): juhtum validate cases/{id}").format(n=len(data["errors"]), id=case_id)
        )
        for item in data["errors"]:
            echo(f"  {item['file']}:{item['line'] or ''} [{item['rule']}] {item['message']}")
    if data["next"]:
        echo(_("Next steps:"))
    for step in data["next"]:
        if step["possible"]:
            echo(_("  -> {state}: {command}").format(state=step["state"], command=step["command"]))
        else:
            echo(
                _("  -> {state} ({command}) needs:").format(
                    state=step["state"], command=step["command"]
                )
            )
            for item in step["missing"]:
                echo(f"       [{item['rule']}] {item['message']}")


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
    if as_json:
        echo_json([asdict(e) for e in entries])
        return
    prefix = f"{CASES_DIR}/{case_id}/"
    for entry in reversed(entries):
        files = ", ".join(f.removeprefix(prefix) for f in entry.files)
        echo(f"{entry.date[:10]}  {entry.author:<20}  {entry.step}  [{files}]")


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
    from juhtum.render import message

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
