"""Making changes to a case: the one path every writing command takes.

A :class:`Session` holds the repository lock for one command on one case, except
while a person types in an editor (:meth:`Session.unlocked`: the case is read again
after, and what they wrote is checked against it as it has become). On
opening it completes or rolls back a change a crash interrupted, removes
leftover temporary files, and (in git) refuses to run over changes in the case
folder that nobody committed, unless forced. A command then *proposes* new
file contents; the session checks the case as it would be, and refuses when
that brings errors the case does not have now (the transition checks of the
guideline are exactly this: in the new state the documents behind it must be
complete). An accepted proposal is written through the journal and committed.

The whole case is checked once per write: its proposal. The case as it was is
checked only when the proposal has errors or warnings, to tell the new ones
from those it had (parsing alone gives the state and documents a command needs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from juhtum import history, journal, storage
from juhtum.check.reading import CaseFiles
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.journal import Change, Recovery, Write
from juhtum.model.documents import CASES_DIR
from juhtum.model.problems import TODO, WARNING, Problem
from juhtum.storage import Repository
from juhtum.workflow.snapshot import Snapshot, problem_key


class Refused(UserError):
    """A change the checks refuse: the problems say what is missing and which § asks for it."""

    def __init__(self, message: str, /, problems: list[Problem], **args: Any) -> None:
        super().__init__(message, **args)
        self.problems = problems

    def render(self) -> str:
        from juhtum.output.reporters import message

        lines = [super().render() + ":"]
        for p in self.problems:
            where = p.file + (f":{p.line}" if p.line else "")
            lines.append(f"  {where}: [{p.rule}] {message(p)}")
        return "\n".join(lines)


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
        self.changed_meanwhile = False
        """The case changed (another command wrote it) while :meth:`unlocked`."""
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

    @contextlib.contextmanager
    def unlocked(self) -> Iterator[None]:
        """Let other commands write while a person types (an editor may stay open for hours).

        On leaving, the lock is taken again and the case read again as it is then: a change
        interrupted meanwhile is recovered, the case folder is checked for changes nobody
        committed, and :attr:`changed_meanwhile` says whether another command changed the
        case, so that what the person wrote is checked against the case as it is now."""
        before = dict(self.files.files)
        self._lock.__exit__(None, None, None)
        try:
            yield
        finally:
            self._lock.__enter__()
        self._open()
        self.changed_meanwhile = self.changed_meanwhile or before != self.files.files

    def _open(self) -> None:
        from juhtum.crypto.repository import OPEN, set_mode

        set_mode(OPEN)  # a change needs the case's plaintext (an encrypted case: its key)
        self.recovered += journal.recover(self.repo)
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
        warned = (
            {problem_key(p) for p in self.problems if p.severity == WARNING}
            if any(p.severity == WARNING for p in after)
            else set()
        )
        added = [h for h in self.register if f"people/{h}.yaml" in changed]
        if added:
            step += "; people: add " + ", ".join(added)
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
        docs = self._checked[2] if self._checked and self._checked[0] is proposed else None
        self._settle(proposed, after, docs)  # what was written is what was checked
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


def _shell_quoted(text: str) -> str:
    """``text`` as a shell word, so that a command in a message can be copied as it is."""
    import shlex

    return shlex.quote(text)
