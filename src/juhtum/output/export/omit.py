"""A case without its free text, for an export that must not carry it (``--omit-free-text``)."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from juhtum.model.case import Case

FREE_TEXT = ("text", "texts")
"""The schemas' definitions of free text (``defs.schema.json#/$defs/text``)."""
PERSON_FIELDS_KEPT = ("name", "organisation")
"""A person's text fields an export shows whatever: who they are (pseudonymised apart)."""


def omit_free_text(case: Case) -> Case:
    """The case with every free-text field of its documents left out (``--omit-free-text``):
    the fields the schemas type as free text, a person's name and organisation excepted."""
    from juhtum.documents.schemas import all_kinds, field_index, values_at

    docs = []
    for doc in case.docs:
        data = copy.deepcopy(doc.data)
        index = (
            field_index(doc.kind) if isinstance(data, dict) and doc.kind in all_kinds() else None
        )
        for pattern, found in index.fields.items() if index else ():
            if found.definition not in FREE_TEXT or pattern == ():
                continue
            if doc.kind == "person" and pattern[0] in PERSON_FIELDS_KEPT:
                continue
            for path, _value in list(values_at(data, pattern)):
                parent: Any = data
                for step in path[:-1]:
                    parent = parent[step]
                parent[path[-1]] = [OMITTED] if found.definition == "texts" else OMITTED
        docs.append(replace(doc, data=data))
    return Case(case.id, case.folder, docs)


OMITTED = "[—]"
"""What stands where free text was left out."""


def without_confidential(case: Case) -> Case:
    """The case without the fields its schemas mark ``x-confidential`` (the reporter of a
    notification of a child in need, LasteKS § 27): what every export and report starts
    from, whatever else it leaves out."""
    from juhtum.documents.schemas import all_kinds, field_index, values_at

    docs = []
    for doc in case.docs:
        if not isinstance(doc.data, dict) or doc.kind not in all_kinds():
            docs.append(doc)
            continue
        data = copy.deepcopy(doc.data)
        for pattern in field_index(doc.kind).confidential:
            # last first, so that removing a list's item leaves the earlier paths as they were
            for path, _value in reversed(list(values_at(data, pattern))):
                parent: Any = data
                for step in path[:-1]:
                    parent = parent[step]
                del parent[path[-1]]
        docs.append(replace(doc, data=data))
    return Case(case.id, case.folder, docs)
