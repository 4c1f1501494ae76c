"""What takes a record back (juhtum.appendonly), case by case, without git."""

from __future__ import annotations

import pytest

from juhtum import appendonly

MEETING = b"""\
case: c-1
date: '2026-02-20'
purpose: Toetus.
agreements:
  - activity: Kaasas.
    responsible: ode
    deadline: 2026-04-30
copies_sent_to: [client]
"""


@pytest.mark.parametrize(
    "new, kept",
    [
        (MEETING, True),
        (MEETING.replace(b"purpose: Toetus.", b"# a comment\npurpose:   Toetus."), True),
        (MEETING.replace(b"2026-04-30\n", b"2026-04-30\n    done: 2026-04-20\n"), True),
        (MEETING.replace(b"[client]", b"[client, kk]"), True),
        (MEETING.replace(b"[client]", b"[kk]"), False),  # a copy recorded as sent, taken back
        (MEETING.replace(b"copies_sent_to: [client]\n", b""), False),
        (MEETING.replace(b"Toetus.", b"Muu."), False),
        (MEETING.replace(b"deadline: 2026-04-30", b"deadline: 2026-05-30"), False),
        (
            MEETING.replace(
                b"  - activity",
                b"  - activity: Uus.\n    responsible: ode\n    deadline: 2026-05-01\n  - activity",
            ),
            False,
        ),
        (b"agreements: [", False),  # does not parse: cannot be shown to keep the record
        (None, False),
    ],
)
def test_a_meeting_may_get_done_dates_and_copies_sent_only(new: bytes | None, kept: bool) -> None:
    assert appendonly.kept("meeting", MEETING, new, "m.yaml") is kept


def test_a_done_date_stays() -> None:
    done = MEETING.replace(b"2026-04-30\n", b"2026-04-30\n    done: 2026-04-20\n")
    assert not appendonly.kept("meeting", done, MEETING, "m.yaml")
    assert not appendonly.kept(
        "meeting", done, done.replace(b"done: 2026-04-20", b"done: 2026-04-21"), "m.yaml"
    )


def test_an_evaluation_changes_only_while_it_is_a_draft() -> None:
    draft = b"case: c-1\ndate: '2026-06-15'\npurpose: x\n"
    decided = draft + b"decision: continue\n"
    assert appendonly.kept("evaluation", draft, decided, "e.yaml")
    assert not appendonly.kept("evaluation", decided, draft, "e.yaml")
    assert not appendonly.kept(
        "evaluation", decided, decided.replace(b"continue", b"close"), "e.yaml"
    )


@pytest.mark.parametrize("kind", ["monitoring", "handover", "followup"])
def test_other_records_never_change(kind: str) -> None:
    entry = b"case: c-1\ndate: '2026-02-20'\nprogress: Hea.\n"
    assert appendonly.kept(kind, entry, entry.replace(b"'", b'"'), "x.yaml")  # same data
    assert not appendonly.kept(kind, entry, entry.replace(b"Hea.", b"Halb."), "x.yaml")


SIGNED = b"""\
version: 1
signatures:
  - {party: client, role: client, date: 2026-02-03, content_hash: aa}
  - {party: kk, role: coordinator, date: 2026-02-03, content_hash: aa}
"""


def test_signatures_stay_as_they_were_given() -> None:
    more = SIGNED + b"  - {party: tk, role: provider, date: 2026-02-04, content_hash: aa}\n"
    assert appendonly.lost_signatures(SIGNED, more, "plan.yaml") == []
    assert (
        appendonly.lost_signatures(SIGNED, SIGNED.replace(b"version: 1", b"version: 2"), "p") == []
    )
    altered = SIGNED.replace(b"coordinator, date: 2026-02-03", b"coordinator, date: 2026-02-01")
    assert appendonly.lost_signatures(SIGNED, altered, "plan.yaml") == ["kk"]
    assert appendonly.lost_signatures(SIGNED, None, "plan.yaml") == ["client", "kk"]
    assert appendonly.lost_signatures(SIGNED, b"signatures: [", "plan.yaml") == ["client", "kk"]
    twice = SIGNED.replace(b"kk, role: coordinator", b"client, role: client")
    assert appendonly.lost_signatures(twice, SIGNED, "plan.yaml") == ["client"]


def test_breaches_name_each_record_and_a_removed_case_once() -> None:
    old = {
        "cases/c-1/case.yaml": b"id: c-1\n",
        "cases/c-1/monitoring/a.yaml": b"progress: x\n",
        "cases/c-2/monitoring/b.yaml": b"progress: x\n",
        "cases/c-2/people/kk.yaml": b"name: K\n",
        "cases/c-2/plan.yaml": SIGNED,
        "cases/c-2/need.yaml": b"x: 1\n",
    }
    new = {
        "cases/c-2/monitoring/b.yaml": b"progress: y\n",
        "cases/c-2/plan.yaml": SIGNED.replace(b"  - {party: kk", b"  - {party: tk"),
        "cases/c-2/need.yaml": b"x: 2\n",
    }
    changes = {
        "cases/c-1/case.yaml": "D",
        "cases/c-1/monitoring/a.yaml": "D",
        "cases/c-2/monitoring/b.yaml": "M",
        "cases/c-2/people/kk.yaml": "D",  # people's files are not append-only
        "cases/c-2/plan.yaml": "M",
        "cases/c-2/need.yaml": "M",
        "cases/c-2/monitoring/new.yaml": "A",
    }
    found = appendonly.breaches(changes, old.get, new.get)
    assert [(b.case_id, b.document, b.what, b.party) for b in found] == [
        ("c-1", "case.yaml", appendonly.CASE_REMOVED, None),
        ("c-2", "monitoring/b.yaml", appendonly.CHANGED, None),
        ("c-2", "plan.yaml", appendonly.SIGNATURE, "kk"),
    ]
    asked: list[set[str]] = []

    def erased(case_ids: set[str]) -> set[str]:
        asked.append(case_ids)
        return {"c-1"}

    found = appendonly.breaches(changes, old.get, new.get, erased=erased)
    assert asked == [{"c-1"}]
    assert [b.case_id for b in found] == ["c-2", "c-2"]
