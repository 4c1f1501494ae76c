"""The "asutusesiseseks kasutamiseks" marking on exports for other organisations (AvTS § 35;
issue 13 item 6), where ``juhtum.yaml`` asks for it::

    export:
      restricted_marking: true
      basis: "AvTS § 35 lg 1 p 12"

The marking is Estonian in every language of the export (it is the law's wording); the line
below it names the basis, the holder of the information and the day it was marked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

MARK = "ASUTUSESISESEKS KASUTAMISEKS"
DEFAULT_BASIS = "AvTS § 35 lg 1 p 12"


def settings(repo: Any) -> dict[str, Any] | None:
    """``juhtum.yaml``'s ``export`` block when it asks for the marking, else None."""
    from juhtum.errors import UserError
    from juhtum.storage.create import read_config

    try:
        config = read_config(repo)
    except (OSError, UserError):
        return None
    block = config.get("export")
    if isinstance(block, dict) and block.get("restricted_marking") is True:
        return block
    return None


def marked(blocks: list[Any], repo: Any, today: dt.date) -> list[Any]:
    """The blocks with the marking on top, where the organisation's settings ask for it."""
    from juhtum.i18n import _
    from juhtum.model.case import as_dict, as_str
    from juhtum.output.export.blocks import Block
    from juhtum.storage.create import read_config

    block = settings(repo)
    if block is None:
        return blocks
    basis = as_str(block.get("basis")) or DEFAULT_BASIS
    holder = as_str(as_dict(read_config(repo).get("organisation")).get("name")) or "-"
    note = _("Restricted information ({basis}); holder: {holder}; marked on {date}.").format(
        basis=basis, holder=holder, date=today.isoformat()
    )
    return [Block("organisation", MARK), Block("text", note), *blocks]
