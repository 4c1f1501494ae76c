"""The content hash a signature binds to (domain.md, *Content hash*).

SHA-256, hex, of the RFC 8785 (JCS) canonical JSON of the plan as parsed,
without ``signatures``, every string NFC-normalised. Comments, quoting, key
order and the Unicode normal form of the file never change it, an absent key
and a ``null`` do, and anyone can recompute it: parse the YAML by the YAML 1.2
core schema, drop ``signatures``, canonicalise, hash.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

import rfc8785

EXCLUDED = "signatures"


class HashError(ValueError):
    """The document holds a value canonical JSON cannot represent (NaN, a huge integer)."""


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def content_hash(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k != EXCLUDED}
    try:
        canonical = rfc8785.dumps(_nfc(body))
    except (rfc8785.CanonicalizationError, ValueError, TypeError) as exc:
        raise HashError(str(exc)) from None
    return hashlib.sha256(canonical).hexdigest()
