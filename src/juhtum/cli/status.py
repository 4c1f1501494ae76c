"""``juhtum status``: where a case stands, what is done, and what each next step still needs,
from the cache when the case is unchanged (the data is worked out in
:mod:`juhtum.cli.status_data`, imported only then)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from juhtum.cli.shared import echo, echo_json, state

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]


def cached_status(repo: Any, case_id: str, today: Any) -> dict[str, Any]:
    """status's data from the cache when the case's files are unchanged (it is what takes a
    status its time: every next step is a full check of the case as it would be)."""
    from juhtum.check.cache import Cache
    from juhtum.check.cache_keys import list_case, now_ns

    folder = repo.existing_case_dir(case_id)
    with Cache(repo) as kept:
        listing = list_case(folder)
        # one case: its few files' stat data is the cheap test (a git status is not)
        entry = kept.get(case_id, listing, today.isoformat(), columns=("problems", "status"))
        if entry is not None and entry.status is not None:
            return entry.status

        from juhtum.check.cache import Row
        from juhtum.check.cache_keys import hashes as file_hashes
        from juhtum.check.runner import today_bounds
        from juhtum.cli.status_data import status_data
        from juhtum.workflow.snapshot import Snapshot

        read_at = now_ns()
        snapshot = Snapshot(repo, case_id, today=today).load()
        if entry is not None and entry.problems is not None:
            # validate checked these files today (--legal's problems included, which status
            # leaves out, as validate does without --legal): the case as it is needs no check
            # again, only each next step does
            from juhtum.model.problems import from_json

            known = [from_json(p) for p in entry.problems if p["rule"] != "I16"]
            snapshot._settle(snapshot.files, known, snapshot.docs)
        data = status_data(snapshot)
        lo, hi = today_bounds(snapshot.docs, today)
        row = Row(listing, file_hashes(snapshot.files.files), read_at, lo, hi, status=data)
        # only the status is new: the row's problems, if any, keep their own days
        kept.put(case_id, row)
        return data


def presented(data: dict[str, Any]) -> dict[str, Any]:
    """status's data with every problem's message rendered in the current language."""
    from juhtum.model.problems import from_json
    from juhtum.output.reporters import message

    def show(raw: dict[str, Any]) -> dict[str, Any]:
        p = from_json(raw)
        return {"rule": p.rule, "file": p.file, "line": p.line, "message": message(p)}

    out = dict(data)
    for key in ("todo", "errors", "warnings"):
        out[key] = [show(p) for p in data[key]]
    out["next"] = [{**step, "missing": [show(p) for p in step["missing"]]} for step in data["next"]]
    return out


def waiting_drafts(repo: Any, case_id: str) -> list[dict[str, str]]:
    """The drafts an interrupted or abandoned edit left (local, never cached: they are not
    the case's), each with the command that resumes it."""
    from juhtum import drafts

    return [
        {
            "command": "" if d.legacy else f"{d.command} --resume",
            "path": repo.relative(d.path),
            "saved": d.saved,
        }
        for d in drafts.waiting(repo, case_id)
    ]


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
    is missing, which § asks for it, and the command to run.
    """
    st = state(ctx)
    repo = st.repository()
    data = presented(cached_status(repo, case_id, st.day()))
    data["interrupted_changes"] = repo.interrupted_changes()
    data["drafts"] = waiting_drafts(repo, case_id)
    if as_json:
        echo_json(data)
        return
    for line in status_lines(case_id, data):
        echo(line)


MAX_ITEMS = 10
"""At most this many missing things listed: status fits one screen (validate lists all)."""


def status_lines(case_id: str, data: dict[str, Any]) -> list[str]:
    """status as a person reads it, on one screen of 80 columns: where the case stands, what
    is missing (each thing once, errors first), and the command for the next step."""
    from juhtum.cli.shared import wrapped
    from juhtum.i18n import _, label, ngettext
    from juhtum.model import stages

    lines: list[str] = []
    stage = data["state"]
    if stage in stages.STAGES:
        lines.append(
            wrapped(
                _("Case {id}: {stage} (juhis {clause})").format(
                    id=case_id, stage=label(stage), clause=stages.CLAUSE[stage]
                )
            )
        )
    else:
        lines.append(
            wrapped(
                _("Case {id}: its state in case.yaml is missing or unknown ({value})").format(
                    id=case_id, value=stage if stage is not None else "-"
                )
            )
        )
    for pending in data.get("interrupted_changes", []):
        lines.append(
            wrapped(
                _(
                    "an interrupted change is waiting: the next juhtum command that writes "
                    "completes it ({name})"
                ).format(name=pending),
                "  ",
            )
        )
    for draft in data.get("drafts", []):
        if draft["command"]:
            text = _("a draft is waiting (saved {saved}): {command}").format(
                saved=draft["saved"], command=draft["command"]
            )
        else:
            text = _("an earlier draft is kept (saved {saved}): {path}").format(
                saved=draft["saved"], path=draft["path"]
            )
        lines.append(wrapped(text, "  ", "    "))
    if data["documents"]:
        marks = [
            f"{d['document']} " + (_("complete") if d["complete"] else _("not complete"))
            for d in data["documents"]
        ]
        lines.append(wrapped(_("Documents: {list}").format(list=", ".join(marks))))
    entries = {k: v for k, v in data["entries"].items() if v}
    if entries:
        shown = [entry_count(kind, n) for kind, n in entries.items()]
        lines.append(wrapped(_("Entries: {list}").format(list=", ".join(shown))))
    plan = data["plan"]
    if plan:
        signed = [s for s in plan["signatures"] if s.get("status", "signed") == "signed"]
        valid = {s["party"] for s in signed if s.get("standing") == "valid"}
        text = _("Plan version {version}: {valid} valid signatures").format(
            version=plan["version"], valid=len(valid)
        )
        if plan["missing"]:
            text += "; " + _("not signed: {parties}").format(parties=", ".join(plan["missing"]))
        lines.append(wrapped(text))
        for sig in plan["signatures"]:
            if sig.get("status", "signed") != "signed":  # refused, unable, oral, in force
                lines.append(wrapped(not_signed_line(sig), "  ", "    "))
            elif sig.get("dissent"):
                lines.append(
                    wrapped(f"{sig['party']}: " + _("with a dissent (juhis §4.2)"), "  ", "    ")
                )
        standings: dict[str, list[str]] = {}
        for sig in signed:
            standing = str(sig.get("standing"))
            parties = standings.setdefault(standing, [])
            if standing != "valid" and sig["party"] not in valid and sig["party"] not in parties:
                parties.append(str(sig["party"]))
        for standing, parties in standings.items():
            if parties:
                lines.append(wrapped(f"{_(standing)}: {', '.join(parties)}", "  ", "    "))
    missing = missing_items(data)
    errors = [m for m in missing if m["error"]]
    if missing:
        heading = (
            ngettext(
                "Missing or wrong ({n}, {errors} error):",
                "Missing or wrong ({n}, {errors} errors):",
                len(errors),
            )
            if errors
            else _("Missing ({n}):")
        )
        lines.append(heading.format(n=len(missing), errors=len(errors)))
        for item in missing[:MAX_ITEMS]:
            where = item["file"].rsplit("/", 1)[-1] if item["file"] else ""
            if where and item["line"]:
                where += f":{item['line']}"
            text = item["message"] + (f" ({where})" if where else "")
            lines.append(wrapped(("! " if item["error"] else "- ") + text, "  ", "    "))
        if len(missing) > MAX_ITEMS:
            lines.append(
                wrapped(
                    _("... and {n} more: juhtum validate cases/{id} --todo").format(
                        n=len(missing) - MAX_ITEMS, id=case_id
                    ),
                    "  ",
                )
            )
    commands = next_commands(case_id, data)
    if not commands and stage == stages.REFERRED:
        lines.append(wrapped(_("The case has ended as a referral: there is no next step.")))
    if commands:
        lines.append(_("Next step:"))
        for command, why in commands:
            lines.append(wrapped(f"{command}   # {why}" if why else command, "  ", "    "))
    return lines


def entry_count(kind: str, n: int) -> str:
    """``3 monitoring entries`` in the plural form the language asks for."""
    from juhtum.i18n import ngettext

    forms = {
        "monitoring": lambda: ngettext("{n} monitoring entry", "{n} monitoring entries", n),
        "evaluation": lambda: ngettext("{n} evaluation", "{n} evaluations", n),
        "meeting": lambda: ngettext("{n} meeting", "{n} meetings", n),
        "handover": lambda: ngettext("{n} handover", "{n} handovers", n),
        "followup": lambda: ngettext("{n} follow-up", "{n} follow-ups", n),
    }
    form = forms.get(kind)
    return form().format(n=n) if form is not None else f"{kind} {n}"


def shown_date(value: object) -> str:
    from juhtum.i18n import date

    return date(value)


def missing_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Errors, to-dos and what every next step lacks, each once (the same to-do stands in
    the stage's list and in every step's), errors first."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    groups = [(data["errors"], True), (data["todo"], False)]
    groups += [(step["missing"], False) for step in data["next"][:1]]
    for items, error in groups:
        for item in items:
            key = (item.get("file") or "", item["message"])
            if key in seen:
                continue
            seen.add(key)
            out.append({**item, "error": error})
    return out


def next_commands(case_id: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The command for the next step, ready to copy, and what it does."""
    from juhtum.i18n import _, label
    from juhtum.model import stages, transitions

    stage = data["state"]
    if stage not in stages.STAGES:
        return [(f"juhtum edit {case_id} case", _("set the state in case.yaml"))]
    complete = {d["document"]: d["complete"] for d in data["documents"]}
    current = stages.STAGE_DOCUMENT.get(stage)
    if stage == stages.CLOSED:
        return [(f"juhtum followup {case_id}", _("a follow-up contact, when one was agreed"))]
    if stage == stages.REFERRED:
        return []
    plan = data["plan"]
    unsigned = plan["missing"] if plan else []
    to_do = [m for m in missing_items(data) if (m.get("file") or "").endswith("/plan.yaml")]
    if stage == stages.PLAN and unsigned and len(to_do) <= len(unsigned):
        return [
            (f"juhtum sign {case_id} --party {party}", _("a signature"))
            for party in plan["missing"][:3]
        ]
    if current is not None and not complete.get(current, False):
        return [
            (
                f"juhtum {transitions.COMMAND[stage]} {case_id}",
                _("complete {document}").format(document=current),
            )
        ]
    if stage == stages.IMPLEMENTATION:
        return [
            (f"juhtum monitor {case_id}", _("a monitoring entry")),
            (f"juhtum evaluate {case_id}", _("at the review: the evaluation")),
        ]
    if stage == stages.EVALUATION:
        return [(f"juhtum evaluate {case_id}", _("complete the evaluation and its decision"))]
    forward = transitions.NEXT[stage][0]
    return [
        (
            f"juhtum {transitions.COMMAND[forward]} {case_id}",
            _("on to: {stage}").format(stage=label(forward)),
        )
    ]


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
