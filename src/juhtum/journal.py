"""Changes that write several files, made all or nothing: a write-ahead journal.

Every change juhtum makes to a case goes through here, one file or several
(a handover writes the handover, the new person and case.yaml; a plan change
writes the plan and its announcement). The steps:

1. the new contents are saved under ``.juhtum/journal/<id>/`` and fsynced;
2. ``manifest.json`` is written atomically: from this moment the change is
   decided, and a crash can only delay it;
3. each file is put in place atomically;
4. in git, the files are committed as one commit;
5. the journal folder is removed.

A command that starts under the repository lock first looks for journals left
by a crash: one without a manifest is rolled back (nothing of it reached the
case), one with a manifest is completed (the files written again where they
differ, then committed if git does not have them yet). Either way it says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum import history, storage
from juhtum.crashpoints import crashpoint
from juhtum.errors import StorageError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.storage import Repository

JOURNAL = "journal"
MANIFEST = "manifest.json"


@dataclass
class Write:
    """One file of a change: ``data`` to put at ``path`` (relative to the repository), or
    None to remove it."""

    path: str
    data: bytes | None


@dataclass
class Change:
    case_id: str
    step: str
    """What the change does, for the commit message: ``handover``, ``plan: version 3``."""
    stage: str
    writes: list[Write] = field(default_factory=list)
    author: dict[str, str] | None = None
    date: str | None = None
    """The commit's date (ISO 8601) when not now: a date given with --today."""

    @property
    def paths(self) -> list[str]:
        return [w.path for w in self.writes]


@dataclass
class Recovery:
    case_id: str | None
    step: str | None
    completed: bool

    def render(self) -> str:
        from juhtum.i18n import _

        if self.completed:
            return _("completed an interrupted change of case {id} ({step})").format(
                id=self.case_id, step=self.step
            )
        return _("rolled back an interrupted change{of}: none of it had been written").format(
            of=f" ({self.case_id})" if self.case_id else ""
        )


def _folder(repo: Repository) -> Path:
    return repo.state_dir / JOURNAL


def _target(repo: Repository, path: str) -> Path:
    """A change's path inside the repository, never outside it."""
    target = (repo.root / path).resolve()
    if repo.root not in target.parents:
        raise StorageError(N_("refusing to write outside the repository: {path}"), path=path)
    return target


def apply(repo: Repository, change: Change) -> str | None:
    """Make ``change``: all of it, or (after a crash) none of it until the next command
    completes it. Returns the commit id in git, else None. Call it holding the lock."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    folder = _folder(repo) / f"{stamp}-{change.case_id}-{ids.random_part(6)}"
    storage.make_dirs(folder)
    entries = []
    for n, write in enumerate(change.writes):
        _target(repo, write.path)
        entry: dict[str, Any] = {"path": write.path, "file": None, "sha256": None}
        if write.data is not None:
            storage.write_atomic(folder / str(n), write.data)
            entry.update(file=str(n), sha256=hashlib.sha256(write.data).hexdigest())
        entries.append(entry)
    crashpoint("journal-content")
    manifest = {
        "case": change.case_id,
        "step": change.step,
        "stage": change.stage,
        "author": change.author,
        "date": change.date,
        "writes": entries,
    }
    storage.write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1).encode())
    crashpoint("journal-manifest")
    return _complete(repo, folder, manifest)


def _complete(repo: Repository, folder: Path, manifest: dict[str, Any]) -> str | None:
    changed = []
    for entry in manifest["writes"]:
        target = _target(repo, entry["path"])
        if entry["file"] is None:
            if target.exists():
                target.unlink()
                storage.fsync_dir(target.parent)
                changed.append(entry["path"])
            continue
        data = (folder / entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise StorageError(
                N_("the journal {path} is damaged: its content does not match"),
                path=repo.relative(folder),
            )
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current != data:
            storage.make_dirs(target.parent)
            storage.write_atomic(target, data, relative=entry["path"])
        changed.append(entry["path"])
        crashpoint("apply-file")
    for parent in {_target(repo, e["path"]).parent for e in manifest["writes"]}:
        storage.clean_temporary(parent)  # what a crash in the middle of a write left
    commit = None
    if history.in_git(repo.root):
        commit = history.commit_if_changed(
            repo.root,
            [e["path"] for e in manifest["writes"]],
            case_id=manifest["case"],
            step=manifest["step"],
            stage=manifest["stage"],
            author=manifest.get("author"),
            date=manifest.get("date"),
        )
        crashpoint("git-commit")
    shutil.rmtree(folder)
    storage.fsync_dir(folder.parent)
    crashpoint("journal-remove")
    return commit


def recover(repo: Repository) -> list[Recovery]:
    """Complete or roll back every change a crash interrupted. Call it holding the lock."""
    root = _folder(repo)
    try:
        pending = sorted(p for p in root.iterdir() if p.is_dir())
    except FileNotFoundError:
        return []
    done = []
    for folder in pending:
        case_id = _case_of(folder.name)
        manifest_path = folder / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_bytes())
        except (FileNotFoundError, ValueError):
            shutil.rmtree(folder)
            storage.fsync_dir(root)
            done.append(Recovery(case_id, None, completed=False))
            continue
        if history.in_git(repo.root):
            history.clear_stale_index_lock(repo.root)
        _complete(repo, folder, manifest)
        done.append(Recovery(manifest.get("case"), manifest.get("step"), completed=True))
    with contextlib.suppress(OSError):
        storage.clean_temporary(root)
    return done


def pending(repo: Repository) -> list[str]:
    """Names of interrupted changes waiting to be completed or rolled back."""
    return repo.interrupted_changes()


def _case_of(name: str) -> str | None:
    parts = name.split("-", 1)
    if len(parts) != 2:
        return None
    case_id = parts[1].rsplit("-", 1)[0]
    return case_id if ids.is_case_id(case_id) else None
