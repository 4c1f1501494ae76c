"""The blocks a document for other people is built of, and handles as the people's names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from juhtum.model.case import Case, as_str


@dataclass
class Block:
    kind: str  # "title", "heading", "text", "fields", "table", "signatures"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def map_text(blocks: list[Block], change: Callable[[str], str]) -> list[Block]:
    """The blocks with ``change`` applied to every text in them, before any escaping (a
    pseudonym must see "O'Connor", not "O&#x27;Connor")."""
    return [
        replace(
            b,
            text=change(b.text),
            rows=[[change(c) for c in row] for row in b.rows],
            header=[change(h) for h in b.header],
        )
        for b in blocks
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return " ".join(str(value).split())


class Names:
    """Handles as the people they stand for."""

    def __init__(self, case: Case, specialists: dict[str, dict[str, Any]] | None = None) -> None:
        specialists = specialists or {}
        self.people = {h: d.fields for h, d in case.people.items()}
        # the organisation's specialists a document names, registered once per repository
        for handle, fields in specialists.items():
            self.people.setdefault(handle, fields)

    def __call__(self, handle: Any) -> str:
        if isinstance(handle, list):
            return ", ".join(self(h) for h in handle)
        person = self.people.get(str(handle))
        if person is None:
            return str(handle or "")
        name = as_str(person.get("name")) or str(handle)
        org = as_str(person.get("organisation"))
        return f"{name} ({org})" if org and org not in name else name

    def contacts(self, handle: str) -> str:
        person = self.people.get(handle, {})
        return ", ".join(str(person[k]) for k in ("address", "email", "phone") if person.get(k))


def organisation_block(organisation: dict[str, Any]) -> Block:
    """The organisation's name at the top of a printed document (määrus nr 10 § 1 (1) 2)."""
    return Block("organisation", _text(organisation.get("name")))
