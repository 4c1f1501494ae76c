"""Documents for other people: the case plan to print and sign, a meeting's protocol, a calendar.

The plan holds what the regulation on case plans lists (määrus nr 10 § 1) and a
signature line for every party (juhis §4.2); a network meeting's protocol is
the copy every participant receives (seed 004). Both are built once as blocks
and written as Markdown or as a printable HTML page. The calendar (iCalendar)
carries the case's deadlines and reviews with the case id and what is due, and
no one's name or any free text: calendars travel to phones and clouds.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from juhtum.i18n import N_, _, label, language
from juhtum.model.case import Case, Doc, as_dict, as_list, as_str, handles
from juhtum.model.invariants.signatures import signature_state


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


FREE_TEXT = ("text", "texts")
"""The schemas' definitions of free text (``defs.schema.json#/$defs/text``)."""
PERSON_FIELDS_KEPT = ("name", "organisation")
"""A person's text fields an export shows whatever: who they are (pseudonymised apart)."""


def omit_free_text(case: Case) -> Case:
    """The case with every free-text field of its documents left out (``--omit-free-text``):
    the fields the schemas type as free text, a person's name and organisation excepted."""
    from juhtum.schemas import all_kinds, field_index, values_at

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


def plan_blocks(
    case: Case,
    organisation: dict[str, Any],
    specialists: dict[str, dict[str, Any]] | None = None,
) -> list[Block]:
    plan = case.plan
    name = Names(case, specialists)
    blocks = [
        Block(
            "title",
            _("Case plan {id}, version {version}").format(
                id=case.id, version=plan.get("version") or 1
            ),
        ),
        Block(
            "fields",
            rows=[
                [_("Plan number"), case.id],
                [_("Date"), _text(plan.get("date"))],
                [
                    _("Organisation"),
                    ", ".join(
                        _text(organisation.get(k))
                        for k in ("name", "address", "email", "phone")
                        if organisation.get(k)
                    ),
                ],
                [
                    _("Coordinator"),
                    f"{name(case.coordinator)} — {name.contacts(case.coordinator or '')}",
                ],
                [
                    _("Person"),
                    f"{name(case.client)} — {_text(name.people.get(case.client, {}).get('personal_code'))} "
                    f"{name.contacts(case.client)}",
                ],
                *(
                    [
                        [
                            _("Legal representative"),
                            f"{name(r)} — "
                            f"{_text(name.people.get(r, {}).get('basis'))} {name.contacts(r)}",
                        ]
                        for r in case.representatives
                    ]
                ),
            ],
        ),
        Block("heading", _("Problem")),
        Block("text", _text(plan.get("problem_summary"))),
        Block("heading", _("Goals")),
        Block(
            "table",
            header=[
                _("goal"),
                _("statement"),
                _("deadline"),
                _("indicator"),
                _("hindering factors"),
            ],
            rows=[
                [
                    _text(g.get("id")),
                    _text(g.get("statement")),
                    _text(g.get("deadline")),
                    _text(g.get("indicator")),
                    _text(g.get("hindering_factors")),
                ]
                for _i, g in case.plan_goals()
            ],
        ),
        Block("heading", _("Actions")),
        Block(
            "table",
            header=[
                _("action"),
                _("goals"),
                _("what"),
                _("outcome"),
                _("responsible"),
                _("from"),
                _("by"),
                _("how often"),
                _("resources"),
            ],
            rows=[
                [
                    _text(a.get("id")),
                    _text(a.get("goals")),
                    _text(a.get("description")),
                    _text(a.get("outcome")),
                    name(handles(a.get("responsible"))),
                    _text(a.get("start")),
                    _text(a.get("deadline")),
                    _text(a.get("frequency")),
                    _text(a.get("resources")),
                ]
                for _i, a in case.plan_actions()
            ],
        ),
        Block("heading", _("Interim reviews")),
        Block(
            "table",
            header=[_("date"), _("responsible"), _("how")],
            rows=[
                [
                    _text(as_dict(r).get("date")),
                    name(as_dict(r).get("responsible")),
                    _text(as_dict(r).get("method")),
                ]
                for r in as_list(plan.get("reviews"))
            ],
        ),
    ]
    if plan.get("caregiver_involvement"):
        blocks += [
            Block("heading", _("How the person raising the child was involved")),
            Block("text", _text(plan.get("caregiver_involvement"))),
        ]
    unaddressed = as_list(plan.get("unaddressed"))
    if unaddressed:
        blocks += [
            Block("heading", _("Problems not addressed now")),
            Block(
                "table",
                header=[_("domain"), _("why")],
                rows=[
                    [label(_text(as_dict(u).get("domain"))), _text(as_dict(u).get("reason"))]
                    for u in unaddressed
                ],
            ),
        ]
    attached = as_list(plan.get("attached_plans"))
    if attached:
        blocks += [
            Block("heading", _("Attached plans")),
            Block(
                "table",
                header=[_("plan"), _("made by"), _("reference")],
                rows=[
                    [
                        _text(as_dict(a).get("name")),
                        name(as_dict(a).get("provider")),
                        _text(as_dict(a).get("reference")),
                    ]
                    for a in attached
                ],
            ),
        ]
    state = signature_state(case)
    # whose signature holds: of this version, or of an earlier one an announced change keeps
    signed = {
        s.get("party"): s
        for s in as_list(plan.get("signatures"))
        if isinstance(s, dict) and state is not None and as_str(s.get("party")) in state.valid
    }
    parties = [*([] if state is None else state.required)]
    if case.coordinator and case.coordinator not in parties:
        parties.append(case.coordinator)
    blocks += [
        Block("heading", _("Signatures (juhis §4.2: the plan is signed by all parties)")),
        Block(
            "signatures",
            rows=[
                [
                    name(p),
                    _text(as_dict(signed.get(p)).get("date")),
                    signature_note(as_dict(signed.get(p)), plan.get("version")),
                ]
                for p in parties
            ],
        ),
    ]
    if state is not None and state.not_signed:
        blocks += _not_signed_blocks(state, name)
    return [organisation_block(organisation), *blocks]


