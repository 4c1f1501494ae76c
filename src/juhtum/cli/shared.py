"""What every command shares: its run (the global options' values, the case repository it
opens, the date its commits carry), the choices its options take, and printing (escaped text
and JSON, the screen's width, text wrapped between words, tables that fit the screen)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from juhtum.cli.app import LANGUAGE_LINE

if TYPE_CHECKING:
    from juhtum.storage import Repository


class Framework(StrEnum):
    adult = "adult"
    child = "child"


class Stage(StrEnum):
    need = "need"
    assessment = "assessment"
    planning = "planning"
    plan = "plan"
    implementation = "implementation"
    evaluation = "evaluation"
    closed = "closed"
    referred = "referred"


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


@dataclass
class State:
    repo: Path | None = None
    lang: str | None = None
    today: dt.date | None = None
    command: str | None = None

    def repository(self) -> Repository:
        """The case repository, with its language applied unless ``--lang`` chose one."""
        from juhtum.storage import find_repository

        repo = find_repository(self.repo)
        if self.lang is None:
            apply_repository_language(repo)
        if self.command in READING:
            tell_interrupted(repo)
        return repo

    def day(self) -> dt.date:
        return self.today or dt.date.today()


READING = frozenset(
    ("status", "history", "show", "list", "due", "report", "export", "services", "validate")
)
"""Commands that only read: they never replay the journal (nor write anything but their
cache); a writing command completes an interrupted change first (juhtum.journal)."""


def tell_interrupted(repo: Repository) -> None:
    """Say that a change a crash interrupted is waiting (or that a journal entry this clone
    did not write is ignored), without touching it: only writing commands replay."""
    import sys

    if not repo.interrupted_changes():
        return
    from juhtum import journal
    from juhtum.errors import StorageError
    from juhtum.output.safe_text import escape

    try:
        found = journal.waiting(repo)
    except StorageError:
        return
    for recovery in found:
        sys.stderr.write(f"juhtum: {escape(recovery.render())}\n")


def apply_repository_language(repo: Repository) -> None:
    """juhtum.yaml's top-level ``language``, read without the YAML parser: every command
    needs it, and the parser costs 20 ms of start-up (validate reports a broken file)."""
    from juhtum import i18n, storage

    try:  # never through a symlink, never past the size limit (validate reports it)
        text = storage.read_document(repo.config_path).decode("utf-8", errors="replace")
    except (OSError, storage.TooLarge):
        return
    found = LANGUAGE_LINE.search(text)
    if found:
        i18n.set_language(found.group(2))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def commit_date(st: State) -> str | None:
    """The date commits carry: the one given with --today, at the current time of day."""
    if st.today is None:
        return None
    now = dt.datetime.now().astimezone()
    return dt.datetime.combine(st.today, now.timetz()).isoformat(timespec="seconds")


def echo(text: str = "", *, painted: bool = False) -> None:
    """Print ``text``: every control character escaped (safe_text), so that nothing read from
    a case repository reaches the terminal as a command. ``painted``: the caller escaped the
    data itself and added juhtum's own colours, which must come through."""
    from juhtum.output.safe_text import escape

    typer.echo(text if painted else escape(text))


def echo_json(data: Any) -> None:
    import json

    from juhtum.output.safe_text import escape

    # json escapes C0 itself; C1, bidirectional and zero-width characters become \uXXXX here
    typer.echo(escape(json.dumps(data, ensure_ascii=False, indent=2)))


def is_terminal() -> bool:
    return os.isatty(1)


UNWRAPPED = 1_000_000
"""The width of output no person reads on a screen: a pipe to grep, a program, a CI log."""


def screen_width() -> int:
    """The width of the screen the output is read on: ``COLUMNS`` when set (also when not a
    terminal: ``COLUMNS=80 juhtum status ID | less``), else the terminal's; never narrower than
    40. Output to a pipe or a file without ``COLUMNS`` is not wrapped (:data:`UNWRAPPED`):
    one line an item, for grep and programs."""
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if not columns.isdigit() and not (os.isatty(1) or os.isatty(2)):
        return UNWRAPPED
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def wrapped(text: str, indent: str = "", hang: str | None = None, width: int | None = None) -> str:
    """``text`` wrapped to the screen between words, never inside a word, a date or a path
    (no break at hyphens): the first line after ``indent``, the rest after ``hang``."""
    import textwrap

    return "\n".join(
        textwrap.wrap(
            text,
            width=width or screen_width(),
            initial_indent=indent,
            subsequent_indent=indent + "  " if hang is None else hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
        or [indent.rstrip()]
    )


def table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Rows in columns as wide as their widest cell, two spaces apart; when that is wider than
    the screen, the widest columns are narrowed and their cells wrapped inside the column, at
    word boundaries (a column is never narrower than its longest word or date), and as a last
    resort the columns stand one space apart."""
    import textwrap

    from juhtum.output.safe_text import escape

    # a cell is one line of text from a repository: its control characters escaped here
    headers = [escape(str(h), inline=True) for h in headers]
    rows = [[escape(str(c), inline=True) for c in row] for row in rows]
    total = width or screen_width()
    count = len(headers)
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(count)]
    longest = [
        max((len(w) for r in [headers, *rows] for w in str(r[i]).split()), default=1)
        for i in range(count)
    ]
    gap = 2
    while sum(widths) + gap * (count - 1) > total:
        i = max(range(count), key=lambda k: widths[k] - longest[k])
        if widths[i] <= longest[i]:
            if gap == 1:
                break
            gap = 1  # the columns are as narrow as their words: closer together
            continue
        widths[i] -= 1
    lines = []
    for row in [headers, *rows]:
        cells = [
            # an empty column (nothing overdue) is 0 wide: textwrap needs 1
            textwrap.wrap(str(c), max(1, widths[i]), break_long_words=False, break_on_hyphens=False)
            or [""]
            for i, c in enumerate(row)
        ]
        for k in range(max(len(c) for c in cells)):
            parts = [(c[k] if k < len(c) else "").ljust(widths[i]) for i, c in enumerate(cells)]
            lines.append((" " * gap).join(parts).rstrip())
    return "\n".join(lines)


def say(text: str = "") -> None:
    """``text`` for a person: each line longer than the screen wrapped between words, its
    continuation indented below it (not for data: JSON, CSV and documents go out as they are)."""
    width = screen_width()
    echo(
        "\n".join(
            line
            if len(line) <= width
            else wrapped(line, line[: len(line) - len(line.lstrip(" "))], None, width)
            for line in text.split("\n")
        )
    )


def names_wanted(flag: bool | None) -> bool:
    """People's names beside case ids: with --names, else only when a person reads the
    terminal (never in a pipe, a log or CI)."""
    return flag if flag is not None else is_terminal()
