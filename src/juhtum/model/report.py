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
    all_facts: list[dict[str, Any]],
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    gap_days: int = due.DEFAULT_MONITORING_GAP_DAYS,
    review_months: int = 3,
) -> dict[str, Any]:
    end = min(end or today, today)
    active = [
        f
        for f in all_facts
        if (_day(f.get("opened")) or end) <= end
        and not (f.get("closing") and start and (_day(f["closing"].get("date")) or end) < start)
    ]

    caseload: dict[str, Counter[str]] = defaultdict(Counter)
    for f in active:
        caseload[f.get("coordinator") or "-"][f.get("stage") or "?"] += 1

    overdue: Counter[str] = Counter()
    for f in active:
        for item in due.items(f, gap_days=gap_days, review_months=review_months):
            if item.kind == "action" and item.date < end.isoformat():
                overdue[f.get("coordinator") or "-"] += 1

    in_stage: dict[str, list[int]] = defaultdict(list)
    for f in active:
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

    closings = [
        f["closing"]
        for f in all_facts
        if f.get("closing") and _within(f["closing"].get("date"), start, end)
    ]
    closed_with_evaluation = [
        f
        for f in all_facts
        if f.get("closing")
        and _within(f["closing"].get("date"), start, end)
        and any(e.get("decision") == "close" for e in f["evaluations"])
    ]
    by_reason = Counter(c.get("reason") or "?" for c in closings)

    waits, still_waiting = [], []
    for f in all_facts:
        for m in f.get("measures", []):
            agreed = _day(m.get("agreed"))
            if m.get("withdrawn") or agreed is None or m.get("status") not in ("agreed", "queued"):
                continue
            started = _day(m.get("started"))
            if started is not None and _within(m["started"], start, end):
                waits.append((started - agreed).days)
            elif started is None and agreed <= end:
                still_waiting.append((end - agreed).days)

    results: Counter[str] = Counter()
    by_domain: dict[str, Counter[str]] = defaultdict(Counter)
    not_helped: Counter[str] = Counter()
    for f in all_facts:
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

    collected = [c for c in closings if c.get("feedback_collected")]
    scores = [c["satisfaction"] for c in closings if isinstance(c.get("satisfaction"), int)]

    return {
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat()},
        "cases": len(active),
        # a case with a document that cannot be read counts only as far as it reads
        "unreadable": sum(bool(f.get("broken")) for f in active),
        "caseload": {who: dict(sorted(c.items())) for who, c in sorted(caseload.items())},
        "by_state": dict(sorted(Counter(f.get("stage") or "?" for f in active).items())),
        "overdue_actions": dict(sorted(overdue.items())),
        "days_in_stage": {s: _summary(in_stage[s]) for s in stages.STAGES if in_stage.get(s)},
        "closings": {
            "total": len(closings),
            "by_reason": dict(sorted(by_reason.items())),
            "with_evaluation": len(closed_with_evaluation),
        },
        "service_wait_days": {"started": _summary(waits), "still_waiting": _summary(still_waiting)},
        "goal_results": {
            "total": dict(sorted(results.items())),
            "by_domain": {d: dict(sorted(c.items())) for d, c in sorted(by_domain.items())},
        },
        "feedback": {
            "closings": len(closings),
            "collected": len(collected),
            "average_satisfaction": round(statistics.fmean(scores), 2) if scores else None,
        },
        "not_helped": dict(sorted(not_helped.items())),
    }
