"""The case's deadlines and reviews as iCalendar: the case id and what is due, no one's name
and no free text (calendars travel to phones and clouds)."""

from __future__ import annotations

from typing import Any

from juhtum.i18n import N_, _
from juhtum.model.case import Case, as_dict, as_list, as_str

ACTION_KINDS = {
    "client": N_("the person's own step"),
    "network": N_("the network's help"),
    "service": N_("a service"),
    "coordinator": N_("the coordinator's step"),
}
"""What an action is, in words, where the calendar cannot name its service."""

CLOSED_ACTIONS = ("done", "cancelled")
REMINDER_DAYS = 1
"""How long before a deadline the calendar reminds (VALARM)."""


def action_statuses(case: Case) -> dict[str, str]:
    """Each action's status by its latest monitoring update (planned when none)."""
    found: dict[str, str] = {}
    for doc in case.monitoring:
        for update in as_list(doc.get("action_updates")):
            action, status = (
                as_str(as_dict(update).get("action")),
                as_str(as_dict(update).get("status")),
            )
            if action and status:
                found[action] = status
    return found


def action_what(case: Case, action: dict[str, Any], catalogue: dict[str, str]) -> str:
    """What an action is, without anyone's name or free text: the catalogue's name for the
    service its measure takes from the catalogue, else its kind in words."""
    measure = case.measures().get(as_str(action.get("measure")) or "", {})
    entry = as_str(measure.get("catalogue"))
    if entry and catalogue.get(entry):
        return catalogue[entry]
    kind = as_str(action.get("kind")) or ""
    return _(ACTION_KINDS[kind]) if kind in ACTION_KINDS else _("action")


def calendar(case: Case, catalogue: dict[str, str] | None = None) -> bytes:
    """The case's deadlines and reviews as all-day iCalendar events, each with a reminder;
    no names and no free text (calendars travel to phones and clouds): an action is named
    by its id and the catalogue's service name, and one done or cancelled is left out."""
    import datetime as dt

    from icalendar import Alarm, Calendar, Event

    catalogue = catalogue or {}

    cal = Calendar()
    cal.add("prodid", "-//juhtum//case deadlines//ET")
    cal.add("version", "2.0")

    def add(day: Any, uid: str, summary: str) -> None:
        try:
            when = dt.date.fromisoformat(str(day))
        except ValueError:
            return
        event = Event()
        event.add("uid", f"{case.id}-{uid}@juhtum")
        event.add("dtstamp", dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC))
        event.add("dtstart", when)
        event.add("summary", f"{case.id}: {summary}")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{case.id}: {summary}")
        alarm.add("trigger", -dt.timedelta(days=REMINDER_DAYS))
        event.add_component(alarm)
        cal.add_component(event)

    for _i, goal in case.plan_goals():
        add(
            goal.get("deadline"),
            f"goal-{goal.get('id')}",
            _("goal {goal} deadline").format(goal=goal.get("id")),
        )
    statuses = action_statuses(case)
    for _i, action in case.plan_actions():
        if statuses.get(as_str(action.get("id")) or "") in CLOSED_ACTIONS:
            continue
        add(
            action.get("deadline"),
            f"action-{action.get('id')}",
            _("action {action}: {what}, deadline").format(
                action=action.get("id"), what=action_what(case, action, catalogue)
            ),
        )
    for n, review in enumerate(as_list(case.plan.get("reviews"))):
        add(as_dict(review).get("date"), f"review-{n + 1}", _("interim review of the plan"))
    for doc in case.evaluations:
        if doc.get("next_review"):
            add(doc.get("next_review"), f"next-review-{doc.date}", _("next review"))
    for doc in case.meetings:
        for n, agreement in enumerate(as_list(doc.get("agreements"))):
            add(
                as_dict(agreement).get("deadline"),
                f"agreement-{doc.date}-{n + 1}",
                _("network meeting agreement {n} deadline").format(n=n + 1),
            )
    follow_up = as_dict(case.closing.get("follow_up")).get("date")
    if follow_up:
        add(follow_up, "follow-up", _("follow-up contact"))
    return bytes(cal.to_ical())
