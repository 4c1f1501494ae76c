"""Sharing cases through an ordinary git remote: ``juhtum sync``.

Append-only documents (monitoring, evaluations, handovers, meetings,
follow-ups) and people's files get unique names, so two specialists who work
offline never touch the same file. Everything else (case.yaml, the stage
documents, a person's file under the same handle) is compared with the common
ancestor: when *both* sides changed the same file, sync stops, even when git
could merge the text, because a merged plan is a plan nobody signed. Both
versions stay in git; sync writes them side by side under ``.juhtum/sync/``,
shows the difference, and says how to keep one (``--ours``/``--theirs``) or
combine them (``--combined``). Nothing is merged until that is said.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from juhtum import history, journal, storage, validation
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.documents import CASES_DIR, FOLDERS
from juhtum.model.problems import ERROR, Problem
from juhtum.storage import Repository

SYNC_DIR = "sync"
APPEND_ONLY = frozenset(folder for folder, kind in FOLDERS.items() if kind != "person")


@dataclass
class Conflict:
    path: str
    case_id: str | None
    ours: bytes | None
    theirs: bytes | None

    @property
    def document(self) -> str:
        prefix = f"{CASES_DIR}/{self.case_id}/"
        return self.path.removeprefix(prefix) if self.case_id else self.path


@dataclass
class SyncResult:
    received: int = 0
    sent: int = 0
    cases: set[str] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    recovered: list[journal.Recovery] = field(default_factory=list)


class SyncStopped(UserError):
    def __init__(self, conflicts: list[Conflict], kept: dict[str, str]) -> None:
        super().__init__(N_("sync stopped: both sides changed the same documents"))
        self.conflicts = conflicts
        self.kept = kept

    def render(self) -> str:
        from juhtum.i18n import _

        lines = [super().render()]
        for c in self.conflicts:
            where = (
                _("case {id}, {document}").format(id=c.case_id, document=c.document)
                if c.case_id
                else c.path
            )
            lines.append("")
            lines.append(_("== {where}: changed here and by someone else ==").format(where=where))
            ours = (c.ours or b"").decode("utf-8", "replace").splitlines(keepends=True)
            theirs = (c.theirs or b"").decode("utf-8", "replace").splitlines(keepends=True)
            lines.extend(
                line.rstrip("\n")
                for line in difflib.unified_diff(
                    theirs, ours, fromfile=_("theirs"), tofile=_("yours"), lineterm="\n"
                )
            )
            copy = self.kept[c.path]
            lines.append(
                _("Both versions are kept: yours in {ours}, theirs in {theirs}.").format(
                    ours=copy, theirs=copy + ".theirs"
                )
            )
            lines.append(_("  keep yours:    juhtum sync --ours {path}").format(path=c.path))
            lines.append(_("  keep theirs:   juhtum sync --theirs {path}").format(path=c.path))
            lines.append(
                _("  combine them:  edit {copy}, then juhtum sync --combined {path}").format(
                    copy=copy, path=c.path
                )
            )
        lines.append("")
        lines.append(_("Nothing was merged or lost: run juhtum sync again with a choice for each."))
        return "\n".join(lines)


def _case_of(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == CASES_DIR and ids.is_case_id(parts[1]):
        return parts[1]
    return None


def _append_only(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 4 and parts[0] == CASES_DIR and parts[2] in APPEND_ONLY


def sync(
    repo: Repository,
    *,
    today: dt.date,
    ours: list[str] | None = None,
    theirs: list[str] | None = None,
    combined: list[str] | None = None,
) -> SyncResult:
    """Pull (a real merge), then push. See the module's docstring for what stops it."""
    result = SyncResult()
    root = repo.root
    if not history.in_git(root):
        raise UserError(N_("this case repository is not in git: there is nothing to share"))
    with storage.Lock(repo):
        result.recovered = journal.recover(repo)
        other = history.upstream(root)
        if other is None:
            raise UserError(
                N_(
                    "this repository shares with no remote yet: add one with git remote add origin "
                    "URL, then git push -u origin HEAD"
                )
            )
        waiting = [p for p in history.dirty(root) if not p.startswith(".juhtum/")]
        if waiting:
            raise UserError(
                N_(
                    "changes nobody committed would be mixed into the merge: {files}. Commit them "
                    "first (git add and git commit)"
                ),
                files=", ".join(waiting),
            )
        history.fetch(root)
        head, remote = history.rev(root, "HEAD"), history.rev(root, other)
        base = history.merge_base(root, head, remote)
        mine = history.changed_between(root, base, head)
        others = history.changed_between(root, base, remote)
        result.received = len(others)
        result.sent = len(mine)
        choices = _choices(root, head, remote, ours, theirs, combined, repo)
        both = sorted(
            p
            for p in mine & others
            if not _append_only(p)
            and p not in choices
            and history.content_at(root, head, p) != history.content_at(root, remote, p)
        )
        if both:
            conflicts = [
                Conflict(
                    p,
                    _case_of(p),
                    history.content_at(root, head, p),
                    history.content_at(root, remote, p),
                )
                for p in both
            ]
            raise SyncStopped(conflicts, _keep_versions(repo, conflicts))
        if remote != base:
            if head == base:
                history.fast_forward(root, other)
            else:
                history.merge(root, other, resolved=choices, message=f"juhtum sync: merge {other}")
        result.cases = {c for c in map(_case_of, mine | others) if c}
        result.problems = _check(repo, result.cases, today)
        if history.rev(root, "HEAD") != remote:
            history.push(root)
        _forget_versions(repo, list(choices))
        history.configure(root)  # a clone has no settings of ours until now
        history.write_commit_graph(root)
    return result


def _choices(
    root: Path,
    head: str,
    remote: str,
    ours: list[str] | None,
    theirs: list[str] | None,
    combined: list[str] | None,
    repo: Repository,
) -> dict[str, bytes | None]:
    chosen: dict[str, bytes | None] = {}
    for path in ours or []:
        chosen[path] = history.content_at(root, head, path)
    for path in theirs or []:
        chosen[path] = history.content_at(root, remote, path)
    for path in combined or []:
        copy = repo.state_dir / SYNC_DIR / path
        if not copy.is_file():
            raise UserError(
                N_("there is no combined version of {path} to use: {copy} is missing"),
                path=path,
                copy=repo.relative(copy),
            )
        chosen[path] = copy.read_bytes()
    return chosen


def _keep_versions(repo: Repository, conflicts: list[Conflict]) -> dict[str, str]:
    kept = {}
    for c in conflicts:
        copy = repo.state_dir / SYNC_DIR / c.path
        storage.make_dirs(copy.parent)
        storage.write_atomic(copy, c.ours or b"")
        storage.write_atomic(copy.with_name(copy.name + ".theirs"), c.theirs or b"")
        kept[c.path] = repo.relative(copy)
    return kept


def _forget_versions(repo: Repository, paths: list[str]) -> None:
    for path in paths:
        copy = repo.state_dir / SYNC_DIR / path
        for stale in (copy, copy.with_name(copy.name + ".theirs")):
            stale.unlink(missing_ok=True)


def _check(repo: Repository, case_ids: set[str], today: dt.date) -> list[Problem]:
    """After a merge: the errors of the cases it touched (a textual merge can leave duplicate
    keys; validate finds them)."""
    existing = [c for c in sorted(case_ids) if (repo.cases_dir / c).is_dir()]
    if not existing:
        return []
    checked = validation.validate(
        repo, validation.Options(today=today), case_ids=existing, repository_level=False
    )
    return [p for p in checked.problems if p.severity == ERROR]
