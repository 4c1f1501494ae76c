"""An encrypted case repository: which reads open a case's plaintext, and writes sealed.

``juhtum.yaml`` holding ``encryption:`` makes a repository encrypted: every case document is
stored the SOPS way (:mod:`juhtum.crypto.sops`), encrypted to the case's recipients
(:mod:`juhtum.crypto.access`). Reading has three modes, chosen by the command:

- ``locked`` (the default: ``status``, ``due``, ``report``, ``list``, CI without a key): the
  ``sops`` block is cut off the text and the ``ENC[…]`` values stay as they are, so structure,
  references and dates are checked without importing any cipher; the checks that need
  plaintext are reported as not run (:mod:`juhtum.crypto.locked`);
- ``open`` (``show``, ``export``, every writing command): every document is decrypted, or the
  command stops saying which file it cannot open and to whom it is encrypted;
- ``auto`` (``validate``): decrypted where a key at hand opens it, else locked.

Writing: every change goes through the journal, which hands its writes to :func:`seal_change`;
a document whose plaintext did not change is not written at all, one that changed keeps the
ciphertext of every value that did not (SOPS's way), and when the case's recipients changed
(a handover, a grant) every other document of the case is wrapped to them in the same commit.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from juhtum.i18n import N_

if TYPE_CHECKING:
    from juhtum.check.reading import CaseFiles
    from juhtum.crypto.sops import Opened
    from juhtum.journal import Change
    from juhtum.storage import Repository

LOCKED = "locked"
OPEN = "open"
AUTO = "auto"

_state: dict[str, Any] = {"mode": LOCKED, "identities": None, "rotate": set()}
_opened: dict[tuple[str, str], Opened] = {}
"""(repository root, path in it) -> the document as this process opened it last."""


def set_mode(mode: str) -> None:
    """Choose how cases are read from now on (a command chooses it once, at its start); what
    an earlier command of this process opened is forgotten."""
    _state["mode"] = mode
    _opened.clear()


def mode() -> str:
    return str(_state["mode"])


@contextlib.contextmanager
def reading(chosen: str) -> Iterator[None]:
    before = mode()
    set_mode(chosen)
    try:
        yield
    finally:
        set_mode(before)


_KEY_VARIABLES = ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "XDG_CONFIG_HOME", "HOME")


def identities() -> list[Any]:
    """The age identities at hand (read again only when where to look for them changed)."""
    import os

    where = tuple(os.environ.get(k) for k in _KEY_VARIABLES)
    kept = _state["identities"]
    if kept is None or kept[0] != where:
        from juhtum.crypto.keys import load_identities

        kept = _state["identities"] = (where, load_identities())
    found: list[Any] = kept[1]
    return found


def forget_identities() -> None:
    _state["identities"] = None


def is_sealed(raw: bytes) -> bool:
    """The text holds a top-level ``sops:`` block (cheap: no parse, no cipher)."""
    return raw.startswith(b"sops:") or b"\nsops:" in raw


_ENC_VALUE = re.compile(rb"ENC\[AES256_GCM,[^\]\n]*\]")
"""An encrypted value: read without the key, it stands as ``ENC[…]`` (nothing to show)."""


def strip_metadata(raw: bytes) -> bytes:
    """The text without its top-level ``sops:`` block; the lines above it keep their numbers."""
    lines = raw.split(b"\n")
    out: list[bytes] = []
    inside = False
    for line in lines:
        if line.rstrip() == b"sops:":
            inside = True
            continue
        if inside and (not line or line[:1] in (b" ", b"\t", b"#")):
            continue
        inside = False
        out.append(line)
    return b"\n".join(out)


def encryption_config(root: Path) -> dict[str, Any] | None:
    """``juhtum.yaml``'s ``encryption`` block, or None in a repository that is not encrypted."""
    from juhtum import storage
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError
    from juhtum.model.documents import REPOSITORY_FILE

    try:
        raw = storage.read_document(root / REPOSITORY_FILE)
    except (OSError, storage.TooLarge):
        return None
    if b"encryption" not in raw:
        return None
    try:
        data = yamlio.loads(raw, path=REPOSITORY_FILE).data
    except DocumentError:
        return None
    found = data.get("encryption") if isinstance(data, dict) else None
    return found if isinstance(found, dict) else None


_ENCRYPTED: dict[tuple[str, int, int], bool] = {}


def is_encrypted(root: Path) -> bool:
    """Whether juhtum.yaml says so (remembered while juhtum.yaml stays as it is)."""
    from juhtum.model.documents import REPOSITORY_FILE

    try:
        info = (root / REPOSITORY_FILE).stat()
    except OSError:
        return False
    key = (str(root), info.st_mtime_ns, info.st_size)
    if key not in _ENCRYPTED:
        _ENCRYPTED[key] = encryption_config(root) is not None
    return _ENCRYPTED[key]


