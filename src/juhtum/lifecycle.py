"""The life of a case beyond one cycle (juhis §7, §8): a referral after case management ends
the case through closing, a closed case is reopened as a new linked case, related cases link
to each other (the bundle a case handed to another organisation leaves with: ``juhtum.transfer``).

Reopening opens a *new case* linked to the old one (``reopened_from`` / ``reopened_as``),
rather than moving the old documents into a cycle folder, because:

- a case id is the case plan's number (määrus nr 10 § 1 (1) 1): a new cycle of help is a
  new plan with a new number, and the old plan, its signatures and its closing stay exactly
  what the parties signed and were told;
- every invariant, view, export, erasure and the validation cache work per case folder, so
  nothing has to learn a second layout, and the closed case stays valid as it was;
- §1 starts again: the person's consent and the decision on case management are asked anew
  (the old consent was for the old case), which is what the guideline asks of a new need.

Changes that touch two cases (a link is recorded on both sides) are one journalled commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from juhtum import history, journal, storage
from juhtum.check import case_problems, reading
from juhtum.check.result import Options
from juhtum.documents import roundtrip, yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids, stages
from juhtum.model.case import Case, as_dict, as_list, as_str
from juhtum.model.documents import CASE_FILE, CASES_DIR
from juhtum.model.invariants.lifecycle import INVERSE, RELATIONS, related_across
from juhtum.model.problems import ERROR, Problem
from juhtum.storage import Repository

REOPEN_REASONS = ("new_need", "need_returned", "service_not_received", "person_asked", "other")
"""Why an ended case is reopened: a code, never free text, since case.yaml stays readable
without a key; the situation itself goes into the new case's need.yaml (§1.2)."""

# -- item 5: no exit around §7 -------------------------------------------------------------------


def refer_refusal(case: Case) -> UserError | None:
    """``assess --refer`` once case management was decided (§1.3 (2), §1.4): the case ends
    only through closing now, so the referral is a closing with reason ``referred``."""
    outcome = as_dict(case.need.get("decision")).get("outcome")
    if outcome != "case_management":
        return None
    if case.doc("assessment") is None or case.stage == stages.NEED:
        return UserError(
            N_(
                "case management was decided for case {id} (juhis §1.4): it ends only through "
                "closing (§7), so a referral to a single service is a closing with reason "
                "referred, with the person's feedback, the explanation and a follow-up "
                "(§7.2). Write the assessment with juhtum assess {id} (without --refer), "
                "then: juhtum close {id} --reason referred"
            ),
            id=case.id,
        )
    return UserError(
        N_(
            "case management was decided for case {id} (juhis §1.4): it ends only through "
            "closing (§7), so a referral to a single service is a closing with reason "
            "referred, with the person's feedback, the explanation and a follow-up (§7.2): "
            "juhtum close {id} --reason referred"
        ),
        id=case.id,
    )


# -- changes to two cases at once -----------------------------------------------------------------


@dataclass
class Linked:
    """What a lifecycle command wrote."""

    case_id: str
    other: str
    commit: str | None
    written: list[str]


def _read(repo: Repository, case_id: str) -> reading.CaseFiles:
    repo.existing_case_dir(case_id)
    return reading.read_case_files(repo, case_id)


def _refuse_uncommitted(repo: Repository, case_ids: list[str]) -> None:
    if not history.in_git(repo.root):
        return
    for case_id in case_ids:
        foreign = history.uncommitted(repo.root, f"{CASES_DIR}/{case_id}")
        if foreign:
            raise UserError(
                N_(
                    "case {id} has changes nobody committed: {files}. Commit them first "
                    "(git add and git commit), then run the command again"
                ),
                id=case_id,
                files=", ".join(foreign),
            )


def _errors(files: reading.CaseFiles, repo: Repository, today: dt.date) -> set[Any]:
    from juhtum.workflow.snapshot import problem_key, settings_for

    problems = case_problems.check_files(files, settings_for(repo), Options(today=today))
    return {problem_key(p) for p in problems if p.severity == ERROR}


def _check(
    repo: Repository,
    before: reading.CaseFiles | None,
    after: reading.CaseFiles,
    today: dt.date,
) -> None:
    from juhtum.workflow.session import Refused
    from juhtum.workflow.snapshot import problem_key, settings_for

    problems = case_problems.check_files(after, settings_for(repo), Options(today=today))
    old = _errors(before, repo, today) if before is not None else set()
    new = [p for p in problems if p.severity == ERROR and problem_key(p) not in old]
    if new:
        raise Refused(N_("the change is refused: it would leave these errors"), new)


