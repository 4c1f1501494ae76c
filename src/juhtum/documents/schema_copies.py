"""A case repository's copies of the schemas, and what editors read.

``juhtum init`` and ``juhtum schemas --update`` write every schema into ``.juhtum/schemas/``
with its editing copy (``draft/``, :mod:`juhtum.documents.editing_schemas`), a schema
catalogue (SchemaStore's format) and VS Code's ``yaml.schemas`` settings that map each
document, and each of the editor's drafts, to its copy; ``validate`` warns when the copies
differ from the installed juhtum's (:func:`stale_copies`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from juhtum.documents.schemas import all_kinds, directory, load, names, read_bytes, schema_name

COPIES = ".juhtum/schemas"
"""Where a case repository keeps its copies of the schemas (for editors, other validators)."""
CATALOG = "catalog.json"
"""The schema catalogue (SchemaStore's catalog format) beside the copies."""
EDITOR_SETTINGS = ".vscode/settings.json"


def file_globs(kind: str) -> list[str]:
    """Where documents of ``kind`` lie in a case repository (and the editor's working copies)."""
    from juhtum.model.documents import (
        FOLDERS,
        REPOSITORY_FILE,
        SERVICES_DIR,
        SINGLE,
        SPECIALISTS_DIR,
    )

    if kind == "juhtum":
        return [REPOSITORY_FILE]
    if kind == "service":
        return [f"{SERVICES_DIR}/*.yaml"]
    if kind == "specialist":
        return [f"{SPECIALISTS_DIR}/*.yaml"]
    # the editor's drafts (juhtum.drafts): <id>~<command>.yaml beside the other drafts for a
    # document of the case folder, <id>/<command>.yaml for one a folder deeper; `edit` names
    # the document (edit~plan.yaml, edit~monitoring~<name>.yaml)
    commands = [c for c, k in DRAFT_COMMANDS.items() if k == kind]
    single = [name for name, k in SINGLE.items() if k == kind]
    if single:
        stem = single[0].removesuffix(".yaml")
        return [
            f"cases/*/{single[0]}",
            *(f".juhtum/edit/*~{c}.yaml" for c in commands),
            f".juhtum/edit/*~edit~{stem}.yaml",
        ]
    folder = next(name for name, k in FOLDERS.items() if k == kind)
    return [
        f"cases/*/{folder}/*.yaml",
        *(f".juhtum/edit/*/{c}.yaml" for c in commands),
        f".juhtum/edit/*/edit~{folder}~*.yaml",
    ]


DRAFT_COMMANDS = {
    "need": "need",
    "assess": "assessment",
    "measures": "planning",
    "plan": "plan",
    "close": "closing",
    "monitor": "monitoring",
    "evaluate": "evaluation",
    "meeting": "meeting",
    "handover": "handover",
    "followup": "followup",
}
"""The commands whose drafts hold a document of a kind (the draft is named by the command)."""


def _placed(kind: str) -> list[tuple[str, list[str], str]]:
    """Each copy an editor reads for ``kind`` (relative to the copies), the files it is for and
    what they are: the schema for the stored documents, its editing copy for the drafts
    (:mod:`juhtum.documents.editing_schemas`)."""
    from juhtum.documents import editing_schemas

    globs = file_globs(kind)
    drafts = [g for g in globs if g.startswith(".juhtum/edit/")]
    placed = [(schema_name(kind), [g for g in globs if g not in drafts], "")]
    if drafts:
        placed.append((f"{editing_schemas.FOLDER}/{schema_name(kind)}", drafts, " (draft)"))
    return placed


def catalog() -> dict[str, Any]:
    """The schema catalogue of a case repository: each schema's file patterns and its copy
    (``url`` relative to the catalogue, which lies beside the copies)."""
    return {
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1,
        "schemas": [
            {
                "name": f"juhtum: {load(schema_name(kind)).get('x-title-en', kind)}{what}",
                "description": load(schema_name(kind)).get("x-description-en", ""),
                "fileMatch": globs,
                "url": url,
            }
            for kind in all_kinds()
            for url, globs, what in _placed(kind)
        ],
    }


def editor_settings(existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """VS Code's settings with ``yaml.schemas`` mapping each kind's files to its schema copy
    (a draft's to the editing copy); every other setting of ``existing`` is kept."""
    settings = dict(existing or {})
    settings["yaml.schemas"] = {
        f"./{COPIES}/{url}": globs for kind in all_kinds() for url, globs, _ in _placed(kind)
    }
    return settings


def stale_copies(root: Path) -> list[str]:
    """The schemas whose copy in the case repository at ``root`` is missing or differs from
    the installed one; none when the repository keeps no copies."""
    from juhtum.documents import editing_schemas

    folder = root / COPIES
    if not folder.is_dir():
        return []
    stale = []
    for name in names():
        editing = f"{editing_schemas.FOLDER}/{name}"
        for copy, installed in ((name, read_bytes), (editing, editing_schemas.editing_bytes)):
            try:
                same = (folder / copy).read_bytes() == installed(name)
            except OSError:
                same = False
            if not same:
                stale.append(copy)
    return stale


def install(root: Path) -> list[str]:
    """Write the schema copies, their catalogue and the editor settings into the case
    repository at ``root``; returns what was written, relative to ``root``.

    Editor settings that are not plain JSON (VS Code allows comments) are left as they are.
    """
    from juhtum import storage

    folder = root / COPIES
    copy_to(folder)
    storage.write_text(folder / CATALOG, _json(catalog()))
    written = [COPIES]
    settings_path = root / EDITOR_SETTINGS
    existing: Any = None
    if settings_path.exists():
        try:
            existing = json.loads(settings_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return written
        if not isinstance(existing, dict):
            return written
    storage.make_dirs(settings_path.parent)
    storage.write_text(settings_path, _json(editor_settings(existing)))
    written.append(EDITOR_SETTINGS)
    return written


def update(root: Path, *, commit: bool) -> tuple[list[str], bool]:
    """``juhtum schemas --update``: the copies, catalogue and editor settings of the case
    repository at ``root`` refreshed from the installed juhtum, in one commit when ``commit``
    (and anything changed); returns the schemas that were stale, and whether it committed."""
    from juhtum import history, storage
    from juhtum.storage import Repository

    stale = stale_copies(root) if (root / COPIES).is_dir() else names()
    made = None
    with storage.Lock(Repository(root)):
        written = install(root)
        if commit:
            made = history.commit_if_changed(
                root, written, case_id=None, step="juhtum schemas --update"
            )
    return stale, made is not None


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def copy_to(target: Path) -> list[Path]:
    """Copy every schema into ``target`` (a case repository's ``.juhtum/schemas``), and its
    editing copy into ``target/draft`` (:mod:`juhtum.documents.editing_schemas`)."""
    from juhtum.documents import editing_schemas

    target.mkdir(parents=True, exist_ok=True)
    (target / editing_schemas.FOLDER).mkdir(exist_ok=True)
    written = []
    for name in names():
        source = directory().joinpath(name)
        with source.open("rb") as src, (target / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
        written.append(target / name)
        editing = target / editing_schemas.FOLDER / name
        editing.write_bytes(editing_schemas.editing_bytes(name))
        written.append(editing)
    return written
