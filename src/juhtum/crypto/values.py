"""One value of a SOPS document, encrypted or read, and the walk over a document's values.

What is matched, and where SOPS says so (getsops/sops):

- a value is ``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`` (``aes/cipher.go``): AES-256-GCM
  with a 32-byte random IV, the base64 of ciphertext and of the 16-byte tag apart; the
  plaintext is the value's text, typed ``str``, ``int``, ``float`` (Go's shortest decimal
  without exponent) or ``bool`` (``True``/``False``, as SOPS's Python original wrote it);
  an empty string stays empty and a null stays null, unencrypted;
- the associated data of a value is its path's mapping keys joined by ``:`` with a trailing
  ``:`` (``goals:statement:``); list indices are not part of it (``sops.go``, ``Encrypt``),
  so a value moved to another field no longer decrypts, while a list may be reordered.
"""

from __future__ import annotations

import base64
import math
import os
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

SOPS_KEY = "sops"
NONCE_SIZE = 32
"""SOPS's IV length for values (``aes/cipher.go``: ``nonceSize``)."""
TAG_SIZE = 16
ENC = re.compile(r"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]")

Path_ = tuple[str | int, ...]
Leaf = str | int | float | bool


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


def replace(node: Any, fn: Callable[[Path_, Any], Any], path: Path_ = ()) -> Any:
    if isinstance(node, dict):
        return {
            k: replace(v, fn, (*path, str(k)))
            for k, v in node.items()
            if not (path == () and k == SOPS_KEY)
        }
    if isinstance(node, list):
        return [replace(v, fn, (*path, i)) for i, v in enumerate(node)]
    if node is None:
        return None
    return fn(path, node)


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
