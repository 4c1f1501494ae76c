"""The errors of encrypted documents: what the user can do about each is in its message."""

from __future__ import annotations

from juhtum.errors import UserError
from juhtum.i18n import N_


class CryptoError(UserError):
    """A document that cannot be encrypted or decrypted."""


class NoKey(CryptoError):
    """None of the identities at hand opens the file's data key."""

    def __init__(self, *, where: str, recipients: list[str]) -> None:
        shown = ", ".join(recipients) if recipients else "-"
        super().__init__(
            N_(
                "{where}: none of your age identities opens this file; it is encrypted to "
                "{recipients}. Put the identity of one of them in SOPS_AGE_KEY_FILE, "
                "SOPS_AGE_KEY or ~/.config/sops/age/keys.txt, or ask its coordinator for access"
            ),
            where=where,
            recipients=shown,
        )
        self.recipients = recipients


class Tampered(CryptoError):
    """A value or the MAC does not authenticate: the file was changed without its key."""

    def __init__(self, *, where: str, field: str) -> None:
        super().__init__(
            N_(
                "{where}: {field} does not authenticate with the file's data key: the file was "
                "changed by someone without its key, or a value was moved to another field. "
                "Restore it from git (git log -p) before you trust it"
            ),
            where=where,
            field=field,
        )
        self.field = field


class BadFormat(CryptoError):
    """The ``sops`` block or an ``ENC[…]`` value is not in the SOPS format."""

    def __init__(self, *, where: str, field: str) -> None:
        super().__init__(
            N_(
                "{where}: {field} is not in the SOPS format juhtum writes; restore the file "
                "from git"
            ),
            where=where,
            field=field,
        )
        self.field = field


class BadIdentity(CryptoError):
    """An identity file or variable holds something that is not an age identity."""

    def __init__(self, *, source: str, line: int) -> None:
        super().__init__(
            N_(
                "{source}, line {line}: not an age identity (AGE-SECRET-KEY-1…); "
                "age-keygen makes one"
            ),
            source=source,
            line=line,
        )


class BadRecipient(CryptoError):
    """A recipient is not an age public key."""

    def __init__(self, *, recipient: str) -> None:
        super().__init__(
            N_("{recipient} is not an age recipient (age1…)"),
            recipient=recipient,
        )
