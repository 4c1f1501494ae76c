"""Checking a case without its key: every rule that needs no plaintext, and a note of the rest.

A document read without its key (:mod:`juhtum.crypto.repository`, mode ``locked``) holds its
sensitive values as ``ENC[…]`` strings: a schema format, a text check or a personal code's
checksum run on them says nothing about the value, and the plan's content hash over them is
not the hash its signatures bind to (that one is over the plaintext: see
:mod:`juhtum.model.hashing`). Those findings are left out, and each case says, in one warning,
which checks did not run, so that CI without any key verifies all the rest and tells what only
a key holder's ``validate`` can.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from juhtum.i18n import N_
from juhtum.model.problems import WARNING, Problem

if TYPE_CHECKING:
    from juhtum.check.reading import CaseFiles

RULE = "encrypted"
PLAINTEXT_RULES: frozenset[str] = frozenset()
"""Rules that read plaintext beyond the field they name. None now: I8 takes a locked plan's
content hash as its writer recorded it (juhtum.model.hashing), and a key holder's validate
checks that record (:func:`recorded_hash_problems`)."""

NOT_RUN = N_(
    "{documents} documents of this case are encrypted and no key at hand opens them: the "
    "formats, texts and personal codes of their {values} encrypted values were not checked; "
    "a key holder's juhtum validate checks them"
)
NOT_RUN_SIGNED = N_(
    "{documents} documents of this case are encrypted and no key at hand opens them: the "
    "formats, texts and personal codes of their {values} encrypted values were not checked, "
    "and the plan's signatures were checked against the content hash recorded with it; a key "
    "holder's juhtum validate checks them"
)

_ENC = re.compile(rb"ENC\[AES256_GCM,")
_REGEX = re.compile(rb"\n\s+encrypted_regex:\s*(.+)")


def regex_of(raw: bytes) -> re.Pattern[str] | None:
    found = _REGEX.search(raw)
    if found is None:
        return None
    text = found.group(1).decode("utf-8", "replace").strip()
    if text[:1] in ("'", '"'):
        from juhtum.documents import yamlio
        from juhtum.errors import DocumentError

        try:
            value = yamlio.loads(text, path="sops").data
        except DocumentError:
            return None
        text = value if isinstance(value, str) else ""
    try:
        return re.compile(text) if text else None
    except re.error:
        return None


def not_run(problems: list[Problem], case_files: CaseFiles) -> list[Problem]:
    """``problems`` less what was found in encrypted values, with the note of what was not run."""
    prefix = case_files.prefix
    regexes = {f"{prefix}/{name}": regex_of(raw) for name, raw in case_files.locked.items()}
    kept = []
    for p in problems:
        if p.file in regexes:
            if p.rule in PLAINTEXT_RULES:
                continue
            chosen = regexes[p.file]
            if chosen is None or any(
                isinstance(part, str) and chosen.search(part) for part in p.field
            ):
                continue
        kept.append(p)
    values = sum(len(_ENC.findall(raw)) for raw in case_files.locked.values())
    signed = "plan.yaml" in case_files.locked
    kept.append(
        Problem(
            RULE,
            WARNING,
            prefix,
            NOT_RUN_SIGNED if signed else NOT_RUN,
            {"documents": len(case_files.locked), "values": values},
        )
    )
    return kept


def recorded_hash_problem(path: str, plain: dict[str, Any]) -> Problem | None:
    """A plan opened with its key whose recorded content hash is not its content's: it was
    changed by someone who did not let juhtum record it, and signatures checked without the
    key were checked against a false record. ``plain`` is the plan without the record."""
    from juhtum.model.hashing import RECORDED, HashError, content_hash
    from juhtum.model.problems import ERROR

    recorded = plain.get(RECORDED)
    if not isinstance(recorded, str):
        return None
    try:
        actual = content_hash(plain)
    except HashError:
        return None
    if actual == recorded:
        return None
    return Problem(
        "I8",
        ERROR,
        path,
        N_(
            "the recorded content_hash is not the hash of the plan's content: the plan was "
            "changed outside juhtum; save it with juhtum edit to record it"
        ),
        {},
        (RECORDED,),
    )


SEALED = "ENC[\u2026]"
"""An encrypted value read without its key (juhtum.crypto.repository)."""


def same_but_sealed(before: Any, after: Any) -> bool:
    """Equal, where a value read without its key on either side stands for any value: what
    ``validate --changed-since`` can say of an append-only record without the key (a key
    holder compares the plaintext)."""
    if before == after:
        return True
    if (isinstance(before, str) and before == SEALED) or (
        isinstance(after, str) and after == SEALED
    ):
        return True
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(
            same_but_sealed(before[k], after[k]) for k in before
        )
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(
            same_but_sealed(b, a) for b, a in zip(before, after, strict=True)
        )
    return False
