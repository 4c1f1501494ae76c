"""Who may read a case: its recipients, and granting, revoking and re-wrapping access.

A case is encrypted to its coordinator, to the registered specialists its coordinator granted
access (``case.yaml`` ``access:``) and to the organisation's recovery recipients
(``juhtum.yaml`` ``encryption.recovery_recipients``, kept offline), so that no lost key and no
departure loses a case. A specialist's recipient is the ``age_recipient`` of their file
``specialists/<handle>.yaml``; someone without one is named, and reads nothing until they
publish one and the case is wrapped to them again (``juhtum access ID`` does it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from juhtum.i18n import N_

if TYPE_CHECKING:
    from juhtum.journal import Write
    from juhtum.storage import Repository


@dataclass
class Recipients:
    recipients: list[str]
    """In order: the coordinator, the granted, the recovery recipients; no repeats."""
    people: dict[str, str | None] = field(default_factory=dict)
    """Handle -> their recipient, None for someone who has not published one."""
    recovery: list[str] = field(default_factory=list)
    coordinator: str | None = None

    @property
    def missing(self) -> list[str]:
        return [h for h, r in self.people.items() if r is None]


def specialist_recipients(repo: Repository) -> dict[str, str]:
    from juhtum import specialists

    found = {}
    for handle, data in specialists.read_all(repo).items():
        value = data.get("age_recipient")
        if isinstance(value, str) and value.startswith("age1"):
            found[handle] = value.strip()
    return found


def recovery_recipients(config: dict[str, Any]) -> list[str]:
    value = config.get("recovery_recipients")
    return [r.strip() for r in value if isinstance(r, str)] if isinstance(value, list) else []


def granted(case: dict[str, Any]) -> list[str]:
    value = case.get("access")
    return [h for h in value if isinstance(h, str)] if isinstance(value, list) else []


def recipients(
    repo: Repository,
    case: dict[str, Any],
    config: dict[str, Any],
    published: dict[str, str] | None = None,
) -> Recipients:
    """The recipients of a case whose ``case.yaml`` holds ``case``."""
    published = specialist_recipients(repo) if published is None else published
    coordinator = case.get("coordinator") if isinstance(case.get("coordinator"), str) else None
    handles = [h for h in (coordinator, *granted(case)) if h]
    people = {h: published.get(h) for h in dict.fromkeys(handles)}
    recovery = recovery_recipients(config)
    chosen = [r for r in people.values() if r] + recovery
    if not chosen:
        from juhtum.errors import UserError

        raise UserError(
            N_(
                "nobody could read case {id}: neither its coordinator nor juhtum.yaml's "
                "encryption.recovery_recipients has an age recipient"
            ),
            id=str(case.get("id") or "?"),
        )
    return Recipients(list(dict.fromkeys(chosen)), people, recovery, coordinator)


def case_fields(repo: Repository, case_id: str, writes: Iterable[Write] = ()) -> dict[str, Any]:
    """``case.yaml`` as a change writes it, else as it is on disk (its readable fields)."""
    from juhtum import storage
    from juhtum.crypto.repository import strip_metadata
    from juhtum.documents import yamlio
    from juhtum.errors import DocumentError
    from juhtum.model.documents import CASE_FILE, CASES_DIR

    where = f"{CASES_DIR}/{case_id}/{CASE_FILE}"
    raw = next((w.data for w in writes if w.path == where and w.data is not None), None)
    if raw is None:
        try:
            raw = storage.read_document(repo.root / where)
        except (OSError, storage.TooLarge):
            return {"id": case_id}
    try:
        data = yamlio.loads(strip_metadata(raw), path=where).data
    except DocumentError:
        return {"id": case_id}
    return data if isinstance(data, dict) else {"id": case_id}