SIGNATURE_METHODS = {"paper": N_("on paper"), "digital": N_("digitally")}


def signature_note(signature: dict[str, Any], version: Any) -> str:
    """How a signature was given, in words; one given to an earlier version of the plan (an
    announced change keeps it, juhis §5.2) says so."""
    method = as_str(signature.get("method")) or ""
    note = _(SIGNATURE_METHODS[method]) if method in SIGNATURE_METHODS else method
    signed = signature.get("version")
    if signature and isinstance(signed, int) and signed != version:
        note = _("{method}; signed version {version}, an earlier version").format(
            method=note, version=signed
        )
    return note


def organisation_block(organisation: dict[str, Any]) -> Block:
    """The organisation's name at the top of a printed document (määrus nr 10 § 1 (1) 2)."""
    return Block("organisation", _text(organisation.get("name")))


def _not_signed_blocks(state: Any, name: Any) -> list[Block]:
    """Who did not sign and why, and the coordinator's decision to put the plan in force
    without them (juhis §4.2); the reason's text stays in the case (it is sensitive)."""
    statuses = {
        "refused": _("refused to sign"),
        "unable": _("cannot sign"),
        "oral": _("agreed orally"),
    }
    rows = []
    for party, record in sorted(state.not_signed.items()):
        status = statuses.get(as_str(record.get("status")) or "", "?")
        cause = as_str(record.get("cause"))
        decision = state.waived.get(party)
        rows.append(
            [
                name(party),
                f"{status} ({cause})" if cause else status,
                _text(record.get("date")),
                _("in force without it since {date}, by {by}; legal basis: {basis}").format(
                    date=_text(decision.get("date")),
                    by=name(decision.get("recorded_by")),
                    basis=_text(decision.get("basis")),
                )
                if decision
                else "",
            ]
        )
    return [
        Block("heading", _("Not signed (juhis §4.2)")),
        Block("table", header=[_("party"), _("why"), _("date"), _("decision")], rows=rows),
    ]


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


def without_empty_columns(block: Block) -> Block:
    """A table without the columns no row fills (a printed page has no room to waste)."""
    if block.kind != "table" or not block.rows:
        return block
    keep = [i for i in range(len(block.header)) if any(row[i].strip() for row in block.rows)]
    return replace(
        block,
        header=[block.header[i] for i in keep],
        rows=[[row[i] for i in keep] for row in block.rows],
    )


def markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown. Markdown passes HTML through to whoever renders it, so every
    text is HTML-escaped: a ``<script>`` typed into a name stays text."""

    def e(value: str) -> str:
        return html.escape(value, quote=False)

    out: list[str] = []
    for block in map(without_empty_columns, blocks):
        if block.kind == "organisation":
            if block.text:
                out += [f"**{e(block.text)}**", ""]
        elif block.kind == "title":
            out += [f"# {e(block.text)}", ""]
        elif block.kind == "heading":
            out += [f"## {e(block.text)}", ""]
        elif block.kind == "text":
            out += [e(block.text), ""]
        elif block.kind == "fields":
            out += [f"- **{e(k)}:** {e(v)}" for k, v in block.rows] + [""]
        elif block.kind == "table":
            cells = [[e(c).replace("|", "\\|") for c in row] for row in block.rows]
            header = [e(h) for h in block.header]
            out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(block.header)]
            out += ["| " + " | ".join(row) + " |" for row in cells] + [""]
        elif block.kind == "signatures":
            for who, date, method in block.rows:
                line = (
                    f"{e(date)} ({e(method)})" if date else "______________________   " + _("date")
                )
                out += [f"{e(who)}: {line}", ""]
    return "\n".join(out)


CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; max-width: 60rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
.signature { display: flex; gap: 2rem; margin: 1.6rem 0 .4rem; }
.signature .line { border-bottom: 1px solid #111; min-width: 16rem; }
.organisation { font-weight: 600; margin: 0 0 .3rem; }
.date { white-space: nowrap; }
@page { size: A4; margin: 1.8cm 1.5cm; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; }
  tr, .signature { break-inside: avoid; } thead { display: table-header-group; } }
"""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _cell(text: str) -> str:
    """A cell's text escaped, its dates kept whole on one line."""
    escaped = html.escape(text)
    return _ISO_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', escaped)


def page(blocks: list[Block]) -> str:
    e = html.escape
    title = next((b.text for b in blocks if b.kind == "title"), "juhtum")
    out = [
        f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
    ]
    for block in map(without_empty_columns, blocks):
        if block.kind == "organisation":
            if block.text:
                out.append(f'<p class="organisation">{e(block.text)}</p>')
        elif block.kind == "title":
            out.append(f"<h1>{e(block.text)}</h1>")
        elif block.kind == "heading":
            out.append(f"<h2>{e(block.text)}</h2>")
        elif block.kind == "text":
            out.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "fields":
            out.append(
                "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in block.rows) + "</dl>"
            )
        elif block.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif block.kind == "signatures":
            for who, date, method in block.rows:
                signed = f"{_cell(date)} ({e(method)})" if date else ""
                out.append(
                    f'<div class="signature"><span>{e(who)}</span>'
                    f'<span class="line">{signed}</span><span>{e(_("date"))}</span></div>'
                )
    out.append("</body></html>")
    return "\n".join(out)


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