def _key(root: Path, path: str) -> tuple[str, str]:
    return (str(root), path)


def _parse(raw: bytes, where: str) -> dict[str, Any]:
    from juhtum.documents import yamlio

    data = yamlio.loads(raw, path=where).data
    if not isinstance(data, dict):
        from juhtum.crypto.errors import BadFormat

        raise BadFormat(where=where, field="sops")
    return data


def open_raw(root: Path, where: str, raw: bytes) -> Opened:
    """Decrypt one document's text with the identities at hand (NoKey when none opens it);
    what was opened is kept for the write that follows."""
    from juhtum.crypto.sops import open_document

    opened = open_document(_parse(raw, where), identities(), where=where)
    _opened[_key(root, where)] = opened
    return opened


def plaintext(opened: Opened, *, without_record: bool = False) -> bytes:
    """The opened document's text; ``without_record``: the plan's recorded content hash left
    out (juhtum writes it anew on every save: a person never edits it)."""
    from juhtum.documents import yamlio
    from juhtum.model.hashing import RECORDED

    plain = opened.plain
    if without_record and RECORDED in plain:
        plain = {k: v for k, v in plain.items() if k != RECORDED}
    return yamlio.dumps(plain).encode("utf-8")


def open_case_files(repo: Repository, case_files: CaseFiles) -> None:
    """Make a case's sealed documents readable, as the mode says (see the module)."""
    from juhtum.crypto.errors import NoKey

    if not is_encrypted(repo.root):
        return  # a sops block where nothing is encrypted: the schema says it does not belong
    from juhtum.model.problems import ERROR, Problem

    chosen = mode()
    for name, raw in list(case_files.files.items()):
        if not is_sealed(raw):
            case_files.problems.append(
                Problem(
                    "encrypted",
                    ERROR,
                    f"{case_files.prefix}/{name}",
                    PLAIN,
                    {"id": case_files.case_id},
                )
            )
            continue
        where = f"{case_files.prefix}/{name}"
        if chosen != LOCKED:
            try:
                opened = open_raw(repo.root, where, raw)
                case_files.files[name] = plaintext(opened, without_record=name == "plan.yaml")
                if name == "plan.yaml":
                    from juhtum.crypto.locked import recorded_hash_problem

                    wrong = recorded_hash_problem(where, opened.plain)
                    if wrong is not None:
                        case_files.problems.append(wrong)
                continue
            except NoKey:
                if chosen == OPEN:
                    raise
        case_files.files[name] = _ENC_VALUE.sub(b"ENC[\xe2\x80\xa6]", strip_metadata(raw))
        case_files.locked[name] = raw


# -- writing -----------------------------------------------------------------------------------


def _case_of(path: str) -> tuple[str, str] | None:
    from juhtum.model.documents import CASES_DIR, kind_in_case

    parts = tuple(path.split("/"))
    if len(parts) < 3 or parts[0] != CASES_DIR or kind_in_case(parts[2:]) is None:
        return None
    return parts[1], "/".join(parts[2:])


def previous(root: Path, where: str) -> Opened | None:
    """The document at ``where`` as last opened, or opened now from the disk; None when it is
    not there or not sealed."""
    from juhtum import storage

    kept = _opened.get(_key(root, where))
    if kept is not None:
        return kept
    try:
        raw = storage.read_document(root / where)
    except (OSError, storage.TooLarge):
        return None
    return open_raw(root, where, raw) if is_sealed(raw) else None


def seal(
    root: Path, where: str, raw: bytes, recipients: list[str], *, rotate: bool = False
) -> bytes:
    """A case document's plaintext text as it is stored: sensitive values encrypted to
    ``recipients``; unchanged values keep their ciphertext unless ``rotate``."""
    from juhtum.crypto.selection import sensitive_paths
    from juhtum.crypto.sops import encrypt_document
    from juhtum.documents import yamlio
    from juhtum.model.documents import kind_in_case

    found = _case_of(where)
    kind = kind_in_case(tuple(found[1].split("/"))) if found else None
    if kind is None:
        return raw
    data = _parse(raw, where)
    if kind == "plan":
        from juhtum.model.hashing import RECORDED, content_hash

        data[RECORDED] = content_hash(data)  # what signatures are checked by without a key
    before = None if rotate else previous(root, where)
    sealed = encrypt_document(data, sensitive_paths(kind), recipients, before)
    return yamlio.dumps(sealed).encode("utf-8")


def rotate_on_write(case_id: str) -> None:
    """The next change of ``case_id`` puts all its documents under new data keys (a revoke)."""
    _state["rotate"].add(case_id)


