"""What checking a case found, kept until its files change: ``.juhtum/cache/cases.sqlite``.

A repeated ``validate`` (or ``due``, ``report``, ``status``) skips every case
whose documents, schemas, configuration and juhtum version are all unchanged.
A case's row is keyed as git keys its index: on each file's size, modification
time and inode, and, where the modification time is too close to when the row
was written to tell a later change from the one read (git's "racily clean"
files), on the SHA-256 of the file's content. Around it a *context* key holds
juhtum's version, the schemas, juhtum.yaml and the service catalogue's entries:
when any changes, every row is stale. A result that depends on today (a date in
the future) holds only for the days it was computed for.

A row that does not match is ignored and rebuilt; a database that is corrupt,
from another format, or unreadable is deleted and made anew: never trusted.
SQLite, from the standard library, writes row by row (memory stays flat over
10,000 cases) and a crash can only lose the cache, which is then rebuilt; rows
hold JSON, never pickle, since a cache folder can come from anywhere.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from juhtum import storage
from juhtum.check.cache_file import CacheFile
from juhtum.check.cache_keys import RACY_NS, Listing, context_key, signature
from juhtum.storage import Repository

if TYPE_CHECKING:
    from juhtum.history import Pending


@dataclass
class Entry:
    problems: list[dict[str, Any]] | None
    facts: dict[str, Any] | None
    status: dict[str, Any] | None
    lo: str | None = None
    hi: str | None = None
    """The days the problems hold for: from ``lo`` (inclusive) to ``hi`` (exclusive)."""


@dataclass
class Row:
    """What to keep of one case."""

    listing: Listing
    hashes: dict[str, str]
    read_at_ns: int
    lo: str | None = None
    hi: str | None = None
    problems: list[dict[str, Any]] | None = None
    facts: dict[str, Any] | None = None
    status: dict[str, Any] | None = None
    tree: str | None = None
    """The case folder's tree hash at HEAD, when its files were exactly that."""


