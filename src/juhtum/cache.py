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

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from juhtum import __version__, storage
from juhtum.i18n import N_, Msg
from juhtum.model.documents import SPECIALISTS_DIR
from juhtum.storage import Repository, local

if TYPE_CHECKING:
    from juhtum.history import Pending

FORMAT = "5"
"""Raised when the tables change, or the facts or problems they keep (5: the owner's HMAC in
``meta`` and the practice facts: who did not sign, the diary)."""

RACY_NS = 2_000_000_000
"""A file modified this close before (or after) its row was written is checked by content:
file systems keep modification times to a second or two on some platforms."""

Listing = dict[str, tuple[int, int, int]]
"""A case folder's files: name in the folder -> (size, mtime in ns, inode); symlinks and
other entries too, so that a new stray file or a link invalidates the row."""


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many containers are made at once (a
    cache's rows as JSON): each collection walks every object made so far, which doubled
    the time to decode 10,000 cases' facts. JSON makes no cycles. At the end what was made
    is frozen (left out of later collections, still freed by reference counting) and the
    collector resumes for what comes after."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def list_case(folder: Path | str) -> Listing:
    """Stat every entry of a case folder and of its document folders, following nothing."""
    found: Listing = {}
    top = str(folder)
    try:
        entries = os.scandir(top)
    except (FileNotFoundError, NotADirectoryError):
        return found
    with entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".juhtum-tmp"):
                continue
            info = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False):
                found[name + "/"] = (0, 0, info.st_ino)
                with os.scandir(entry.path) as inner:
                    for sub in inner:
                        if sub.name.endswith(".juhtum-tmp"):
                            continue
                        sub_info = sub.stat(follow_symlinks=False)
                        found[f"{name}/{sub.name}"] = (
                            sub_info.st_size,
                            sub_info.st_mtime_ns,
                            sub_info.st_ino * 2 + sub.is_symlink(),
                        )
            else:
                found[name] = (info.st_size, info.st_mtime_ns, info.st_ino * 2 + entry.is_symlink())
    return found