def seal_change(repo: Repository, change: Change) -> Change:
    """The change as it is written in an encrypted repository (see the module); unchanged in
    one that is not."""
    config = encryption_config(repo.root)
    if config is None:
        return change
    from dataclasses import replace

    from juhtum import storage
    from juhtum.crypto import access
    from juhtum.journal import Write

    by_case: dict[str, list[Write]] = {}
    for write in change.writes:
        found = _case_of(write.path)
        if found is not None:
            by_case.setdefault(found[0], []).append(write)
    if not by_case:
        return change
    writes: list[Write] = []
    extra: list[Write] = []
    recipients_of_case: dict[str, list[str]] = {}
    for case_id, case_writes in by_case.items():
        recipients_of_case[case_id] = access.recipients(
            repo, access.case_fields(repo, case_id, case_writes), config
        ).recipients
    for write in change.writes:
        found = _case_of(write.path)
        if found is None or write.data is None or is_sealed(write.data):
            writes.append(write)
            continue
        recipients = recipients_of_case[found[0]]
        rotating = found[0] in _state["rotate"]
        sealed = seal(repo.root, write.path, write.data, recipients, rotate=rotating)
        writes.append(Write(write.path, sealed))
    for case_id, case_writes in by_case.items():
        written = {w.path for w in case_writes}
        recipients = recipients_of_case[case_id]
        rotating = case_id in _state["rotate"]
        _state["rotate"].discard(case_id)
        folder = repo.case_dir(case_id)
        if not folder.is_dir():
            continue
        for entry in storage.scan_case(folder):
            where = "/".join(("cases", case_id, *entry.parts))
            if entry.kind is None or entry.issue is not None or where in written:
                continue
            raw = storage.read_document(entry.path)
            if not is_sealed(raw):
                continue
            if rotating:
                extra.append(Write(where, rotate_raw(repo.root, where, raw, recipients)))
                continue
            rewrapped = rewrap_raw(repo.root, where, raw, recipients)
            if rewrapped is not None:
                extra.append(Write(where, rewrapped))
    return replace(change, writes=writes + extra)


def rewrap_raw(root: Path, where: str, raw: bytes, recipients: list[str]) -> bytes | None:
    """A sealed text wrapped to ``recipients`` instead, every value and the MAC as they are;
    None when it is wrapped to them already."""
    from juhtum.crypto.sops import recipients_of, rewrap
    from juhtum.documents import yamlio

    data = _parse(raw, where)
    if recipients_of(data) == list(dict.fromkeys(recipients)):
        return None
    _opened.pop(_key(root, where), None)
    return yamlio.dumps(rewrap(data, identities(), recipients, where=where)).encode("utf-8")


def rotate_raw(root: Path, where: str, raw: bytes, recipients: list[str]) -> bytes:
    """A sealed text under a new data key wrapped to ``recipients``, every value anew."""
    from juhtum.crypto.sops import rotate
    from juhtum.documents import yamlio

    _opened.pop(_key(root, where), None)
    return yamlio.dumps(rotate(_parse(raw, where), identities(), recipients, where=where)).encode(
        "utf-8"
    )


PLAIN = N_(
    "this document is in plain text in an encrypted repository (committed by hand, or by "
    "another tool): a key holder encrypts it with juhtum access {id} --rewrap"
)
NOT_ENCRYPTED = N_(
    "this repository is not encrypted (juhtum.yaml has no encryption:); encrypt it first: "
    "juhtum encrypt --recovery age1…"
)


def has_identities() -> bool:
    """Whether an age identity is at hand where SOPS looks, without reading one."""
    import os

    from juhtum.crypto.keys import default_key_files

    if os.environ.get("SOPS_AGE_KEY") or os.environ.get("SOPS_AGE_KEY_FILE"):
        return True
    return any(p.is_file() for p in default_key_files())


def open_if_key(root: Path) -> bool:
    """In an encrypted repository with a key at hand, read cases opened where it opens them
    (``validate``); True when so, the plaintext's findings then kept nowhere."""
    if not has_identities() or not is_encrypted(root):
        return False
    set_mode(AUTO)
    return True


def comparable(raw: bytes, where: str) -> bytes:
    """A sealed text as records are compared (``validate --changed-since``, ``sync``): its
    plaintext where a key at hand opens it, else without its metadata, every encrypted value
    standing as ``ENC[…]``."""
    from juhtum.crypto.errors import CryptoError
    from juhtum.errors import DocumentError

    if has_identities():
        try:
            from juhtum.crypto.sops import open_document

            return plaintext(open_document(_parse(raw, where), identities(), where=where))
        except (CryptoError, DocumentError):
            pass
    return _ENC_VALUE.sub("ENC[\u2026]".encode(), strip_metadata(raw))
