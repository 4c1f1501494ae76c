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

A failure juhtum sees after step 2 (git cannot commit, the disk is full) undoes
the change (the manifest keeps each file's previous content) and removes the
journal: a command that says it failed leaves nothing to be applied later.

A writing command, under the repository lock, first looks for journals left
by a crash: one without a manifest is rolled back (nothing of it reached the
case), one with a manifest is completed (the files written again where they
differ, then committed if git does not have them yet). Either way it says so.
Commands that only read never replay anything; they say a change is waiting.

Only what this clone wrote is replayed: a journal folder's name and manifest
carry an HMAC with the clone's secret (juhtum.storage.local), and a folder git
tracks, or with no valid HMAC, is left alone with a notice. A change writes
only documents under ``cases/``, through no symlink.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum import history, storage
from juhtum.crashpoints import crashpoint
from juhtum.errors import HistoryError, StorageError, UserError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.documents import CASES_DIR, kind_in_case
from juhtum.storage import Repository, local

JOURNAL = "journal"
MANIFEST = "manifest.json"
ABORT = "abort.json"
"""A failed change's manifest, renamed: the change is rolled back, never completed."""


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

    ignored: str | None = None
    """The journal folder left alone: this clone did not write it."""
    waiting: bool = False
    """Found by a command that only reads: the next writing command completes it."""

    def render(self) -> str:
        from juhtum.i18n import _

        if self.ignored:
            return _(
                "ignored {path}: this clone did not write it (it came with git or from "
                "elsewhere), so it is never replayed; remove it"
            ).format(path=self.ignored)
        if self.waiting:
            return _(
                "an interrupted change of case {id} ({step}) is waiting: the next command "
                "that changes the repository completes it (or run: juhtum recover)"
            ).format(id=self.case_id, step=self.step)
        if self.completed:
            return _("completed an interrupted change of case {id} ({step})").format(
                id=self.case_id, step=self.step
            )
        return _("rolled back an interrupted change{of}: none of it had been written").format(
            of=f" ({self.case_id})" if self.case_id else ""
        )


def _folder(repo: Repository, *, create: bool = False) -> Path:
    """``.juhtum/journal``, a real folder inside the repository (never through a symlink)."""
    try:
        return local.real_dir(
            local.real_dir(repo.state_dir, create=create) / JOURNAL, create=create
        )
    except FileNotFoundError:
        raise
    except OSError:
        raise StorageError(
            N_(
                "{path} is a symbolic link or no folder: juhtum keeps its journal only in a "
                "folder of this clone; remove it"
            ),
            path=f"{storage.STATE_DIR}/{JOURNAL}",
        ) from None


def _target(repo: Repository, path: object) -> Path:
    """A change's path: a document of a case under ``cases/``, reached through no symlink.
    Nothing else is ever written by the journal (not ``.git/``, ``juhtum.yaml``,
    ``.juhtum/``, nor anything outside the repository)."""
    parts = tuple(path.split("/")) if isinstance(path, str) else ()
    ok = (
        len(parts) in (3, 4)
        and parts[0] == CASES_DIR
        and ids.is_case_id(parts[1])
        and kind_in_case(parts[2:]) is not None
    )
    if not ok:
        raise StorageError(
            N_("refusing to write {path}: juhtum writes only documents under cases/"),
            path=str(path),
        )
    probe = repo.root
    for part in parts:
        probe = probe / part
        try:
            info = os.lstat(probe)
        except FileNotFoundError:
            break
        if stat.S_ISLNK(info.st_mode):
            raise StorageError(
                N_("refusing to write {path}: {link} is a symbolic link"),
                path=str(path),
                link=repo.relative(probe),
            )
    return repo.root / Path(*parts)


def _current(target: Path) -> bytes | None:
    try:
        return storage.read_document(target)
    except FileNotFoundError:
        return None
    except storage.TooLarge:
        return None  # a file this large is no document of ours: rolled back as absent
    except OSError as exc:
        raise StorageError(
            N_("could not read {path}: {reason}"), path=str(target), reason=exc.strerror or ""
        ) from None


def refuse_unfinished(repo: Repository) -> None:
    """A writing command refuses while git is in the middle of a merge, rebase, cherry-pick
    or revert: whatever it committed would be mixed into that operation."""
    if not history.in_git(repo.root):
        return
    found = history.unfinished_operation(repo.root)
    if found is not None:
        operation, marker = found
        raise UserError(
            N_(
                "git is in the middle of a {operation} ({marker} exists): finish it "
                "(git {operation} --continue) or abort it (git {operation} --abort), "
                "then run the command again. juhtum changes nothing meanwhile"
            ),
            operation=operation,
            marker=marker,
        )


def _name_mac(key: bytes | None, name: str) -> str:
    return local.mac(key, b"journal-folder", name.encode())[:16] if key else "0" * 16


def _manifest_mac(key: bytes | None, folder: str, manifest: dict[str, Any]) -> str | None:
    if not key:
        return None
    body = {k: v for k, v in manifest.items() if k != "mac"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return local.mac(key, b"journal-manifest", folder.encode(), text.encode())


def apply(repo: Repository, change: Change) -> str | None:
    """Make ``change``: all of it, or none of it. Returns the commit id in git, else None.
    Call it holding the lock.

    A failure juhtum sees (a git that cannot commit, a full disk) undoes what was written
    and leaves nothing to be completed later: the command says it failed, and a retry
    makes the change once. Only a crash (the process killed) leaves the journal for the
    next writing command to complete."""
    refuse_unfinished(repo)
    ids.check_case_id(change.case_id)  # it names the journal folder
    from juhtum.crypto.repository import seal_change

    change = seal_change(repo, change)  # an encrypted repository stores sealed documents
    key = local.clone_key(repo.root)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    base = f"{stamp}-{change.case_id}-{ids.random_part(6)}"
    name = f"{base}-{_name_mac(key, base)}"
    folder = _folder(repo, create=True) / name
    entries = []
    try:
        storage.make_dirs(folder)
        for n, write in enumerate(change.writes):
            before = _current(_target(repo, write.path))
            entry: dict[str, Any] = {
                "path": write.path,
                "file": None,
                "sha256": None,
                "before": None if before is None else base64.b64encode(before).decode(),
            }
            if write.data is not None:
                storage.write_atomic(folder / str(n), write.data)
                entry.update(file=str(n), sha256=hashlib.sha256(write.data).hexdigest())
            entries.append(entry)
        crashpoint("journal-content")
        manifest: dict[str, Any] = {
            "case": change.case_id,
            "step": change.step,
            "stage": change.stage,
            "author": change.author,
            "date": change.date,
            "writes": entries,
        }
        manifest["mac"] = _manifest_mac(key, name, manifest)
        storage.write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1).encode())
    except BaseException:
        with contextlib.suppress(OSError):  # nothing of it reached the case
            shutil.rmtree(folder)
        raise
    crashpoint("journal-manifest")
    try:
        _place(repo, folder, manifest)
        commit = _commit(repo, manifest)
    except BaseException:
        _abandon(repo, folder, manifest)
        raise
    _remove(folder)
    return commit