class Cache(CacheFile):
    """The cache of one repository. Every failure of its own turns it off, never an error."""

    def __init__(self, repo: Repository, *, context: str | None = None) -> None:
        self._git: tuple[Pending, Pending] | None = None
        self._rows: dict[str, tuple[Any, ...]] | None = None
        """The rows :meth:`preload` read, and their ``_columns`` (None: each row is read when
        asked for)."""
        self._columns: tuple[str, ...]
        self._trees: dict[str, str] | None = None
        """Each case folder's tree at HEAD, and the folders git sees ``_changed`` since, once
        :meth:`use_git` had git's word."""
        self._changed: set[str]
        super().__init__(repo, context=context or context_key(repo))

    def close(self) -> None:
        if self._git is not None:  # git read in the background: never left running
            for pending in self._git:
                pending.result()
            self._git = None
        super().close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def preload(self, columns: tuple[str, ...] = ("problems",)) -> None:
        """Read every row at once (one query instead of one a case)."""
        self._rows = {}
        self._columns = columns
        if self.db is None:
            return
        wanted = ", ".join(columns)
        query = f"SELECT id, context, sig, tree, files, read_at, lo, hi, {wanted} FROM cases"  # noqa: S608 - column names of ours
        try:
            for row in self.db.execute(query):
                self._rows[row[0]] = row[1:]
        except sqlite3.Error:
            self._broken()

    def preload_batch(self, case_ids: list[str], columns: tuple[str, ...]) -> None:
        """What :meth:`preload` does, for ``case_ids`` only (one query a batch): a reader that
        goes through the cases a batch at a time holds one batch's rows, never every row."""
        self._rows = {}
        self._columns = columns
        if self.db is None:
            return
        wanted = ", ".join(columns)
        marks = ", ".join("?" * len(case_ids))
        query = (
            f"SELECT id, context, sig, tree, files, read_at, lo, hi, {wanted} "  # noqa: S608 - ours
            f"FROM cases WHERE id IN ({marks})"
        )
        try:
            for row in self.db.execute(query, case_ids):
                self._rows[row[0]] = row[1:]
        except sqlite3.Error:
            self._broken()

    def start_git(self) -> None:
        """Ask git, in the background, which case folders are as committed (see use_git):
        started early, its answer is ready when the rows are read."""
        from juhtum import history

        if self._git is None and history.in_git(self.repo.root):
            self._git = (
                history.start_folder_trees(self.repo.root, "cases"),
                history.start_changed_folders(self.repo.root, "cases"),
            )

    def use_git(self) -> None:
        """Let git say which case folders are as committed: their rows then hold without a
        stat of each file (git's index has done that, faster)."""
        from juhtum import history

        self.start_git()
        if self._git is None:
            return
        trees_read, status_read = self._git
        trees = history.parse_folder_trees(trees_read.result())
        changed = history.parse_changed_folders(status_read.result(), "cases")
        if trees is not None and changed is not None:
            self._trees, self._changed = trees, changed

    def cases_as_committed(self) -> str | None:
        """A digest of ``cases/`` as committed at HEAD, when git sees no change in it at all
        (nothing changed, staged, new or removed): then every case folder is as committed."""
        from juhtum import history

        self.start_git()
        if self._git is None:
            return None
        trees_read, status_read = self._git
        listing, status = trees_read.result(), status_read.result()
        if listing is None or status is None or history.parse_changed_folders(status, "cases"):
            return None
        return hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest()

    def whole_run(self, digest: str, today: str) -> dict[str, Any] | None:
        """What the last full run found in the cases (see put_whole_run), when the cases are
        still the ``digest`` it was made of and ``today`` lies within its days."""
        saved = self.meta("whole-run")
        if not isinstance(saved, dict) or saved.get("digest") != digest:
            return None
        lo, hi = saved.get("lo"), saved.get("hi")
        if (lo and today < lo) or (hi and today >= hi):
            return None
        return saved

    def put_whole_run(self, value: dict[str, Any], case_ids: list[str]) -> None:
        """Keep a full run's case problems (``value`` with the rows' problems of
        ``case_ids`` added) under the digest of the cases it read: a warm run over 10,000
        unchanged cases then reads one row instead of 10,000. Written from the rows' JSON
        text straight into the database (SQLite's incremental blob I/O), so neither the run
        nor this write holds every problem at once: memory stays flat however many cases."""
        if self.db is None:
            return
        db = self.db
        wanted = set(case_ids)
        head = json.dumps(value)[:-1].encode() + b', "problems": ['
        tail = b"]}"

        def parts() -> Iterator[bytes]:
            comma = b""
            for case_id, problems in db.execute("SELECT id, problems FROM cases"):
                if case_id in wanted and problems and problems != "[]":
                    yield comma + problems[1:-1].encode()
                    comma = b","

        key = f"whole-run:{self.context}"
        try:
            size = len(head) + sum(len(p) for p in parts()) + len(tail)
            db.execute("DELETE FROM meta WHERE key LIKE ?", ("whole-run:%",))
            cursor = db.execute("INSERT INTO meta VALUES (?, zeroblob(?))", (key, size))
            with db.blobopen("meta", "value", cursor.lastrowid or 0) as blob:
                blob.write(head)
                for part in parts():
                    blob.write(part)
                blob.write(tail)
        except (sqlite3.Error, ValueError):  # ValueError: the rows changed size meanwhile
            pass  # a value written in part ends in zero bytes, no JSON: meta() never returns it

    def known(self, case_id: str) -> bool:
        """Whether a row of the case may be kept (after preload: whether one is); False spares
        the stat of the case's files only to miss."""
        return self._rows is None or case_id in self._rows

    def committed_cases(self) -> list[str]:
        """The case folders at HEAD (after use_git; empty without git)."""
        return list(self._trees or ())

    def clean_tree(self, case_id: str) -> str | None:
        """The committed tree of a case folder nothing has changed since HEAD, else None."""
        if self._trees is None or case_id in self._changed:
            return None
        return self._trees.get(case_id)

    def get(
        self,
        case_id: str,
        listing: Listing | None,
        today: str | None,
        columns: tuple[str, ...] = ("problems", "facts", "status"),
    ) -> Entry | None:
        """The case's row when it still holds for these files, this context and this day.

        ``today`` None asks for what does not depend on the day (the facts).
        Git's word (the folder is as committed, and the row was made of that tree) spares
        the stat of each file; without it, ``listing`` must match."""
        if self.db is None:
            return None
        try:
            if self._rows is not None:
                row = self._rows.get(case_id)
                columns = self._columns
            else:
                wanted = ", ".join(columns)
                row = self.db.execute(
                    f"SELECT context, sig, tree, files, read_at, lo, hi, {wanted} "  # noqa: S608
                    "FROM cases WHERE id=?",
                    (case_id,),
                ).fetchone()
        except sqlite3.Error:
            self._broken()
            return None
        if row is None or row[0] != self.context:
            return None
        read_at, lo, hi = row[4], row[5], row[6]
        if today is not None and ((lo and today < lo) or (hi and today >= hi)):
            return None
        tree = self.clean_tree(case_id)
        racy: list[str] = []
        if tree is None or row[2] != tree:  # git cannot vouch: the files' stat data must match
            if listing is None or row[1] != signature(listing):
                return None
            # modified too close to when the row was written: compared by content
            racy = [name for name, (_s, m, _i) in listing.items() if m > read_at - RACY_NS]
        try:
            if racy:
                files = json.loads(row[3])
                folder = self.repo.case_dir(case_id)
                for name in racy:
                    digest = files.get(name)  # none for a folder or a file not read
                    if digest and _sha256(storage.read_document(folder / name)) != digest:
                        return None
            found = {c: _load(row[7 + i]) for i, c in enumerate(columns)}
        except (ValueError, TypeError, AttributeError, OSError, storage.TooLarge):
            return None  # a row we cannot read is a row we do not trust
        return Entry(found.get("problems"), found.get("facts"), found.get("status"), lo, hi)

    def put(self, case_id: str, row: Row) -> None:
        if self.db is None:
            return
        sig = signature(row.listing)
        files = json.dumps({name: row.hashes.get(name) for name in row.listing})
        try:
            # keep what the row already knew about these very files (no row has every column:
            # validate keeps no status, status no problems, the views only facts)
            old = self.db.execute(
                "SELECT context, sig, problems, facts, status, lo, hi, tree FROM cases WHERE id=?",
                (case_id,),
            ).fetchone()
            if old is not None and old[0] == self.context and old[1] == sig:
                row.tree = row.tree or old[7]
                row.facts = row.facts if row.facts is not None else _load(old[3])
                kept = (row.problems is None and old[2] is not None) or (
                    row.status is None and old[4] is not None
                )
                days = _overlap((row.lo, row.hi), (old[5], old[6]))
                if kept and days is not None:
                    # one row, one range of days: the days both what is new and what
                    # is kept (problems, status: each holds for its own days) hold for
                    row.lo, row.hi = days
                    if row.problems is None:
                        row.problems = _load(old[2])
                    if row.status is None:
                        row.status = _load(old[4])
                # else: what was kept held for other days, and is left out
            self.db.execute(
                "INSERT OR REPLACE INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    self.context,
                    sig,
                    row.tree,
                    files,
                    row.read_at_ns,
                    row.lo,
                    row.hi,
                    _dump(row.problems),
                    _dump(row.facts),
                    _dump(row.status),
                ),
            )
        except sqlite3.Error:
            self._broken()


def _overlap(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None]
) -> tuple[str | None, str | None] | None:
    """The days two ranges ``[lo, hi)`` (None: unbounded) have in common, or None."""
    los = [d for d in (a[0], b[0]) if d]
    his = [d for d in (a[1], b[1]) if d]
    lo = max(los) if los else None
    hi = min(his) if his else None
    if lo is not None and hi is not None and lo >= hi:
        return None
    return lo, hi


def _dump(value: Any) -> str | None:
    """JSON text in ASCII: a name that is not UTF-8 (a lone surrogate) is stored as its escape,
    which SQLite's UTF-8 cannot refuse."""
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)
