"""A YAML document's values encrypted the SOPS way, so that SOPS itself opens a juhtum file.

What is matched, and where SOPS says so (getsops/sops):

- a value is ``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`` (``aes/cipher.go``): AES-256-GCM
  with a 32-byte random IV, the base64 of ciphertext and of the 16-byte tag apart; the
  plaintext is the value's text, typed ``str``, ``int``, ``float`` (Go's shortest decimal
  without exponent) or ``bool`` (``True``/``False``, as SOPS's Python original wrote it);
  an empty string stays empty and a null stays null, unencrypted;
- the associated data of a value is its path's mapping keys joined by ``:`` with a trailing
  ``:`` (``goals:statement:``); list indices are not part of it (``sops.go``, ``Encrypt``),
  so a value moved to another field no longer decrypts, while a list may be reordered;
- the MAC is SHA-512 over every value's text (nulls skipped) in document order, hex in
  capitals, stored encrypted as ``str`` with ``lastmodified`` (RFC 3339, UTC) as its associated
  data (``sops.go``: ``Tree.Encrypt``, ``ToBytes``; ``cmd/sops/common``);
- the data key is 32 random bytes, wrapped with age to each recipient and stored armored
  (``age/keysource.go``) under ``sops.age``.

Which values SOPS decrypts is decided by the metadata, not by the ``ENC[`` markers
(``Tree.Decrypt`` calls ``shouldBeEncrypted``; an implementation such as the ``sops-age``
package follows the markers instead). juhtum's choice is per field, from the schema's
``x-sensitive``; the SOPS option that says the same is ``encrypted_regex``: a value is
encrypted when any mapping key on its path matches it. Each file therefore gets the regex
``^(?:k1|k2|…)$`` of the keys of its sensitive fields, and every value beneath such a key is
encrypted, so both kinds of implementation open exactly the values juhtum encrypted. A key
name sensitive at one place of a document is thus sensitive everywhere in that document: where
that would hide a field a check needs without a key, :data:`ANCHORS` names a key above the
sensitive field instead, and the tests list every readable field so hidden
(``tests/crypto/test_sops.py``), so that a new schema field cannot hide one unnoticed.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from juhtum.crypto import keys
from juhtum.crypto.errors import BadFormat, NoKey, Tampered

if TYPE_CHECKING:
    from pyrage import x25519

    from juhtum.schemas import Pattern

SOPS_KEY = "sops"
FORMAT_VERSION = "3.9.0"
"""The SOPS release whose file format juhtum writes (the ``version`` SOPS records)."""
NONCE_SIZE = 32
"""SOPS's IV length for values (``aes/cipher.go``: ``nonceSize``)."""
TAG_SIZE = 16
DATA_KEY_SIZE = 32
MAC_ONLY_ENCRYPTED_INIT = bytes.fromhex(
    "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69"
)
"""SHA-256 of ``sops``: what SOPS hashes first when ``mac_only_encrypted`` is set."""
ENC = re.compile(r"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

ANCHORS: dict[tuple[str, ...], tuple[str, ...]] = {
    # ``summary`` is also the assessment's own summary, whose ``agreed_by`` handles the
    # reference checks read without a key; the dates of earlier assessments are hidden instead
    ("previous_assessments", "*", "summary"): ("previous_assessments",),
}
"""A sensitive field → the field whose key decides its encryption (see above)."""

EXTENSION = "x-*"
"""In a pattern, any extension field (``x-…``) of the document."""

Path_ = tuple[str | int, ...]
Leaf = str | int | float | bool


# -- values ------------------------------------------------------------------------------


def additional_data(path: Path_) -> str:
    """SOPS's associated data for a value at ``path``: mapping keys only, each ending in ``:``."""
    return "".join(f"{p}:" for p in path if isinstance(p, str))


def to_text(value: Leaf) -> tuple[str, str]:
    """The value's SOPS type tag and the text SOPS encrypts and hashes for it."""
    if isinstance(value, bool):
        return "bool", "True" if value else "False"
    if isinstance(value, int):
        return "int", str(value)
    if isinstance(value, float):
        return "float", _go_float(value)
    return "str", value


def _go_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'f', -1, 64)``: the shortest decimal, never an exponent."""
    if not math.isfinite(value):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(value)]
    return format(Decimal(repr(value)).normalize(), "f")


def from_text(kind: str, text: str) -> Leaf:
    if kind == "str":
        return text
    if kind in ("int", "int64"):
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        # Go's strconv.ParseBool
        if text in ("1", "t", "T", "TRUE", "true", "True"):
            return True
        if text in ("0", "f", "F", "FALSE", "false", "False"):
            return False
    raise ValueError(kind)


def encrypt_value(value: Leaf, key: bytes, aad: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kind, text = to_text(value)
    if text == "" and kind == "str":
        return ""
    iv = os.urandom(NONCE_SIZE)
    sealed = AESGCM(key).encrypt(iv, text.encode("utf-8"), aad.encode("utf-8"))
    data, tag = _b64(sealed[:-TAG_SIZE]), _b64(sealed[-TAG_SIZE:])
    return f"ENC[AES256_GCM,data:{data},iv:{_b64(iv)},tag:{tag},type:{kind}]"


class Unauthentic(Exception):
    pass


def decrypt_value(enc: str, key: bytes, aad: str) -> Leaf:
    """The value in ``enc``; ValueError when it is not SOPS's format, :class:`Unauthentic`
    when it does not authenticate (another key, another path, a changed byte)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if enc == "":
        return ""
    found = ENC.match(enc)
    if found is None:
        raise ValueError("not ENC[…]")
    data, iv, tag = (base64.b64decode(found.group(i), validate=True) for i in (1, 2, 3))
    if len(iv) < 8 or len(tag) != TAG_SIZE:  # AESGCM itself refuses shorter IVs
        raise ValueError("bad IV or tag")
    try:
        text = AESGCM(key).decrypt(iv, data + tag, aad.encode("utf-8"))
    except InvalidTag as exc:
        raise Unauthentic from exc
    return from_text(found.group(4), text.decode("utf-8"))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# -- which values ------------------------------------------------------------------------


