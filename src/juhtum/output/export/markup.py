"""Blocks as Markdown or as a printable HTML page, every text escaped."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from juhtum.i18n import _, dates_in, language
from juhtum.output.export.blocks import Block, map_text


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

    blocks = map_text(blocks, dates_in)  # as the language writes them: 29.11.2026 in Estonian
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

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}")


def _cell(text: str) -> str:
    """A cell's text escaped, its dates kept whole on one line."""
    escaped = html.escape(text)
    return _ISO_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', escaped)


def page(blocks: list[Block]) -> str:
    e = html.escape
    blocks = map_text(blocks, dates_in)  # as the language writes them: 29.11.2026 in Estonian
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
