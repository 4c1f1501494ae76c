"""``juhtum verify``: every commit that touched a case was signed by a registered specialist
who had access to that case (issue 13).

Specialists sign their commits with an SSH key (git's ``gpg.format ssh``) and publish the
public key in their file ``specialists/<handle>.yaml`` (``signing_key``). For each commit, git
itself checks the signature (:mod:`juhtum.history.signatures`) against an allowed-signers file
made from the specialists' files **as they were at the commit's parent**, never the working
tree: a commit cannot register the key that signs it, nor grant itself access.

Who had access to a case at the parent (``case.yaml`` there):

- its coordinator (``coordinator``), and the specialists granted access (``access:``);
- a specialist whose ``age_recipient`` is one of ``juhtum.yaml``'s
  ``encryption.recovery_recipients`` (the holder of a recovery key, restoring a case);
- for the commit that opens a case (no ``case.yaml`` at the parent), any registered specialist.

A merge is checked for a registered specialist's signature only: what it brings in are
commits checked on their own. A commit that changes ``specialists/`` or ``juhtum.yaml`` (who
may sign, the recovery recipients) must be signed by a specialist registered at its parent,
once any specialist there has a signing key. Signing begins with the first key registered:
the commits whose parent had no signing key at all (a repository that does not sign, its
history before signing began) are counted as made before signing, not failed; from then on
removing every key is itself a commit that must be signed. A failure names the commit (short hash), the case and the reason: a handle at
most, never a person's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from juhtum.i18n import N_
from juhtum.model.documents import CASE_FILE, CASES_DIR, REPOSITORY_FILE, SPECIALISTS_DIR, SUFFIX
from juhtum.storage import Repository

SSH_KEY = re.compile(
    r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|"
    r"sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}$"
)
"""An SSH public key, type and key without the comment: what an allowed-signers line holds."""

UNSIGNED = N_("not signed")
BAD = N_("its signature does not hold (git says {verdict})")
UNKNOWN_KEY = N_("signed by a key no specialist had registered before it")
NO_ACCESS = N_(
    "signed by {handle}, who had no access to the case before it (neither its coordinator, "
    "nor granted access, nor a recovery recipient)"
)


def public_key(text: str) -> str | None:
    """``type key`` of an SSH public key (its comment dropped), None if it is not one."""
    parts = text.strip().split()
    if len(parts) < 2:
        return None
    key = f"{parts[0]} {parts[1]}"
    return key if SSH_KEY.match(key) else None


@dataclass
class Failure:
    commit: str
    case: str | None
    reason: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    checked: int
    failures: list[Failure]
    before_signing: int = 0
    """Commits made while no specialist had registered a signing key (at their parent): a
    repository that never signed, or the history before signing began, is not failed."""


@dataclass
class _Registry:
    """The specialists as they were at one revision."""

    keys: dict[str, str]
    """handle -> their SSH public key"""
    recovery_holders: frozenset[str]

    def allowed_signers(self) -> str:
        return "".join(f'{h} namespaces="git" {k}\n' for h, k in sorted(self.keys.items()))


def _load(raw: bytes, path: str) -> dict[str, Any]:
    from juhtum.crypto.repository import strip_metadata
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError

    try:
        data = yamlio.loads(strip_metadata(raw), path=path).data
    except DocumentError:
        return {}
    return data if isinstance(data, dict) else {}


def _registries(repo: Repository, parents: Iterable[str]) -> dict[str, _Registry]:
    from juhtum.crypto.access import recovery_recipients
    from juhtum.history import signatures
    from juhtum.model import ids

    parents = list(dict.fromkeys(parents))
    folders = signatures.folders_at(repo.root, parents, SPECIALISTS_DIR)
    configs = signatures.files_at(repo.root, [(p, REPOSITORY_FILE) for p in parents])
    found = {}
    for parent in parents:
        config = _load(configs.get((parent, REPOSITORY_FILE), b""), REPOSITORY_FILE)
        encryption = config.get("encryption")
        recovery = set(recovery_recipients(encryption if isinstance(encryption, dict) else {}))
        keys, holders = {}, set()
        for name, raw in folders.get(parent, {}).items():
            handle = name.removesuffix(SUFFIX)
            if not name.endswith(SUFFIX) or not ids.is_handle(handle):
                continue
            data = _load(raw, f"{SPECIALISTS_DIR}/{name}")
            key = data.get("signing_key")
            if isinstance(key, str) and (key := public_key(key) or ""):
                keys[handle] = key
            recipient = data.get("age_recipient")
            if isinstance(recipient, str) and recipient.strip() in recovery:
                holders.add(handle)
        found[parent] = _Registry(keys, frozenset(holders))
    return found


def _signatures(
    repo: Repository, commits: list[Any], registries: dict[str, _Registry]
) -> dict[str, Any]:
    """sha -> git's Signature, each commit checked against the registry of its parent."""
    from juhtum.history import signatures

    empty = _Registry({}, frozenset())
    groups: dict[str, list[str]] = {}
    for commit in commits:
        registry = registries.get(commit.parent or "", empty)
        groups.setdefault(registry.allowed_signers(), []).append(commit.sha)
    found: dict[str, Any] = {}
    for allowed, shas in groups.items():
        found.update(signatures.signatures(repo.root, shas, allowed))
    return found


