"""What a check finds: a problem with a rule id, a place and a message."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final

ERROR: Final = "error"
WARNING: Final = "warning"
TODO: Final = "todo"
SEVERITIES: Final = (ERROR, WARNING, TODO)

RULES: Final = (
    *(f"I{n}" for n in range(1, 18)),
    "yaml",
    "schema",
    "stage",
    "file",
    "append-only",
)
"""Stable rule ids: the invariants of domain.md, then the checks that are not invariants.

``yaml``: a file that does not parse; ``schema``: a field against its JSON
Schema; ``stage``: the documents a case's state requires; ``file``: a file that
is no document (a symlink, a stray file); ``append-only``: a record deleted or
rewritten since the revision ``validate --changed-since`` compares with. What the
regulation requires of a case plan is invariant 16 (``validate --legal``), so it
carries ``I16``.
"""

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``message`` is an English msgid, ``args`` fill its ``{placeholders}``.

    ``args`` never hold a sensitive value: only ids, handles, field names,
    dates of events, numbers and names of files.
    """

    rule: str
    severity: str
    file: str
    message: str
    args: dict[str, Any] = field(default_factory=dict)
    field: Path = ()
    line: int | None = None
    missing: bool = False
    """Something not yet written: in the current stage's draft it is a to-do, not an error."""

    def with_line(self, line: int | None) -> Problem:
        return replace(self, line=line)

    def as_todo(self) -> Problem:
        return replace(self, severity=TODO)


def field_text(path: Path) -> str:
    """``goals[0].deadline`` for ``("goals", 0, "deadline")``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _encode(value: Any) -> Any:
    from juhtum.i18n import Localised, Msg

    if isinstance(value, Msg):
        return {"msg": str(value)}
    if isinstance(value, Localised):
        return {"loc": [str(value), value.et]}
    return value


def _decode(value: Any) -> Any:
    from juhtum.i18n import Localised, Msg

    if isinstance(value, dict):
        if "msg" in value:
            message: str = value["msg"]
            return Msg(message)
        if "loc" in value:
            return Localised(*value["loc"])
    return value


def to_json(problem: Problem) -> dict[str, Any]:
    """A problem as plain JSON, its arguments' kinds kept (for the cache)."""
    return {
        "rule": problem.rule,
        "severity": problem.severity,
        "file": problem.file,
        "message": problem.message,
        "args": {k: _encode(v) for k, v in problem.args.items()},
        "field": list(problem.field),
        "line": problem.line,
        "missing": problem.missing,
    }


def from_json(data: dict[str, Any]) -> Problem:
    return Problem(
        data["rule"],
        data["severity"],
        data["file"],
        data["message"],
        {k: _decode(v) for k, v in data["args"].items()},
        tuple(data["field"]),
        data["line"],
        data["missing"],
    )
