"""Signed commits: what git itself says about each commit's SSH signature (``juhtum verify``,
``juhtum history``).

Specialists sign their commits with an SSH key (git's ``gpg.format ssh``); git checks a
signature against an allowed-signers file (``gpg.ssh.allowedSignersFile``). The file is never
the clone's own: the caller builds it from the specialists' files as they were at the commit's
parent (:mod:`juhtum.verification`), so a commit cannot register the key that signs it. Here
only git runs: listing the commits, reading files at a revision, and asking git for the
verdict (``%G?``), the principal it matched (``%GS``) and the key's fingerprint (``%GF``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from juhtum.errors import HistoryError
from juhtum.history.git import _read
from juhtum.i18n import N_

GOOD = "G"
"""git's verdict for a good signature by a key the allowed-signers file names."""

_SAFE = (
    "-c",
    "log.showSignature=false",
    "-c",
    "gpg.ssh.revocationFile=",
)


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    files: tuple[str, ...]
    date: str

    @property
    def parent(self) -> str | None:
        return self.parents[0] if self.parents else None


@dataclass(frozen=True)
class Signature:
    status: str
    """git's %G?: G good, U good by a key not allowed, B bad, N none, E cannot check, …"""
    principal: str | None
    fingerprint: str | None


def commits(root: Path, paths: Iterable[str], since: str | None = None) -> list[Commit]:
    """The commits (oldest first) that touched ``paths``, after ``since`` when given; a
    merge's files are what it changed against its first parent."""
    revisions = [f"{since}..HEAD"] if since else ["HEAD"]
    if since is not None and since.startswith("-"):
        raise HistoryError(N_("git cannot read the revision {revision}"), revision=since)
    try:
        out = _read(
            root,
            "log",
            "--reverse",
            "--full-history",
            "--diff-merges=first-parent",
            "--name-only",
            "--format=%x1e%H%x1f%P%x1f%cI",
            *revisions,
            "--",
            *paths,
        )
    except HistoryError as exc:
        raise HistoryError(
            N_("git could not read the history: {reason}"), reason=str(exc.args_.get("reason"))
        ) from None
    found = []
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        fields = head.split("\x1f")
        if len(fields) < 3:
            continue
        files = tuple(n.strip() for n in names.splitlines() if n.strip())
        found.append(Commit(fields[0], tuple(fields[1].split()), files, fields[2].strip()))
    return found


def _batch(root: Path, specs: list[str], check: bool = False) -> list[bytes | None]:
    """``git cat-file --batch`` (or ``--batch-check``) over ``specs``: each object's content
    (its id and type with ``check``), None where git has none."""
    if not specs:
        return []
    if any("\n" in s for s in specs):
        raise HistoryError(N_("git cannot read the revision {revision}"), revision="?")
    option = "--batch-check" if check else "--batch"
    try:
        proc = subprocess.run(
            ["git", "--no-optional-locks", "cat-file", option],
            cwd=root,
            input="".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape"),
            capture_output=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command="cat-file", reason=str(exc)
        ) from None
    if proc.returncode != 0:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command="cat-file", reason=str(proc.returncode)
        )
    out, at = proc.stdout, 0
    found: list[bytes | None] = []
    for _spec in specs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) < 3 or header[-1] == b"missing":
            found.append(None)
            continue
        if check:
            found.append(b" ".join(header[:2]))
            continue
        size = int(header[2])
        found.append(out[at : at + size])
        at += size + 1
    return found


def files_at(root: Path, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """(revision, path) -> the file's bytes, for every pair git has (in one run of git)."""
    pairs = list(dict.fromkeys(wanted))
    contents = _batch(root, [f"{r}:{p}" for r, p in pairs])
    return {pair: data for pair, data in zip(pairs, contents, strict=True) if data is not None}


def folders_at(root: Path, revisions: Iterable[str], folder: str) -> dict[str, dict[str, bytes]]:
    """revision -> {file name: bytes} of the files directly in ``folder`` at that revision
    (the same tree read once, however many revisions share it)."""
    revisions = list(dict.fromkeys(revisions))
    trees = _batch(root, [f"{r}:{folder}" for r in revisions], check=True)
    by_tree: dict[bytes, dict[str, bytes]] = {}
    found: dict[str, dict[str, bytes]] = {}
    for revision, tree in zip(revisions, trees, strict=True):
        if tree is None or not tree.endswith(b" tree"):
            found[revision] = {}
            continue
        tree_id = tree.split()[0]
        if tree_id not in by_tree:
            listing = _read(root, "ls-tree", "-z", tree_id.decode("ascii"))
            entries = []
            for entry in listing.split("\0"):
                meta, _, name = entry.partition("\t")
                parts = meta.split()
                if len(parts) == 3 and parts[0] == "100644" and parts[1] == "blob":
                    entries.append((name, parts[2]))
            blobs = _batch(root, [sha for _name, sha in entries])
            by_tree[tree_id] = {
                name: data
                for (name, _sha), data in zip(entries, blobs, strict=True)
                if data is not None
            }
        found[revision] = by_tree[tree_id]
    return found


def signatures(root: Path, shas: list[str], allowed_signers: str) -> dict[str, Signature]:
    """What git says of each commit's signature, checked against ``allowed_signers`` (the
    text of an allowed-signers file: ``principal namespaces="git" key``, a line each)."""
    if not shas:
        return {}
    handle, name = tempfile.mkstemp(prefix="juhtum-signers-", suffix=".txt")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(allowed_signers)
        out = _read_stdin(
            root,
            [
                *_SAFE,
                "-c",
                f"gpg.ssh.allowedSignersFile={name}",
                "log",
                "--no-walk=unsorted",
                "--stdin",
                "--format=%x1e%H%x1f%G?%x1f%GS%x1f%GF",
            ],
            "".join(f"{s}\n" for s in shas),
        )
    finally:
        Path(name).unlink(missing_ok=True)
    found = {}
    for record in out.split("\x1e"):
        fields = [f.strip() for f in record.split("\x1f")]
        if len(fields) == 4 and fields[0]:
            found[fields[0]] = Signature(fields[1] or "N", fields[2] or None, fields[3] or None)
    return found


def _read_stdin(root: Path, args: list[str], text: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=root,
            input=text.encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryError(
            N_("git {command} failed: {reason}"), command="log", reason=str(exc)
        ) from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(
            N_("git {command} failed: {reason}"),
            command="log",
            reason=reason[0] if reason else str(proc.returncode),
        )
    return proc.stdout.decode("utf-8", "surrogateescape")