def _signer(signature: Any, registry: _Registry) -> str | None:
    if signature is None or signature.status != "G" or signature.principal not in registry.keys:
        return None
    return str(signature.principal)


def verify(repo: Repository, since: str | None = None) -> Result:
    """Check every commit (after ``since``) that touched a case, ``specialists/`` or
    ``juhtum.yaml``; see the module's docstring."""
    from juhtum.crypto.access import granted
    from juhtum.history import signatures

    commits = signatures.commits(
        repo.root, [f"{CASES_DIR}/", f"{SPECIALISTS_DIR}/", REPOSITORY_FILE], since
    )
    parents = [c.parent for c in commits if c.parent]
    registries = _registries(repo, parents)
    signed = _signatures(repo, commits, registries)
    wanted: list[tuple[str, str]] = []
    touched: dict[str, list[str]] = {}
    for commit in commits:
        cases = sorted(
            {
                f.split("/")[1]
                for f in commit.files
                if f.startswith(f"{CASES_DIR}/") and f.count("/") >= 2
            }
        )
        touched[commit.sha] = cases
        if commit.parent:
            wanted += [(commit.parent, f"{CASES_DIR}/{c}/{CASE_FILE}") for c in cases]
    case_files = signatures.files_at(repo.root, wanted)
    empty = _Registry({}, frozenset())
    failures: list[Failure] = []
    before = 0
    for commit in commits:
        registry = registries.get(commit.parent or "", empty)
        cases = touched[commit.sha]
        signature = signed.get(commit.sha)
        short = commit.sha[:10]
        if not registry.keys:
            # signing had not begun: nobody could sign yet (a repository that never
            # signs, the history before the first key, the first registrations). Once a key
            # is registered, removing every key is itself a commit that must be signed.
            before += 1
            continue
        if not cases:
            cases = [""]
        status = signature.status if signature else "N"
        handle = _signer(signature, registry)
        if handle is None:
            args: dict[str, Any] = {}
            if status == "N":
                reason = UNSIGNED
            elif status in ("G", "U"):
                reason = UNKNOWN_KEY
            else:
                reason, args = BAD, {"verdict": status}
            failures += [Failure(short, c or None, reason, args) for c in cases]
            continue
        if len(commit.parents) > 1:
            continue  # a merge: the commits it brings in are checked on their own
        for case_id in filter(None, cases):
            raw = case_files.get((commit.parent or "", f"{CASES_DIR}/{case_id}/{CASE_FILE}"))
            if raw is None:
                continue  # the commit opening the case: any registered specialist
            case = _load(raw, f"{CASES_DIR}/{case_id}/{CASE_FILE}")
            coordinator = case.get("coordinator")
            allowed = {coordinator, *granted(case), *registry.recovery_holders}
            if handle not in allowed:
                failures.append(Failure(short, case_id, NO_ACCESS, {"handle": handle}))
    return Result(len(commits) - before, failures, before)


def signers(repo: Repository, folder: str) -> dict[str, str | None]:
    """sha -> the handle of the registered specialist who signed it (registered at its
    parent), or None, for every commit that touched ``folder``."""
    from juhtum.history import signatures

    commits = signatures.commits(repo.root, [folder])
    registries = _registries(repo, [c.parent for c in commits if c.parent])
    if not any(r.keys for r in registries.values()):
        return dict.fromkeys((c.sha for c in commits), None)  # nobody could sign: no git run
    signed = _signatures(repo, commits, registries)
    empty = _Registry({}, frozenset())
    return {
        c.sha: _signer(signed.get(c.sha), registries.get(c.parent or "", empty)) for c in commits
    }


def signing_key(value: str) -> tuple[str, str | None]:
    """``--signing-key``: an SSH public key, or the path to one (``~/.ssh/id_ed25519.pub``).
    Returns the key and, for a path whose private twin sits beside it, that private key's path
    (what git's ``user.signingkey`` takes)."""
    from pathlib import Path

    from juhtum.errors import UsageError

    key = public_key(value)
    if key is not None:
        return key, None
    path = Path(value).expanduser()
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    key = public_key(text)
    if key is None:
        raise UsageError(
            N_(
                "--signing-key takes an SSH public key or its file, e.g. ~/.ssh/id_ed25519.pub "
                "(ssh-keygen -t ed25519 makes one)"
            )
        )
    private = path.with_suffix("") if path.suffix == ".pub" else None
    return key, str(private.resolve()) if private is not None and private.is_file() else None


def configure_signing(root: Any, key: str, private: str | None) -> None:
    """Set this clone's git to sign every commit with the key (``.git/config``)."""
    from juhtum import history

    history.set_config(root, "gpg.format", "ssh")
    history.set_config(root, "user.signingkey", private or f"key::{key}")
    history.set_config(root, "commit.gpgsign", "true")
