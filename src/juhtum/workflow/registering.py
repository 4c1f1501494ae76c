"""People of a case: the document that registers someone, and the step that adds it."""

from __future__ import annotations

from typing import Any

from juhtum.documents import yamlio
from juhtum.documents.yamlio import dumps
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids
from juhtum.model.case import as_dict, as_list, as_str
from juhtum.workflow.session import Outcome, Session


def person_document(
    case_id: str,
    *,
    name: str,
    roles: list[str],
    organisation: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> bytes:
    person: dict[str, Any] = {"case": case_id, "name": name.strip(), "roles": roles}
    for key, value in (("organisation", organisation), ("email", email), ("phone", phone)):
        if value:
            person[key] = value
    return dumps(person).encode("utf-8")


def client_name(s: Session) -> str | None:
    client = s.case.people.get("client")
    return as_str(client.get("name")) if client is not None else None


def add_person(s: Session, handle: str, document: bytes) -> Outcome:
    """Register someone; a legal representative is also listed in case.yaml (a child's two
    parents may both hold custody)."""
    ids.check_handle(handle)
    name = f"people/{handle}.yaml"
    if name in s.files.files:
        raise UserError(N_("{handle} is registered in this case already"), handle=handle)
    person = as_dict(yamlio.loads(document, path=name).data)
    roles = as_list(person.get("roles"))
    # a provider is an organisation ("tootukassa" for Töötukassa names no one)
    own = None if roles and set(roles) <= {"provider"} else as_str(person.get("name"))
    ids.check_handle_names_no_one(handle, [own, client_name(s)])
    fields = None
    if "representative" in roles and handle not in s.case.representatives:
        fields = {"representatives": [*s.case.representatives, handle]}
    return s.apply(s.propose({name: document}, case_fields=fields), step=f"people: add {handle}")
