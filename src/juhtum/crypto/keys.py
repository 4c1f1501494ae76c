"""age identities and recipients: where SOPS finds a person's identity, and wrapping a data key.

An identity (``AGE-SECRET-KEY-1…``) is the private key and never enters a case repository;
a recipient (``age1…``) is its public half, published in the specialist's file. The
identities are read from the places SOPS reads them (``age/keysource.go``), all of them
together: ``SOPS_AGE_KEY`` (the identities themselves, one a line),
``SOPS_AGE_KEY_FILE`` (a file of them) and the user's configuration folder's
``sops/age/keys.txt`` (``$XDG_CONFIG_HOME``, else ``~/.config``; on macOS also
``~/Library/Application Support``), which is what ``age-keygen -o`` writes.
"""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from juhtum.crypto.errors import BadIdentity, BadRecipient, CryptoError
from juhtum.i18n import N_

if TYPE_CHECKING:
    from pyrage import x25519

IDENTITY_PREFIX = "AGE-SECRET-KEY-1"
RECIPIENT_PREFIX = "age1"
ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = "-----END AGE ENCRYPTED FILE-----"
ARMOR_COLUMNS = 64
"""age's ASCII armor (the PEM-like form SOPS stores in ``enc``): base64 in lines of 64."""


def default_key_files(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where SOPS looks for ``keys.txt`` when no variable names a file."""
    env = os.environ if env is None else env
    found: list[Path] = []
    xdg = env.get("XDG_CONFIG_HOME")
    if xdg:
        found.append(Path(xdg) / "sops" / "age" / "keys.txt")
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        found.append(home / "Library" / "Application Support" / "sops" / "age" / "keys.txt")
    found.append(home / ".config" / "sops" / "age" / "keys.txt")
    return list(dict.fromkeys(found))


def parse_identities(text: str, *, source: str) -> list[x25519.Identity]:
    """Every identity in ``text`` (``age-keygen``'s format: ``#`` comments, blank lines)."""
    from pyrage import x25519

    identities = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(IDENTITY_PREFIX):
            raise BadIdentity(source=source, line=number)
        try:
            identities.append(x25519.Identity.from_str(line))
        except Exception as exc:  # pyrage raises its own IdentityError
            raise BadIdentity(source=source, line=number) from exc
    return identities


def load_identities(env: Mapping[str, str] | None = None) -> list[x25519.Identity]:
    """Every age identity at hand, from every place SOPS looks; none found is an empty list
    (the caller says which file it could not open and to whom it is encrypted)."""
    env = os.environ if env is None else env
    identities = []
    inline = env.get("SOPS_AGE_KEY")
    if inline:
        identities += parse_identities(inline, source="SOPS_AGE_KEY")
    named = env.get("SOPS_AGE_KEY_FILE")
    if named:
        try:
            text = Path(named).read_text(encoding="utf-8")
        except OSError as exc:
            raise CryptoError(
                N_("SOPS_AGE_KEY_FILE names {path}, which cannot be read: {reason}"),
                path=named,
                reason=exc.strerror or type(exc).__name__,
            ) from exc
        identities += parse_identities(text, source=named)
    for candidate in default_key_files(env):
        if candidate.is_file():
            identities += parse_identities(
                candidate.read_text(encoding="utf-8"), source=str(candidate)
            )
            break
    return identities


def recipient_of(identity: x25519.Identity) -> str:
    return str(identity.to_public())


def parse_recipient(recipient: str) -> x25519.Recipient:
    from pyrage import x25519

    if not recipient.startswith(RECIPIENT_PREFIX):
        raise BadRecipient(recipient=recipient)
    try:
        return x25519.Recipient.from_str(recipient)
    except Exception as exc:  # pyrage raises its own RecipientError
        raise BadRecipient(recipient=recipient) from exc


def armor(binary: bytes) -> str:
    body = base64.b64encode(binary).decode("ascii")
    lines = [body[i : i + ARMOR_COLUMNS] for i in range(0, len(body), ARMOR_COLUMNS)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


def dearmor(text: str) -> bytes:
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 2 or lines[0] != ARMOR_BEGIN or lines[-1] != ARMOR_END:
        raise ValueError("not age armor")
    return base64.b64decode("".join(lines[1:-1]), validate=True)


def wrap(data_key: bytes, recipient: str) -> str:
    """``data_key`` encrypted with age to ``recipient``, armored, as SOPS stores it."""
    import pyrage

    return armor(pyrage.encrypt(data_key, [parse_recipient(recipient)]))


def unwrap(enc: str, identities: Iterable[x25519.Identity]) -> bytes | None:
    """The data key in ``enc`` if one of ``identities`` opens it, else None."""
    import pyrage

    chosen = list(identities)
    if not chosen:
        return None
    try:
        return pyrage.decrypt(dearmor(enc), chosen)
    except (ValueError, pyrage.DecryptError):
        return None
