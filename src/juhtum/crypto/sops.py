"""A YAML document's values encrypted the SOPS way, so that SOPS itself opens a juhtum file.

What is matched, and where SOPS says so (getsops/sops): a value, its type and its associated
data in :mod:`juhtum.crypto.values`; which values are encrypted (``encrypted_regex``) in
:mod:`juhtum.crypto.selection`; and here, the document:

- the MAC is SHA-512 over every value's text (nulls skipped) in document order, hex in
  capitals, stored encrypted as ``str`` with ``lastmodified`` (RFC 3339, UTC) as its associated
  data (``sops.go``: ``Tree.Encrypt``, ``ToBytes``; ``cmd/sops/common``);
- the data key is 32 random bytes, wrapped with age to each recipient and stored armored
  (``age/keysource.go``) under ``sops.age``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from juhtum.crypto import keys
from juhtum.crypto.errors import BadFormat, NoKey, Tampered
from juhtum.crypto.selection import (
    ANCHORS,
    EXTENSION,
    regex_for,
    selector,
    sensitive_keys,
    sensitive_paths,
)
from juhtum.crypto.values import (
    ENC,
    NONCE_SIZE,
    SOPS_KEY,
    TAG_SIZE,
    Leaf,
    Path_,
    Unauthentic,
    additional_data,
    decrypt_value,
    dotted,
    encrypt_value,
    from_text,
    replace,
    to_text,
)

if TYPE_CHECKING:
    from pyrage import x25519

    from juhtum.documents.schemas import Pattern

__all__ = [
    "ANCHORS",
    "DATA_KEY_SIZE",
    "ENC",
    "EXTENSION",
    "FORMAT_VERSION",
    "MAC_ONLY_ENCRYPTED_INIT",
    "NONCE_SIZE",
    "SOPS_KEY",
    "TAG_SIZE",
    "TIME_FORMAT",
    "Leaf",
    "Opened",
    "Path_",
    "Unauthentic",
    "additional_data",
    "decrypt_document",
    "decrypt_value",
    "encrypt_document",
    "encrypt_value",
    "from_text",
    "is_encrypted",
    "open_document",
    "recipients_of",
    "regex_for",
    "rewrap",
    "rotate",
    "sensitive_keys",
    "sensitive_paths",
    "to_text",
]

FORMAT_VERSION = "3.9.0"
"""The SOPS release whose file format juhtum writes (the ``version`` SOPS records)."""
DATA_KEY_SIZE = 32
MAC_ONLY_ENCRYPTED_INIT = bytes.fromhex(
    "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69"
)
"""SHA-256 of ``sops``: what SOPS hashes first when ``mac_only_encrypted`` is set."""
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


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
        encrypted = selector(meta)
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
                raise BadFormat(where=where, field=dotted(path))
            try:
                plain = decrypt_value(value, data_key, aad)
            except Unauthentic as exc:
                raise Tampered(where=where, field=dotted(path)) from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadFormat(where=where, field=dotted(path)) from exc
            kind, text = to_text(plain)
            reuse.setdefault((aad, kind, text), []).append(value)
        if not mac_only or secret:
            digest.update(to_text(plain)[1].encode("utf-8"))
        return plain

    plain = replace(data, decrypt)
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
    encrypted = selector({"encrypted_regex": regex})
    digest = hashlib.sha512()
    used: dict[tuple[str, str, str], int] = {}

    def seal(path: Path_, value: Any) -> Any:
        if not isinstance(value, str | int | float | bool):
            raise TypeError(f"cannot encrypt a {type(value).__name__} at {dotted(path)}")
        kind, text = to_text(value)
        digest.update(text.encode("utf-8"))
        if not encrypted(path):
            return value
        aad = additional_data(path)
        key = (aad, kind, text)
        earlier = reuse.get(key, ())
        n = used[key] = used.get(key, 0) + 1
        return earlier[n - 1] if n <= len(earlier) else encrypt_value(value, data_key, aad)

    sealed = replace(plain, seal)
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