def sensitive_keys(data: dict[str, Any], sensitive: Iterable[Pattern]) -> list[str]:
    """The mapping keys that decide which of the document's values are encrypted: each
    sensitive field's own key, or the one :data:`ANCHORS` puts above it."""
    from juhtum.schemas import values_at

    found: set[str] = set()
    for pattern in sensitive:
        if tuple(pattern) == (EXTENSION,):
            found |= {k for k in data if isinstance(k, str) and k.startswith("x-")}
            continue
        for path, _ in values_at(data, ANCHORS.get(tuple(pattern), pattern)):
            names = [p for p in path if isinstance(p, str)]
            if names:
                found.add(names[-1])
    return sorted(found)


def regex_for(names: Sequence[str]) -> str:
    return "^(?:" + "|".join(re.escape(n) for n in names) + ")$"


def _selector(metadata: dict[str, Any]) -> Callable[[Path_], bool]:
    """SOPS's ``shouldBeEncrypted`` for the options a YAML file's metadata may carry."""
    unencrypted_suffix = metadata.get("unencrypted_suffix") or ""
    encrypted_suffix = metadata.get("encrypted_suffix") or ""
    unencrypted_regex = metadata.get("unencrypted_regex") or ""
    encrypted_regex = metadata.get("encrypted_regex") or ""
    if not any((unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex)):
        unencrypted_suffix = "_unencrypted"  # SOPS's default
    plain_re = re.compile(unencrypted_regex) if unencrypted_regex else None
    enc_re = re.compile(encrypted_regex) if encrypted_regex else None

    def encrypted(path: Path_) -> bool:
        names = [p for p in path if isinstance(p, str)]
        result = True
        if unencrypted_suffix and any(n.endswith(unencrypted_suffix) for n in names):
            result = False
        if encrypted_suffix:
            result = any(n.endswith(encrypted_suffix) for n in names)
        if plain_re is not None and any(plain_re.search(n) for n in names):
            result = False
        if enc_re is not None:
            result = any(enc_re.search(n) for n in names)
        return result

    return encrypted


