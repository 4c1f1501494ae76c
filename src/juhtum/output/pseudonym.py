"""Keyed pseudonyms for exports given to third parties.

A person's pseudonym is an HMAC-SHA256 of who they are (their personal code, or
their name when there is none) under a key kept *outside* the case repository:
the same person gets the same pseudonym in every export made with the same key,
and nobody without the key can go back (a plain hash of a personal code is
reversed in a second: there are only a few million of them).

The export's text is rewritten before it is escaped for HTML or Markdown, after
NFC normalisation and case-insensitively:

- every registered person's name and each part of it, in every form Estonian
  inflects it to (Rebane, Rebase, Rebast, Rebasele, Rebasega…). The forms come
  from Vabamorf, the Estonian morphological synthesiser of EstNLTK (the optional
  extra ``juhtum[morph]``); without it only the names as registered, with endings
  added to them (Rein, Reinule), are found, and :attr:`Pseudonymiser.exact_only`
  says so;
- every valid Estonian personal code, whoever it belongs to (a checksum on every
  run of 11 digits): an unregistered person's gets the pseudonym they would have;
- the registered phone numbers in any spacing, with or without +372, and any
  number written with +372; the registered e-mail addresses and any other one;
- the registered addresses, their parts (street and number, postal code, town in
  every case form);
- the registered birth dates in every common Estonian way of writing a date
  (1971-06-03, 03.06.1971, 3.6.1971, 03.06.71, 3. juuni 1971).

Birth dates, addresses, e-mails and phone numbers are dropped, not pseudonymised.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from juhtum.errors import UserError
from juhtum.i18n import N_

KEY_BYTES = 32
DROPPED = "[…]"
KINDS = ("name", "personal_code", "birth_date", "phone", "address", "email")
"""What a replacement stood for, in the order the export's summary lists them."""

_LETTER = r"[^\W\d_]"
_APOSTROPHES = "'’ʼ"
_WORD = re.compile(rf"{_LETTER}+(?:[{_APOSTROPHES}-]{_LETTER}+)*")
# a name's edges: a letter, digit, apostrophe or hyphen next to a match means it is part of
# another word ("Anna-Liisa" is not "Liisa")
_BEFORE = rf"(?<![\w{_APOSTROPHES}-])"
_AFTER = rf"(?![\w{_APOSTROPHES}-])"
_CLITIC = "(?:gi|ki)?"
# an ending after an apostrophe, where the last letter is not said: Lamarche'iga
_ENDING = rf"(?:[{_APOSTROPHES}]\w+)?"
_MONTHS = ("jaan", "veebr", "märts", "apr", "mai", "juuni", "juuli", "aug", "sept", "okt", "nov", "dets")  # fmt: skip
"""How each month's name begins, in every case and abbreviated: "3. juunil", "3. sept."."""
_STREET_WORDS = r"(?:tn|tänav\w*|mnt|maantee\w*|pst|puiestee\w*|põik\w*|tee\w*|plats\w*)\.?"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CODE = re.compile(r"(?<!\d)\d{11}(?!\d)")
_ESTONIAN_PHONE = re.compile(r"(?<![\w+])(?:\+|00)372(?:[\s().-]*\d){7,8}(?!\d)")
CASES = ("n", "g", "p", "ill", "in", "el", "all", "ad", "abl", "tr", "ter", "es", "ab", "kom")
"""Estonian's 14 cases as Vabamorf names them; each is made in the singular and the plural."""


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
    identity = person.personal_code or " ".join(_nfc(person.name).casefold().split())
    digest = hmac.new(key, identity.encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest).decode("ascii")[:8]


def _token_pseudonym(key: bytes, token: str) -> str:
    digest = hmac.new(key, b"name-part:" + token.casefold().encode("utf-8"), hashlib.sha256)
    return "N-" + base64.b32encode(digest.digest()).decode("ascii")[:6]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold(text: str) -> str:
    """The key a form is looked up by: NFC, case-folded, one apostrophe, single spaces."""
    text = _nfc(text).casefold()
    for mark in _APOSTROPHES[1:]:
        text = text.replace(mark, "'")
    return " ".join(text.split())


