"""What checking a repository found: its problems and counts (:class:`Result`), and how it
was asked for (:class:`Options`).

The result is a value, not an exception: a list of :class:`Problem` with rule
id, severity, file, line, field and a message, which :mod:`juhtum.render`
turns into text, JSON or CI annotations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from juhtum.model.problems import ERROR, TODO, WARNING, Problem, from_json


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    cases: int = 0
    files: int = 0
    cached: int = 0
    """How many cases the cache answered for."""
    unlisted_todos: int = 0
    """To-dos counted but not kept in ``problems`` (Options.list_todos False)."""

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def todos(self) -> int:
        return self.count(TODO) + self.unlisted_todos

    @property
    def ok(self) -> bool:
        return self.errors == 0


@dataclass
class Options:
    today: dt.date
    legal: bool = False
    list_todos: bool = True
    """False: to-dos from the cache are only counted (the text report without --todo),
    sparing the making of thousands of problems nobody reads."""


def _take(options: Options, kept: list[dict[str, Any]], into: list[Problem]) -> int:
    """Kept problems (JSON) into ``into``: --legal's only when asked for, to-dos only when
    they are to be listed. Returns the to-dos counted but left out."""
    left_out = 0
    for data in kept:
        if data["rule"] == "I16" and not options.legal:
            continue
        if data["severity"] == TODO and not options.list_todos:
            left_out += 1
            continue
        into.append(from_json(data))
    return left_out
