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
    "encrypted",
    "LasteKS",
)
"""Stable rule ids: the invariants of domain.md, then the checks that are not invariants.

``yaml``: a file that does not parse; ``schema``: a field against its JSON
Schema; ``stage``: the documents a case's state requires; ``file``: a file that
is no document (a symlink, a stray file); ``append-only``: a record deleted or
rewritten since the revision ``validate --changed-since`` compares with; ``encrypted``:
the checks of a case's encrypted values that did not run without its key; ``LasteKS``: what a
child's case adds (LasteKS: the child's view, the notification, coming of age). What the
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
    label: str | None = None
    """``field`` as a person names it: by the document's own ids (``A2.deadline``), list
    positions counted from 1; None when ``field`` holds no list position."""

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


def shown_field(problem: Problem) -> str:
    """The field of ``problem`` as a person reads it (see :attr:`Problem.label`)."""
    return problem.label if problem.label is not None else field_text(problem.field)


def field_label(path: Path, data: Any) -> str:
    """``path`` named through ``data``: a list item by its ``id`` (``A2``, ``G1``, ``E1``),
    else by its position counted from 1 (``contacts[2]``); ``actions[1].deadline`` is
    ``A2.deadline`` when the second action's id is A2."""
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            own = item.get("id") if isinstance(item, dict) else None
            if isinstance(own, str | int) and not isinstance(own, bool) and str(own).strip():
                out = str(own)
            else:
                out += f"[{part + 1}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def named_by_ids(problem: Problem, data: Any) -> Problem:
    """``problem`` with its field, and the arguments that name it, labelled by ids."""
    if not any(isinstance(part, int) for part in problem.field):
        return problem
    renamed: dict[str, str] = {}
    for end in range(len(problem.field), 0, -1):
        prefix = problem.field[:end]
        if isinstance(prefix[-1], int) or end == len(problem.field):
            renamed.setdefault(field_text(prefix), field_label(prefix, data))
    args = dict(problem.args)
    for key, value in problem.args.items():
        if isinstance(value, str):
            for old, new in renamed.items():
                if value.startswith(old + "."):
                    args[key] = new + value[len(old) :]
                    break
                if value == old:
                    args[key] = new
                    break
    return replace(problem, args=args, label=field_label(problem.field, data))


def distinct(problems: list[Problem]) -> list[Problem]:
    """Each problem once (two checks may find the same thing: a date's format and pattern)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (
            p.rule,
            p.severity,
            p.file,
            p.field,
            p.message,
            tuple(sorted((k, str(v)) for k, v in p.args.items())),
        )
        if key not in seen:
            seen.add(key)
            out.append(p)
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
        "label": problem.label,
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
        data.get("label"),
    )


def labelled(problems: list[Problem], data_by_file: dict[str, Any]) -> list[Problem]:
    """Each problem once, its fields named by the ids of the document it is about."""
    return distinct(
        [named_by_ids(p, data_by_file[p.file]) if p.file in data_by_file else p for p in problems]
    )
