"""Case ids, handles and the names of append-only documents.

A case id is checked against a strict pattern *before* it touches the file
system, so ``../../etc``, ``/etc``, a trailing space or a NUL byte never become
a path. Ids are unique without a central counter: a new id carries random
characters (Crockford's base 32, no look-alike letters), enough that two
specialists working offline do not draw the same one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable

from juhtum.errors import InvalidId
from juhtum.i18n import N_

CASE_ID_MAX = 40
CASE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
HANDLE = re.compile(r"[a-z][a-z0-9-]{0,31}\Z")
ID_PREFIX = re.compile(r"[a-z][a-z0-9]{0,9}\Z")
# Names Windows reserves: a folder called "con" cannot be checked out there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RANDOM_LENGTH = 6  # 32**6 = a billion: offline collisions are negligible
DOCUMENT_SUFFIX_LENGTH = 4


def is_case_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= CASE_ID_MAX
        and CASE_ID.match(value) is not None
        and value not in _RESERVED
    )


def check_case_id(value: str) -> str:
    """Return ``value`` when it is a valid case id, else raise :class:`InvalidId`."""
    if not is_case_id(value):
        raise InvalidId(
            N_(
                "{id!r} is not a case id: use lowercase letters a-z, digits and single hyphens "
                "inside, at most {max} characters"
            ),
            id=_printable(value),
            max=CASE_ID_MAX,
        )
    return value


def is_handle(value: object) -> bool:
    return isinstance(value, str) and HANDLE.match(value) is not None


def check_handle(value: str) -> str:
    if not is_handle(value):
        raise InvalidId(
            N_(
                "{handle!r} is not a handle: start with a letter a-z, then lowercase letters, "
                "digits or hyphens, at most 32 characters"
            ),
            handle=_printable(value),
        )
    return value


NAME_PART_MIN = 3
"""Name parts shorter than this (initials, "Ly", "Jo") are too common in words to refuse."""


def name_parts(names: Iterable[str | None]) -> set[str]:
    """The parts of people's names as an id could hold them: case-folded after NFC, and
    also with the diacritics dropped (an id has only a-z: "Kõrvits" becomes "korvits")."""
    import unicodedata

    parts: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            continue
        for part in re.split(r"[\W_]+", unicodedata.normalize("NFC", name).casefold()):
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", part) if not unicodedata.combining(c)
            )
            parts.update(p for p in (part, plain) if len(p) >= NAME_PART_MIN)
    return parts


def named_after(value: str, names: Iterable[str | None]) -> bool:
    """Whether ``value`` (an id or a handle) holds a part of one of ``names``."""
    import unicodedata

    folded = unicodedata.normalize("NFC", value).casefold()
    return any(part in folded for part in name_parts(names))


def check_case_id_names_no_one(value: str, names: Iterable[str | None]) -> str:
    """Refuse a case id made of the person's name: ids go into commit messages and logs."""
    if named_after(value, names):
        raise InvalidId(
            N_(
                "the case id {id} holds a part of the person's name: case ids go into commit "
                "messages, logs and CI output, where no name may be; leave --id out for a "
                "random id, or choose one that names no one"
            ),
            id=_printable(value),
        )
    return value


def check_handle_names_no_one(value: str, names: Iterable[str | None]) -> str:
    """Refuse a handle made of a person's name: handles go into commit messages and logs."""
    if named_after(value, names):
        raise InvalidId(
            N_(
                "the handle {handle} holds a part of a person's name: handles go into commit "
                "messages, logs and CI output, where no name may be; choose one by role or "
                "initials (kk, ema, tootukassa)"
            ),
            handle=_printable(value),
        )
    return value


def random_part(length: int, choice: Callable[[str], str] | None = None) -> str:
    if choice is None:
        import secrets  # 6 ms of start-up that only new ids need

        choice = secrets.choice
    return "".join(choice(ALPHABET) for _ in range(length))


def new_case_id(prefix: str | None, existing: Container[str]) -> str:
    """A fresh case id such as ``tartu-k7m3qx``, not among ``existing``."""
    while True:
        candidate = (
            f"{prefix}-{random_part(RANDOM_LENGTH)}" if prefix else random_part(RANDOM_LENGTH)
        )
        if candidate not in existing and is_case_id(candidate):
            return candidate


def document_name(date: str) -> str:
    """A unique name for an append-only document: ``2026-03-04-k3x9.yaml``."""
    return f"{date}-{random_part(DOCUMENT_SUFFIX_LENGTH)}.yaml"


def _printable(value: str) -> str:
    """Show an id the user typed without control characters (a NUL would cut the message)."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value[:60])
