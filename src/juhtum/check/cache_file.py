"""The validation cache's database file, ``.juhtum/cache/cases.sqlite``: opened only where
it is this clone's own, in a folder nothing links out of; anything else is deleted and made
anew, never trusted. Every failure of its own turns the cache off, never an error."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from juhtum.check.cache_keys import FORMAT
from juhtum.i18n import N_, Msg
from juhtum.storage import Repository, local

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, context TEXT, sig TEXT, tree TEXT, files TEXT, read_at INTEGER,
    lo TEXT, hi TEXT, problems TEXT, facts TEXT, status TEXT
);
"""


class CacheFile:
    """The database of one repository's cache, opened when it can be trusted (``db`` is None
    where it cannot be kept): the file, its format and owner, and the values kept in
    ``meta``."""

    def __init__(self, repo: Repository, *, context: str) -> None:
        self.repo = repo
        self.path = repo.state_dir / "cache" / "cases.sqlite"
        self.context = context
        self.db: sqlite3.Connection | None = None
        self._open()

    def _folder_ok(self) -> bool:
        """The cache's folder is a real folder of this clone with nothing linked in it (a
        committed ``.juhtum`` -> ../outside, or ``cases.sqlite-journal`` -> .git/config,
        must not make SQLite write elsewhere)."""
        try:
            local.real_dir(self.repo.state_dir, create=True)
            local.real_dir(self.path.parent, create=True)
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
        try:
            uri = f"{self.path.as_uri()}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as db:
                found = dict(
                    db.execute("SELECT key, value FROM meta WHERE key IN ('format', 'owner')")
                )
        except sqlite3.Error:
            return "stale"
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
        kind = self._kind(owner)
        if kind != "ours":  # also where there is none: where git tracks one, none is made
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
        if not self._connect(owner):  # a database SQLite cannot take: made anew, once
            self._delete()
            self._connect(owner)

    def _connect(self, owner: str) -> bool:
        """Open the database as ``db``, its tables made where it has none (a new one takes
        the format and ``owner``); False where SQLite cannot."""
        try:
            db = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error:
            return False
        try:
            db.executescript("PRAGMA synchronous=OFF;" + SCHEMA)
            found = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if found is None:
                db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('owner', ?)", (owner,))
                db.commit()
            elif found[0] != FORMAT:  # changed since _kind read it
                raise sqlite3.DatabaseError
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.close()
            return False
        self.db = db
        return True

    def _delete(self) -> None:
        for stale in (
            self.path,
            Path(f"{self.path}-wal"),
            Path(f"{self.path}-shm"),
            Path(f"{self.path}-journal"),
        ):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _tracked(self) -> bool:
        """Whether git tracks the cache: the case repository's own, or that of a repository
        it is a folder of (outside git, git's answer is that nothing is tracked)."""
        from juhtum import history

        return bool(history.tracked(self.repo.root, self.repo.relative(self.path.parent)))

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.commit()
                self.db.close()
            self.db = None

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
        """A read or write failed (called where its sqlite3.Error is handled): the cache is off
        for this run. A file damaged inside (not merely locked by another process) is deleted,
        so the next run makes it anew instead of finding it damaged every time; one git tracks
        is left alone."""
        exc = sys.exc_info()[1]
        self.close()
        damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError
        )
        if damaged and not self._tracked():
            self._untrusted(N_("it is damaged; it is made anew on the next run"))
            self._delete()