def _leaves(node: Any, path: Path_ = ()) -> Any:
    """Every non-null leaf with its path, in document order, as SOPS walks a tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if path == () and k == SOPS_KEY:
                continue
            yield from _leaves(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    elif node is not None:
        yield path, node


def _replace(node: Any, fn: Callable[[Path_, Any], Any], path: Path_ = ()) -> Any:
    if isinstance(node, dict):
        return {
            k: _replace(v, fn, (*path, str(k)))
            for k, v in node.items()
            if not (path == () and k == SOPS_KEY)
        }
    if isinstance(node, list):
        return [_replace(v, fn, (*path, i)) for i, v in enumerate(node)]
    if node is None:
        return None
    return fn(path, node)


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


# -- documents ---------------------------------------------------------------------------


@dataclass
class Opened:
    """A decrypted document and what re-encrypting it without changes needs."""

    plain: dict[str, Any]
    data_key: bytes
    document: dict[str, Any]
    """The encrypted document as read, its ``sops`` block included."""
    mac: str
    reuse: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    """``(associated data, type, text)`` → the ``ENC[…]`` strings that hold it, in document
    order (equal values under one key, in a list, have ciphertexts of their own)."""

    @property
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.document[SOPS_KEY]
        return meta

    @property
    def recipients(self) -> list[str]:
        return recipients_of(self.document)


def is_encrypted(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get(SOPS_KEY), dict)


def recipients_of(data: dict[str, Any]) -> list[str]:
    """The age recipients a document is encrypted to (readable without any key)."""
    meta = data.get(SOPS_KEY)
    entries = meta.get("age") if isinstance(meta, dict) else None
    return [str(e["recipient"]) for e in entries or () if isinstance(e, dict) and "recipient" in e]


def open_document(
    data: dict[str, Any],
    identities: Iterable[x25519.Identity] | None = None,
    *,
    where: str = "document",
) -> Opened:
    """Decrypt ``data`` with ``identities`` (by default those of :func:`keys.load_identities`);
    :class:`NoKey` when none opens it, :class:`Tampered` when a value or the MAC does not
    authenticate. ``where`` (the file's path) is what the errors name."""
    meta = data.get(SOPS_KEY)
    if not isinstance(meta, dict):
        raise BadFormat(where=where, field=SOPS_KEY)
    entries = meta.get("age")
    if not isinstance(entries, list) or not entries:
        raise BadFormat(where=where, field="sops.age")
    chosen = list(keys.load_identities() if identities is None else identities)
    data_key = None
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("enc"), str):
            data_key = keys.unwrap(entry["enc"], chosen)
            if data_key is not None:
                break
    if data_key is None:
        raise NoKey(where=where, recipients=recipients_of(data))
    if len(data_key) != DATA_KEY_SIZE:
        raise BadFormat(where=where, field="sops.age")
    try:
        encrypted = _selector(meta)
    except re.error as exc:
        raise BadFormat(where=where, field="sops.encrypted_regex") from exc
    mac_only = meta.get("mac_only_encrypted") is True
    digest = hashlib.sha512()
    if mac_only:
        digest.update(MAC_ONLY_ENCRYPTED_INIT)
    reuse: dict[tuple[str, str, str], list[str]] = {}

    def decrypt(path: Path_, value: Any) -> Any:
        secret = encrypted(path)
        plain = value
        if secret:
            aad = additional_data(path)
            if not isinstance(value, str):
                raise BadFormat(where=where, field=_dotted(path))
            try:
                plain = decrypt_value(value, data_key, aad)
            except Unauthentic as exc:
                raise Tampered(where=where, field=_dotted(path)) from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadFormat(where=where, field=_dotted(path)) from exc
            kind, text = to_text(plain)
            reuse.setdefault((aad, kind, text), []).append(value)
        if not mac_only or secret:
            digest.update(to_text(plain)[1].encode("utf-8"))
        return plain

    plain = _replace(data, decrypt)
    mac = digest.hexdigest().upper()
    stored = meta.get("mac")
    modified = meta.get("lastmodified")
    if not isinstance(stored, str) or not isinstance(modified, str):
        raise BadFormat(where=where, field="sops.mac")
    try:
        expected = decrypt_value(stored, data_key, modified)
    except Unauthentic as exc:
        raise Tampered(where=where, field="sops.mac") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadFormat(where=where, field="sops.mac") from exc
    if expected != mac:
        raise Tampered(where=where, field="sops.mac")
    return Opened(plain, data_key, data, mac, reuse)


def decrypt_document(
    data: dict[str, Any],
    identities: Iterable[x25519.Identity] | None = None,
    *,
    where: str = "document",
) -> dict[str, Any]:
    """The document's plaintext, its ``sops`` block removed."""
    return open_document(data, identities, where=where).plain


def _seal(
    plain: dict[str, Any],
    regex: str,
    data_key: bytes,
    reuse: dict[tuple[str, str, str], list[str]],
) -> tuple[dict[str, Any], str]:
    """The encrypted values and the MAC's hex of ``plain``."""
    encrypted = _selector({"encrypted_regex": regex})
    digest = hashlib.sha512()
    used: dict[tuple[str, str, str], int] = {}

    def seal(path: Path_, value: Any) -> Any:
        if not isinstance(value, str | int | float | bool):
            raise TypeError(f"cannot encrypt a {type(value).__name__} at {_dotted(path)}")
        kind, text = to_text(value)
        digest.update(text.encode("utf-8"))
        if not encrypted(path):
            return value
        aad = additional_data(path)
        key = (aad, kind, text)
        earlier = reuse.get(key, ())
        n = used[key] = used.get(key, 0) + 1
        return earlier[n - 1] if n <= len(earlier) else encrypt_value(value, data_key, aad)

    sealed = _replace(plain, seal)
    return sealed, digest.hexdigest().upper()


def _metadata(
    *,
    age: list[dict[str, str]],
    data_key: bytes,
    mac: str,
    regex: str,
    now: datetime | None,
) -> dict[str, Any]:
    modified = (now or datetime.now(UTC)).astimezone(UTC).strftime(TIME_FORMAT)
    return {
        "age": age,
        "lastmodified": modified,
        "mac": encrypt_value(mac, data_key, modified),
        "encrypted_regex": regex,
        "version": FORMAT_VERSION,
    }


