"""Reading documents and case folders: bytes, parses, and the problems that kept a file
from being read.

Lines are found lazily: documents are parsed without line tracking (the fast
path), and only a document that has a problem is parsed again to learn where.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum import storage
from juhtum.errors import DocumentError
from juhtum.i18n import N_
from juhtum.limits import MAX_BYTES
from juhtum.model.case import Case, Doc, as_str
from juhtum.model.documents import CASE_FILE, CASES_DIR, kind_in_case
from juhtum.model.problems import ERROR, TODO, WARNING, Problem
from juhtum.storage import Repository


@dataclass
class Source:
    """A document's bytes and, once a problem needs them, its lines."""

    raw: bytes
    loaded: Any = None
    """The parse with lines (a ``yamlio.Loaded``), made when a problem needs a line."""

    def line_of(self, path: tuple[str | int, ...], name: str) -> int | None:
        if self.loaded is None:
            from juhtum.documents import yamlio

            try:
                self.loaded = yamlio.loads(self.raw, path=name, lines=True)
            except DocumentError:
                return None
        line: int | None = self.loaded.line_of(path)
        return line


def read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    """A document's bytes, or the problem that kept it from being read."""
    try:
        return storage.read_document(path), []
    except storage.TooLarge as exc:
        return None, [
            Problem(
                "yaml",
                ERROR,
                name,
                N_("the file is {size} KiB, more than the {limit} KiB a document may have"),
                {"size": exc.size // 1024, "limit": MAX_BYTES // 1024},
            )
        ]
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # it became a symlink after the folder was listed
            return None, [_symlink(name)]
        return None, [
            Problem(
                "file",
                ERROR,
                name,
                N_("cannot read this file: {reason}"),
                {"reason": exc.strerror or type(exc).__name__},
            )
        ]


def parse(raw: bytes, path: str, name: str, kind: str) -> tuple[Doc | None, list[Problem]]:
    """Parse one document's bytes; ``path`` is how messages name it (repository-relative)."""
    try:
        from juhtum.documents import yamlio  # the parser loads when a document is read, not before

        loaded = yamlio.loads(raw, path=path)
    except DocumentError as exc:
        args = {k: v for k, v in exc.args_.items() if k not in ("path", "line")}
        return None, [Problem("yaml", ERROR, path, exc.message, args, (), exc.line)]
    return Doc(kind, path, name, loaded.data), []


def read(path: Path, name: str, kind: str) -> tuple[Doc | None, Source | None, list[Problem]]:
    """Read and parse one document; problems for what cannot be read."""
    raw, problems = read_bytes(path, name)
    if raw is None:
        return None, None, problems
    doc, problems = parse(raw, name, "", kind)
    return doc, Source(raw), problems


def _symlink(name: str) -> Problem:
    return Problem(
        "file",
        ERROR,
        name,
        N_(
            "this is a symbolic link: a case holds its own files, not links to others "
            "(replace it with the file itself)"
        ),
    )


@dataclass
class CaseFiles:
    """A case as the contents of its documents, before parsing: what checks read, and what
    a change proposes (the same files with some replaced)."""

    case_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    """Name in the case folder (``plan.yaml``, ``monitoring/….yaml``) -> bytes."""
    problems: list[Problem] = field(default_factory=list)
    """What kept files from being read (symlinks, stray files, sizes)."""
    locked: dict[str, bytes] = field(default_factory=dict)
    """Name -> the sealed text of a document read without its key (juhtum.crypto.locked)."""

    @property
    def prefix(self) -> str:
        return f"{CASES_DIR}/{self.case_id}"

    def with_files(self, changes: dict[str, bytes | None]) -> CaseFiles:
        files = dict(self.files)
        for name, data in changes.items():
            if data is None:
                files.pop(name, None)
            else:
                files[name] = data
        locked = {n: v for n, v in self.locked.items() if n not in changes}
        return CaseFiles(self.case_id, dict(sorted(files.items())), list(self.problems), locked)


def parse_case(case_files: CaseFiles, problems: list[Problem] | None = None) -> Case:
    """A case's documents parsed, without checking them (what the views read); what kept a
    document from being read is added to ``problems`` when given."""
    docs = []
    if problems is not None:
        problems.extend(case_files.problems)
    for name, raw in case_files.files.items():
        kind = kind_in_case(tuple(name.split("/")))
        if kind is None:
            continue
        doc, found = parse(raw, f"{case_files.prefix}/{name}", name, kind)
        if problems is not None:
            problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return Case(case_files.case_id, case_files.prefix, docs)


def read_case_files(repo: Repository, case_id: str) -> CaseFiles:
    folder = repo.case_dir(case_id)
    found = CaseFiles(case_id)
    for entry in storage.scan_case(folder):
        name = "/".join(entry.parts)
        path = f"{found.prefix}/{name}"
        if entry.issue == "symlink":
            found.problems.append(_symlink(path))
            continue
        if entry.issue is not None or entry.kind is None:
            found.problems.append(
                Problem(
                    "file",
                    WARNING,
                    path,
                    N_("this is not a juhtum document and is left out of the checks"),
                    {},
                )
            )
            continue
        raw, problems = read_bytes(entry.path, path)
        found.problems.extend(problems)
        if raw is not None:
            found.files[name] = raw
    if found.files:
        from juhtum.crypto.repository import open_case_files

        open_case_files(repo, found)  # an encrypted case: opened or locked (crypto/repository)
    return found


def _finish(
    problems: Iterable[Problem],
    drafts: set[str],
    sources: dict[str, Source],
    todo_lines: bool = True,
) -> list[Problem]:
    """Missing fields of a draft become to-dos; problems get their lines (a to-do only when
    ``todo_lines``: one that is only counted needs none, and a line costs a second parse)."""
    out = []
    for p in problems:
        if p.missing and p.file in drafts and p.severity == ERROR:
            p = p.as_todo()
        if p.line is None and p.file in sources and (todo_lines or p.severity != TODO):
            p = p.with_line(sources[p.file].line_of(p.field, p.file))
        out.append(p)
    return out


def case_summary(repo: Repository, case_id: str) -> dict[str, Any]:
    """What ``list`` and ``show`` print of a case, read from case.yaml alone."""
    folder = repo.existing_case_dir(case_id)
    name = f"{CASES_DIR}/{case_id}/{CASE_FILE}"
    doc, _, problems = read(folder / CASE_FILE, name, "case")
    if doc is None:
        raise DocumentError(
            problems[0].message, path=name, line=problems[0].line, **problems[0].args
        )
    data = doc.fields
    return {
        "id": case_id,
        "stage": as_str(data.get("stage")),
        "framework": as_str(data.get("framework")),
        "opened": as_str(data.get("opened")),
        "coordinator": as_str(data.get("coordinator")),
    }
