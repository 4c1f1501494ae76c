"""The content hash a signature binds to (domain.md, *Content hash*).

SHA-256, hex, of the RFC 8785 (JCS) canonical JSON of the plan as parsed,
without ``signatures``, every string NFC-normalised. Comments, quoting, key
order and the Unicode normal form of the file never change it, an absent key
and a ``null`` do, and anyone can recompute it: parse the YAML by the YAML 1.2
core schema, drop ``signatures``, canonicalise, hash.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

import rfc8785

EXCLUDED = "signatures"
RECORDED = "content_hash"
"""In an encrypted repository, the plan's own record of its plaintext's hash (left out of the
hash; what a reader without the key takes as the hash: juhtum.crypto.repository)."""


class HashError(ValueError):
    """The document holds a value canonical JSON cannot represent (NaN, a huge integer)."""


_SAFE_INTEGER = 2**53 - 1


class _NeedsFullCanonicaliser(Exception):
    """The value holds something the fast path does not render as RFC 8785 does."""


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _check_plain(value: Any) -> None:
    """Raise unless ``json.dumps`` renders ``value`` exactly as RFC 8785 does.

    That holds for strings, booleans, null, integers within JSON's safe range,
    and objects whose keys lie in the Basic Multilingual Plane (RFC 8785 sorts
    keys by UTF-16 code units, Python by code points: they agree there). Floats
    (ECMAScript number formatting) and anything else go to the full canonicaliser.
    """
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > _SAFE_INTEGER:
            raise _NeedsFullCanonicaliser
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or any(ord(c) > 0xFFFF for c in key):
                raise _NeedsFullCanonicaliser
            _check_plain(item)
        return
    if isinstance(value, list):
        for item in value:
            _check_plain(item)
        return
    raise _NeedsFullCanonicaliser


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of ``value`` (already NFC-normalised).

    The rfc8785 package is the reference; for the values a plan holds (text,
    whole numbers, booleans, null) the standard library renders the very same
    bytes several times faster, and a property test holds the two equal.
    """
    try:
        _check_plain(value)
    except _NeedsFullCanonicaliser:
        try:
            return rfc8785.dumps(value)
        except (rfc8785.CanonicalizationError, ValueError, TypeError) as exc:
            raise HashError(str(exc)) from None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no JSON text can carry it
        raise HashError("a string holds a lone surrogate") from None


def _sealed(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("ENC[")
    if isinstance(value, dict):
        return any(_sealed(v) for v in value.values())
    if isinstance(value, list):
        return any(_sealed(v) for v in value)
    return False


def content_hash(document: dict[str, Any]) -> str:
    recorded = document.get(RECORDED)
    body = {k: v for k, v in document.items() if k not in (EXCLUDED, RECORDED)}
    if isinstance(recorded, str) and _sealed(body):  # read without its key: as recorded
        return recorded
    return hashlib.sha256(canonical_json(_nfc(body))).hexdigest()