def _age_entries(
    data_key: bytes, recipients: Sequence[str], previous: Opened | None
) -> list[dict[str, str]]:
    kept: dict[str, str] = {}
    if previous is not None and previous.data_key == data_key:
        for entry in previous.metadata.get("age") or ():
            if isinstance(entry, dict) and isinstance(entry.get("enc"), str):
                kept.setdefault(str(entry.get("recipient")), entry["enc"])
    return [
        {"recipient": r, "enc": kept.get(r) or keys.wrap(data_key, r)}
        for r in dict.fromkeys(recipients)
    ]


def encrypt_document(
    data: dict[str, Any],
    sensitive: Iterable[Pattern],
    recipients: Sequence[str],
    previous: Opened | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """``data`` (plaintext, no ``sops`` block) with every value beneath a sensitive field
    encrypted and a ``sops`` block wrapping the data key to each of ``recipients``.

    With ``previous`` (the same file as last opened), its data key stays and every value
    whose plaintext and place are unchanged keeps its ciphertext; when nothing changed at
    all, the previous document is returned as it was, so a save changes no byte. A recipient
    left out keeps being able to read with the data key they may have kept: to shut someone
    out, :func:`rotate`.
    """
    if not recipients:
        raise ValueError("a document is encrypted to at least one recipient")
    for r in recipients:
        keys.parse_recipient(r)
    plain = {k: v for k, v in data.items() if k != SOPS_KEY}
    regex = regex_for(sensitive_keys(plain, sensitive))
    if previous is not None:
        data_key, reuse = previous.data_key, previous.reuse
    else:
        data_key, reuse = os.urandom(DATA_KEY_SIZE), {}
    sealed, mac = _seal(plain, regex, data_key, reuse)
    if previous is not None:
        old = previous.document
        unchanged = (
            mac == previous.mac
            and previous.metadata.get("encrypted_regex") == regex
            and {k: v for k, v in old.items() if k != SOPS_KEY} == sealed
            and previous.recipients == list(dict.fromkeys(recipients))
        )
        if unchanged:
            return copy.deepcopy(old)
    meta = _metadata(
        age=_age_entries(data_key, recipients, previous),
        data_key=data_key,
        mac=mac,
        regex=regex,
        now=now,
    )
    return {**sealed, SOPS_KEY: meta}


def rewrap(
    data: dict[str, Any],
    identities: Iterable[x25519.Identity] | None,
    recipients: Sequence[str],
    *,
    where: str = "document",
) -> dict[str, Any]:
    """The document with its data key wrapped to ``recipients`` instead; every value, the
    MAC and ``lastmodified`` stay as they are (what is signed over plaintext still holds).
    A removed recipient who kept the old data key can still read these values: revoking
    access is :func:`rotate`."""
    opened = open_document(data, identities, where=where)
    for r in recipients:
        keys.parse_recipient(r)
    if not recipients:
        raise ValueError("a document is encrypted to at least one recipient")
    out = copy.deepcopy(data)
    out[SOPS_KEY]["age"] = _age_entries(opened.data_key, recipients, opened)
    return out


def rotate(
    data: dict[str, Any],
    identities: Iterable[x25519.Identity] | None,
    recipients: Sequence[str],
    *,
    now: datetime | None = None,
    where: str = "document",
) -> dict[str, Any]:
    """The document under a new data key, wrapped to ``recipients``, every value encrypted
    anew: someone who kept the old data key cannot read what is written from now on."""
    opened = open_document(data, identities, where=where)
    regex = opened.metadata.get("encrypted_regex")
    if not isinstance(regex, str) or not regex:
        raise BadFormat(where=where, field="sops.encrypted_regex")
    for r in recipients:
        keys.parse_recipient(r)
    if not recipients:
        raise ValueError("a document is encrypted to at least one recipient")
    data_key = os.urandom(DATA_KEY_SIZE)
    sealed, mac = _seal(opened.plain, regex, data_key, {})
    meta = _metadata(
        age=_age_entries(data_key, recipients, None),
        data_key=data_key,
        mac=mac,
        regex=regex,
        now=now,
    )
    return {**sealed, SOPS_KEY: meta}


def sensitive_paths(kind: str) -> list[Pattern]:
    """The fields of a document kind its schema marks ``x-sensitive`` (``$ref``\\ s
    followed); every value beneath one of them is sensitive too. ``("x-*",)`` stands for
    the document's extension fields when its schema marks them (``patternProperties``)."""
    from juhtum.schemas import field_index, load, schema_name

    found = list(field_index(kind).sensitive)
    extensions = (load(schema_name(kind)).get("patternProperties") or {}).get("^x-")
    if isinstance(extensions, dict) and extensions.get("x-sensitive") is True:
        found.append((EXTENSION,))
    return found
