"""Making changes to a case: the one path every writing command takes.

A :class:`Session` holds the repository lock for one command on one case. On
opening it completes or rolls back a change a crash interrupted, removes
leftover temporary files, and (in git) refuses to run over changes in the case
folder that nobody committed, unless forced. A command then *proposes* new
file contents; the session checks the case as it would be, and refuses when
that brings errors the case does not have now (the transition checks of the
guideline are exactly this: in the new state the documents behind it must be
complete). An accepted proposal is written through the journal and committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from juhtum import history, journal, roundtrip, storage, validation, yamlio
from juhtum.errors import DocumentError, UserError
from juhtum.i18n import N_
from juhtum.journal import Change, Recovery, Write
from juhtum.model.case import Case, Doc, Settings
from juhtum.model.documents import CASE_FILE, CASES_DIR
from juhtum.model.problems import ERROR, TODO, WARNING, Problem
from juhtum.storage import Repository
from juhtum.validation import CaseFiles, Options


class Refused(UserError):
    """A change the checks refuse: the problems say what is missing and which § asks for it."""

    def __init__(self, message: str, /, problems: list[Problem], **args: Any) -> None:
        super().__init__(message, **args)
        self.problems = problems

    def render(self) -> str:
        from juhtum.render import message

        lines = [super().render() + ":"]
        for p in self.problems:
            where = p.file + (f":{p.line}" if p.line else "")
            lines.append(f"  {where}: [{p.rule}] {message(p)}")
        return "\n".join(lines)


def problem_key(p: Problem) -> tuple[Any, ...]:
    """What identifies a problem across two versions of a case (lines move; this does not)."""
    return (
        p.rule,
        p.file,
        p.field,
        p.message,
        tuple(sorted((k, str(v)) for k, v in p.args.items())),
    )


@dataclass
class Outcome:
    case_id: str
    step: str
    stage_before: str | None
    stage_after: str | None
    written: list[str] = field(default_factory=list)
    commit: str | None = None
    todos: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Messages ids with arguments, already rendered, that the command should show."""


class Snapshot:
    """A case as it is now, read and checked, and the cases a change would make of it."""

    def __init__(self, repo: Repository, case_id: str, *, today: dt.date):
        self.repo = repo
        self.case_id = case_id
        self.today = today
        self.options = Options(today=today)

    def load(self) -> Snapshot:
        self.repo.existing_case_dir(self.case_id)
        problems: list[Problem] = []
        self.settings = validation.load_settings(self.repo, problems)
        self.settings.services = validation.check_services(self.repo, problems)
        self.settings.specialists = validation.check_specialists(self.repo, problems)
        self.config = _config(self.repo)
        self.reload()
        return self

    def reload(self) -> None:
        self.files = validation.read_case_files(self.repo, self.case_id)
        self.docs: list[Doc] = []
        self.problems = validation.check_files(self.files, self.settings, self.options, self.docs)
        self.case = Case(self.case_id, self.files.prefix, self.docs)

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
        changes = dict(changes)
        if case_fields:
            current = changes.get(CASE_FILE) or self.files.files.get(CASE_FILE) or b""
            changes[CASE_FILE] = roundtrip.set_fields(current.decode("utf-8"), case_fields).encode(
                "utf-8"
            )
        return self.files.with_files(changes)

    def check(self, proposed: CaseFiles) -> tuple[list[Problem], list[Problem]]:
        """The errors ``proposed`` brings that the case does not have now, and all its problems."""
        after = validation.check_files(proposed, self.settings, self.options)
        before = {problem_key(p) for p in self.problems if p.severity == ERROR}
        new = [p for p in after if p.severity == ERROR and problem_key(p) not in before]
        return new, after

    def case_of(self, proposed: CaseFiles) -> Case:
        docs: list[Doc] = []
        validation.check_files(proposed, self.settings, self.options, docs)
        return Case(self.case_id, proposed.prefix, docs)

    def missing_for(self, target: str) -> list[Problem]:
        """What keeps the case from moving to ``target`` now (empty when it could)."""
        new, _after = self.check(self.propose({}, case_fields={"stage": target}))
        return new


