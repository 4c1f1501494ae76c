"""Keyed pseudonyms for exports given to third parties.

A person's pseudonym is an HMAC-SHA256 of who they are (their personal code, or
their name when there is none) under a key kept *outside* the case repository:
the same person gets the same pseudonym in every export made with the same key,
and nobody without the key can go back (a plain hash of a personal code is
reversed in a second: there are only a few million of them).

The export's text is rewritten: every registered person's name, each part of a
person's name (with the case endings Estonian adds: Rein, Reinul, Reinu), their
personal codes and birth dates. Birth dates, addresses, e-mails and phone numbers are
dropped, not pseudonymised.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from juhtum.errors import UserError
from juhtum.i18n import N_

KEY_BYTES = 32
DROPPED = "[…]"
_WORD = re.compile(r"[A-ZÕÄÖÜŠŽ][a-zõäöüšž]+(?:-[A-ZÕÄÖÜŠŽ][a-zõäöüšž]+)?")


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "juhtum" / "pseudonym.key"


def load_key(path: Path | None, repository: Path) -> bytes:
    """The key at ``path`` (made, readable by you alone, when missing); never one inside the
    case repository, where it would travel with the data it protects."""
    path = (path or default_key_path()).expanduser().resolve()
    if repository.resolve() in (path, *path.parents):
        raise UserError(
            N_("the pseudonym key must be kept outside the case repository, not in {path}"),
            path=str(path),
        )
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(KEY_BYTES))
    key = path.read_bytes()
    if len(key) < 16:
        raise UserError(N_("the pseudonym key {path} is too short"), path=str(path))
    return key


@dataclass(frozen=True)
class Person:
    name: str
    personal_code: str | None = None
    birth_date: str | None = None
    contacts: tuple[str, ...] = ()
    """Address, e-mail, phone: dropped, like birth dates."""


def pseudonym(key: bytes, person: Person) -> str:
    identity = person.personal_code or " ".join(person.name.casefold().split())
    digest = hmac.new(key, identity.encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest).decode("ascii")[:8]


def _token_pseudonym(key: bytes, token: str) -> str:
    digest = hmac.new(key, b"name-part:" + token.casefold().encode("utf-8"), hashlib.sha256)
    return "N-" + base64.b32encode(digest.digest()).decode("ascii")[:6]


def _person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_WORD.fullmatch(w) for w in words)


def _name_parts(name: str) -> list[str]:
    """The parts of a name that stand for a person in free text (an organisation's name
    stands whole; a person named inside it, "kontaktisik Piret Kallas", is found too)."""
    if _person_like(name):
        return [w for w in name.split() if len(w) >= 3]
    found: list[str] = []
    words = re.findall(r"[\w-]+", name)
    for first, second in itertools.pairwise(words):
        if _person_like(f"{first} {second}") and words.index(first) > 0:
            found += [w for w in (first, second) if len(w) >= 3]
    return found


class Pseudonymiser:
    def __init__(self, key: bytes, people: Iterable[Person]) -> None:
        people = list(people)
        owners: dict[str, set[str]] = {}
        for person in people:
            for part in _name_parts(person.name):
                owners.setdefault(part, set()).add(pseudonym(key, person))
        replacements: dict[str, str] = {}
        for person in people:
            alias = pseudonym(key, person)
            replacements[person.name] = alias
            if person.personal_code:
                replacements[person.personal_code] = alias
        for part, aliases in owners.items():
            # a part only one person has stands for them; a shared one (a family's surname)
            # gets a pseudonym of its own
            replacements.setdefault(
                part, next(iter(aliases)) if len(aliases) == 1 else _token_pseudonym(key, part)
            )
        for person in people:
            for contact in person.contacts:
                if len(contact) >= 5:
                    replacements[contact] = DROPPED
        births = {p.birth_date for p in people if p.birth_date}
        for born in births:
            year, month, day = born.split("-")
            replacements[born] = DROPPED
            replacements[f"{int(day)}.{int(month)}.{year}"] = DROPPED
            replacements[f"{day}.{month}.{year}"] = DROPPED
        self.replacements = replacements
        ordered = sorted(replacements, key=len, reverse=True)
        self._pattern = (
            re.compile(
                "|".join(
                    rf"(?<!\w){re.escape(k)}\w*" if k[:1].isalpha() else re.escape(k)
                    for k in ordered
                )
            )
            if ordered
            else None
        )
        self._ordered = ordered

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            for key in self._ordered:
                if found.startswith(key):
                    return self.replacements[key]
            return found  # pragma: no cover - every match starts with a key

        return self._pattern.sub(swap, text)
