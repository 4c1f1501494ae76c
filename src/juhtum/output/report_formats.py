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

from juhtum.i18n import N_, _, language, ngettext
from juhtum.output.safe_text import escape

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


KEYS = {
    # the report's own keys; code values (stages, reasons, results, domains) by their labels
    "n": N_("cases"),
    "mean": N_("mean"),
    "median": N_("median"),
    "max": N_("longest"),
    "total": N_("total"),
    "with_evaluation": N_("after an evaluation that decided to close"),
    "by_reason": N_("by reason"),
    "started": N_("service started"),
    "still_waiting": N_("still waiting"),
    "closings": N_("closings"),
    "collected": N_("feedback collected"),
    "average_satisfaction": N_("average satisfaction (1-5)"),
}


def word(key: str) -> str:
    """A key or code value of the report as a person reads it, in the current language."""
    from juhtum.i18n import label

    return _(KEYS[key]) if key in KEYS else label(key)


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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a text starting like a formula gets a ``'`` in
    front (OWASP's advice), control characters are escaped; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    text = escape(value, inline=True)
    return "'" + text if text.startswith(FORMULA_START) else text


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "group", "key", "value"])
    period = report["period"]
    writer.writerow(["period", "", "from", csv_cell(period["from"])])
    writer.writerow(["period", "", "to", csv_cell(period["to"])])
    writer.writerow(["cases", "", "active", report["cases"]])
    writer.writerow(["cases", "", "unreadable", report.get("unreadable", 0)])
    for row in rows(report):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def unreadable(report: dict[str, Any]) -> str | None:
    """The warning that some cases hold a document that cannot be read, if any do."""
    n = report.get("unreadable", 0)
    if not n:
        return None
    return ngettext(
        "{n} case has a document that cannot be read: its figures are incomplete "
        "(juhtum validate says what is wrong)",
        "{n} cases have a document that cannot be read: their figures are incomplete "
        "(juhtum validate says what is wrong)",
        n,
    ).format(n=n)


def as_text(report: dict[str, Any], organisation: str | None = None) -> str:
    from juhtum.i18n import date

    warning = unreadable(report)
    lines = [heading(report, organisation), *([warning] if warning else []), ""]
    current = None
    table: list[tuple[str, str]] = []
    for section, group, key, value in rows(report):
        if section != current:
            current = section
            table.append((title(section), ""))
        label = escape(f"{word(group)}: {word(key)}" if group else word(key), inline=True)
        shown = "-" if value is None else date(value) if isinstance(value, str) else number(value)
        shown = escape(shown, inline=True)
        table.append(("  " + label, shown))
    width = max([len(k) for k, v in table if v] + [10])
    width = min(width, 60)
    for key, value in table:
        if not value:
            lines.append(key)
        elif len(key) <= width:
            lines.append(f"{key.ljust(width)}  {value}")
        else:
            lines.append(f"{key}\n{' ' * (width + 2)}{value}")
    return "\n".join(lines)


def heading(report: dict[str, Any], organisation: str | None = None) -> str:
    """The report's title: whose it is and the period it covers."""
    period = report["period"]
    from juhtum.i18n import date, ngettext

    if organisation:
        return ngettext(
            "{organisation}: case management report, {start} to {end} ({cases} case)",
            "{organisation}: case management report, {start} to {end} ({cases} cases)",
            report["cases"],
        ).format(
            organisation=organisation,
            cases=report["cases"],
            start=date(period["from"] or "…"),
            end=date(period["to"]),
        )
    return ngettext(
        "juhtum report: {cases} case, {start} to {end}",
        "juhtum report: {cases} cases, {start} to {end}",
        report["cases"],
    ).format(cases=report["cases"], start=date(period["from"] or "…"), end=date(period["to"]))


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
    return html.escape("-" if value is None else number(value))


def number(value: Any) -> str:
    """A figure as the language writes it for a person: 3,5 in Estonian, 3.5 in English (CSV
    and JSON, for programs, keep the point)."""
    from juhtum.i18n import language

    text = str(value)
    if isinstance(value, float) and language() == "et":
        return text.replace(".", ",")
    return text


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
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_e(word(key))}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="#2f6f9f"><title>{_e(word(key))}: {_e(value)}</title></rect>'
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
        f"<p><strong>{_e(unreadable(report))}</strong></p>" if unreadable(report) else "",
        _section(
            "by_state",
            bar_chart(report["by_state"], label=title("by_state"))
            + _table(
                [_("state"), _("cases")], [[word(k), v] for k, v in report["by_state"].items()]
            ),
        ),
        _section(
            "caseload",
            _table(
                [_("coordinator"), *(word(s) for s in states)],
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
                    [word(s), f["n"], f["mean"], f["median"], f["max"]]
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
                [_("domain"), word("achieved"), word("partly"), word("not_achieved")],
                [
                    [word(d), r.get("achieved", 0), r.get("partly", 0), r.get("not_achieved", 0)]
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
