"""The organisation's specialists: registered once per repository, named by any case.

Each specialist is one file, ``specialists/<handle>.yaml`` (one file each, so two
people registering colleagues offline never conflict). A case document names a
specialist by handle just as it names someone of ``people/``; validation resolves
both. Who runs a command ("me") is ``JUHTUM_ME`` (a handle), else the registered
specialist whose e-mail is git's ``user.email``.

Names stay in these files: nothing here writes a name into a commit message, a log
or the cache (commits say ``specialists: add <handle>``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juhtum.errors import UsageError, UserError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.documents import SPECIALISTS_DIR, SUFFIX
from juhtum.storage import Repository

ME_VARIABLE = "JUHTUM_ME"

_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


@dataclass(frozen=True)
class Specialist:
    handle: str
    name: str
    organisation: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    age_recipient: str | None = None
    """The age public key cases are encrypted to for them (juhtum.crypto.access)."""
    signing_key: str | None = None
    """The SSH public key their commits are signed with (juhtum.verification)."""

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "handle": self.handle,
            "name": self.name,
            "organisation": self.organisation,
        }
        for key in ("role", "email", "phone", "age_recipient", "signing_key"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


def folder(repo: Repository) -> Path:
    return repo.root / SPECIALISTS_DIR


def relative(handle: str) -> str:
    return f"{SPECIALISTS_DIR}/{handle}{SUFFIX}"


def files(root: Path) -> list[Path]:
    """The specialists' files of the repository at ``root`` (no hidden files, no links)."""
    try:
        entries = list(os.scandir(root / SPECIALISTS_DIR))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        Path(e.path)
        for e in entries
        if e.name.endswith(SUFFIX) and not e.name.startswith(".") and not e.is_symlink()
    )


def read_all(repo: Repository) -> dict[str, dict[str, Any]]:
    """handle -> the specialist's fields, for every file that reads as a mapping (validate
    reports the others)."""
    from juhtum import storage
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError

    found: dict[str, dict[str, Any]] = {}
    for path in files(repo.root):
        handle = path.name.removesuffix(SUFFIX)
        if not ids.is_handle(handle):
            continue
        try:
            data = yamlio.loads(storage.read_document(path), path=relative(handle)).data
        except (OSError, storage.TooLarge, DocumentError):
            continue
        if isinstance(data, dict):
            found[handle] = data
    return found


def handles(root: Path) -> frozenset[str]:
    """The handles registered (by file name), without reading the files."""
    return frozenset(h for p in files(root) if ids.is_handle(h := p.name.removesuffix(SUFFIX)))


# -- handles and identities -------------------------------------------------------------------


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def derive_handle(name: str, taken: frozenset[str] | set[str]) -> str:
    """A short handle for ``name``: its initials (``Kadri Kask`` -> ``kk``), a number added
    when that is taken. Initials, not the whole name: a handle shows in commit messages."""
    words = [w for w in re.split(r"[^a-z0-9]+", _ascii(name)) if w]
    letters = "".join(w[0] for w in words if w[0].isalpha())[:8]
    base = letters if len(letters) >= 2 else (words[0][:8] if words else "")
    if not base or not base[0].isalpha():
        base = "spec"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}{n}"
        n += 1
    return candidate


def parse_author(text: str) -> tuple[str, str]:
    """``Name <email>`` as (name, email); UsageError for anything else."""
    match = _AUTHOR.match(text)
    if not match or not match.group("name"):
        raise UsageError(
            N_('--author takes a name and an e-mail: --author "Your Name <you@example.org>"')
        )
    return match.group("name"), match.group("email")


def me(repo: Repository) -> str | None:
    """The registered specialist running juhtum: ``JUHTUM_ME``, else the one whose e-mail is
    git's ``user.email``; None when neither names a registered specialist."""
    chosen = os.environ.get(ME_VARIABLE, "").strip()
    registered = handles(repo.root)
    if chosen:
        return chosen if chosen in registered else None
    from juhtum import history

    _name, email = history.identity(repo.root)
    if not email:
        return None
    wanted = email.strip().lower()
    for handle, data in sorted(read_all(repo).items()):
        value = data.get("email")
        if isinstance(value, str) and value.strip().lower() == wanted:
            return handle
    return None


def require_me(repo: Repository) -> str:
    """:func:`me`, or an error saying how to name oneself."""
    found = me(repo)
    if found is not None:
        return found
    chosen = os.environ.get(ME_VARIABLE, "").strip()
    if chosen:
        raise UserError(
            N_(
                "{variable}={handle} names no registered specialist. Register yourself: "
                'juhtum specialists --add {handle} --name "Your Name" --email you@example.org'
            ),
            variable=ME_VARIABLE,
            handle=chosen,
        )
    raise UserError(
        N_(
            "juhtum does not know which specialist you are: no registered specialist has git's "
            "user.email. Register yourself with that e-mail: juhtum specialists --add HANDLE "
            '--name "Your Name" --email you@example.org, or name your handle: '
            "export {variable}=HANDLE"
        ),
        variable=ME_VARIABLE,
    )


# -- registering -------------------------------------------------------------------------------


def check(specialist: Specialist) -> None:
    """Refuse a registration its schema would refuse, naming the field."""
    from juhtum.documents import schemas

    ids.check_handle(specialist.handle)
    for error in schemas.validator("specialist").iter_errors(specialist.document()):
        path = ".".join(str(p) for p in error.instance_path) or "-"
        raise UserError(N_("the specialist's {field} is not valid"), field=path)


def register(repo: Repository, specialist: Specialist, *, commit_date: str | None = None) -> str:
    """Write ``specialists/<handle>.yaml`` and commit it (in git); returns its path."""
    from juhtum import history, storage
    from juhtum.documents import yamlio

    check(specialist)
    name = relative(specialist.handle)
    target = repo.root / name
    with storage.Lock(repo):
        if target.exists() or target.is_symlink():
            raise UserError(
                N_(
                    "{handle} is registered as a specialist already ({path}); choose another "
                    "handle with --handle"
                ),
                handle=specialist.handle,
                path=name,
            )
        storage.make_dirs(target.parent)
        storage.write_text(target, yamlio.dumps(specialist.document()), relative=name)
        if history.in_git(repo.root):
            history.commit(
                repo.root,
                [name],
                case_id=None,
                step=f"specialists: add {specialist.handle}",
                date=commit_date,
            )
    return name
