"""How long a case is kept after it ends (``juhtum.yaml`` ``retention:``), and the ``due``
item for a case kept past it (issue 13 item 7).

The organisation's document management rules (asjaajamiskord, the list of documents with
their retention periods) say how long a closed case's records are kept; after that the
personal data in them is kept no longer than needed (GDPR art. 5 (1) e). ``due`` lists the
ended cases whose period is over, with the command that erases them (``juhtum erase ID
--reason retention-over``, :mod:`juhtum.erasure`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from juhtum.i18n import N_
from juhtum.model import stages


@dataclass(frozen=True)
class Retention:
    years: int = 0
    days: int = 0

    def kept_until(self, ended: str) -> str | None:
        """The last day a case that ended on ``ended`` is kept (None for no real date)."""
        try:
            day = dt.date.fromisoformat(ended)
        except (TypeError, ValueError):
            return None
        year = day.year + self.years
        day = day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
        return (day + dt.timedelta(days=self.days)).isoformat()


def of_config(config: dict[str, Any]) -> Retention | None:
    """``juhtum.yaml``'s ``retention``, None where it sets no period (validate reports a wrong
    one)."""
    value = config.get("retention")
    if not isinstance(value, dict):
        return None

    def number(key: str) -> int:
        n = value.get(key)
        return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 0

    found = Retention(number("closed_years"), number("closed_days"))
    return found if found.years or found.days else None


def ended(facts: dict[str, Any]) -> str | None:
    """The day an ended case ended: closing's date, else the last date its timeline
    records (a case referred at §1: the decision's date)."""
    if facts.get("stage") not in stages.TERMINAL:
        return None
    closing = facts.get("closing") or {}
    if closing.get("date"):
        return str(closing["date"])
    timeline = facts.get("timeline") or []
    return str(timeline[-1][0]) if timeline and timeline[-1][0] else None


MESSAGE = N_(
    "retention: case {id} ended on {ended}, kept until {until}; erase it with juhtum erase "
    "{id} --reason retention-over"
)


def item(facts: dict[str, Any], retention: Retention | None) -> Any:
    """The ``due`` item of an ended case: on the day after its period is over."""
    from juhtum.model.due import Item

    end = ended(facts) if retention else None
    until = retention.kept_until(end) if retention and end else None
    if until is None:
        return None
    case = facts["id"]
    over = (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
    return Item(
        over,
        case,
        facts.get("coordinator"),
        "retention",
        MESSAGE,
        {"id": case, "ended": end, "until": until},
        f"cases/{case}/case.yaml",
    )
