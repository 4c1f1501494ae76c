"""Append-only records: which changes to a case repository take a record back.

A case is a record every party relies on, so some of it is only ever added to
(domain.md, "Git"): monitoring entries, evaluations, handovers, network meetings,
follow-ups and case diary entries each get a file of their own and are never deleted or rewritten;
a signature on the plan stays once given (a changed plan is a new version that
is signed again, and the earlier signatures stand for the earlier version); and a
case is never removed, except by ``juhtum erase`` (an erasure commit with its
reason, see :mod:`juhtum.erasure`).

What is *not* a rewrite, because juhtum itself does it as the process says:

- an evaluation still without a ``decision`` is a draft: ``juhtum evaluate``
  completes it, so it may change until it is decided;
- a meeting's protocol is amended as its agreements are carried out: an
  agreement gets its ``done`` date (``juhtum due`` lists those without), and
  ``copies_sent_to`` grows as copies go out (invariant 13). Nothing else of a
  meeting changes, and neither a ``done`` date nor a recorded copy is taken back;
- comments and layout: a record is its data as juhtum reads it.

:func:`breaches` compares two states of the repository (``sync``: the remote
before and after, ``validate --changed-since``: a revision and the work tree).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from juhtum.errors import DocumentError
from juhtum.model import ids
from juhtum.model.documents import CASE_FILE, CASES_DIR, FOLDERS, kind_in_case

RULE: Final = "append-only"

APPEND_ONLY_KINDS: Final = frozenset(kind for kind in FOLDERS.values() if kind != "person")
"""Kinds whose every document is a record of its own: monitoring, evaluation, handover,
meeting, followup, diary (juhis §3 "tööpäevik": an entry is never rewritten)."""

REMOVED: Final = "removed"
CHANGED: Final = "changed"
CASE_REMOVED: Final = "case-removed"
SIGNATURE: Final = "signature"

Reader = Callable[[str], bytes | None]
"""A path (relative to the repository root) -> its bytes, None where it is absent; raises
when it cannot be read."""


@dataclass(frozen=True)
class Breach:
    """One record a change took back."""

    case_id: str
    path: str
    """Relative to the repository root (for a removed case, its case.yaml)."""
    what: str
    """REMOVED, CHANGED, CASE_REMOVED or SIGNATURE."""
    party: str | None = None
    """For SIGNATURE: whose signature (a handle, or ``?``)."""

    @property
    def document(self) -> str:
        return self.path.removeprefix(f"{CASES_DIR}/{self.case_id}/")


def _case_path(path: str) -> tuple[str, tuple[str, ...]] | None:
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == CASES_DIR and ids.is_case_id(parts[1]):
        return parts[1], tuple(parts[2:])
    return None


def breaches(
    changes: Mapping[str, str],
    before: Reader,
    after: Reader,
    *,
    erased: Callable[[set[str]], set[str]] | None = None,
) -> list[Breach]:
    """The records that ``changes`` (path -> git status letter: A, D, M, T) take back.

    ``before`` and ``after`` read a path as it was and as it is. ``erased`` is asked,
    only when cases were removed, which of them were erased by ``juhtum erase``: those
    are no breach.
    """
    removed_cases: set[str] = set()
    for path, status in changes.items():
        where = _case_path(path)
        if status == "D" and where is not None and where[1] == (CASE_FILE,):
            removed_cases.add(where[0])
    excused = erased(set(removed_cases)) if removed_cases and erased is not None else set()
    found = [
        Breach(case_id, f"{CASES_DIR}/{case_id}/{CASE_FILE}", CASE_REMOVED)
        for case_id in sorted(removed_cases - excused)
    ]
    for path, status in sorted(changes.items()):
        where = _case_path(path)
        if status == "A" or where is None:
            continue
        case_id, parts = where
        if case_id in removed_cases:
            continue
        kind = kind_in_case(parts)
        if kind in APPEND_ONLY_KINDS:
            if status == "D":
                found.append(Breach(case_id, path, REMOVED))
                continue
            new = after(path)
            if new is None:
                found.append(Breach(case_id, path, REMOVED))
            elif not kept(kind, before(path), new, path):
                found.append(Breach(case_id, path, CHANGED))
        elif kind == "plan":
            new = None if status == "D" else after(path)
            for party in lost_signatures(before(path), new, path):
                found.append(Breach(case_id, path, SIGNATURE, party))
    return found


def _parse(data: bytes, path: str) -> Any:
    from juhtum.documents import yamlio

    if data.startswith(b"sops:") or b"\nsops:" in data:  # encrypted: what can be compared
        from juhtum.crypto.repository import comparable

        data = comparable(data, path)
    return yamlio.loads(data, path=path).data


def kept(kind: str | None, old: bytes | None, new: bytes | None, path: str) -> bool:
    """Whether ``new`` keeps the record ``old`` of ``kind`` (as this module's docstring says)."""
    if old is None or old == new:
        return True
    if new is None:
        return False
    try:
        before, after = _parse(old, path), _parse(new, path)
    except DocumentError:
        return False  # what cannot be read cannot be shown to keep the record
    if before == after:
        return True
    from juhtum.crypto.locked import same_but_sealed

    if same_but_sealed(before, after):  # a value read without its key is taken as kept
        return True
    if kind == "evaluation":
        return isinstance(before, dict) and not before.get("decision")
    if kind == "meeting":
        return _meeting_amended(before, after)
    return False


def _meeting_amended(before: Any, after: Any) -> bool:
    """``after`` is ``before`` with agreements marked done and copies recorded as sent."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    amendable = ("agreements", "copies_sent_to")
    rest = {k: v for k, v in before.items() if k not in amendable}
    if rest != {k: v for k, v in after.items() if k not in amendable}:
        return False
    sent_before, sent_after = before.get("copies_sent_to"), after.get("copies_sent_to")
    if sent_before is not None and sent_before != sent_after:
        if not isinstance(sent_before, list) or not isinstance(sent_after, list):
            return False
        if any(item not in sent_after for item in sent_before):
            return False
    old, new = before.get("agreements"), after.get("agreements")
    if old == new:
        return True
    if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if not isinstance(a, dict) or not isinstance(b, dict):
            if a != b:
                return False
            continue
        if {k: v for k, v in a.items() if k != "done"} != {
            k: v for k, v in b.items() if k != "done"
        }:
            return False
        if "done" in a and a["done"] != b.get("done"):
            return False
    return True


def lost_signatures(old: bytes | None, new: bytes | None, path: str) -> list[str]:
    """The parties whose signature on the plan ``old`` is missing or altered in ``new``."""
    if old is None or old == new:
        return []
    try:
        before = _parse(old, path)
    except DocumentError:
        return []  # a plan that did not parse held no signature anyone could check
    given = _signatures(before)
    if not given:
        return []
    try:
        remaining = _signatures(_parse(new, path)) if new is not None else []
    except DocumentError:
        remaining = []
    lost = []
    from juhtum.crypto.locked import same_but_sealed

    for signature in given:
        if signature in remaining:
            remaining.remove(signature)
        elif kept := next((r for r in remaining if same_but_sealed(signature, r)), None):
            remaining.remove(kept)  # its encrypted values read without the key
        else:
            party = signature.get("party") if isinstance(signature, dict) else None
            lost.append(str(party) if ids.is_handle(party) else "?")
    return lost


def _signatures(plan: Any) -> list[Any]:
    found = plan.get("signatures") if isinstance(plan, dict) else None
    return list(found) if isinstance(found, list) else []
