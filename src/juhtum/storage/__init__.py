"""The case repository on disk: finding it, listing and reading cases, writing safely.

Only this module touches the files of a case repository. Reads never follow a
symlink inside a case (a link to ``/etc/passwd`` must not become a document),
writes are atomic (a temporary file in the same folder, fsync, ``os.replace``,
fsync of the folder) so a crash leaves the old or the new version and nothing
in between, and a lock file serialises the writers of one repository.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juhtum.crashpoints import crashpoint
from juhtum.errors import CaseNotFound, RepositoryNotFound, StorageError
from juhtum.i18n import N_, Msg
from juhtum.limits import MAX_BYTES
from juhtum.model import ids
from juhtum.model.documents import (
    CASE_FILE,
    CASES_DIR,
    FOLDERS,
    REPOSITORY_FILE,
    SERVICES_DIR,
    SUFFIX,
    kind_in_case,
)

STATE_DIR = ".juhtum"
LOCK_FILE = "lock"
TEMP_MARK = ".juhtum-tmp"
"""Temporary files are ``.<name>.<random>.juhtum-tmp``: hidden, and never a document."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class Repository:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / REPOSITORY_FILE

    @property
    def cases_dir(self) -> Path:
        return self.root / CASES_DIR

    @property
    def services_dir(self) -> Path:
        return self.root / SERVICES_DIR

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def interrupted_changes(self) -> list[str]:
        """Names of changes a crash interrupted, waiting in the journal to be completed or
        rolled back (see juhtum.journal)."""
        try:
            return sorted(p.name for p in (self.state_dir / "journal").iterdir() if p.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def case_dir(self, case_id: str) -> Path:
        """The folder of ``case_id``; the id is checked before it becomes a path."""
        return self.cases_dir / ids.check_case_id(case_id)

    def existing_case_dir(self, case_id: str) -> Path:
        folder = self.case_dir(case_id)
        linked = folder.is_symlink() or self.cases_dir.is_symlink()
        if linked or not (folder / CASE_FILE).is_file():
            raise CaseNotFound(N_("there is no case {id} in this repository"), id=case_id)
        return folder

    def case_ids(self) -> list[str]:
        """Every case folder's id, sorted; folders whose name is no valid id are left out."""
        try:
            entries = listed(self.cases_dir)
        except FileNotFoundError:
            return []
        return sorted(
            e.name for e in entries if ids.is_case_id(e.name) and e.is_dir(follow_symlinks=False)
        )

    def stray_case_entries(self) -> list[str]:
        """Entries of ``cases/`` that are no case folder (bad names, files, symlinks)."""
        try:
            entries = listed(self.cases_dir)
        except FileNotFoundError:
            return []
        return sorted(
            e.name
            for e in entries
            if not e.name.startswith(".")
            and not (ids.is_case_id(e.name) and e.is_dir(follow_symlinks=False))
        )

    def service_files(self) -> list[Path]:
        try:
            entries = listed(self.services_dir)
        except FileNotFoundError:
            return []
        return sorted(
            Path(e.path) for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")
        )

    def relative(self, path: Path) -> str:
        """``path`` relative to the repository root, with ``/`` (how messages name files)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def listed(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of ``folder``; nothing when it is a symlink (never followed) or no
    folder. FileNotFoundError when it does not exist."""
    if folder.is_symlink():
        return []
    try:
        return list(os.scandir(folder))
    except NotADirectoryError:
        return []


def find_repository(explicit: Path | None = None, start: Path | None = None) -> Repository:
    """The repository at ``explicit`` (``--repo`` or ``JUHTUM_REPO``), else the nearest one
    holding ``juhtum.yaml`` from ``start`` (the working directory) upwards."""
    if explicit is not None:
        root = explicit.expanduser().resolve()
        if not (root / REPOSITORY_FILE).is_file():
            raise RepositoryNotFound(
                N_(
                    "{path} is not a case repository: it has no juhtum.yaml "
                    "(make one with: juhtum init {path})"
                ),
                path=str(explicit),
            )
        return Repository(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / REPOSITORY_FILE).is_file():
            return Repository(folder)
    raise RepositoryNotFound(
        N_(
            "no case repository here: no juhtum.yaml in {path} or any folder above it. "
            "Go to one, name it with --repo PATH, or make one with: juhtum init"
        ),
        path=str(here),
    )


# -- listing a case -----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A file or folder met while listing a case."""

    path: Path
    parts: tuple[str, ...]
    """Relative to the case folder."""
    kind: str | None
    """The document kind, or None for anything that is not a document."""
    issue: str | None = None
    """``symlink``, ``stray`` or ``not-a-file`` for what is no document."""


def scan_case(folder: Path) -> Iterator[Entry]:
    """Every entry of a case folder, documents first-level then in their folders.

    Nothing is followed through a symlink (the case folder and ``cases/`` included);
    hidden files (temporary files, ``.gitkeep``) are skipped.
    """
    if folder.is_symlink() or folder.parent.is_symlink() or not folder.is_dir():
        raise CaseNotFound(N_("there is no case {id} in this repository"), id=folder.name)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        parts = (entry.name,)
        path = Path(entry.path)
        if entry.is_symlink():
            yield Entry(path, parts, None, "symlink")
        elif entry.is_dir(follow_symlinks=False):
            if entry.name not in FOLDERS:
                yield Entry(path, parts, None, "stray")
                continue
            for inner in sorted(os.scandir(entry.path), key=lambda e: e.name):
                if inner.name.startswith("."):
                    continue
                inner_parts = (entry.name, inner.name)
                inner_path = Path(inner.path)
                if inner.is_symlink():
                    yield Entry(inner_path, inner_parts, None, "symlink")
                elif not inner.is_file(follow_symlinks=False):
                    yield Entry(inner_path, inner_parts, None, "not-a-file")
                else:
                    kind = kind_in_case(inner_parts)
                    yield Entry(inner_path, inner_parts, kind, None if kind else "stray")
        elif entry.is_file(follow_symlinks=False):
            kind = kind_in_case(parts)
            yield Entry(path, parts, kind, None if kind else "stray")
        else:
            yield Entry(path, parts, None, "not-a-file")


class TooLarge(Exception):
    def __init__(self, size: int) -> None:  # Exception.__new__ keeps ``size`` in ``args``
        self.size = size


def read_document(path: Path) -> bytes:
    """The bytes of a document, never through a symlink and never more than the size limit.

    Raises :class:`TooLarge` (with the size) for a file over the limit, so the
    caller can report it without reading it whole.
    """
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > MAX_BYTES:
            raise TooLarge(info.st_size)
        chunks = []
        remaining = MAX_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > MAX_BYTES:  # grew while we read it
            raise TooLarge(len(data))
        return data
    finally:
        os.close(fd)


# -- writing ----------------------------------------------------------------------------------


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return Msg("the disk is full")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Msg("permission denied")
    if exc.errno == errno.EROFS:
        return Msg("the file system is read-only")
    if exc.errno == errno.EIO:
        return Msg("the disk reported an input/output error")
    return exc.strerror or type(exc).__name__


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op where folders can't be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # some file systems refuse: no error
            raise
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, relative: str | None = None) -> None:
    """Replace ``path`` with ``data`` atomically: the old or the new content, nothing between.

    On a failure before the replace the original is untouched; after it (the folder could not
    be made durable) the new content is in place and the error says so. No temporary file is
    left either way.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{ids.random_part(8)}{TEMP_MARK}"
    fd = -1
    replaced = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o666)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        crashpoint("write-temporary")
        os.fsync(fd)
        os.close(fd)
        fd = -1
        crashpoint("write-fsync")
        tmp.replace(path)
        replaced = True
        crashpoint("write-replace")
        fsync_dir(folder)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - nothing more we can do; say the first error
            pass
        if replaced:
            raise StorageError(
                N_(
                    "wrote {path} but could not make it durable: {reason}; it holds the new "
                    "content, but a power cut now could still undo the change"
                ),
                path=relative or str(path),
                reason=_describe(exc),
            ) from None
        raise StorageError(
            N_("could not write {path}: {reason}; the file is as it was"),
            path=relative or str(path),
            reason=_describe(exc),
        ) from None


def write_text(path: Path, text: str, *, relative: str | None = None) -> None:
    write_atomic(path, text.encode("utf-8"), relative=relative)


def make_dirs(path: Path) -> None:
    """Create ``path`` and its parents, making each new folder durable. Below ``.juhtum``
    no existing folder may be a symlink (a committed ``.juhtum/rejected -> /elsewhere``
    must not make juhtum write outside the repository)."""
    if STATE_DIR in path.parts:
        at = len(path.parts) - path.parts[::-1].index(STATE_DIR)
        for end in range(at, len(path.parts) + 1):
            probe = Path(*path.parts[:end])
            if probe.is_symlink():
                raise StorageError(
                    N_(
                        "{path} is a symbolic link or no folder: juhtum keeps its journal "
                        "only in a folder of this clone; remove it"
                    ),
                    path=str(probe),
                )
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir()
        fsync_dir(folder.parent)


def clean_temporary(folder: Path) -> list[Path]:
    """Remove temporary files a crashed write left in ``folder`` and its document folders.

    Call it holding the repository lock: then no other writer owns them.
    """
    removed = []
    candidates = [folder, *(folder / name for name in FOLDERS)]
    for place in candidates:
        try:
            entries = list(os.scandir(place))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.endswith(TEMP_MARK) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                removed.append(Path(entry.path))
    return removed


class Lock:
    """The repository's writer lock (``.juhtum/lock``), cross-platform through filelock."""

    def __init__(self, repo: Repository, timeout: float = 30.0) -> None:
        self.repo = repo
        self.timeout = timeout
        self._lock: Any = None

    def __enter__(self) -> Lock:
        from filelock import FileLock, Timeout

        from juhtum.storage.local import real_dir

        try:
            folder = real_dir(self.repo.state_dir, create=True)
            link = (folder / LOCK_FILE).is_symlink()
        except OSError:
            link = True
        if link:  # a committed .juhtum -> ../outside must not make us write outside
            raise StorageError(
                N_(
                    "{path} is a symbolic link or no folder: juhtum keeps its lock, journal "
                    "and cache only in a folder of this clone; remove it (git rm) and try again"
                ),
                path=STATE_DIR if self.repo.state_dir.is_symlink() else f"{STATE_DIR}/{LOCK_FILE}",
            )
        self._lock = FileLock(str(folder / LOCK_FILE), timeout=self.timeout)
        try:
            self._lock.acquire()
        except Timeout:
            raise StorageError(
                N_(
                    "another juhtum command is changing this repository; try again when it "
                    "has finished (lock: {path})"
                ),
                path=f"{STATE_DIR}/{LOCK_FILE}",
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()