def _literal(text: str) -> str:
    """A regular expression for ``text`` that any apostrophe and any spacing match."""
    out = []
    for char in _nfc(text):
        if char in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        elif char.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_WORD.fullmatch(w) and w[0].isupper() for w in words)


def _name_parts(name: str) -> list[str]:
    """The parts of a name that stand for a person in free text (an organisation's name
    stands whole; a person named inside it, "kontaktisik Piret Kallas", is found too)."""
    if _person_like(name):
        return [w for w in name.split() if len(w) >= 3]
    found: list[str] = []
    words = re.findall(r"[\w'’-]+", name)
    for first, second in itertools.pairwise(words):
        if _person_like(f"{first} {second}") and words.index(first) > 0:
            found += [w for w in (first, second) if len(w) >= 3]
    return found


Synthesiser = Callable[[str], set[str]]


def synthesiser() -> Synthesiser | None:
    """Every case form of a word, singular and plural, by Vabamorf; None when the optional
    extra (``pip install 'juhtum[morph]'``) is not installed."""
    import importlib

    try:  # EstNLTK has no type information: imported by name, used as Any
        morf = importlib.import_module("estnltk.vabamorf.morf").Vabamorf.instance()
    except ImportError:
        return None

    def forms(word: str) -> set[str]:
        found: set[str] = set()
        # as a proper name (Liisa, Tartu) and as any word (a surname that is a noun: Rebane,
        # Sepp, Mänd); a word Vabamorf cannot inflect (André) yields nothing
        for pos in ("H", ""):
            for number, case in itertools.product(("sg", "pl"), CASES):
                found.update(morf.synthesize(word, f"{number} {case}", pos))
            found.update(morf.synthesize(word, "adt", pos))  # the short illative: Tartusse
        return {_nfc(f) for f in found if f}

    return forms


