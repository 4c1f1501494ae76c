"""The caseload report as text, CSV or one self-contained HTML page with charts.

The HTML needs nothing but a browser: inline CSS and SVG bar charts, no script,
no font or image from elsewhere; it prints to PDF as it shows.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator
from typing import Any

from juhtum.i18n import N_, _, language

SECTIONS = {
    "by_state": N_("Cases by state"),
    "caseload": N_("Caseload by coordinator and state"),
    "overdue_actions": N_("Overdue plan actions by coordinator"),
    "days_in_stage": N_("Days spent in each stage"),
    "closings": N_("Closings"),
    "service_wait_days": N_("Wait from a measure agreed to the service started (days)"),
    "goal_results": N_("Evaluation results of goals"),
    "feedback": N_("Feedback at closing"),
    "not_helped": N_("Services whose goal the evaluation found not achieved"),
}


def title(section: str) -> str:
    """A section's title in the language of the messages."""
    return _(SECTIONS[section])


def rows(report: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """Every figure as (section, group, key, value): what CSV and the tables print."""
    for state, n in report["by_state"].items():
        yield "by_state", "", state, n
    for who, states in report["caseload"].items():
        for state, n in states.items():
            yield "caseload", who, state, n
    for who, n in report["overdue_actions"].items():
        yield "overdue_actions", "", who, n
    for stage, figures in report["days_in_stage"].items():
        for key, value in figures.items():
            yield "days_in_stage", stage, key, value
    closings = report["closings"]
    yield "closings", "", "total", closings["total"]
    yield "closings", "", "with_evaluation", closings["with_evaluation"]
    for reason, n in closings["by_reason"].items():
        yield "closings", "by_reason", reason, n
    for group, figures in report["service_wait_days"].items():
        for key, value in figures.items():
            yield "service_wait_days", group, key, value
    for result, n in report["goal_results"]["total"].items():
        yield "goal_results", "total", result, n
    for domain, results in report["goal_results"]["by_domain"].items():
        for result, n in results.items():
            yield "goal_results", domain, result, n
    for key, value in report["feedback"].items():
        yield "feedback", "", key, value
    for service, n in report["not_helped"].items():
        yield "not_helped", "", service, n


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "group", "key", "value"])
    period = report["period"]
    writer.writerow(["period", "", "from", period["from"] or ""])
    writer.writerow(["period", "", "to", period["to"]])
    writer.writerow(["cases", "", "active", report["cases"]])
    for row in rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def as_text(report: dict[str, Any], organisation: str | None = None) -> str:
    lines = [heading(report, organisation), ""]
    current = None
    for section, group, key, value in rows(report):
        if section != current:
            current = section
            lines.append(title(section))
        label = f"{group}: {key}" if group else key
        lines.append(f"  {label:<40} {'-' if value is None else value}")
    return "\n".join(lines)


def heading(report: dict[str, Any], organisation: str | None = None) -> str:
    """The report's title: whose it is and the period it covers."""
    period = report["period"]
    if organisation:
        return _("{organisation}: case management report, {start} to {end} ({cases} cases)").format(
            organisation=organisation,
            cases=report["cases"],
            start=period["from"] or "…",
            end=period["to"],
        )
    return _("juhtum report: {cases} cases, {start} to {end}").format(
        cases=report["cases"], start=period["from"] or "…", end=period["to"]
    )


# -- HTML ---------------------------------------------------------------------------------------

CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2733; max-width: 60rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #c8d0d8; padding: .25rem .6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font-size: 12px; fill: #1d2733; }
.figure { font-size: 2rem; font-weight: 600; }
@media print { body { margin: 1cm; } section { break-inside: avoid; } }
"""


def _e(value: Any) -> str:
    return html.escape("-" if value is None else str(value))


def bar_chart(data: dict[str, Any], *, label: str) -> str:
    """A horizontal bar chart as inline SVG: one bar per key, its value written beside it."""
    values = {k: v for k, v in data.items() if isinstance(v, int | float)}
    if not values:
        return ""
    width, bar, gap, left = 520, 18, 6, 170
    top = max(values.values()) or 1
    height = len(values) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for n, (key, value) in enumerate(values.items()):
        y = gap + n * (bar + gap)
        length = (width - left - 60) * value / top
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_e(key)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="#2f6f9f"><title>{_e(key)}: {_e(value)}</title></rect>'
        )
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{y + 13}" class="value">{_e(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], body: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    cells = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(c)}</td>' if isinstance(c, int | float) else f"<td>{_e(c)}</td>"
            for c in row
        )
        + "</tr>"
        for row in body
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"


def _section(key: str, body: str) -> str:
    return f'<section id="{key}"><h2>{_e(title(key))}</h2>{body}</section>'


def as_html(report: dict[str, Any], organisation: str | None = None) -> str:
    closings = report["closings"]
    feedback = report["feedback"]
    waits = report["service_wait_days"]
    states = sorted({s for c in report["caseload"].values() for s in c})
    parts = [
        f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">',
        f"<title>{_e(heading(report, organisation))}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(heading(report, organisation))}</h1>",
        _section(
            "by_state",
            bar_chart(report["by_state"], label=title("by_state"))
            + _table([_("state"), _("cases")], [[k, v] for k, v in report["by_state"].items()]),
        ),
        _section(
            "caseload",
            _table(
                [_("coordinator"), *states],
                [[who, *(c.get(s, 0) for s in states)] for who, c in report["caseload"].items()],
            ),
        ),
        _section(
            "overdue_actions",
            bar_chart(report["overdue_actions"], label=title("overdue_actions"))
            + _table(
                [_("coordinator"), _("overdue")],
                [[k, v] for k, v in report["overdue_actions"].items()],
            ),
        ),
        _section(
            "days_in_stage",
            bar_chart(
                {s: f["median"] for s, f in report["days_in_stage"].items()},
                label=title("days_in_stage"),
            )
            + _table(
                [_("stage"), _("n"), _("mean"), _("median"), _("max")],
                [
                    [s, f["n"], f["mean"], f["median"], f["max"]]
                    for s, f in report["days_in_stage"].items()
                ],
            ),
        ),
        _section(
            "closings",
            f'<p><span class="figure">{_e(closings["total"])}</span> '
            + _e(
                _("closed, {n} of them after an evaluation that decided to close").format(
                    n=closings["with_evaluation"]
                )
            )
            + "</p>"
            + bar_chart(closings["by_reason"], label=title("closings")),
        ),
        _section(
            "service_wait_days",
            _table(
                ["", _("n"), _("mean"), _("median"), _("max")],
                [
                    [_("started"), *waits["started"].values()],
                    [_("still waiting"), *waits["still_waiting"].values()],
                ],
            ),
        ),
        _section(
            "goal_results",
            bar_chart(report["goal_results"]["total"], label=title("goal_results"))
            + _table(
                [_("domain"), "achieved", "partly", "not_achieved"],
                [
                    [d, r.get("achieved", 0), r.get("partly", 0), r.get("not_achieved", 0)]
                    for d, r in report["goal_results"]["by_domain"].items()
                ],
            ),
        ),
        _section(
            "feedback",
            f'<p><span class="figure">{_e(feedback["collected"])}</span> '
            + _e(
                _(
                    "of {n} closings collected the person's feedback; average satisfaction "
                    "{score} (1-5)"
                ).format(n=feedback["closings"], score=feedback["average_satisfaction"] or "-")
            )
            + "</p>",
        ),
        _section(
            "not_helped",
            _table(
                [_("service"), _("goals not achieved")],
                [[k, v] for k, v in report["not_helped"].items()],
            ),
        ),
        "</body></html>",
    ]
    return "\n".join(parts)
