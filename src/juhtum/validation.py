"""Checking a case repository: every document against its schema, every invariant, every stage.

The result is a value, not an exception: a list of :class:`Problem` with rule
id, severity, file, line, field and a message, which :mod:`juhtum.output.reporters`
turns into text, JSON or CI annotations. Cases are checked one at a time and
only their problems are kept, so memory does not grow with the repository.

Lines are found lazily: documents are parsed without line tracking (the fast
path), and only a document that has a problem is parsed again to learn where.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum import storage
from juhtum.cache import Cache, Listing, Row, bulk, list_case, now_ns
from juhtum.cache import hashes as file_hashes
from juhtum.documents import schemas
from juhtum.errors import DocumentError, UsageError
from juhtum.i18n import N_, Localised, Msg
from juhtum.limits import MAX_BYTES
from juhtum.model import ids
from juhtum.model.case import Case, Doc, Settings, as_dict, as_str
from juhtum.model.documents import (
    CASE_FILE,
    CASES_DIR,
    REPOSITORY_FILE,
    SERVICES_DIR,
    SPECIALISTS_DIR,
    SUFFIX,
    kind_in_case,
)
from juhtum.model.problems import (
    ERROR,
    TODO,
    WARNING,
    Problem,
    field_text,
    from_json,
    labelled,
    to_json,
)
from juhtum.storage import Repository

# -- results ----------------------------------------------------------------------------------


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    cases: int = 0
    files: int = 0
    cached: int = 0
    """How many cases the cache answered for."""
    unlisted_todos: int = 0
    """To-dos counted but not kept in ``problems`` (Options.list_todos False)."""

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def todos(self) -> int:
        return self.count(TODO) + self.unlisted_todos

    @property
    def ok(self) -> bool:
        return self.errors == 0


@dataclass
class Options:
    today: dt.date
    legal: bool = False
    list_todos: bool = True
    """False: to-dos from the cache are only counted (the text report without --todo),
    sparing the making of thousands of problems nobody reads."""


# -- reading one document ----------------------------------------------------------------------


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


# -- the schema --------------------------------------------------------------------------------

TYPE_NAMES = {
    "string": Msg("text"),
    "integer": Msg("a whole number"),
    "number": Msg("a number"),
    "boolean": Msg("true or false"),
    "array": Msg("a list"),
    "object": Msg("a set of fields, each written as key: value"),
    "null": Msg("empty"),
}

PATTERN_HINTS = {
    "handle": Msg("a handle: a lowercase letter, then lowercase letters, digits or hyphens"),
    "case_id": Msg("a case id: lowercase letters, digits and single hyphens"),
    "item_id": Msg("an id: letters, digits, - and _, at most 32 characters"),
    "personal_code": Msg("a personal code: 11 digits"),
    "phone": Msg("a phone number: digits, spaces, brackets, hyphens, perhaps a leading +"),
    "content_hash": Msg("a content hash: 64 hexadecimal characters"),
}

MISSING_KINDS = frozenset({"Required", "MinItems", "MinLength"})
YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


def schema_problems(doc: Doc) -> Iterator[Problem]:
    index = schemas.field_index(doc.kind)
    for error in schemas.validator(doc.kind).iter_errors(doc.data):
        yield from _schema_problem(doc, index, error)


def _schema_problem(doc: Doc, index: schemas.FieldIndex, error: Any) -> Iterator[Problem]:
    kind = error.kind
    name = type(kind).__name__
    path = tuple(error.instance_path)
    info = index.of(path)
    rule = info.rule if info and info.rule else "schema"
    args: dict[str, Any] = {"field": field_text(path) or Msg("the document")}

    def make(
        message: str,
        at: tuple[str | int, ...] = path,
        rule: str = rule,
        missing: bool = False,
        **extra: Any,
    ) -> Problem:
        return Problem(rule, ERROR, doc.path, message, {**args, **extra}, at, None, missing)

    if name == "Required":
        prop = str(kind.property).strip('"')
        at = (*path, prop)
        field_info = index.of(at)
        rule_of = field_info.rule if field_info and field_info.rule else "schema"
        if field_info and field_info.title and field_info.title_en:
            about = Localised(field_info.title_en, field_info.title)
            if field_info.clause:
                about = Localised(
                    f"{about}, {field_info.clause}", f"{about.et}, {field_info.clause}"
                )
            yield make(
                N_("{field} is missing ({about})"),
                at,
                rule_of,
                missing=True,
                field=field_text(at),
                about=about,
            )
        else:
            yield make(N_("{field} is missing"), at, rule_of, missing=True, field=field_text(at))
    elif name == "AdditionalProperties":
        known = sorted(
            p[-1]
            for p in index.fields
            if len(p) == len(path) + 1 and schemas.to_pattern(path) == p[:-1] and p[-1] != "*"
        )
        for key in kind.unexpected:
            key = str(key)
            close = difflib.get_close_matches(key, known, n=1)
            at = (*path, key)
            if close:
                yield make(
                    N_("{field} is not a field here: did you mean {suggestion}?"),
                    at,
                    "schema",
                    field=field_text(at)[:80],
                    suggestion=close[0],
                )
            else:
                yield make(
                    N_("{field} is not a field here; the fields are: {known}"),
                    at,
                    "schema",
                    field=field_text(at)[:80],
                    known=", ".join(known),
                )
    elif name == "Type":
        expected = [TYPE_NAMES.get(str(t), str(t)) for t in kind.types]
        instance = error.instance
        if (
            "boolean" in kind.types
            and isinstance(instance, str)
            and instance.lower() in YAML_11_BOOLEANS
        ):
            yield make(
                N_("{field} must be true or false (YAML 1.2 reads yes, no, on and off as text)")
            )
        elif (
            "string" in kind.types
            and isinstance(instance, int | float)
            and not isinstance(instance, bool)
        ):
            yield make(N_("{field} must be text: put the value in quotes"))
        else:
            yield make(
                N_("{field} must be {expected}"),
                expected=" / ".join(expected) if len(expected) > 1 else expected[0],
            )
    elif name == "Enum":
        yield make(
            N_("{field} must be one of: {options}"), options=", ".join(str(o) for o in kind.options)
        )
    elif name == "Constant":
        yield make(N_("{field} must be {expected}"), expected=str(kind.expected_value))
    elif name == "Format":
        if kind.format == "date":  # written as a date, but no such day (2026-02-30)
            yield make(
                N_(
                    "{field} is not a real date: that month has no such day (written as "
                    "YYYY-MM-DD, e.g. 2026-03-01)"
                ),
                rule="I14",
            )
        elif kind.format == "email":
            yield make(N_("{field} is not an e-mail address"))
        else:
            yield make(N_("{field} is not in the {format} format"), format=str(kind.format))
    elif name == "Pattern":
        definition = info.definition if info else None
        if definition == "date":
            yield make(
                N_("{field} is not a real date: write it as YYYY-MM-DD, e.g. 2026-03-01"),
                rule="I14",
            )
        elif definition in PATTERN_HINTS:
            yield make(N_("{field} must be {what}"), what=PATTERN_HINTS[definition])
        else:
            yield make(N_("{field} does not have the expected form"))
    elif name == "MinItems":
        yield make(
            N_("{field} needs at least {limit} entries"), missing=True, limit=int(kind.limit)
        )
    elif name == "MinLength":
        yield make(N_("{field} is empty"), missing=True)
    elif name in ("Minimum", "ExclusiveMinimum"):
        yield make(N_("{field} must be at least {limit}"), limit=kind.limit)
    elif name in ("Maximum", "ExclusiveMaximum"):
        yield make(N_("{field} must be at most {limit}"), limit=kind.limit)
    elif name == "MaxItems":
        yield make(N_("{field} may have at most {limit} entries"), limit=kind.limit)
    elif name == "MaxLength":
        yield make(N_("{field} is longer than {limit} characters"), limit=kind.limit)
    elif name == "UniqueItems":
        yield make(N_("{field} lists the same entry twice"))
    else:
        yield make(N_("{field} does not have an allowed value"))


def text_problems(doc: Doc) -> Iterator[Problem]:
    """Control, bidirectional and zero-width characters in any key or value (they can hide
    or rewrite what a reader sees), and required text that is blank once whitespace and
    invisible characters go (``scope: "\\u200b"`` is no scope). Tab and newline belong only
    in free text (the shared ``text`` definition; a name is one line)."""
    from juhtum.output import safe_text

    index = schemas.field_index(doc.kind)

    def bad(char: str, at: tuple[str | int, ...], what: str) -> Problem:
        return Problem(
            "schema",
            ERROR,
            doc.path,
            what,
            {"field": field_text(at) or Msg("the document"), "char": safe_text.describe(char)},
            at,
        )

    def walk(node: Any, at: tuple[str | int, ...], depth: int) -> Iterator[Problem]:
        if depth > 64:  # the reader limits nesting; this only bounds the walk
            return
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*at, str(key))
                if isinstance(key, str) and (char := safe_text.forbidden(key)):
                    yield bad(
                        char,
                        here,
                        N_(
                            "{field}: this key holds the character {char}, which is invisible or "
                            "controls the terminal: type the key again"
                        ),
                    )
                    continue
                yield from walk(value, here, depth + 1)
        elif isinstance(node, list):
            for n, item in enumerate(node):
                yield from walk(item, (*at, n), depth + 1)
        elif isinstance(node, str):
            info = index.of(at)
            free = info is not None and info.definition == "text" and at[-1:] != ("name",)
            char = safe_text.forbidden(node, block=free)
            if char is not None:
                yield bad(
                    char,
                    at,
                    N_(
                        "{field} holds the character {char}, which is invisible "
                        "or controls the terminal: type the text again"
                    ),
                )
            elif (
                node
                and info is not None
                and info.definition == "text"
                and (safe_text.is_blank(node))
            ):
                yield Problem(
                    "schema",
                    ERROR,
                    doc.path,
                    N_("{field} is empty: it holds only spaces or invisible characters"),
                    {"field": field_text(at)},
                    at,
                    None,
                    True,
                )

    yield from walk(doc.data, (), 0)


def personal_code_problems(doc: Doc) -> Iterator[Problem]:
    """Checksum and birth date of a personal code held in clear (encrypted values are skipped)."""
    data = doc.fields
    code = data.get("personal_code")
    if not (isinstance(code, str) and len(code) == 11 and code.isdigit()):
        return  # absent, encrypted, or the schema's pattern reports it
    from juhtum.model import personal_code

    reason = personal_code.problem(code)
    if reason is not None:
        yield Problem(
            "schema",
            ERROR,
            doc.path,
            N_(
                "personal_code is not a valid personal code (isikukood): its {reason} does not "
                "check out"
            ),
            {"reason": Msg(reason)},
            ("personal_code",),
        )
        return
    born = data.get("birth_date")
    if isinstance(born, str) and born != personal_code.birth_date(code).isoformat():
        yield Problem(
            "schema",
            ERROR,
            doc.path,
            N_("birth_date does not match the birth date in personal_code"),
            {},
            ("birth_date",),
        )


# -- one case ----------------------------------------------------------------------------------


def read_case(repo: Repository, case_id: str, options: Options) -> tuple[list[Doc], list[Problem]]:
    """The documents of one case that parse, and every problem of the case."""
    settings = load_settings(repo, [])
    settings.services = check_services(repo, [])
    settings.specialists = check_specialists(repo, [])
    docs: list[Doc] = []
    problems = check_case(repo, case_id, settings, options, docs)
    return docs, problems


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


def check_case(
    repo: Repository,
    case_id: str,
    settings: Settings,
    options: Options,
    docs: list[Doc] | None = None,
) -> list[Problem]:
    """Every problem of one case; the documents read are appended to ``docs`` when given."""
    return check_files(read_case_files(repo, case_id), settings, options, docs)


def check_files(
    case_files: CaseFiles,
    settings: Settings,
    options: Options,
    docs: list[Doc] | None = None,
) -> list[Problem]:
    """Every problem of a case given as file contents (read, or proposed by a change)."""
    prefix = case_files.prefix
    problems = list(case_files.problems)
    docs = [] if docs is None else docs
    sources: dict[str, Source] = {}
    for name, raw in case_files.files.items():
        path = f"{prefix}/{name}"
        parts = tuple(name.split("/"))
        kind = kind_in_case(parts)
        if kind is None:
            continue
        if kind == "person" and not ids.is_handle(parts[1].removesuffix(SUFFIX)):
            problems.append(
                Problem(
                    "file",
                    ERROR,
                    path,
                    N_(
                        "a person's file is named by their handle: a lowercase letter, then "
                        "lowercase letters, digits or hyphens (people/<handle>.yaml)"
                    ),
                    {},
                )
            )
            continue
        sources[path] = Source(raw)
        doc, found = parse(raw, path, name, kind)
        problems.extend(found)
        if doc is None:
            continue
        docs.append(doc)
        problems.extend(schema_problems(doc))
        problems.extend(text_problems(doc))
        if doc.kind == "person":
            problems.extend(personal_code_problems(doc))
    if not any(d.kind == "case" for d in docs) and not any(
        p.file == f"{prefix}/{CASE_FILE}" for p in problems
    ):
        problems.append(
            Problem(
                "file", ERROR, f"{prefix}/{CASE_FILE}", N_("this case folder has no case.yaml"), {}
            )
        )
    case = Case(case_files.case_id, prefix, docs)
    from juhtum.model import invariants

    context = invariants.Context(options.today, settings, schemas.field_index, options.legal)
    problems.extend(_not_as_absent(invariants.check(case, context), problems))
    if case_files.locked:
        from juhtum.crypto.locked import not_run

        problems = not_run(problems, case_files)  # what needs plaintext, said to be not run
    drafts = {f"{prefix}/{n}" for n in invariants.draft_names(case)}
    data = {d.path: d.data for d in docs}
    return labelled(_finish(problems, drafts, sources), data)


_ABSENT = frozenset(
    {
        "{document} is missing: a case in {stage} has been through that stage",
        "write {document} ({clause})",
    }
)


def _not_as_absent(found: Iterable[Problem], read: list[Problem]) -> Iterator[Problem]:
    """The case's problems less those calling a document missing that is there but cannot be
    read: its own error says so, and "write plan.yaml" would send the user the wrong way."""
    unreadable = {p.file for p in read if p.rule in ("yaml", "file") and p.severity == ERROR}
    for p in found:
        if not (p.rule == "stage" and p.file in unreadable and p.message in _ABSENT):
            yield p


def _finish(
    problems: Iterable[Problem], drafts: set[str], sources: dict[str, Source]
) -> list[Problem]:
    out = []
    for p in problems:
        if p.missing and p.file in drafts and p.severity == ERROR:
            p = p.as_todo()
        if p.line is None and p.file in sources:
            p = p.with_line(sources[p.file].line_of(p.field, p.file))
        out.append(p)
    return out


# -- the repository ----------------------------------------------------------------------------


def load_settings(repo: Repository, problems: list[Problem]) -> Settings:
    """``juhtum.yaml`` as settings, its problems added to ``problems``."""
    doc, source, found = read(repo.config_path, REPOSITORY_FILE, "juhtum")
    found = list(found)
    settings = Settings()
    if doc is not None:
        found.extend(schema_problems(doc))
        found.extend(text_problems(doc))
        data = doc.fields
        period = data.get("review_period_months")
        if isinstance(period, int) and not isinstance(period, bool) and 1 <= period <= 12:
            settings.review_period_months = period
        gap = data.get("monitoring_gap_days")
        if isinstance(gap, int) and not isinstance(gap, bool) and gap >= 1:
            settings.monitoring_gap_days = gap
        settings.organisation = as_dict(data.get("organisation"))
    problems.extend(_finish(found, set(), {REPOSITORY_FILE: source} if source else {}))
    return settings


def check_services(repo: Repository, problems: list[Problem]) -> frozenset[str]:
    found: list[Problem] = []
    sources: dict[str, Source] = {}
    names = set()
    for path in repo.service_files():
        name = f"{SERVICES_DIR}/{path.name}"
        entry_id = path.name.removesuffix(SUFFIX)
        if path.is_symlink():
            found.append(_symlink(name))
            continue
        if not ids.is_case_id(entry_id):
            found.append(
                Problem(
                    "file",
                    ERROR,
                    name,
                    N_(
                        "a catalogue entry's file name is its id: lowercase letters, digits and single "
                        "hyphens"
                    ),
                    {},
                )
            )
            continue
        doc, source, read_problems = read(path, name, "service")
        found.extend(read_problems)
        if source:
            sources[name] = source
        if doc is not None:
            found.extend(schema_problems(doc))
            found.extend(text_problems(doc))
            names.add(entry_id)
    problems.extend(_finish(found, set(), sources))
    return frozenset(names)


def check_specialists(repo: Repository, problems: list[Problem]) -> frozenset[str]:
    """The specialists' files (``specialists/<handle>.yaml``) against their schema; returns
    the handles registered."""
    from juhtum import specialists

    found: list[Problem] = []
    sources: dict[str, Source] = {}
    registered = set()
    for path in specialists.files(repo.root):
        handle = path.name.removesuffix(SUFFIX)
        name = f"{SPECIALISTS_DIR}/{path.name}"
        if not ids.is_handle(handle):
            found.append(
                Problem(
                    "file",
                    ERROR,
                    name,
                    N_(
                        "a specialist's file is named by their handle: a lowercase letter, "
                        "then lowercase letters, digits or hyphens (specialists/<handle>.yaml)"
                    ),
                    {},
                )
            )
            continue
        doc, source, read_problems = read(path, name, "specialist")
        found.extend(read_problems)
        if source:
            sources[name] = source
        if doc is None:
            continue
        found.extend(schema_problems(doc))
        written = doc.get("handle")
        if isinstance(written, str) and written != handle:
            found.append(
                Problem(
                    "I17",
                    ERROR,
                    name,
                    N_("the handle {written} does not match the file's name {handle}"),
                    {"written": written, "handle": handle},
                    ("handle",),
                )
            )
        registered.add(handle)
    problems.extend(_finish(found, set(), sources))
    return frozenset(registered)


REPOSITORY_LEVEL = (REPOSITORY_FILE, SERVICES_DIR, SPECIALISTS_DIR)
"""What every case depends on: a change to any of these checks every case again."""


def cases_for_paths(repo: Repository, paths: Iterable[Path]) -> tuple[list[str], bool]:
    """The cases holding ``paths`` (files or folders), and whether the repository-level
    documents (juhtum.yaml, services/) are among them or the repository itself is."""
    found: dict[str, None] = {}
    repository_level = False
    for given in paths:
        path = given.resolve()
        if not given.is_absolute() and not path.exists() and (repo.root / given).exists():
            path = (repo.root / given).resolve()  # named from the repository's root
        try:
            parts = path.relative_to(repo.root).parts
        except ValueError:
            raise UsageError(
                N_("{path} is outside the case repository {root}"),
                path=str(given),
                root=str(repo.root),
            ) from None
        if not parts or parts[0] in REPOSITORY_LEVEL:
            repository_level = True
            if not parts:
                found.update(dict.fromkeys(repo.case_ids()))
            continue
        if parts[0] == CASES_DIR:
            if len(parts) == 1:
                found.update(dict.fromkeys(repo.case_ids()))
            else:
                found[ids.check_case_id(parts[1])] = None
    return list(found), repository_level


def cases_changed_since(repo: Repository, rev: str) -> list[str] | None:
    """The cases whose files changed since ``rev`` (see history.changed_since), or None
    when juhtum.yaml or the service catalogue did: every case depends on those."""
    from juhtum import history

    found: dict[str, None] = {}
    for path in history.changed_since(repo.root, rev):
        parts = path.split("/")
        if parts[0] in REPOSITORY_LEVEL:
            return None
        in_case = parts[0] == CASES_DIR and len(parts) >= 3 and ids.is_case_id(parts[1])
        if in_case and repo.case_dir(parts[1]).is_dir():  # a removed case: nothing to check
            found[parts[1]] = None
    return list(found)


def append_only_problems(repo: Repository, rev: str) -> list[Problem]:
    """``validate --changed-since REV``: an error (rule ``append-only``) for each record the
    change from ``rev`` to the work tree takes back (see juhtum.appendonly): a deleted or
    rewritten monitoring entry, evaluation, meeting, handover or follow-up, a signature
    removed or altered, a case removed, unless ``juhtum erase`` erased it since ``rev``."""
    from juhtum import appendonly, erasure, history

    root = repo.root
    if rev.startswith("-"):
        raise UsageError(N_("{rev} is not a revision"), rev=rev)

    def before(path: str) -> bytes | None:
        return history.content_at(root, rev, path)

    def after(path: str) -> bytes | None:
        try:
            return storage.read_document(root / path)
        except FileNotFoundError:
            return None
        except (OSError, storage.TooLarge):
            return b""  # what cannot be read (a symlink, too large) is not the record

    def erased(case_ids: set[str]) -> set[str]:
        found = history.erasures(root, ["HEAD"], [rev])
        return {c for c, reason in found.items() if c in case_ids and reason in erasure.REASONS}

    messages = {
        appendonly.CASE_REMOVED: N_(
            "case {id} is removed since {rev}, and not by juhtum erase: cases are kept "
            "(restore it with git checkout {rev} -- {folder}, or erase it with juhtum erase "
            "{id} --reason R)"
        ),
        appendonly.REMOVED: N_(
            "the record is deleted since {rev}: monitoring entries, evaluations, meetings, "
            "handovers and follow-ups are append-only (restore it with git checkout {rev} -- "
            "{file})"
        ),
        appendonly.CHANGED: N_(
            "the record is rewritten since {rev}: monitoring entries, evaluations, meetings, "
            "handovers and follow-ups are append-only, a correction is a new entry (restore it "
            "with git checkout {rev} -- {file})"
        ),
        appendonly.SIGNATURE: N_(
            "the signature of {party} is removed or altered since {rev}: a signature given "
            "stays (restore it from git show {rev}:{file})"
        ),
    }
    found = appendonly.breaches(history.changes_between(root, rev), before, after, erased=erased)
    return [
        Problem(
            appendonly.RULE,
            ERROR,
            b.path,
            messages[b.what],
            {
                "id": b.case_id,
                "rev": rev,
                "file": b.path,
                "folder": f"{CASES_DIR}/{b.case_id}",
                "party": b.party,
            },
            ("signatures",) if b.what == appendonly.SIGNATURE else (),
        )
        for b in found
    ]


def validate(
    repo: Repository,
    options: Options,
    *,
    case_ids: list[str] | None = None,
    repository_level: bool = True,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Result:
    """Check the repository (or only ``case_ids``) and return every problem found."""
    result = Result()
    problems = result.problems
    whole = case_ids is None and repository_level  # the full run: kept whole when it can be
    with cache_of(repo, use_cache) as kept:
        if kept:
            kept.start_git()  # git answers while juhtum.yaml and the rows are read
        settings, found = repository_checks(repo, kept)
        if repository_level:
            problems.extend(found)
            problems.extend(tracked_local_state(repo))
        if repository_level and options.legal:
            from juhtum.model.invariants.legal import legal_repository

            problems.extend(_finish(legal_repository(settings, REPOSITORY_FILE), set(), {}))
        if case_ids is None:
            case_ids = repo.case_ids()
        if repository_level:  # --changed-since too: a new stray folder must fail CI
            problems.extend(stray_case_problems(repo))
            from juhtum.lifecycle import related_problems

            problems.extend(related_problems(repo, case_ids))  # links between cases (I17)
        today = options.today.isoformat()
        digest = ids_digest = None
        if kept and whole:
            digest = kept.cases_as_committed()
            ids_digest = _digest(case_ids)
        if kept and digest:
            with bulk():
                saved = kept.whole_run(digest, today)
            if saved is not None and saved.get("ids") == ids_digest:
                result.cases = result.cached = saved["cases"]
                result.unlisted_todos += _take(options, saved["problems"], problems)
                result.problems.sort(key=lambda p: (p.file, p.line or 0, p.rule))
                return result
        if kept:
            kept.preload(("problems",))
            kept.use_git()
        misses: list[str] = []  # just ids: each is listed where it is read (memory stays flat)
        cases_dir = repo.cases_dir
        bounds: list[tuple[str | None, str | None]] = []
        for case_id in case_ids:
            vouched = kept is not None and kept.clean_tree(case_id) is not None
            folder = None if vouched else cases_dir / ids.check_case_id(case_id)
            if folder is not None and (not folder.is_dir() or folder.is_symlink()):
                problems.append(
                    Problem(
                        "file",
                        ERROR,
                        f"{CASES_DIR}/{case_id}",
                        N_("there is no case folder here"),
                        {},
                    )
                )
                digest = None
                continue
            result.cases += 1
            entry = kept.get(case_id, None, today) if kept and vouched else None
            if entry is None and kept:
                listing = list_case(folder or cases_dir / ids.check_case_id(case_id))
                entry = kept.get(case_id, listing, today)
            if entry is not None and entry.problems is not None:
                result.cached += 1
                result.unlisted_todos += _take(options, entry.problems, problems)
                bounds.append((entry.lo, entry.hi))
            else:
                misses.append(case_id)
        for case_id, _listing, row in checked(repo, settings, options, misses, jobs=jobs):
            result.unlisted_todos += _take(options, row.problems or [], problems)
            bounds.append((row.lo, row.hi))
            if kept:
                row.tree = kept.clean_tree(case_id)  # read as committed: git can vouch next time
                kept.put(case_id, row)
        if kept and digest and set(case_ids) == set(kept.committed_cases()):
            los = [lo for lo, _ in bounds if lo]
            his = [hi for _, hi in bounds if hi]
            kept.put_whole_run(
                {
                    "digest": digest,
                    "ids": ids_digest,
                    "cases": result.cases,
                    "lo": max(los) if los else None,
                    "hi": min(his) if his else None,
                },
                case_ids,
            )
        if kept:
            kept.commit()
    result.problems.sort(key=lambda p: (p.file, p.line or 0, p.rule))
    return result


def tracked_local_state(repo: Repository) -> list[Problem]:
    """Files git tracks under ``.juhtum/`` besides the schema copies: local state (journal,
    cache, lock, drafts) is bound to its clone and never shared; committed, it is ignored
    by every clone and is an error here. A ``.juhtum`` that is a symlink is one too."""
    from juhtum import history
    from juhtum.storage import STATE_DIR

    found = []
    if repo.state_dir.is_symlink():
        found.append(STATE_DIR)
    elif history.in_git(repo.root):
        found = [
            p
            for p in history.tracked(repo.root, STATE_DIR)
            if not p.startswith(f"{STATE_DIR}/schemas/")
        ]
    problems = [
        Problem(
            "file",
            ERROR,
            path,
            N_(
                "juhtum's local state is committed here: {path} belongs to one clone and is "
                "never shared (remove it with git rm --cached, and keep .juhtum/ in .gitignore)"
            ),
            {"path": path},
        )
        for path in found
    ]
    for folder in (repo.cases_dir, repo.services_dir):  # never followed: nothing in it is read
        if folder.is_symlink():
            problems.append(
                Problem(
                    "file",
                    ERROR,
                    folder.name,
                    N_("{path} is a symbolic link: juhtum never follows one; commit the folder"),
                    {"path": folder.name},
                )
            )
    return problems


def stray_case_problems(repo: Repository) -> list[Problem]:
    """An error for every entry of ``cases/`` that is no case folder: no command reads its
    documents, so a warning would let a case go unchecked (cases/Rt-Case, a Cyrillic letter)."""
    return [
        Problem(
            "file",
            ERROR,
            f"{CASES_DIR}/{stray}",
            N_(
                "this is not a case folder: a case folder is named by a case id (lowercase "
                "letters a-z, digits and single hyphens), and nothing in it is checked or "
                "shown; rename it with git mv, or move it out of cases/"
            ),
            {},
        )
        for stray in repo.stray_case_entries()
    ]


def repository_checks(repo: Repository, kept: Cache | None) -> tuple[Settings, list[Problem]]:
    """juhtum.yaml and the service catalogue: their settings and problems (kept in the cache
    under the context, which holds both files' content)."""
    saved = kept.meta("repository") if kept else None
    if saved is not None:
        try:
            settings = Settings(
                review_period_months=saved["settings"]["review_period_months"],
                monitoring_gap_days=saved["settings"]["monitoring_gap_days"],
                organisation=saved["settings"]["organisation"],
                services=frozenset(saved["settings"]["services"]),
                specialists=frozenset(saved["settings"]["specialists"]),
            )
            return settings, [from_json(p) for p in saved["problems"]]
        except (KeyError, TypeError):
            pass  # a value we cannot read: checked anew
    found: list[Problem] = []
    settings = load_settings(repo, found)
    settings.services = check_services(repo, found)
    settings.specialists = check_specialists(repo, found)
    if kept:
        kept.set_meta(
            "repository",
            {
                "settings": {
                    "review_period_months": settings.review_period_months,
                    "monitoring_gap_days": settings.monitoring_gap_days,
                    "organisation": settings.organisation,
                    "services": sorted(settings.services),
                    "specialists": sorted(settings.specialists),  # handles only, no names
                },
                "problems": [to_json(p) for p in found],
            },
        )
        kept.commit()
    return settings, found


def _take(options: Options, kept: list[dict[str, Any]], into: list[Problem]) -> int:
    """Kept problems (JSON) into ``into``: --legal's only when asked for, to-dos only when
    they are to be listed. Returns the to-dos counted but left out."""
    left_out = 0
    for data in kept:
        if data["rule"] == "I16" and not options.legal:
            continue
        if data["severity"] == TODO and not options.list_todos:
            left_out += 1
            continue
        into.append(from_json(data))
    return left_out


def _digest(case_ids: list[str]) -> str:
    return hashlib.sha256("\0".join(case_ids).encode()).hexdigest()


@contextmanager
def cache_of(repo: Repository, use: bool = True) -> Iterator[Cache | None]:
    """The repository's cache, or None where it cannot be kept (or is not wanted)."""
    if not use:
        yield None
        return
    with Cache(repo) as kept:
        yield kept if kept.db is not None else None


def today_bounds(docs: list[Doc], today: dt.date) -> tuple[str | None, str | None]:
    """The days a case's problems hold for: they depend on today only where a date that
    records the past lies in the future (I14)."""
    day = today.isoformat()
    dates = [
        value
        for doc in docs
        for pattern in schemas.field_index(doc.kind).past_dates
        for _, value in schemas.values_at(doc.data, pattern)
        if isinstance(value, str) and len(value) == 10
    ]
    past = [d for d in dates if d <= day]
    future = [d for d in dates if d > day]
    return (max(past) if past else None), (min(future) if future else None)


def check_one(
    repo: Repository, settings: Settings, today: dt.date, case_id: str, listing: Listing
) -> Row:
    """Everything the cache keeps of a case: its problems (--legal included), facts, bounds."""
    read_at = now_ns()
    case_files = read_case_files(repo, case_id)
    docs: list[Doc] = []
    found = check_files(case_files, settings, Options(today=today, legal=True), docs)
    case = Case(case_id, case_files.prefix, docs)
    lo, hi = today_bounds(docs, today)
    from juhtum.model.invariants.implementation import monitoring_gap_from

    gap = monitoring_gap_from(case, settings)
    if gap is not None and gap[1] > today:  # the monitoring gap warning starts on that day
        hi = min(hi or "9999-12-31", gap[1].isoformat())
    return Row(
        listing,
        file_hashes(case_files.files),
        read_at,
        lo,
        hi,
        problems=[to_json(p) for p in found],
        facts=extract_facts(case, settings, found),
    )


def extract_facts(
    case: Case, settings: Settings, problems: list[Problem] | None = None
) -> dict[str, Any]:
    from juhtum.model import facts

    return facts.extract(case, settings, facts.broken_documents(problems or [], case.folder))


_WORKER: dict[str, Any] = {}


def _listed_and_checked(
    repo: Repository, settings: Settings, today: dt.date, case_id: str
) -> tuple[str, Listing, Row]:
    """Stat the case's files, then read and check them (a change after the stat makes the
    row miss next time, as git's index does)."""
    listing = list_case(repo.cases_dir / ids.check_case_id(case_id))
    return case_id, listing, check_one(repo, settings, today, case_id, listing)


def _work(case_id: str) -> tuple[str, Listing, Row]:
    return _listed_and_checked(_WORKER["repo"], _WORKER["settings"], _WORKER["today"], case_id)


PARALLEL_FROM = 64
"""Check cases in several processes from this many on (each process costs its start-up)."""


def checked(
    repo: Repository,
    settings: Settings,
    options: Options,
    cases: list[str],
    *,
    jobs: int | None = None,
) -> Iterator[tuple[str, Listing, Row]]:
    """Check ``cases``, in parallel processes when there are many and the machine has cores;
    results stream in so that memory does not grow with the repository."""
    import multiprocessing
    import os

    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    methods = multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(cases) < PARALLEL_FROM or "fork" not in methods:
        for case_id in cases:
            yield _listed_and_checked(repo, settings, options.today, case_id)
        return
    _WORKER.update(repo=repo, settings=settings, today=options.today)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap_unordered(_work, cases, chunksize=16)


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
