"""Every problem of one case: its documents, the invariants, its stage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from juhtum.check.fields import personal_code_problems, schema_problems, text_problems
from juhtum.check.reading import CaseFiles, Source, _finish, parse, read_case_files
from juhtum.check.repository_level import check_services, check_specialists, load_settings
from juhtum.check.result import Options
from juhtum.documents import schemas
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.documents import CASE_FILE, SUFFIX, kind_in_case
from juhtum.model.problems import ERROR, Problem, labelled
from juhtum.storage import Repository


def read_case(repo: Repository, case_id: str, options: Options) -> tuple[list[Doc], list[Problem]]:
    """The documents of one case that parse, and every problem of the case."""
    settings = load_settings(repo, [])
    settings.services = check_services(repo, [])
    settings.specialists = check_specialists(repo, [])
    docs: list[Doc] = []
    problems = check_case(repo, case_id, settings, options, docs)
    return docs, problems


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
    case, problems = check_parsed(case_files, settings, options)
    if docs is not None:
        docs.extend(case.docs)
    return problems


def check_parsed(
    case_files: CaseFiles, settings: Settings, options: Options
) -> tuple[Case, list[Problem]]:
    """The case as parsed (what facts are drawn from: its memo, the plan's hash among it,
    made once) and every problem of it. A to-do gets its line only when to-dos are listed
    (``options.list_todos``): finding a line parses the document again."""
    prefix = case_files.prefix
    problems = list(case_files.problems)
    docs: list[Doc] = []
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
    return case, labelled(_finish(problems, drafts, sources, options.list_todos), data)


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
