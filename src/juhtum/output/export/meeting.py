"""A network meeting's protocol as blocks: the copy every participant receives (seed 004)."""

from __future__ import annotations

from typing import Any

from juhtum.i18n import _
from juhtum.model.case import Case, Doc, as_dict, as_list, handles
from juhtum.output.export.blocks import Block, Names, _text, organisation_block


def meeting_blocks(
    case: Case,
    doc: Doc,
    organisation: dict[str, Any] | None = None,
    specialists: dict[str, dict[str, Any]] | None = None,
) -> list[Block]:
    meeting = doc.fields
    name = Names(case, specialists)
    return [
        organisation_block(organisation or {}),
        Block("title", _("Network meeting {date}, case {id}").format(date=doc.date, id=case.id)),
        Block(
            "fields",
            rows=[
                [_("Place"), _text(meeting.get("place"))],
                [_("Convened by"), name(meeting.get("convened_by"))],
                [_("Participants"), name(handles(meeting.get("participants")))],
                [_("Purpose"), _text(meeting.get("purpose"))],
            ],
        ),
        Block("heading", _("Information shared")),
        *[Block("text", _text(item)) for item in as_list(meeting.get("information"))],
        Block("heading", _("Agreements")),
        Block(
            "table",
            header=[_("activity"), _("responsible"), _("deadline")],
            rows=[
                [
                    _text(as_dict(a).get("activity")),
                    name(as_dict(a).get("responsible")),
                    _text(as_dict(a).get("deadline")),
                ]
                for a in as_list(meeting.get("agreements"))
            ],
        ),
        Block(
            "text",
            _("Copies to: {names}").format(names=name(handles(meeting.get("copies_sent_to")))),
        ),
        Block(
            "text",
            _(
                "What is shared at a network meeting is confidential and is not passed on "
                "to third parties."
            ),
        ),
    ]