def _with_link(files: reading.CaseFiles, entry: dict[str, Any]) -> reading.CaseFiles:
    text = files.files.get(CASE_FILE, b"").decode("utf-8")
    data = as_dict(yamlio.loads(text, path=f"{files.prefix}/{CASE_FILE}").data)
    related = [e for e in as_list(data.get("related")) if isinstance(e, dict)]
    related.append(entry)
    changed = roundtrip.set_fields(text, {"related": related}).encode("utf-8")
    return files.with_files({CASE_FILE: changed})


def _links(files: reading.CaseFiles) -> set[tuple[str, str]]:
    data = as_dict(yamlio.loads(files.files.get(CASE_FILE, b""), path=CASE_FILE).data)
    return {
        (as_str(e.get("case")) or "", as_str(e.get("relation")) or "")
        for e in as_list(data.get("related"))
        if isinstance(e, dict)
    }


def _commit(
    repo: Repository,
    case_id: str,
    step: str,
    stage: str,
    changed: list[reading.CaseFiles],
    originals: list[reading.CaseFiles | None],
    *,
    author: dict[str, str] | None,
    commit_date: str | None,
) -> tuple[str | None, list[str]]:
    writes = []
    for after, before in zip(changed, originals, strict=True):
        for name, data in after.files.items():
            if before is None or before.files.get(name) != data:
                writes.append(journal.Write(f"{after.prefix}/{name}", data))
    commit = journal.apply(
        repo, journal.Change(case_id, step, stage, writes, author=author, date=commit_date)
    )
    return commit, [w.path for w in writes]


def _author(repo: Repository) -> dict[str, str] | None:
    from juhtum.storage.create import read_config

    author = read_config(repo).get("author")
    return author if isinstance(author, dict) else None


def relate(
    repo: Repository,
    case_id: str,
    other: str,
    relation: str,
    *,
    today: dt.date,
    commit_date: str | None = None,
) -> Linked:
    """Link two cases of the repository, each recording the other (case.yaml ``related``)."""
    if relation not in RELATIONS:
        raise UserError(N_("--relation is one of: {relations}"), relations=", ".join(RELATIONS))
    if other == case_id:
        raise UserError(N_("case {id} is named as related to itself"), id=case_id)
    with storage.Lock(repo):
        journal.recover(repo)
        _refuse_uncommitted(repo, [case_id, other])
        mine, theirs = _read(repo, case_id), _read(repo, other)
        back = INVERSE[relation]
        if (other, relation) in _links(mine) and (case_id, back) in _links(theirs):
            raise UserError(
                N_("case {id} is linked to case {other} ({relation}) already"),
                id=case_id,
                other=other,
                relation=relation,
            )
        entry: dict[str, Any] = {"case": other, "relation": relation, "date": today.isoformat()}
        new_mine = mine if (other, relation) in _links(mine) else _with_link(mine, entry)
        entry_back = {**entry, "case": case_id, "relation": back}
        new_theirs = theirs if (case_id, back) in _links(theirs) else _with_link(theirs, entry_back)
        _check(repo, mine, new_mine, today)
        _check(repo, theirs, new_theirs, today)
        stage = (
            as_str(as_dict(yamlio.loads(mine.files[CASE_FILE], path=CASE_FILE).data).get("stage"))
            or "-"
        )
        commit, written = _commit(
            repo,
            case_id,
            f"related: {relation} {other}",
            stage,
            [new_mine, new_theirs],
            [mine, theirs],
            author=_author(repo),
            commit_date=commit_date,
        )
    return Linked(case_id, other, commit, written)


