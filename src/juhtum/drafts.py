"""Drafts: what a person typed in the editor, kept until the case accepts it.

The editor works on ``.juhtum/edit/<case>/<command>.yaml`` (for ``edit``, one
file per document), a name that does not change between runs: when an edit is
interrupted (the terminal closed, the machine stopped, juhtum killed) or given
up, the text stays there, and the next run of the same command on the case
offers to resume it. Editors that rescue an unsaved buffer on a hang-up (nano
writes ``<file>.save``, Emacs ``#<file>#``) leave it beside the draft; the
newest of them is what is offered. A draft is local state, never committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from juhtum import storage
from juhtum.storage import Repository

EDIT_DIR = "edit"
SEPARATOR = "~"
"""Stands for ``/`` in the document name of an ``edit`` draft (handles and case file names
never hold it)."""


@dataclass(frozen=True)
class Draft:
    case_id: str
    key: str
    path: Path
    """The newest file holding the draft (the draft itself, or an editor's rescue file)."""

    @property
    def legacy(self) -> bool:
        """Left by an earlier juhtum, which named drafts ``<case>-<document>`` and never
        offered them again: shown so that nobody's text stays unmentioned."""
        return self.path.parent.name == EDIT_DIR and not self.path.name.startswith(
            f"{self.case_id}{SEPARATOR}"
        )

    @property
    def command(self) -> str:
        """The command that resumes it, ready to copy."""
        command, _, document = self.key.partition(SEPARATOR)
        words = ["juhtum", command, self.case_id]
        if document:
            words.append(document.replace(SEPARATOR, "/").removesuffix(".yaml") + ".yaml")
        return " ".join(words)

    @property
    def saved(self) -> str:
        stamp = dt.datetime.fromtimestamp(self.path.stat().st_mtime)
        return stamp.strftime("%Y-%m-%d %H:%M")


_LEGACY = re.compile(
    r"-(?:(?:need|assessment|planning|plan|closing|case)\.yaml"
    r"|(?:monitoring|meetings|evaluations|handovers|followups|people)-[^/]+\.yaml)\Z"
)


def _legacy(repo: Repository, case_id: str) -> list[Path]:
    folder = repo.state_dir / EDIT_DIR
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.glob(f"{case_id}-*.yaml"))
        if path.is_file()
        and _LEGACY.fullmatch(path.name[len(case_id) :])
        and has_content(path.read_text(encoding="utf-8", errors="replace"))
    ]


def key_of(command: str, document: str | None = None) -> str:
    if document is None:
        return command
    return command + SEPARATOR + document.replace("/", SEPARATOR).removesuffix(".yaml") + ".yaml"


def path_of(repo: Repository, case_id: str, key: str, *, nested: bool = True) -> Path:
    return place(repo.state_dir, case_id, key, nested=nested)


def place(state_dir: Path, case_id: str, key: str, *, nested: bool = True) -> Path:
    """The draft of ``key``: as deep below the repository as the document it becomes, so that
    the template's relative ``$schema`` line resolves from both places. A document in a case's
    folder (``cases/<id>/plan.yaml``) is drafted as ``.juhtum/edit/<id>~<key>.yaml``; one a
    folder deeper (``cases/<id>/monitoring/…``) as ``.juhtum/edit/<id>/<key>.yaml``."""
    name = key if key.endswith(".yaml") else key + ".yaml"
    if nested:
        return state_dir / EDIT_DIR / case_id / name
    return state_dir / EDIT_DIR / f"{case_id}{SEPARATOR}{name}"


def rescued(path: Path) -> list[Path]:
    """The files editors leave beside ``path`` when they are hung up on."""
    folder = path.parent
    if not folder.is_dir():
        return []
    names = [f"#{path.name}#"]
    found = [folder / n for n in names if (folder / n).is_file()]
    found += [p for p in folder.glob(path.name + ".save*") if p.is_file()]
    return found


def has_content(text: str) -> bool:
    """Something beyond comments and blank lines (help, errors and empty templates are not)."""
    return any(
        line.strip() and not line.lstrip().startswith("#") and not _empty_field(line)
        for line in text.splitlines()
    )


def _empty_field(line: str) -> bool:
    stripped = line.strip()
    return stripped.endswith(":") or stripped in ("-", "- {}", "{}")


def newest(path: Path) -> Path | None:
    """The newest of the draft and its rescue files that holds something, or None."""
    candidates = [p for p in [path, *rescued(path)] if p.is_file()]
    candidates.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for candidate in candidates:
        try:
            if has_content(candidate.read_text(encoding="utf-8", errors="replace")):
                return candidate
        except OSError:
            continue
    return None


def settle(path: Path, text: str) -> None:
    """Make ``text`` the draft and drop the editors' rescue files (their text is in it now)."""
    storage.make_dirs(path.parent)
    storage.write_text(path, text)
    for extra in rescued(path):
        extra.unlink(missing_ok=True)


def clear(path: Path) -> None:
    """The draft was saved in the case (or held nothing): remove it and its rescue files."""
    for extra in [path, *rescued(path)]:
        extra.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def set_aside(repo: Repository, case_id: str, path: Path, text: str) -> str:
    """A draft the person chose not to resume, moved to ``.juhtum/rejected/`` (never deleted:
    it may be the only copy of what they typed); returns where, relative to the repository."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = repo.state_dir / "rejected" / case_id / f"{stamp}-draft-{path.name}"
    storage.make_dirs(target.parent)
    storage.write_text(target, text)
    clear(path)
    return repo.relative(target)


@contextlib.contextmanager
def claimed(path: Path) -> Iterator[None]:
    """Hold ``path`` for one editor: the same command on the same case in a second window
    would edit the same draft, so it is refused until the first is done."""
    from filelock import FileLock, Timeout

    from juhtum.errors import UserError
    from juhtum.i18n import N_

    storage.make_dirs(path.parent)
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserError(
            N_(
                "this document is open in an editor already (in another window?): finish "
                "there first"
            )
        ) from None
    try:
        yield
    finally:
        lock.release()
        (path.parent / f".{path.name}.lock").unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()


def waiting(repo: Repository, case_id: str) -> list[Draft]:
    """The drafts of a case that wait to be resumed, oldest first."""
    folder = repo.state_dir / EDIT_DIR / case_id
    found = [Draft(case_id, "", path) for path in _legacy(repo, case_id)]
    flat = f"{case_id}{SEPARATOR}"
    if folder.parent.is_dir():
        for path in sorted(folder.parent.glob(f"{flat}*.yaml")):
            held = newest(path)
            if held is not None and path.is_file():
                found.append(Draft(case_id, path.name[len(flat) :].removesuffix(".yaml"), held))
    if not folder.is_dir():
        return sorted(found, key=lambda d: d.path.stat().st_mtime)
    for path in sorted(folder.iterdir()):
        if not path.name.endswith(".yaml") or path.name.startswith((".", "#")):
            continue
        held = newest(path)
        if held is not None:
            found.append(Draft(case_id, path.name.removesuffix(".yaml"), held))
    return sorted(found, key=lambda d: d.path.stat().st_mtime)