def _place(repo: Repository, folder: Path, manifest: dict[str, Any]) -> None:
    for entry in manifest["writes"]:
        target = _target(repo, entry["path"])
        if entry["file"] is None:
            if os.path.lexists(target):
                target.unlink()
                storage.fsync_dir(target.parent)
            continue
        data = storage.read_document(folder / entry["file"])
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise StorageError(
                N_("the journal {path} is damaged: its content does not match"),
                path=repo.relative(folder),
            )
        if _current(target) != data:
            storage.make_dirs(target.parent)
            storage.write_atomic(target, data, relative=entry["path"])
        crashpoint("apply-file")
    _tidy(repo, manifest)


def _tidy(repo: Repository, manifest: dict[str, Any]) -> None:
    """Remove what a crash in the middle of a write left in the change's folders."""
    for parent in {_target(repo, e["path"]).parent for e in manifest["writes"]}:
        storage.clean_temporary(parent)


def _commit(repo: Repository, manifest: dict[str, Any]) -> str | None:
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
    return commit


DONE = ".done"
"""A journal folder renamed so once its change is complete or rolled back: a crash while
it is being removed must not leave a folder without its manifest, which would read as a
change never decided."""


def _remove(folder: Path) -> None:
    done = folder.with_name(folder.name + DONE)
    folder.replace(done)
    storage.fsync_dir(folder.parent)
    shutil.rmtree(done)
    storage.fsync_dir(folder.parent)
    crashpoint("journal-remove")


def _abandon(repo: Repository, folder: Path, manifest: dict[str, Any]) -> None:
    """Undo a change that failed after its manifest was written. First the manifest becomes
    ``abort.json``, so that should this undoing fail too, the next writing command rolls
    the change back rather than completing it; never raises (the first error is what the
    user must see)."""
    try:
        (folder / MANIFEST).replace(folder / ABORT)
        storage.fsync_dir(folder)
        _roll_back(repo, folder, manifest)
    except (OSError, StorageError, HistoryError):
        return