def reopen(
    repo: Repository,
    case_id: str,
    *,
    reason: str,
    today: dt.date,
    new_id: str | None = None,
    framework: str | None = None,
    coordinator: str | None = None,
    commit_date: str | None = None,
) -> Linked:
    """Open a new case for a person whose case has ended (closed or referred): the person and
    their representatives come along, the new case starts at §1 with ``reopened_from``, and
    the old case records ``reopened_as``. One commit; the old case's documents stay as they
    were."""
    if reason not in REOPEN_REASONS:
        raise UserError(N_("--reason is one of: {reasons}"), reasons=", ".join(REOPEN_REASONS))
    from juhtum.storage.create import read_config

    with storage.Lock(repo):
        journal.recover(repo)
        _refuse_uncommitted(repo, [case_id])
        old = _read(repo, case_id)
        case = reading.parse_case(old)
        if case.stage not in stages.TERMINAL:
            raise UserError(
                N_(
                    "case {id} is in {stage}: only a case that has ended (closed or referred) "
                    "is reopened. While it is open, the evaluation's decision reassess takes "
                    "it back to the assessment (juhis §6.3): juhtum evaluate {id}"
                ),
                id=case_id,
                stage=case.stage or "?",
            )
        later = [
            as_str(e.get("case"))
            for e in as_list(case.case.get("related"))
            if isinstance(e, dict) and e.get("relation") == "reopened_as"
        ]
        if later:
            raise UserError(
                N_("case {id} was reopened already as case {other}: work on in that one"),
                id=case_id,
                other=later[-1],
            )
        existing = set(repo.case_ids())
        config = read_config(repo)
        client_name = (
            as_str(case.people[case.client].get("name")) if case.client in case.people else None
        )
        if new_id is not None:
            ids.check_case_id(new_id)
            ids.check_case_id_names_no_one(new_id, [client_name])
            if new_id in existing:
                raise UserError(N_("a case {id} exists already"), id=new_id)
        else:
            prefix = config.get("id_prefix") if isinstance(config.get("id_prefix"), str) else None
            new_id = ids.new_case_id(prefix, existing)
        chosen_framework = framework or case.framework or "adult"
        if chosen_framework not in ("adult", "child"):
            raise UserError(N_("the framework is adult or child"))
        people: dict[str, bytes] = {}
        for handle in [case.client, *case.representatives]:
            name = f"people/{handle}.yaml"
            raw = old.files.get(name)
            if raw is not None:
                text = roundtrip.set_fields(raw.decode("utf-8"), {"case": new_id})
                people[name] = text.encode("utf-8")
        link = {"relation": "reopened_from", "case": case_id, "date": today.isoformat()}
        document: dict[str, Any] = {
            "id": new_id,
            "stage": stages.NEED,
            "opened": today.isoformat(),
            "framework": chosen_framework,
            "client": case.client,
            "representatives": [h for h in case.representatives if f"people/{h}.yaml" in people],
            "coordinator": coordinator,
            "related": [
                {
                    "case": case_id,
                    "relation": "reopened_from",
                    "date": link["date"],
                    "reason": reason,
                }
            ],
        }
        fresh = reading.CaseFiles(
            new_id, {**people, CASE_FILE: yamlio.dumps(document).encode("utf-8")}
        )
        back = {"case": new_id, "relation": "reopened_as", "date": today.isoformat()}
        marked = _with_link(old, back)
        _check(repo, None, fresh, today)
        _check(repo, old, marked, today)
        folder = repo.case_dir(new_id)
        try:
            folder.mkdir(parents=False)  # fails if another writer just made it: ids stay unique
        except FileExistsError:
            raise UserError(N_("a case {id} exists already"), id=new_id) from None
        storage.fsync_dir(repo.cases_dir)
        storage.make_dirs(folder / "people")
        commit, written = _commit(
            repo,
            new_id,
            f"reopened from {case_id}",
            stages.NEED,
            [fresh, marked],
            [None, old],
            author=_author(repo),
            commit_date=commit_date,
        )
    return Linked(new_id, case_id, commit, written)


# -- links across the repository (I17) -------------------------------------------------------------


def related_problems(repo: Repository, case_ids: list[str]) -> list[Problem]:
    """Every case's links name a case of the repository, and are recorded on both sides.
    Reads only the case.yaml files that mention ``related`` (validate runs this each time)."""
    links: dict[str, list[tuple[int, str, str]]] = {}
    for case_id in case_ids:
        if not ids.is_case_id(case_id):
            continue
        path = repo.case_dir(case_id) / CASE_FILE
        try:
            raw = storage.read_document(path)
        except (OSError, storage.TooLarge):
            continue
        if b"related" not in raw:
            continue
        try:
            data = as_dict(yamlio.loads(raw, path=f"{CASES_DIR}/{case_id}/{CASE_FILE}").data)
        except UserError:
            continue  # the case's own check reports it
        links[case_id] = [
            (i, as_str(e.get("case")) or "", as_str(e.get("relation")) or "")
            for i, e in enumerate(as_list(data.get("related")))
            if isinstance(e, dict) and ids.is_case_id(e.get("case"))
        ]
    if not links:
        return []

    def exists(other: str) -> bool:
        folder = repo.case_dir(other)
        return folder.is_dir() and not folder.is_symlink()

    return list(related_across(links, exists, lambda c: f"{CASES_DIR}/{c}/{CASE_FILE}"))