def signature(listing: Listing) -> str:
    """One string standing for a listing: compared instead of the files one by one."""
    parts = sorted(f"{n}\0{s}\0{m}\0{i}" for n, (s, m, i) in listing.items())
    return hashlib.sha1("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


@functools.cache
def code_key() -> str:
    """juhtum's own code as installed: each module's name, size and modification time
    (an edited rule, a reinstall or an upgrade makes every row stale, whatever the version
    says). A stat of some ninety files, once a process: about a millisecond."""
    return package_key(Path(__file__).parent)


def package_key(package: Path) -> str:
    """The names, sizes and modification times of a package's modules, data and messages."""
    parts = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json", ".mo")):
                path = Path(folder, name)
                info = path.stat()
                parts.append(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _content(path: Path) -> bytes:
    """A file of the context, never through a symlink, never past the size limit: what
    cannot be read so stands as a marker (validate reports it)."""
    try:
        return b"=" + storage.read_document(path)
    except storage.TooLarge as exc:
        return f"!large {exc.size}".encode()
    except OSError as exc:
        return f"!unreadable {exc.errno}".encode()


def context_key(repo: Repository) -> str:
    """What every row depends on besides its own files: juhtum's code, version and schemas,
    juhtum.yaml, and the service catalogue."""
    from juhtum.documents import schemas

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{__version__}|{code_key()}|".encode())
    for entry in sorted(schemas.directory().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            digest.update(entry.name.encode() + entry.read_bytes())
    digest.update(_content(repo.config_path))
    try:
        entries = sorted(storage.listed(repo.services_dir), key=lambda e: e.name)
    except OSError:
        entries = []
    for service in entries:
        digest.update(b"\0" + service.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_content(Path(service.path)))
    try:  # who a handle names: I17 depends on it
        specialists = sorted(storage.listed(repo.root / SPECIALISTS_DIR), key=lambda e: e.name)
    except OSError:
        specialists = []
    for specialist in specialists:
        digest.update(
            b"\0specialist\0" + specialist.name.encode("utf-8", "surrogateescape") + b"\0"
        )
        digest.update(_content(Path(specialist.path)))
    return digest.hexdigest()


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


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, context TEXT, sig TEXT, tree TEXT, files TEXT, read_at INTEGER,
    lo TEXT, hi TEXT, problems TEXT, facts TEXT, status TEXT
);
"""


class Cache:
    """The cache of one repository. Every failure of its own turns it off, never an error."""

    def __init__(self, repo: Repository, *, context: str | None = None) -> None:
        self.repo = repo
        self.path = repo.state_dir / "cache" / "cases.sqlite"
        self.context = context or context_key(repo)
        self.db: sqlite3.Connection | None = None
        self.rebuilt = False
        self._git: tuple[Pending, Pending] | None = None
        self._open()

    def _folder_ok(self) -> bool:
        """The cache's folder is a real folder of this clone with nothing linked in it (a
        committed ``.juhtum`` -> ../outside, or ``cases.sqlite-journal`` -> .git/config,
        must not make SQLite write elsewhere)."""
        try:
            local.real_dir(self.repo.state_dir, create=True)
            local.real_dir(self.path.parent, create=True)
        except OSError:
            return False
        try:
            with os.scandir(self.path.parent) as entries:
                return not any(
                    e.name.startswith(self.path.name) and not e.is_file(follow_symlinks=False)
                    for e in entries
                )
        except OSError:
            return False

    def _untrusted(self, reason: str) -> None:
        local.notice(
            N_("ignored the validation cache {path}: {reason}; everything is checked anew"),
            path=self.repo.relative(self.path),
            reason=Msg(reason),
        )

    def _kind(self, owner: str) -> str:
        """What the database on disk is, read without writing a byte to it: ``ours`` (this
        clone, or CI with the same key, wrote it), ``foreign``, or ``stale`` (another
        format, or no database at all)."""
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=10)
            found = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('format', 'owner')"))
        except sqlite3.Error:
            return "stale"
        finally:
            if db is not None:
                db.close()
        if found.get("format") != FORMAT:
            return "stale"
        return "ours" if local.same(owner, found.get("owner")) else "foreign"

    def _open(self) -> None:
        if not self._folder_ok():
            self._untrusted(N_("its folder is a symbolic link or holds one"))
            return
        key = local.cache_key(self.repo.root)
        if key is None:
            return  # nothing to bind it to: run without a cache
        owner = local.mac(key, b"juhtum-cache", FORMAT.encode())
        kind = self._kind(owner) if self.path.exists() else "new"
        if kind in ("foreign", "stale"):
            if self._tracked():  # a committed cache: neither believed nor touched
                self._untrusted(N_("git tracks it (it came with a commit)"))
                return
            if kind == "foreign":
                self._untrusted(
                    N_(
                        "this clone did not write it (in CI, give the cache a key "
                        "with JUHTUM_CACHE_KEY)"
                    )
                )
            self._delete()
        for attempt in (1, 2):
            db: sqlite3.Connection | None = None
            try:
                db = sqlite3.connect(self.path, timeout=10)
                db.executescript("PRAGMA synchronous=OFF;" + SCHEMA)
                found = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
                if found is None:
                    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('owner', ?)", (owner,))
                    db.commit()
                elif found[0] != FORMAT:
                    raise sqlite3.DatabaseError("another format")
                self.db = db
                return
            except (sqlite3.Error, OSError):
                if db is not None:
                    with contextlib.suppress(sqlite3.Error):
                        db.close()
                if attempt == 2:
                    self.db = None  # a cache that cannot be kept: everything is computed
                    return
                self._delete()

    def _delete(self) -> None:
        self.rebuilt = True
        for stale in (
            self.path,
            Path(f"{self.path}-wal"),
            Path(f"{self.path}-shm"),
            Path(f"{self.path}-journal"),
        ):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _tracked(self) -> bool:
        from juhtum import history

        return history.in_git(self.repo.root) and bool(
            history.tracked(self.repo.root, self.repo.relative(self.path.parent))
        )

    def close(self) -> None:
        if self._git is not None:  # git read in the background: never left running
            for pending in self._git:
                pending.result()
            self._git = None
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.commit()
                self.db.close()
            self.db = None

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def preload(self, columns: tuple[str, ...] = ("problems",)) -> None:
        """Read every row at once (one query instead of one a case)."""
        self._rows: dict[str, tuple[Any, ...]] | None = {}
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
        if self.db is None or not case_ids:
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

        self._trees: dict[str, str] | None = None
        self._changed: set[str] = set()
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
            first = True
            for case_id, problems in db.execute("SELECT id, problems FROM cases"):
                if case_id in wanted and problems and problems != "[]":
                    body = problems[1:-1].encode()
                    yield body if first else b"," + body
                    first = False

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
            with contextlib.suppress(sqlite3.Error):
                db.execute("DELETE FROM meta WHERE key=?", (key,))

    def committed_cases(self) -> list[str]:
        """The case folders at HEAD (after use_git; empty without git)."""
        trees: dict[str, str] | None = getattr(self, "_trees", None)
        return list(trees or ())

    def clean_tree(self, case_id: str) -> str | None:
        """The committed tree of a case folder nothing has changed since HEAD, else None."""
        trees: dict[str, str] | None = getattr(self, "_trees", None)
        if trees is None or case_id in self._changed:
            return None
        return trees.get(case_id)

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
        rows = getattr(self, "_rows", None)
        try:
            if rows is not None:
                row = rows.get(case_id)
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
        by_git = tree is not None and row[2] == tree
        if not by_git and (listing is None or row[1] != signature(listing)):
            return None
        try:
            if (
                not by_git
                and listing is not None
                and any(m > read_at - RACY_NS for (_s, m, _i) in listing.values())
            ):
                # modified too close to when the row was written: compare the content
                files = json.loads(row[3])
                folder = self.repo.case_dir(case_id)
                for name, digest in files.items():
                    if digest and listing[name][1] > read_at - RACY_NS:
                        content = storage.read_document(folder / name)
                        if hashlib.sha256(content).hexdigest() != digest:
                            return None
            found = {
                c: (json.loads(v) if v is not None else None)
                for c, v in zip(columns, row[7:], strict=True)
            }
        except (ValueError, TypeError, KeyError, OSError, storage.TooLarge):
            return None  # a row we cannot read is a row we do not trust
        return Entry(found.get("problems"), found.get("facts"), found.get("status"), lo, hi)

    def put(self, case_id: str, row: Row) -> None:
        if self.db is None:
            return
        sig = signature(row.listing)
        files = json.dumps({name: row.hashes.get(name, "") for name in row.listing}, sort_keys=True)
        try:
            if row.problems is None or row.facts is None or row.status is None or not row.tree:
                # keep what the row already knew about these very files
                old = self.db.execute(
                    "SELECT context, sig, problems, facts, status, lo, hi, tree FROM cases "
                    "WHERE id=?",
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

    def meta(self, key: str) -> Any:
        """A value kept for this context (the repository-level checks), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT value FROM meta WHERE key=?", (f"{key}:{self.context}",)
            ).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def set_meta(self, key: str, value: Any) -> None:
        text = json.dumps(value)
        if self.db is None:
            return
        try:
            self.db.execute("DELETE FROM meta WHERE key LIKE ?", (f"{key}:%",))
            self.db.execute("INSERT INTO meta VALUES (?, ?)", (f"{key}:{self.context}", text))
        except sqlite3.Error:
            self._broken()

    def commit(self) -> None:
        if self.db is not None:
            try:
                self.db.commit()
            except sqlite3.Error:
                self._broken()

    def _broken(self) -> None:
        self.close()
        self.db = None


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
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def now_ns() -> int:
    return time.time_ns()
