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

Records are append-only (:mod:`juhtum.appendonly`): when the incoming change
deletes or rewrites a monitoring entry, an evaluation, a meeting, a handover, a
follow-up, a signature or a whole case (a ``git rm -r``, a force-pushed rewrite),
sync stops before merging and names what it would lose; only a case erased by
``juhtum erase`` may go. A file git cannot read stops sync too: "could not read"
is never taken for "absent", which in a merge means deleting the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from juhtum import appendonly, history, journal, storage
from juhtum.check.result import Options
from juhtum.check.runner import validate
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.documents import CASES_DIR, FOLDERS, kind_in_case
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
    erased: dict[str, str] = field(default_factory=dict)
    """Cases the incoming change erased (juhtum erase): id -> reason."""


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


class AppendOnlyStopped(UserError):
    """The incoming change takes back append-only records: nothing is merged."""

    def __init__(
        self, breaches: list[appendonly.Breach], *, base: str, remote: str, rewritten: str | None
    ) -> None:
        super().__init__(
            N_("sync stopped: the incoming change deletes or rewrites records that are append-only")
        )
        self.breaches = breaches
        self.base = base
        self.remote = remote
        self.rewritten = rewritten

    def render(self) -> str:
        from juhtum.i18n import _

        lines = [super().render(), ""]
        for b in self.breaches:
            if b.what == appendonly.CASE_REMOVED:
                text = _("case {id}: the whole case is removed, and not by juhtum erase")
            elif b.what == appendonly.REMOVED:
                text = _("case {id}, {document}: the record is deleted")
            elif b.what == appendonly.CHANGED:
                text = _("case {id}, {document}: the record is rewritten")
            else:
                text = _("case {id}, {document}: the signature of {party} is removed or altered")
            # a file name is the pusher's choice: no control character reaches the terminal
            document = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in b.document)
            lines.append("  " + text.format(id=b.case_id, document=document, party=b.party))
        lines.append("")
        if self.rewritten:
            lines.append(
                _(
                    "The remote's history was rewritten (a force-push): it no longer holds "
                    "{old}, which you had from it."
                ).format(old=self.rewritten[:12])
            )
        lines.append(
            _(
                "Nothing was merged: your files and your history are as they were, and every "
                "record is still in git. See the change with: git log --stat {base}..{remote}"
            ).format(base=self.base[:12], remote=self.remote[:12])
        )
        lines.append(
            _(
                "To go on, ask whoever pushed it to put the records back (git revert of their "
                "commit, or pushing the history back), then run juhtum sync again. A correction "
                "is a new entry, never an edit of an old one; a case that must go is removed "
                "with juhtum erase ID --reason R, which sync accepts."
            )
        )
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
        tracking = history.upstream_ref(root)
        known = history.rev(root, tracking) if tracking else None
        history.fetch(root)
        head, remote = history.rev(root, "HEAD"), history.rev(root, other)
        base = history.merge_base(root, head, remote)
        try:
            result.erased = _incoming_breaches(root, base, head, known, remote)
        except BaseException:
            # refused, or not checked: the remote-tracking branch as it was, so the next
            # sync checks the same change again
            if tracking and known and known != remote:
                history.set_ref(root, tracking, known)
            raise
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


def _incoming_breaches(
    root: Path, base: str, head: str, known: str | None, remote: str
) -> dict[str, str]:
    """Raise AppendOnlyStopped when what comes in from ``remote`` takes back a record: its
    change since the common ancestor ``base``; when the remote's history was rewritten, its
    change since ``known`` (where the remote-tracking branch was before the fetch); and a
    record both sides added under one name with different content (names are unique, so
    only a rewritten history does that). Returns the cases the change erased with juhtum
    erase (id -> reason)."""
    if remote == base:
        return {}  # nothing comes in (a remote rewound to an older state: the push restores it)
    from juhtum import erasure

    rewritten = known if known and not history.is_ancestor(root, known, remote) else None
    erased: dict[str, str] = {}

    def reader(revision: str) -> appendonly.Reader:
        return lambda path: history.content_at(root, revision, path)

    def erasures(case_ids: set[str]) -> set[str]:
        found = history.erasures(root, [remote], [base, *([rewritten] if rewritten else [])])
        reasons = {c: r for c, r in found.items() if c in case_ids and r in erasure.REASONS}
        erased.update(reasons)
        return set(reasons)

    breaches: list[appendonly.Breach] = []
    for before in (base, *([rewritten] if rewritten else [])):
        for breach in appendonly.breaches(
            history.changes_between(root, before, remote),
            reader(before),
            reader(remote),
            erased=erasures,
        ):
            if breach not in breaches:
                breaches.append(breach)
    theirs = history.changes_between(root, base, remote)
    for path, status in sorted(history.changes_between(root, base, head).items()):
        case_id = _case_of(path)
        kind = kind_in_case(tuple(path.split("/")[2:])) if case_id else None
        if not (case_id and kind in appendonly.APPEND_ONLY_KINDS):
            continue
        if status == "A" and theirs.get(path) == "A":
            ours_now, theirs_now = reader(head)(path), reader(remote)(path)
            if not appendonly.kept(kind, ours_now, theirs_now, path):
                breach = appendonly.Breach(case_id, path, appendonly.CHANGED)
                if breach not in breaches:
                    breaches.append(breach)
    if breaches:
        raise AppendOnlyStopped(breaches, base=base, remote=remote, rewritten=rewritten)
    return erased


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
    for path in [*(ours or []), *(theirs or []), *(combined or [])]:
        history.merge_target(root, path)  # a document of the repository, or refused now
    for path in ours or []:
        chosen[path] = history.content_at(root, head, path)
    for path in theirs or []:
        chosen[path] = history.content_at(root, remote, path)
    for path in combined or []:
        copy = repo.state_dir / SYNC_DIR / path
        try:
            chosen[path] = storage.read_document(copy)
        except (OSError, storage.TooLarge):
            raise UserError(
                N_("there is no combined version of {path} to use: {copy} is missing"),
                path=path,
                copy=repo.relative(copy),
            ) from None
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
    checked = validate(repo, Options(today=today), case_ids=existing, repository_level=False)
    return [p for p in checked.problems if p.severity == ERROR]
