"""Reading the history back: a case's steps (``juhtum history``) and the erasures, from
the commits' trailers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from juhtum.errors import HistoryError
from juhtum.history.commits import ERASE_STAGE, ERASURE_TRAILER
from juhtum.history.git import _read
from juhtum.i18n import N_


@dataclass
class Entry:
    """One step in a case's history: a commit that touched its folder."""

    commit: str
    date: str
    author: str
    step: str
    stage: str | None
    files: list[str]


def log(root: Path, folder: str, case_id: str) -> list[Entry]:
    """The commits that touched ``folder``, newest first (``git log -- folder``): git run
    directly, as importing GitPython would cost more than the log itself."""
    try:
        out = _read(
            root,
            "log",
            "--format=%x1e%H%x1f%aI%x1f%an%x1f%s%x1f%(trailers:key=Stage,valueonly,separator=%x2C)",
            "--name-only",
            "--",
            folder,
        )
    except HistoryError as exc:
        raise HistoryError(
            N_("git could not read the history: {reason}"), reason=str(exc.args_.get("reason"))
        ) from None
    entries = []
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        fields = head.split("\x1f")
        if len(fields) < 5:
            continue
        commit, date, author, subject, stage = fields[:5]
        step = subject.removeprefix(f"{case_id}: ")
        files = [n.strip() for n in names.splitlines() if n.strip()]
        entries.append(Entry(commit, date, author, step, stage.strip() or None, files))
    return entries


def erasures(root: Path, include: Iterable[str], exclude: Iterable[str] = ()) -> dict[str, str]:
    """Case id -> reason, from the erasure commits (``Stage: erase``) reachable from
    ``include`` and not from ``exclude``."""
    out = _read(
        root,
        "log",
        "--no-merges",
        "--fixed-strings",
        f"--grep=Stage: {ERASE_STAGE}",
        "--format=%x1e%(trailers:key=Stage,valueonly,separator=%x2C)%x1f"
        "%(trailers:key=Case,valueonly,separator=%x2C)%x1f"
        f"%(trailers:key={ERASURE_TRAILER},valueonly,separator=%x2C)",
        *include,
        *(f"^{rev}" for rev in exclude),
        "--",
    )
    found: dict[str, str] = {}
    for record in out.split("\x1e"):
        fields = [f.strip() for f in record.split("\x1f")]
        if len(fields) == 3 and fields[0] == ERASE_STAGE and fields[1] and fields[2]:
            found.setdefault(fields[1], fields[2])
    return found
