"""What a row of the validation cache (:mod:`juhtum.check.cache`) is keyed on: a case folder's
listing (size, modification time and inode of each entry, as git's index keys a file), each
file's SHA-256, and the *context*: juhtum's code, version and schemas, juhtum.yaml, the
service catalogue and the specialists."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from juhtum import __version__, storage
from juhtum.model.documents import SPECIALISTS_DIR
from juhtum.storage import Repository

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
    return hashlib.sha1(
        "\n".join(parts).encode("utf-8", "surrogateescape"), usedforsecurity=False
    ).hexdigest()


@functools.cache
def code_key() -> str:
    """juhtum's own code as installed: each module's name, size and modification time
    (an edited rule, a reinstall or an upgrade makes every row stale, whatever the version
    says). A stat of some ninety files, once a process: about a millisecond."""
    return package_key(Path(__file__).parent.parent)


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


def hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def now_ns() -> int:
    return time.time_ns()