def _roll_back(repo: Repository, folder: Path, manifest: dict[str, Any]) -> None:
    """Put every file of the change back as it was, unstage it, and drop the journal."""
    for entry in manifest["writes"]:
        target = _target(repo, entry["path"])
        before = entry.get("before")
        if before is None:
            if os.path.lexists(target):
                target.unlink()
                storage.fsync_dir(target.parent)
            continue
        data = base64.b64decode(before)
        if _current(target) != data:
            storage.make_dirs(target.parent)
            storage.write_atomic(target, data, relative=entry["path"])
    _tidy(repo, manifest)
    if history.in_git(repo.root):
        history.unstage(repo.root, [e["path"] for e in manifest["writes"]])
    _remove(folder)


def _tracked(repo: Repository) -> set[str]:
    """Journal folders git tracks (a colleague's ``git add -f``): never ours to replay."""
    if not history.in_git(repo.root):
        return set()
    found = history.tracked(repo.root, f"{storage.STATE_DIR}/{JOURNAL}")
    return {p.split("/")[2] for p in found if p.count("/") >= 3}


def _trusted(repo: Repository, folder: Path, tracked: set[str]) -> bool:
    base, _, given = folder.name.removesuffix(DONE).rpartition("-")
    key = local.clone_key(repo.root)
    return (
        key is not None
        and folder.name not in tracked
        and folder.is_dir()
        and not folder.is_symlink()
        and local.same(_name_mac(key, base), given)
    )


def _read_manifest(repo: Repository, folder: Path, name: str) -> dict[str, Any] | None:
    """The manifest ``name`` of a journal folder when this clone wrote it, else None."""
    try:
        manifest = json.loads(storage.read_document(folder / name))
    except (OSError, ValueError, storage.TooLarge):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("writes"), list):
        return None
    expected = _manifest_mac(local.clone_key(repo.root), folder.name, manifest)
    if expected is None or not local.same(expected, manifest.get("mac")):
        return None
    return manifest


def _listed(repo: Repository) -> list[Path]:
    try:
        root = _folder(repo)
        return sorted(Path(e.path) for e in os.scandir(root) if not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


def recover(repo: Repository) -> list[Recovery]:
    """Complete or roll back every change a crash interrupted, of those this clone wrote;
    what it did not write (a colleague's commit, another clone's copy) is left alone and
    named. Only writing commands call it, holding the lock."""
    refuse_unfinished(repo)
    pending = _listed(repo)
    if not pending:
        return []
    tracked = _tracked(repo)
    done = []
    for folder in pending:
        if not _trusted(repo, folder, tracked):
            done.append(Recovery(None, None, completed=False, ignored=repo.relative(folder)))
            continue
        if folder.name.endswith(DONE):  # finished: only its removal was interrupted
            shutil.rmtree(folder)
            storage.fsync_dir(folder.parent)
            continue
        case_id = _case_of(folder.name)
        manifest = _read_manifest(repo, folder, MANIFEST)
        aborted = manifest is None and _read_manifest(repo, folder, ABORT)
        if aborted:
            if history.in_git(repo.root):
                history.clear_stale_index_lock(repo.root)
            _roll_back(repo, folder, aborted)
            done.append(Recovery(aborted.get("case"), aborted.get("step"), completed=False))
            continue
        if manifest is None:  # the change never became decided: nothing of it was placed
            shutil.rmtree(folder)
            storage.fsync_dir(folder.parent)
            done.append(Recovery(case_id, None, completed=False))
            continue
        if history.in_git(repo.root):
            history.clear_stale_index_lock(repo.root)
        _place(repo, folder, manifest)
        _commit(repo, manifest)
        _remove(folder)
        done.append(Recovery(manifest.get("case"), manifest.get("step"), completed=True))
    with contextlib.suppress(OSError, StorageError):
        storage.clean_temporary(_folder(repo))
    return done


def waiting(repo: Repository) -> list[Recovery]:
    """What :func:`recover` would do, without doing it (for the commands that only read):
    the interrupted changes of this clone, and what is ignored."""
    pending = _listed(repo)
    if not pending:
        return []
    tracked = _tracked(repo)
    found = []
    for folder in pending:
        if not _trusted(repo, folder, tracked):
            found.append(Recovery(None, None, completed=False, ignored=repo.relative(folder)))
            continue
        manifest = _read_manifest(repo, folder, MANIFEST)
        if manifest is not None and not folder.name.endswith(DONE):
            found.append(
                Recovery(manifest.get("case"), manifest.get("step"), completed=False, waiting=True)
            )
    return found


def pending(repo: Repository) -> list[str]:
    """Names of interrupted changes waiting to be completed or rolled back."""
    return repo.interrupted_changes()


def _case_of(name: str) -> str | None:
    """The case id in the name of a journal folder this clone wrote (its HMAC verified):
    :func:`apply` named it for a checked id."""
    parts = name.split("-", 1)
    if len(parts) != 2:
        return None
    pieces = parts[1].rsplit("-", 2)
    if len(pieces) != 3:
        return None
    return pieces[0]