def _date_patterns(born: str) -> list[str]:
    """Regular expressions for a birth date in the ways Estonians write one."""
    iso = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", born)
    dotted = re.fullmatch(r"\s*(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4}|\d{2})\s*", born)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif dotted:
        day, month, year = (int(g) for g in dotted.groups())
        if year < 100:  # 03.06.71: this century's year unless that is still to come
            import datetime as dt

            year += 2000 if 2000 + year <= dt.date.today().year else 1900
    else:
        return [_literal(born)] if len(born.strip()) >= 4 else []
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return [_literal(born)]
    d, m, y, yy = rf"0?{day}", rf"0?{month}", str(year), f"{year % 100:02d}"
    month_name = _MONTHS[month - 1]
    return [
        rf"(?<!\d){y}\s*-\s*{m}\s*-\s*{d}(?!\d)",
        rf"(?<!\d){d}\s*[./-]\s*{m}\s*[./-]\s*(?:{y}|{yy})(?!\d)",
        rf"(?<!\d){d}\.?\s*{month_name}\w*\.?\s*(?:{y}|{yy})(?!\d)",
    ]


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    for prefix in ("00372", "372"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 7:
            digits = digits[len(prefix) :]
            break
    if len(digits) < 5:
        return None
    country = r"(?:(?:\+|00)?\(?372\)?[\s.-]*)?"
    spaced = r"[\s().-]*".join(digits)
    return rf"(?<![\w+]){country}{spaced}(?!\d)"


class Pseudonymiser:
    """Rewrites text so that none of ``people`` can be told from it.

    ``synthesise`` gives a word's inflected forms (:func:`synthesiser`); without it
    only the names as written, endings added, are found and :attr:`exact_only` is True.
    :attr:`counts` says how many of each kind (:data:`KINDS`) were replaced."""

    def __init__(
        self, key: bytes, people: Iterable[Person], synthesise: Synthesiser | None = None
    ) -> None:
        people = [
            Person(_nfc(p.name), p.personal_code, p.birth_date, tuple(_nfc(c) for c in p.contacts))
            for p in people
        ]
        self.exact_only = synthesise is None
        self.key = key
        self.counts: Counter[str] = Counter()
        self._forms = synthesise
        self._cache: dict[str, set[str]] = {}
        # words (names, towns): a form's folded text -> (kind, replacement); and prefixes
        # any ending may follow, for a word the synthesiser cannot inflect (or is not there)
        self._words: dict[str, tuple[str, str]] = {}
        self._prefixes: dict[str, tuple[str, str]] = {}
        self._codes = {p.personal_code: pseudonym(key, p) for p in people if p.personal_code}

        owners: dict[str, set[str]] = {}
        for person in people:
            for part in _name_parts(person.name):
                owners.setdefault(part, set()).add(pseudonym(key, person))
        for person in people:
            alias = pseudonym(key, person)
            self._word(person.name, "name", alias)
            parts = person.name.split()
            if _person_like(person.name):
                # Estonian inflects only a full name's last word: "Mari Kasega"
                for form in self._inflect(parts[-1]):
                    self._word(" ".join([*parts[:-1], form]), "name", alias)

        def alias_of(part: str, aliases: set[str]) -> str:
            # a part only one person has stands for them; a shared one (a family's surname)
            # gets a pseudonym of its own
            return next(iter(aliases)) if len(aliases) == 1 else _token_pseudonym(key, part)

        for part, aliases in owners.items():
            self._name_word(part, alias_of(part, aliases))
        for part, aliases in owners.items():
            # "Liisa" alone stands for Anna-Liisa, unless someone is called Liisa
            for piece in part.split("-") if "-" in part else ():
                if len(piece) >= 3 and piece not in owners:
                    self._name_word(piece, alias_of(part, aliases))

        contacts = [c.strip() for p in people for c in p.contacts if len(c.strip()) >= 5]
        emails = [c for c in contacts if "@" in c]
        phones = [c for c in contacts if _looks_like_phone(c)]
        addresses = [c for c in contacts if c not in emails and c not in phones]
        # the passes, in order: (pattern, kind, replacement; None: a lookup by the match)
        self._passes: list[tuple[re.Pattern[str], str, str | None]] = []
        self._add("email", [_literal(e) for e in emails] + [_EMAIL.pattern])
        self._passes.append((_CODE, "personal_code", None))
        self._add("address", [p for a in addresses for p in self._address(a)])
        self._add("phone", [p for c in phones if (p := _phone_pattern(c))])
        self._add("phone", [_ESTONIAN_PHONE.pattern])
        births = {p.birth_date for p in people if p.birth_date}
        births |= {born for p in people if (born := _born(p.personal_code))}
        self._add("birth_date", [d for b in sorted(births) for d in _date_patterns(b)])
        self._prefix_order = sorted(self._prefixes, key=len, reverse=True)
        # longest first: "Anna-Liisa O'Connor" before "Anna-Liisa" before "Anna"; the edges
        # and endings written once (a pattern of a few thousand forms compiles in ~0.1 s)
        words = "|".join(_literal(w) for w in sorted(self._words, key=len, reverse=True))
        prefixes = "|".join(_literal(w) for w in self._prefix_order)
        if words or prefixes:
            either = [
                f"(?:{words}){_CLITIC}" if words else "",
                rf"(?:{prefixes})\w*" if prefixes else "",
            ]
            pattern = re.compile(
                _BEFORE + "(?:" + "|".join(e for e in either if e) + ")" + _ENDING + _AFTER,
                re.IGNORECASE,
            )
            self._passes.append((pattern, "word", None))

    # -- building -------------------------------------------------------------------

    def _add(self, kind: str, patterns: list[str]) -> None:
        patterns = sorted(set(patterns), key=len, reverse=True)
        if patterns:
            pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            self._passes.append((pattern, kind, DROPPED))

    def _inflect(self, word: str) -> set[str]:
        if self._forms is None:
            return set()
        if word not in self._cache:
            self._cache[word] = self._forms(word)
        return self._cache[word]

    def _word(self, form: str, kind: str, replacement: str) -> None:
        if len(_fold(form)) >= 2:  # a blank name would match everywhere
            self._words.setdefault(_fold(form), (kind, replacement))

    def _name_word(self, word: str, replacement: str, kind: str = "name") -> None:
        """A word and every form of it; any ending after the word as written too, which is
        all there is without the synthesiser (and for a word it cannot inflect)."""
        if len(_fold(word)) < 2:
            return
        self._prefixes.setdefault(_fold(word), (kind, replacement))
        for form in self._inflect(word):
            self._word(form, kind, replacement)

    def _address(self, address: str) -> list[str]:
        patterns = [_literal(address)]
        streets = re.finditer(
            rf"({_LETTER}+(?:-{_LETTER}+)*)\s+(?:{_STREET_WORDS}\s*)?(\d+)",
            address,
        )
        for street in streets:
            name, number = street.groups()
            if name.casefold() in {"tn", "mnt", "pst", "tee"}:
                continue
            patterns.append(
                _BEFORE + rf"{_literal(name)}\w*\s+(?:{_STREET_WORDS}\s*)?{number}(?!\d)"
                rf"(?:{_LETTER}(?!\w))?(?:\s*[-/]\s*\d+)?"
            )
        for segment in re.split(r"[,;()]", address):
            segment = segment.strip()
            if len(segment) >= 5:
                patterns.append(_BEFORE + _literal(segment) + _AFTER)
            patterns += [
                rf"(?<!\d){code}(?!\d)" for code in re.findall(r"(?<!\d)\d{5}(?!\d)", segment)
            ]
            town = re.sub(r"\d+", " ", segment).split()
            if 1 <= len(town) <= 2 and all(_WORD.fullmatch(w) and w[0].isupper() for w in town):
                # a town, a village, a parish: in every case form (Tartus, Tartust)
                if len(town) == 1:
                    self._name_word(town[0], DROPPED, "address")
                else:
                    self._word(" ".join(town), "address", DROPPED)
                    for form in self._inflect(town[-1]):
                        self._word(f"{town[0]} {form}", "address", DROPPED)
        return patterns

    # -- rewriting --------------------------------------------------------------------

    def apply(self, text: str) -> str:
        text = _nfc(text)
        for pattern, kind, replacement in self._passes:
            if kind == "personal_code":
                text = pattern.sub(self._code, text)
            elif kind == "word":
                text = pattern.sub(self._lookup, text)
            else:
                assert replacement is not None
                text, n = pattern.subn(replacement, text)
                self.counts[kind] += n
        return text

    def _code(self, match: re.Match[str]) -> str:
        from stdnum.ee import ik

        code = match.group(0)
        if code in self._codes:
            self.counts["personal_code"] += 1
            return self._codes[code]
        if not ik.is_valid(code):
            return code
        self.counts["personal_code"] += 1
        return pseudonym(self.key, Person("", code))

    def _lookup(self, match: re.Match[str]) -> str:
        found = _fold(match.group(0))
        hit = self._words.get(found)
        if hit is None and "'" in found:
            hit = self._words.get(found.rsplit("'", 1)[0])
        if hit is None and found[-2:] in ("gi", "ki"):
            hit = self._words.get(found[:-2])
        if hit is None:
            hit = next((self._prefixes[k] for k in self._prefix_order if found.startswith(k)), None)
        if hit is None:  # pragma: no cover - every match is a form or starts with a prefix
            hit = ("name", DROPPED)  # were one not, it still goes
        kind, replacement = hit
        self.counts[kind] += 1
        return replacement


def _born(code: str | None) -> str | None:
    """The birth date a valid personal code carries."""
    from stdnum.ee import ik

    if not code or not ik.is_valid(code):
        return None
    return str(ik.get_birth_date(code).isoformat())


def _looks_like_phone(contact: str) -> bool:
    return bool(re.fullmatch(r"\+?[\d\s().-]{5,}", contact))
