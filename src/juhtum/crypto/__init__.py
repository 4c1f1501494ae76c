"""Case documents encrypted the SOPS way: every ``x-sensitive`` value under AES-256-GCM, a
per-file data key wrapped with age to each person who may read the case.

Imported only by code that needs plaintext, never at start-up: ``cryptography`` and
``pyrage`` are imported inside the functions that use them. See :mod:`juhtum.crypto.sops`
for the format and :mod:`juhtum.crypto.keys` for identities and recipients.
"""

from __future__ import annotations

from juhtum.crypto.errors import (
    BadFormat,
    BadIdentity,
    BadRecipient,
    CryptoError,
    NoKey,
    Tampered,
)
from juhtum.crypto.keys import load_identities, parse_identities, recipient_of
from juhtum.crypto.selection import sensitive_paths
from juhtum.crypto.sops import (
    Opened,
    decrypt_document,
    encrypt_document,
    is_encrypted,
    open_document,
    recipients_of,
    rewrap,
    rotate,
)

__all__ = [
    "BadFormat",
    "BadIdentity",
    "BadRecipient",
    "CryptoError",
    "NoKey",
    "Opened",
    "Tampered",
    "decrypt_document",
    "encrypt_document",
    "is_encrypted",
    "load_identities",
    "open_document",
    "parse_identities",
    "recipient_of",
    "recipients_of",
    "rewrap",
    "rotate",
    "sensitive_paths",
]
