"""Erasing a case: the one documented way a case leaves the repository (``juhtum erase``).

Records are append-only (:mod:`juhtum.appendonly`): ``sync`` and ``validate
--changed-since`` refuse a change that removes a case. The law still asks for
erasure: when the retention period is over, when the person asks (GDPR art. 17,
where no legal duty to keep the record applies), or when the case was opened in
error (a wrong person, a duplicate). ``juhtum erase ID --reason R`` removes the
case folder in one commit whose message says so in trailers::

    <id>: erase (<reason>)

    Case: <id>
    Stage: erase
    Erasure-Reason: <reason>

Sync and ``--changed-since`` accept the removal of a case made by such a commit.
The commit removes the case from the current version only: git's history, other
clones and the remote keep it until they are purged (see :func:`remains`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from juhtum import history, storage
from juhtum.errors import UsageError, UserError
from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.documents import CASE_FILE, CASES_DIR
from juhtum.storage import Repository

RETENTION_OVER: Final = "retention-over"
DATA_SUBJECT_REQUEST: Final = "data-subject-request"
RECORDED_IN_ERROR: Final = "recorded-in-error"

REASONS: Final = {
    RETENTION_OVER: N_("the retention period of the closed case is over"),
    DATA_SUBJECT_REQUEST: N_("the person asked for their data to be erased (GDPR art. 17)"),
    RECORDED_IN_ERROR: N_("the case was opened in error (a wrong person, a duplicate)"),
}
"""The reasons an erasure may have, each with what it means."""


@dataclass
class Erased:
    case_id: str
    reason: str
    commit: str
    folder: str


def erase(
    repo: Repository,
    case_id: str,
    reason: str,
    *,
    author: dict[str, str] | None = None,
    date: str | None = None,
) -> Erased:
    """Remove case ``case_id`` in one erasure commit; see the module's docstring."""
    if reason not in REASONS:
        raise UsageError(
            N_("{reason} is no reason for an erasure: use one of {reasons}"),
            reason=reason,
            reasons=", ".join(REASONS),
        )
    folder = repo.existing_case_dir(case_id)
    relative = f"{CASES_DIR}/{case_id}"
    if not history.in_git(repo.root):
        raise UserError(
            N_(
                "this case repository is not in git: an erasure is recorded as a git commit. "
                "Remove the folder {folder} yourself"
            ),
            folder=relative,
        )
    if reason == RETENTION_OVER:
        stage = _stage(folder / CASE_FILE)
        if stage not in stages.TERMINAL:
            raise UserError(
                N_(
                    "case {id} has not ended (it is in {stage}): its retention period runs from "
                    "its end. For another reason, choose it with --reason"
                ),
                id=case_id,
                stage=stage or "?",
            )
    with storage.Lock(repo):
        waiting = history.uncommitted(repo.root, relative)
        if waiting:
            raise UserError(
                N_(
                    "case {id} has changes nobody committed: {files}. Commit or discard them "
                    "first, so the erasure is the whole case as git knows it"
                ),
                id=case_id,
                files=", ".join(waiting),
            )
        history.check_identity(repo.root, author)
        commit = history.commit_erasure(
            repo.root, relative, case_id=case_id, reason=reason, author=author, date=date
        )
        for leftover in _local_copies(repo, case_id):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.is_file() or leftover.is_symlink():
                leftover.unlink(missing_ok=True)
    return Erased(case_id, reason, commit, relative)


def _local_copies(repo: Repository, case_id: str) -> list[Path]:
    """What this clone keeps of a case outside git: files git ignores in its folder, and
    juhtum's own copies under .juhtum/ (a stopped sync's versions, rejected text, what
    --force replaced). The editor's work files (.juhtum/edit/<id>-<document>) are left:
    their names do not tell case ``a-1`` from ``a-1-b`` for certain."""
    state = repo.state_dir
    found = [repo.cases_dir / case_id, state / "sync" / CASES_DIR / case_id]
    found.append(state / "rejected" / case_id)
    if (state / "overwritten").is_dir():
        found.extend(stamp / CASES_DIR / case_id for stamp in (state / "overwritten").iterdir())
    return found


def _stage(path: Path) -> str | None:
    from juhtum.documents import yamlio

    try:
        data = yamlio.loads(storage.read_document(path), path=CASE_FILE).data
    except (OSError, storage.TooLarge, UserError):
        return None
    stage = data.get("stage") if isinstance(data, dict) else None
    return stage if isinstance(stage, str) else None
