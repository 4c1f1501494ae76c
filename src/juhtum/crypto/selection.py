"""Which of a document's values are encrypted: as SOPS decides it, and as juhtum chooses it.

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

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from juhtum.crypto.values import Path_

if TYPE_CHECKING:
    from juhtum.documents.schemas import Pattern

ANCHORS: dict[tuple[str, ...], tuple[str, ...]] = {
    # ``summary`` is also the assessment's own summary, whose ``agreed_by`` handles the
    # reference checks read without a key; the dates of earlier assessments are hidden instead
    ("previous_assessments", "*", "summary"): ("previous_assessments",),
}
"""A sensitive field → the field whose key decides its encryption (see above)."""

EXTENSION = "x-*"
"""In a pattern, any extension field (``x-…``) of the document."""


def sensitive_keys(data: dict[str, Any], sensitive: Iterable[Pattern]) -> list[str]:
    """The mapping keys that decide which of the document's values are encrypted: each
    sensitive field's own key, or the one :data:`ANCHORS` puts above it."""
    from juhtum.documents.schemas import values_at

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


def selector(metadata: dict[str, Any]) -> Callable[[Path_], bool]:
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


def sensitive_paths(kind: str) -> list[Pattern]:
    """The fields of a document kind its schema marks ``x-sensitive`` (``$ref``\\ s
    followed); every value beneath one of them is sensitive too. ``("x-*",)`` stands for
    the document's extension fields when its schema marks them (``patternProperties``)."""
    from juhtum.documents.schemas import field_index, load, schema_name

    found = list(field_index(kind).sensitive)
    extensions = (load(schema_name(kind)).get("patternProperties") or {}).get("^x-")
    if isinstance(extensions, dict) and extensions.get("x-sensitive") is True:
        found.append((EXTENSION,))
    return found