class Session(Snapshot):
    """One writing command on one case, holding the repository lock."""

    def __init__(
        self,
        repo: Repository,
        case_id: str,
        *,
        today: dt.date,
        force: bool = False,
        commit_date: str | None = None,
    ):
        super().__init__(repo, case_id, today=today)
        self.force = force
        self.commit_date = commit_date
        """The date commits carry, when not now (a date given with --today)."""
        self.recovered: list[Recovery] = []
        self.foreign: list[str] = []
        self._lock = storage.Lock(repo)

    # -- opening --------------------------------------------------------------------------

    def __enter__(self) -> Session:
        self._lock.__enter__()
        try:
            self._open()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)

    def _open(self) -> None:
        self.recovered = journal.recover(self.repo)
        folder = self.repo.existing_case_dir(self.case_id)
        storage.clean_temporary(folder)
        self.git = history.in_git(self.repo.root)
        if self.git:
            self.foreign = history.uncommitted(self.repo.root, f"{CASES_DIR}/{self.case_id}")
            if self.foreign and not self.force:
                raise UserError(
                    N_(
                        "case {id} has changes nobody committed: {files}. Commit them first "
                        "(git add and git commit): cd {root} && git add {paths} && git commit "
                        '-m "{id}: changes made by hand", or run the command again with --force'
                    ),
                    id=self.case_id,
                    files=", ".join(self.foreign),
                    root=_shell_quoted(str(self.repo.root)),
                    paths=" ".join(_shell_quoted(p) for p in self.foreign),
                )
        self.load()

    def apply(
        self,
        proposed: CaseFiles,
        *,
        step: str,
        refusal: str = N_("the change is refused: it would leave these errors"),
        **refusal_args: Any,
    ) -> Outcome:
        """Check ``proposed`` and, if it brings no new error, write and commit it."""
        new, after = self.check(proposed)
        if new:
            raise Refused(refusal, new, **refusal_args)
        changed = {
            name: data
            for name, data in proposed.files.items()
            if self.files.files.get(name) != data
        }
        removed = [name for name in self.files.files if name not in proposed.files]
        if not changed and not removed:
            raise UserError(N_("nothing changed in case {id}"), id=self.case_id)
        stage_before = self.stage
        stage_after = self.case_of(proposed).stage
        warned = {problem_key(p) for p in self.problems if p.severity == WARNING}
        writes = [Write(self.path(n), d) for n, d in changed.items()]
        writes += [Write(self.path(n), None) for n in removed]
        if self.force and self.foreign:
            self._keep_overwritten([w.path for w in writes if w.path in self.foreign])
        commit = journal.apply(
            self.repo,
            Change(
                self.case_id,
                step,
                stage_after or "-",
                writes,
                author=self.author,
                date=self.commit_date,
            ),
        )
        outcome = Outcome(
            self.case_id,
            step,
            stage_before,
            stage_after,
            written=[w.path for w in writes],
            commit=commit,
            todos=[p for p in after if p.severity == TODO],
            warnings=[p for p in after if p.severity == WARNING and problem_key(p) not in warned],
        )
        self.reload()
        return outcome

    def _keep_overwritten(self, paths: list[str]) -> None:
        """With --force, what we replace of someone's uncommitted work is kept aside."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        for path in paths:
            source = self.repo.root / path
            if source.is_file():
                target = self.repo.state_dir / "overwritten" / stamp / path
                storage.make_dirs(target.parent)
                storage.write_atomic(target, source.read_bytes())


def _config(repo: Repository) -> dict[str, Any]:
    with contextlib.suppress(DocumentError, OSError):
        data = yamlio.load_file(repo.config_path, path="juhtum.yaml").data
        if isinstance(data, dict):
            return data
    return {}


@contextlib.contextmanager
def session(
    repo: Repository,
    case_id: str,
    *,
    today: dt.date,
    force: bool = False,
    commit_date: str | None = None,
) -> Iterator[Session]:
    with Session(repo, case_id, today=today, force=force, commit_date=commit_date) as s:
        yield s


def settings_for(repo: Repository) -> Settings:
    problems: list[Problem] = []
    settings = validation.load_settings(repo, problems)
    settings.services = validation.check_services(repo, problems)
    settings.specialists = validation.check_specialists(repo, problems)
    return settings


def _shell_quoted(text: str) -> str:
    """``text`` as a shell word, so that a command in a message can be copied as it is."""
    import shlex

    return shlex.quote(text)
