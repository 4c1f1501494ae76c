"""People's names for a person at a terminal: read straight from the case files, never kept.

``list``, ``due`` and ``show`` print the person's name beside the case id only on a
terminal (or with ``--names``), and ``find`` finds a case by a name. The names come
from ``people/*.yaml`` each time: the facts cache, the JSON output, commits and logs
never hold them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from juhtum.model.documents import CASE_FILE, SUFFIX
from juhtum.storage import Repository


def _load(repo: Repository, case_id: str, name: str) -> dict[str, Any]:
    from juhtum import storage
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError

    path = repo.case_dir(case_id) / name
    try:
        raw = storage.read_document(path)
        if raw.startswith(b"sops:") or b"\nsops:" in raw:  # encrypted: a key holder's names
            from juhtum.crypto.repository import comparable

            raw = comparable(raw, name)
        data = yamlio.loads(raw, path=name).data
    except (OSError, storage.TooLarge, DocumentError):
        return {}
    return data if isinstance(data, dict) else {}


def client_name(repo: Repository, case_id: str) -> str | None:
    """The name of the person the case is about (case.yaml's ``client``), or None."""
    handle = _load(repo, case_id, CASE_FILE).get("client")
    if not isinstance(handle, str) or "/" in handle or handle.startswith("."):
        handle = "client"
    name = _load(repo, case_id, f"people/{handle}{SUFFIX}").get("name")
    if isinstance(name, str) and name.startswith("ENC["):  # encrypted, and no key opens it
        return None
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else None


def labelled(case_id: str, name: str | None) -> str:
    """``id – Name``: how a case is shown beside its person's name."""
    return f"{case_id} – {name}" if name else case_id


# -- finding a case by a name ---------------------------------------------------------------


def fold(text: str, *, marks: bool = True) -> str:
    """``text`` for comparing: NFC, case-folded, spaces collapsed; without diacritics when
    ``marks`` is False (``Tõnis`` as ``tonis``)."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    if marks:
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@dataclass(frozen=True)
class Found:
    case: str
    handle: str
    name: str


def find(repo: Repository, text: str) -> Iterator[Found]:
    """Everyone in ``people/`` of every case whose name holds ``text``: case-insensitive, in
    any Unicode normal form, and with or without diacritics."""
    import os

    wanted = fold(text)
    bare = fold(text, marks=False)
    if not wanted:
        return
    for case_id in repo.case_ids():
        folder = repo.case_dir(case_id) / "people"
        try:
            entries = sorted(e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if not entry.endswith(SUFFIX) or entry.startswith("."):
                continue
            name = _load(repo, case_id, f"people/{entry}").get("name")
            if not isinstance(name, str):
                continue
            if wanted in fold(name) or bare in fold(name, marks=False):
                yield Found(case_id, entry.removesuffix(SUFFIX), " ".join(name.split()))
