"""Encrypting a repository (``juhtum encrypt``, ``init --encrypt``), its git diff driver, and
changing who may read a case (``juhtum access``).

The history before ``juhtum encrypt`` still holds every case in plain text: the command says
so, with the documented way to purge it (``git filter-repo``), whose limit is that every clone
made before keeps the plain text.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from typing import Any

from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.storage import Repository

ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTES_LINE = "cases/**/*.yaml diff=juhtum"
DRIVER = "diff.juhtum.textconv"

PURGE = (
    "git filter-repo --invert-paths --path cases/ --force   # (1) history without the cases\n"
    "git checkout HEAD~0 -- . 2>/dev/null; juhtum validate  # (2) the encrypted cases stay\n"
)


def textconv_command() -> str:
    """What git runs to show a case document as text: this juhtum, whatever the PATH."""
    return f"{shlex.quote(sys.executable)} -m juhtum textconv"


def configure_git(root: Any) -> list[str]:
    """``.gitattributes`` names juhtum's diff driver for case documents, and this clone's git
    configuration runs it; returns the files to commit."""
    from juhtum import history, storage

    written = []
    target = root / ATTRIBUTES_FILE
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    if ATTRIBUTES_LINE not in text.splitlines():
        text = (text if not text or text.endswith("\n") else text + "\n") + ATTRIBUTES_LINE + "\n"
        storage.write_text(target, text)
        written.append(ATTRIBUTES_FILE)
    if history.in_git(root):
        history.set_config(root, DRIVER, textconv_command())
    return written


def check_recipients(recipients: list[str]) -> list[str]:
    from juhtum.crypto.keys import parse_recipient

    chosen = [r.strip() for r in recipients if r.strip()]
    if not chosen:
        raise UserError(
            N_(
                "give at least one recovery recipient, kept offline by a supervisor or the "
                "archive: --recovery age1… (age-keygen makes one; its public key is age1…)"
            )
        )
    for r in chosen:
        parse_recipient(r)
    return list(dict.fromkeys(chosen))


@dataclass
class Encrypted:
    cases: int = 0
    documents: int = 0
    commit: str | None = None
    unreadable_by: dict[str, list[str]] = field(default_factory=dict)
    """Case id -> handles (coordinator, granted) who have published no age recipient."""


def encrypt_repository(
    repo: Repository, recovery: list[str], *, commit_date: str | None = None
) -> Encrypted:
    """Encrypt every case document and record ``encryption:`` in juhtum.yaml, in one commit."""
    from juhtum import history, journal, storage
    from juhtum.crypto import access
    from juhtum.crypto.repository import encryption_config, is_sealed, seal
    from juhtum.documents import roundtrip
    from juhtum.model.documents import CASES_DIR, REPOSITORY_FILE

    if encryption_config(repo.root) is not None:
        raise UserError(N_("this repository is encrypted already (juhtum.yaml: encryption)"))
    recovery = check_recipients(recovery)
    config = {"recovery_recipients": recovery}
    done = Encrypted()
    with storage.Lock(repo):
        journal.refuse_unfinished(repo)
        published = access.specialist_recipients(repo)
        paths: list[str] = []
        for case_id in repo.case_ids():
            case = access.case_fields(repo, case_id)
            chosen = access.recipients(repo, case, config, published)
            if chosen.missing:
                done.unreadable_by[case_id] = chosen.missing
            done.cases += 1
            for entry in storage.scan_case(repo.case_dir(case_id)):
                if entry.kind is None or entry.issue is not None:
                    continue
                where = "/".join((CASES_DIR, case_id, *entry.parts))
                raw = storage.read_document(entry.path)
                if is_sealed(raw):
                    continue
                storage.write_atomic(
                    entry.path, seal(repo.root, where, raw, chosen.recipients), relative=where
                )
                paths.append(where)
                done.documents += 1
        text = repo.config_path.read_text(encoding="utf-8")
        storage.write_text(
            repo.config_path, roundtrip.set_fields(text, {"encryption": config}), relative=None
        )
        paths.append(REPOSITORY_FILE)
        paths += configure_git(repo.root)
        if history.in_git(repo.root):
            done.commit = history.commit(
                repo.root,
                paths,
                case_id=None,
                step="juhtum encrypt: case documents encrypted",
                date=commit_date,
            )
    return done


def textconv(raw: bytes) -> bytes:
    """A case document as a key holder reads it; as it is for everyone else."""
    from juhtum.crypto.repository import is_sealed

    if not is_sealed(raw):
        return raw
    try:
        from juhtum.crypto.keys import load_identities
        from juhtum.crypto.sops import open_document
        from juhtum.documents import yamlio

        data = yamlio.loads(raw, path="document").data
        opened = open_document(data, load_identities())
    except Exception:  # no key, or not a document juhtum wrote: git shows what is there
        return raw
    return yamlio.dumps(opened.plain).encode("utf-8")


# -- access --------------------------------------------------------------------------------


def grant_list(case: dict[str, Any]) -> list[str]:
    from juhtum.crypto.access import granted

    return granted(case)


def require_recipient(repo: Repository, handle: str) -> None:
    from juhtum.crypto.access import specialist_recipients
    from juhtum.specialists import handles

    if handle not in handles(repo.root):
        raise UserError(
            N_(
                "{handle} is not a registered specialist: register them first: juhtum "
                'specialists --add {handle} --name "NAME" --age-recipient age1…'
            ),
            handle=handle,
        )
    if handle not in specialist_recipients(repo):
        raise UserError(
            N_(
                "{handle} has published no age recipient: add age_recipient: age1… to "
                "specialists/{handle}.yaml (age-keygen -y their key file prints it)"
            ),
            handle=handle,
        )


def rewrap_case(session: Any) -> str | None:
    """Wrap every document of the session's case to its recipients as they are now, in one
    commit (None when they are wrapped so already)."""
    from juhtum import journal, storage
    from juhtum.crypto import access
    from juhtum.crypto.repository import encryption_config, is_sealed, rewrap_raw, seal
    from juhtum.model.documents import CASES_DIR

    repo = session.repo
    case_id = session.case_id
    chosen = access.recipients(
        repo, access.case_fields(repo, case_id), encryption_config(repo.root) or {}
    )
    writes = []
    for entry in storage.scan_case(repo.case_dir(case_id)):
        if entry.kind is None or entry.issue is not None:
            continue
        where = "/".join((CASES_DIR, case_id, *entry.parts))
        raw = storage.read_document(entry.path)
        if not is_sealed(raw):  # plain text where it should not be: encrypted now
            writes.append(journal.Write(where, seal(repo.root, where, raw, chosen.recipients)))
            continue
        rewrapped = rewrap_raw(repo.root, where, raw, chosen.recipients)
        if rewrapped is not None:
            writes.append(journal.Write(where, rewrapped))
    if not writes:
        return None
    return journal.apply(
        repo,
        journal.Change(
            case_id,
            "access: wrapped to the recipients",
            session.stage or "-",
            writes,
            author=session.author,
            date=session.commit_date,
        ),
    )
