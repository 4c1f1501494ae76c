"""A case as it is now, read and checked, and the cases a change would make of it: what a
:class:`juhtum.workflow.session.Session` proposes and checks before it writes."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from juhtum.check import case_problems, reading, repository_level
from juhtum.check.reading import CaseFiles
from juhtum.check.result import Options
from juhtum.documents import roundtrip, yamlio
from juhtum.errors import DocumentError
from juhtum.model import ids
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.documents import CASE_FILE, SUFFIX, kind_in_case
from juhtum.model.problems import ERROR, Problem
from juhtum.storage import Repository


def problem_key(p: Problem) -> tuple[Any, ...]:
    """What identifies a problem across two versions of a case (lines move; this does not)."""
    return (
        p.rule,
        p.file,
        p.field,
        p.message,
        tuple(sorted((k, str(v)) for k, v in p.args.items())),
    )


class Snapshot:
    """A case as it is now, read and checked, and the cases a change would make of it."""

    def __init__(self, repo: Repository, case_id: str, *, today: dt.date):
        self.repo = repo
        self.case_id = case_id
        self.today = today
        self.options = Options(today=today)
        self.register: dict[str, bytes] = {}
        """People to register with the change (handle -> their file), named in the editor."""
        self.agreed_by: list[str] = []
        """Providers who agreed to an announced plan change, named in the editor (§5.2)."""

    def load(self) -> Snapshot:
        self.repo.existing_case_dir(self.case_id)
        problems: list[Problem] = []
        self.settings = repository_level.load_settings(self.repo, problems)
        self.settings.services = repository_level.check_services(self.repo, problems)
        self.settings.specialists = repository_level.check_specialists(self.repo, problems)
        self.config = _config(self.repo)
        self.reload()
        return self

    def reload(self) -> None:
        """Read the case again; its documents are parsed, the whole-case check waits until
        something asks for :attr:`problems` (a write whose result has no error needs none)."""
        self._settle(reading.read_case_files(self.repo, self.case_id), None, None)

    def _settle(
        self, files: CaseFiles, problems: list[Problem] | None, docs: list[Doc] | None
    ) -> None:
        self.files = files
        self.docs: list[Doc] = docs if docs is not None else _parsed(files)
        self._problems = problems
        self._checked: tuple[CaseFiles, list[Problem], list[Doc]] | None = None
        self.case = Case(self.case_id, self.files.prefix, self.docs)

    @property
    def problems(self) -> list[Problem]:
        """Every problem the case has now (checked once, when first asked)."""
        if self._problems is None:
            self._problems = case_problems.check_files(self.files, self.settings, self.options)
        return self._problems

    @property
    def stage(self) -> str | None:
        return self.case.stage

    def text(self, name: str) -> str | None:
        data = self.files.files.get(name)
        return data.decode("utf-8") if data is not None else None

    def path(self, name: str) -> str:
        return f"{self.files.prefix}/{name}"

    @property
    def author(self) -> dict[str, str] | None:
        author = self.config.get("author")
        return author if isinstance(author, dict) else None

    def propose(
        self, changes: dict[str, bytes | None], *, case_fields: dict[str, Any] | None = None
    ) -> CaseFiles:
        """The case as it would be with ``changes`` (and case.yaml's fields set)."""
        changes = {
            **{
                f"people/{handle}.yaml": person
                for handle, person in self.register.items()
                if f"people/{handle}.yaml" not in self.files.files
            },
            **changes,
        }
        representatives = [
            handle
            for handle, person in self.register.items()
            if "representative" in _roles(person) and handle not in self.case.representatives
        ]
        if representatives and "representatives" not in (case_fields or {}):
            case_fields = {
                **(case_fields or {}),
                "representatives": [*self.case.representatives, *representatives],
            }
        if case_fields:
            current = changes.get(CASE_FILE) or self.files.files.get(CASE_FILE) or b""
            changes[CASE_FILE] = roundtrip.set_fields(current.decode("utf-8"), case_fields).encode(
                "utf-8"
            )
        return self.files.with_files(changes)

    def check(self, proposed: CaseFiles) -> tuple[list[Problem], list[Problem]]:
        """The errors ``proposed`` brings that the case does not have now, and all its problems.

        ``proposed`` is checked once (asked again, the answer is remembered); the case as it is
        now is checked only when ``proposed`` has errors, to tell the new ones from the old."""
        if self._checked is not None and self._checked[0] is proposed:
            after = self._checked[1]
        else:
            docs: list[Doc] = []
            after = case_problems.check_files(proposed, self.settings, self.options, docs)
            self._checked = (proposed, after, docs)
        if not any(p.severity == ERROR for p in after):
            return [], after
        before = {problem_key(p) for p in self.problems if p.severity == ERROR}
        new = [p for p in after if p.severity == ERROR and problem_key(p) not in before]
        return new, after

    def case_of(self, proposed: CaseFiles) -> Case:
        if self._checked is not None and self._checked[0] is proposed:
            docs = self._checked[2]
        else:
            docs = _parsed(proposed)
        return Case(self.case_id, proposed.prefix, docs)

    def missing_for(self, target: str) -> list[Problem]:
        """What keeps the case from moving to ``target`` now (empty when it could)."""
        new, _after = self.check(self.propose({}, case_fields={"stage": target}))
        return new


def _roles(person: bytes) -> list[Any]:
    with contextlib.suppress(DocumentError):
        data = yamlio.loads(person, path="person").data
        if isinstance(data, dict) and isinstance(data.get("roles"), list):
            return list(data["roles"])
    return []


def _parsed(files: CaseFiles) -> list[Doc]:
    """The documents of a case that parse, as :func:`case_problems.check_files` would list them,
    without checking them."""
    docs = []
    for name, raw in files.files.items():
        parts = tuple(name.split("/"))
        kind = kind_in_case(parts)
        if kind is None or (kind == "person" and not ids.is_handle(parts[1].removesuffix(SUFFIX))):
            continue
        doc, _problems = reading.parse(raw, f"{files.prefix}/{name}", name, kind)
        if doc is not None:
            docs.append(doc)
    return docs


def _config(repo: Repository) -> dict[str, Any]:
    with contextlib.suppress(DocumentError, OSError):
        data = yamlio.load_file(repo.config_path, path="juhtum.yaml").data
        if isinstance(data, dict):
            return data
    return {}


def settings_for(repo: Repository) -> Settings:
    problems: list[Problem] = []
    settings = repository_level.load_settings(repo, problems)
    settings.services = repository_level.check_services(repo, problems)
    settings.specialists = repository_level.check_specialists(repo, problems)
    return settings
