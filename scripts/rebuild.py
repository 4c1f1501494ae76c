"""Rebuild an example case repository by driving juhtum's commands, as coordinators would.

Every case of the example is replayed in a new git repository: ``new --id`` on
the day it was opened, the people registered, then each document given to the
command of its stage on its own date (``--today``): need, assess, measures,
plan and each signature, monitoring entries, meetings, handovers, evaluations
(whose decisions move the case), closing, follow-ups and case diary entries; a case that
reopens an ended one starts with ``juhtum reopen`` after it. Where the example
holds only the final version of a document, the replay uses what the history
of a real repository would hold: the earlier versions of a plan are kept in
``scripts/history/<case>/plan-v<N>.yaml``, and the planning before an
evaluation decided *modify* is the final planning without the measures agreed
later. Announced plan changes (§5.2) are replayed with ``juhtum plan`` during
implementation, which writes their monitoring entry itself.

    python scripts/rebuild.py examples/lepiku /tmp/lepiku-rebuilt
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum.cli import main
from juhtum.documents import schemas, yamlio
from juhtum.model.case import as_dict, as_list

HISTORY = Path(__file__).resolve().parent / "history"
IDENTITY = {
    "GIT_AUTHOR_NAME": "juhtum demo",
    "GIT_AUTHOR_EMAIL": "demo@juhtum.example",
    "GIT_COMMITTER_NAME": "juhtum demo",
    "GIT_COMMITTER_EMAIL": "demo@juhtum.example",
}
ORDER = (
    "people",
    "note",
    "need",
    "assess",
    "measures",
    "plan",
    "sign",
    "monitor",
    "meeting",
    "handover",
    "evaluate",
    "close",
    "followup",
)


class ReplayError(RuntimeError):
    pass


@dataclass(order=True)
class Step:
    date: str
    rank: int
    seq: int
    args: list[str] = field(compare=False)


@dataclass
class Replay:
    source: Path
    target: Path
    commands: list[list[str]] = field(default_factory=list)

    def juhtum(self, *args: str) -> str:
        argv = ["--repo", str(self.target), "--lang", "en", *args]
        self.commands.append(list(args))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        if code != 0:
            raise ReplayError(
                f"juhtum {' '.join(args)} exited {code}:\n{out.getvalue()}{err.getvalue()}"
            )
        return out.getvalue()


def load(path: Path) -> dict[str, Any]:
    data = yamlio.load_file(path, path=str(path)).data
    return data if isinstance(data, dict) else {}


def recorded(kind: str, data: dict[str, Any]) -> str:
    """The latest date a document records as having happened (its x-past fields): the day it
    can have been written at the earliest."""
    dates = [
        value
        for pattern in schemas.field_index(kind).past_dates
        for _, value in schemas.values_at(data, pattern)
        if isinstance(value, str)
    ]
    return max(dates, default="")


def latest_date(node: Any) -> str:
    """The latest ISO date anywhere in a document (for drafts without a date of their own)."""
    found = ""
    if isinstance(node, dict):
        for value in node.values():
            found = max(found, latest_date(value))
    elif isinstance(node, list):
        for value in node:
            found = max(found, latest_date(value))
    elif isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-":
        found = node
    return found


def _write(work: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yamlio.dumps(data), encoding="utf-8")
    return path


def replay_case(replay: Replay, case_dir: Path, work: Path) -> None:
    case_id = case_dir.name
    case = load(case_dir / "case.yaml")
    opened = str(case["opened"])
    steps: list[Step] = []
    seq = iter(range(10**6))

    def add(date: str, command: str, *args: str) -> None:
        steps.append(Step(date, ORDER.index(command), next(seq), [command, case_id, *args]))

    client = load(case_dir / "people" / "client.yaml")
    earlier = reopened_from(case)
    if earlier is not None:  # juhtum reopen: the person comes along from the ended case
        replay.juhtum(
            "--today",
            str(earlier.get("date") or opened),
            "reopen",
            str(earlier["case"]),
            "--id",
            case_id,
            "--reason",
            str(earlier.get("reason") or "other"),
            "--framework",
            str(case["framework"]),
            "--coordinator",
            "-",
        )
    else:
        replay.juhtum(
            "--today",
            opened,
            "new",
            "--client",
            str(client["name"]),
            "--framework",
            str(case["framework"]),
            "--id",
            case_id,
            "--coordinator",  # as the example was opened: the need stage assigns one
            "-",
        )
    starts = [
        str(as_dict(load(p).get("representation")).get("from") or "")
        for p in (case_dir / "people").glob("*.yaml")
    ]
    target_people = replay.target / "cases" / case_id / "people"
    for person in sorted((case_dir / "people").glob("*.yaml")):
        copied = target_people / person.name
        if copied.is_file() and load(copied) == load(person):
            continue  # brought along by reopen as it is
        if person.stem == "client" or copied.is_file():
            replay.juhtum("--today", opened, "edit", case_id, person.stem, "--file", str(person))
            continue
        # a representative's period (määrus nr 10 § 1 (1) 5): registered on its first day
        # when that came later, and ended with people --end on its last (once the one who
        # follows is registered: a child is never left without a representative)
        handle, data = person.stem, load(person)
        held = as_dict(data.get("representation"))
        start, until = str(held.get("from") or ""), str(held.get("until") or "")
        if until:
            data = {**data, "representation": {k: v for k, v in held.items() if k != "until"}}
            person = _write(work, f"{case_id}-people-{person.name}", data)
            add(max([until, *starts]), "people", "--end", handle, "--date", until)
        if start > opened:
            add(start, "people", "--add", handle, "--file", str(person))
        else:
            replay.juhtum(
                "--today", opened, "people", case_id, "--add", handle, "--file", str(person)
            )

    # the stages follow each other: a draft that records no date yet comes after the last one
    last = opened
    need = load(case_dir / "need.yaml") if (case_dir / "need.yaml").exists() else None
    if need is not None:
        last = max(recorded("need", need), last)
        add(last, "need", "--file", str(case_dir / "need.yaml"))
    assessment_path = case_dir / "assessment.yaml"
    if assessment_path.exists():
        last = max(recorded("assessment", load(assessment_path)), last)
        add(last, "assess", "--file", str(assessment_path))

    evaluations = sorted((case_dir / "evaluations").glob("*.yaml"))
    modified = [load(p) for p in evaluations if load(p).get("decision") == "modify"]
    planning_path = case_dir / "planning.yaml"
    if planning_path.exists():
        planning = load(planning_path)
        if modified:
            first = str(modified[0]["date"])
            earlier = as_of(planning, first, load(assessment_path))
            date = max(recorded("planning", earlier), last)
            add(
                date, "measures", "--file", str(_write(work, f"{case_id}-planning-1.yaml", earlier))
            )
            date = max(recorded("planning", planning), first)
        else:
            date = max(recorded("planning", planning), last)
        add(date, "measures", "--file", str(planning_path))

    changes = {}
    for entry in sorted((case_dir / "monitoring").glob("*.yaml")):
        data = load(entry)
        if data.get("kind") == "plan_change":
            changes[data.get("plan_version")] = data
        else:
            add(str(data["date"]), "monitor", "--file", str(entry))

    plan_path = case_dir / "plan.yaml"
    if plan_path.exists():
        plan = load(plan_path)
        earlier = sorted((HISTORY / case_id).glob("plan-v*.yaml"))
        versions = [(load(p), p) for p in earlier] + [(plan, plan_path)]
        for number, (content, path) in enumerate(versions, start=1):
            text = path.read_text(encoding="utf-8")
            document = _write(
                work,
                f"{case_id}-plan-{number}.yaml",
                yamlio.dumps({k: v for k, v in load(path).items() if k != "signatures"})
                if text
                else text,
            )
            change = changes.get(number)
            if change is not None:  # an announced change during implementation (§5.2)
                args = [
                    "--file",
                    str(document),
                    "--notify",
                    ",".join(as_list(change.get("notified"))),
                    "--agreed-by",
                    ",".join(as_list(change.get("agreed_by"))),
                ]
                if change.get("changes_needed"):
                    args += ["--reason", str(change["changes_needed"])]
                not_told = as_dict(change.get("not_possible")).get("notified")
                if not_told:
                    args += ["--not-told", str(not_told)]
                add(str(change["date"]), "plan", *args)
            else:
                add(str(content.get("date")), "plan", "--file", str(document))
            for signature in as_list(plan.get("signatures")):
                if isinstance(signature, dict) and signature.get("version") == number:
                    add(
                        str(signature["date"]),
                        "sign",
                        "--party",
                        str(signature["party"]),
                        "--role",
                        str(signature["role"]),
                        *sign_options(signature),
                    )

    for name, command in (("meetings", "meeting"), ("followups", "followup"), ("diary", "note")):
        for entry in sorted((case_dir / name).glob("*.yaml")):
            add(str(load(entry)["date"]), command, "--file", str(entry))
    for entry in sorted((case_dir / "handovers").glob("*.yaml")):
        data = load(entry)
        add(str(data["date"]), "handover", "--to", str(data["to"]), "--file", str(entry))
    for entry in evaluations:
        add(str(load(entry)["date"]), "evaluate", "--file", str(entry))
    closing_path = case_dir / "closing.yaml"
    if closing_path.exists():
        closing = load(closing_path)
        # the deciding evaluation has a new name in the rebuilt case: close names it itself
        closing.pop("evaluation", None)
        add(
            str(closing["date"]),
            "close",
            "--reason",
            str(closing["reason"]),
            "--file",
            str(_write(work, f"{case_id}-closing.yaml", closing)),
        )

    for step in sorted(steps):
        replay.juhtum("--today", step.date, *step.args)


def reopened_from(case: dict[str, Any]) -> dict[str, Any] | None:
    """The ended case this one reopens (case.yaml ``related``), if any."""
    for entry in as_list(case.get("related")):
        if isinstance(entry, dict) and entry.get("relation") == "reopened_from":
            return entry
    return None


def in_order(cases: list[Path]) -> list[Path]:
    """The cases by id, a reopened case after the one it reopens (juhtum reopen needs it)."""
    ordered: list[Path] = []
    by_id = {p.name: p for p in cases}

    def visit(path: Path, seen: frozenset[str]) -> None:
        if path in ordered or path.name in seen:
            return
        earlier = reopened_from(load(path / "case.yaml"))
        if earlier is not None and str(earlier.get("case")) in by_id:
            visit(by_id[str(earlier["case"])], seen | {path.name})
        ordered.append(path)

    for path in sorted(cases):
        visit(path, frozenset())
    return ordered


def sign_options(signature: dict[str, Any]) -> list[str]:
    """The options of ``juhtum sign`` that record this signature entry (juhis §4.2)."""
    status = signature.get("status", "signed")
    options = {
        "signed": ["--method", str(signature.get("method"))],
        "refused": ["--refused"],
        "unable": ["--unable", str(signature.get("cause"))],
        "oral": ["--oral"],
        "waived": ["--in-force"],
    }[str(status)]
    for key in ("reason", "basis", "dissent", "reference"):
        if signature.get(key):
            options += [f"--{key}", str(signature[key])]
    return options


def as_of(planning: dict[str, Any], before: str, assessment: dict[str, Any]) -> dict[str, Any]:
    """The planning as it stood before ``before``: measures and options for goals the
    assessment defined, negotiated before that day."""
    defined = {g.get("id") for g in as_list(assessment.get("goals")) if isinstance(g, dict)}
    measures = [
        m
        for m in as_list(planning.get("measures"))
        if isinstance(m, dict)
        and set(as_list(m.get("goals"))) <= defined
        and str(as_dict(m.get("negotiation")).get("date") or "") < before
    ]
    options = [
        o
        for o in as_list(planning.get("options"))
        if isinstance(o, dict) and o.get("goal") in defined
    ]
    return {**planning, "measures": measures, "options": options}


def rebuild(source: Path, target: Path) -> Replay:
    """Replay every case of the example repository ``source`` into a new one at ``target``."""
    for key, value in IDENTITY.items():
        os.environ.setdefault(key, value)
    if target.exists():
        shutil.rmtree(target)
    replay = Replay(source, target)
    config = load(source / "juhtum.yaml")
    organisation = str(as_dict(config.get("organisation")).get("name") or source.name)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["init", str(target), "--organisation", organisation])
    if code != 0:
        raise ReplayError(f"juhtum init exited {code}: {out.getvalue()}")
    shutil.copy(source / "juhtum.yaml", target / "juhtum.yaml")
    if (source / "services").is_dir():
        shutil.copytree(source / "services", target / "services")
    subprocess.run(["git", "add", "-A"], cwd=target, check=True, capture_output=True)
    subprocess.run(
        ["git", "commit", "-qm", "the organisation's settings and service catalogue"],
        cwd=target,
        check=True,
        capture_output=True,
    )
    work = target.parent / f".{target.name}-replay"
    work.mkdir(exist_ok=True)
    try:
        for case_dir in in_order([p for p in (source / "cases").iterdir() if p.is_dir()]):
            replay_case(replay, case_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return replay


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        raise SystemExit(2)
    done = rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(done.commands)} commands replayed into {sys.argv[2]}")
