"""What every case depends on: juhtum.yaml, the service catalogue and the specialists, and
the repository's own problems (local state committed, stray case folders)."""

from __future__ import annotations

from pathlib import Path

from juhtum.check.cache import Cache
from juhtum.check.fields import schema_problems, text_problems
from juhtum.check.reading import Source, _finish, _symlink, read
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.case import Doc, Settings, as_dict
from juhtum.model.documents import (
    CASES_DIR,
    REPOSITORY_FILE,
    SERVICES_DIR,
    SPECIALISTS_DIR,
    SUFFIX,
)
from juhtum.model.problems import ERROR, Problem, from_json, to_json
from juhtum.storage import Repository


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
                _misnamed(
                    name,
                    N_(
                        "a catalogue entry's file name is its id: lowercase letters, digits and single "
                        "hyphens"
                    ),
                )
            )
            continue
        doc = _read_entry(path, name, "service", found, sources)
        if doc is not None:
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
                _misnamed(
                    name,
                    N_(
                        "a specialist's file is named by their handle: a lowercase letter, "
                        "then lowercase letters, digits or hyphens (specialists/<handle>.yaml)"
                    ),
                )
            )
            continue
        doc = _read_entry(path, name, "specialist", found, sources)
        if doc is None:
            continue
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


def _misnamed(name: str, message: str) -> Problem:
    """A file of services/ or specialists/ whose name is not the id it must be."""
    return Problem("file", ERROR, name, message, {})


def _read_entry(
    path: Path, name: str, kind: str, found: list[Problem], sources: dict[str, Source]
) -> Doc | None:
    """One file of services/ or specialists/ read and checked against its schema; its
    problems go into ``found``, its text into ``sources``."""
    doc, source, read_problems = read(path, name, kind)
    found.extend(read_problems)
    if source:
        sources[name] = source
    if doc is not None:
        found.extend(schema_problems(doc))
    return doc


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
