"""Caseload figures for managers, from the facts of every case (seed 002's weak points).

Every figure is a count, a number of days or an average: no person's data. A
period (``start``..``end``, inclusive) selects what happened in it: cases active
then, closings, evaluations and services started; time in a stage is counted
only within it. Without a period everything up to ``today`` counts.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from juhtum.model import due, stages


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _within(day: str | None, start: dt.date | None, end: dt.date) -> bool:
    when = _day(day)
    return when is not None and (start is None or when >= start) and when <= end


def _summary(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"n": 0, "mean": None, "median": None, "max": None}
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 1),
        "median": statistics.median(values),
        "max": max(values),
    }


def build(
    all_facts: Iterable[dict[str, Any]],
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    gap_days: int = due.DEFAULT_MONITORING_GAP_DAYS,
    review_months: int = 3,
) -> dict[str, Any]:
    """The figures, counted in one pass over the facts, one case at a time: a repository's
    thousands of cases are never held at once (memory stays flat however many there are)."""
    end = min(end or today, today)
    active = unreadable = 0
    by_state: Counter[str] = Counter()
    caseload: dict[str, Counter[str]] = defaultdict(Counter)
    overdue: Counter[str] = Counter()
    in_stage: dict[str, list[int]] = defaultdict(list)
    closings = with_evaluation = collected = 0
    by_reason: Counter[str] = Counter()
    scores: list[int] = []
    waits: list[int] = []
    still_waiting: list[int] = []
    results: Counter[str] = Counter()
    by_domain: dict[str, Counter[str]] = defaultdict(Counter)
    not_helped: Counter[str] = Counter()

    for f in all_facts:
        if (_day(f.get("opened")) or end) <= end and not (
            f.get("closing") and start and (_day(f["closing"].get("date")) or end) < start
        ):
            active += 1
            # a case with a document that cannot be read counts only as far as it reads
            unreadable += bool(f.get("broken"))
            by_state[f.get("stage") or "?"] += 1
            caseload[f.get("coordinator") or "-"][f.get("stage") or "?"] += 1
            for item in due.items(f, gap_days=gap_days, review_months=review_months):
                if item.kind == "action" and item.date < end.isoformat():
                    overdue[f.get("coordinator") or "-"] += 1
            events = f.get("timeline", [])
            for n, (entered, stage) in enumerate(events):
                until = (
                    _day(events[n + 1][0])
                    if n + 1 < len(events)
                    else (None if stage in stages.TERMINAL else end)
                )
                since = _day(entered)
                if since is None or until is None:
                    continue
                since, until = max(since, start) if start else since, min(until, end)
                if until >= since:
                    in_stage[stage].append((until - since).days)

        closing = f.get("closing")
        if closing and _within(closing.get("date"), start, end):
            closings += 1
            by_reason[closing.get("reason") or "?"] += 1
            with_evaluation += any(e.get("decision") == "close" for e in f["evaluations"])
            collected += bool(closing.get("feedback_collected"))
            if isinstance(closing.get("satisfaction"), int):
                scores.append(closing["satisfaction"])

        for m in f.get("measures", []):
            agreed = _day(m.get("agreed"))
            if m.get("withdrawn") or agreed is None or m.get("status") not in ("agreed", "queued"):
                continue
            started = _day(m.get("started"))
            if started is not None and _within(m["started"], start, end):
                waits.append((started - agreed).days)
            elif started is None and agreed <= end:
                still_waiting.append((end - agreed).days)

        domains = {g["id"]: g.get("domains", []) for g in f.get("goals", [])}
        latest: dict[str, str] = {}
        for evaluation in f.get("evaluations", []):
            if not _within(evaluation.get("date"), start, end):
                continue
            for r in evaluation.get("results", []):
                if r.get("goal") and r.get("result"):
                    results[r["result"]] += 1
                    for domain in domains.get(r["goal"], []) or ["-"]:
                        by_domain[domain][r["result"]] += 1
                    latest[r["goal"]] = r["result"]
        failed = {g for g, result in latest.items() if result == "not_achieved"}
        for m in f.get("measures", []):
            if failed & set(m.get("goals", [])) and m.get("status") in ("agreed", "queued"):
                not_helped[m.get("catalogue") or m.get("provider") or "?"] += 1

    return {
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat()},
        "cases": active,
        "unreadable": unreadable,
        "caseload": {who: dict(sorted(c.items())) for who, c in sorted(caseload.items())},
        "by_state": dict(sorted(by_state.items())),
        "overdue_actions": dict(sorted(overdue.items())),
        "days_in_stage": {s: _summary(in_stage[s]) for s in stages.STAGES if in_stage.get(s)},
        "closings": {
            "total": closings,
            "by_reason": dict(sorted(by_reason.items())),
            "with_evaluation": with_evaluation,
        },
        "service_wait_days": {"started": _summary(waits), "still_waiting": _summary(still_waiting)},
        "goal_results": {
            "total": dict(sorted(results.items())),
            "by_domain": {d: dict(sorted(c.items())) for d, c in sorted(by_domain.items())},
        },
        "feedback": {
            "closings": closings,
            "collected": collected,
            "average_satisfaction": round(statistics.fmean(scores), 2) if scores else None,
        },
        "not_helped": dict(sorted(not_helped.items())),
    }
