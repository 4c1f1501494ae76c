"""What binds juhtum's local state (the journal, the validation cache) to this clone.

A case repository is other people's data: anything under ``.juhtum/`` may have
come with a colleague's push (``git add -f``) or a CI cache. So the journal's
entries and the cache carry an HMAC made with a secret only this clone holds:

- in a git repository, ``<git dir>/juhtum/clone-key`` (for a worktree, its own
  git dir): inside ``.git``, which git never takes from a remote;
- in a plain folder (no ``.git`` at the repository's root), a file per folder
  in the user's state directory (``$XDG_STATE_HOME/juhtum/clones/`` or
  ``~/.local/state/juhtum/clones/``; ``%LOCALAPPDATA%\\juhtum\\clones`` on Windows).

CI, whose checkout is new every time, gives the cache a key of its own with
``JUHTUM_CACHE_KEY`` (at least 16 characters, a CI secret): a cache restored
between runs is trusted only when it was written with the same key.

What does not carry a valid HMAC is ignored (never replayed, never believed)
and a notice says so; the notices are printed by the command line.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import os
import stat
from functools import cache
from pathlib import Path

from juhtum.i18n import N_

CACHE_KEY_ENV = "JUHTUM_CACHE_KEY"
MIN_ENV_KEY = 16
KEY_FILE = "clone-key"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

notices: list[tuple[str, dict[str, object]]] = []
"""What was ignored and why (message id, arguments), for the command line to print: a
library never prints."""


def notice(message: str, **args: object) -> None:
    if (message, args) not in notices:
        notices.append((message, args))


def git_dir(root: Path) -> Path | None:
    """The git dir of the repository whose work tree starts at ``root``: ``root/.git``, or
    where a worktree's ``.git`` file points; None where ``root`` holds no ``.git``."""
    dotgit = root / ".git"
    try:
        info = os.lstat(dotgit)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return dotgit
    if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
        return None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = dotgit.read_bytes().decode("utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            target = target if target.is_absolute() else root / target
            if target.is_dir():
                return target.resolve()
    return None


def _user_state() -> Path:
    if os.name == "nt":  # pragma: no cover - Windows
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "juhtum" / "clones"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "juhtum" / "clones"


def key_path(root: Path) -> Path:
    """Where the clone's secret is kept (see the module's docstring)."""
    found = git_dir(root)
    if found is not None:
        return found / "juhtum" / KEY_FILE
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return _user_state() / f"{name[:32]}.key"


@cache
def clone_key(root: Path) -> bytes | None:
    """The clone's secret, made on first use; None where it can be neither read nor made
    (then nothing local is trusted)."""
    path = key_path(root)
    for _attempt in (1, 2):
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except FileNotFoundError:
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            except FileExistsError:
                continue  # made meanwhile by another command: read it
            except OSError:
                return None
            try:
                key = os.urandom(32).hex().encode()
                os.write(fd, key)
                os.fsync(fd)
            except OSError:
                return None
            finally:
                os.close(fd)
            return key
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > 1024:
                return None
            key = os.read(fd, 1024).strip()
        except OSError:
            return None
        finally:
            os.close(fd)
        return key if len(key) >= MIN_ENV_KEY else None
    return None


def cache_key(root: Path) -> bytes | None:
    """The cache's key: ``JUHTUM_CACHE_KEY`` when given (CI), else the clone's."""
    given = os.environ.get(CACHE_KEY_ENV)
    if given:
        if len(given) >= MIN_ENV_KEY:
            return given.encode("utf-8", "surrogateescape")
        notice(
            N_(
                "{name} is shorter than {n} characters and is not used: the cache is bound "
                "to this clone instead"
            ),
            name=CACHE_KEY_ENV,
            n=MIN_ENV_KEY,
        )
    return clone_key(root)


def mac(key: bytes, *parts: bytes) -> str:
    """An HMAC-SHA256 over ``parts`` (each length-prefixed, so no two splits collide)."""
    h = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()


def same(a: str, b: object) -> bool:
    return isinstance(b, str) and hmac.compare_digest(a, b)


def real_dir(path: Path, *, create: bool) -> Path:
    """``path`` as a real folder, never through a symlink: made when missing (if asked),
    OSError(ELOOP) when it is a symlink, ENOTDIR when it is something else."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create:
            raise
        path.mkdir()
        info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.ELOOP, "a symbolic link", str(path))
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.ENOTDIR, "not a folder", str(path))
    return path
