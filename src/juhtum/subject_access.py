"""What the law gives the person: everything recorded about them (``juhtum export ID
--subject-access``, GDPR art. 15; issue 13 item 6).

For a key holder (an encrypted case is read open), a folder with every document of the case
as juhtum holds it (the diary included), the history of its changes (date, the handle of the
specialist who made it, the step, the documents), and a statement of what was withheld and
why. Withheld, because the right of access must not adversely affect the rights and freedoms
of others (GDPR art. 15 (4)):

- the reporter of a child-protection notification (``notification.reporter``, LasteKS § 27),
  and every field a schema marks ``x-confidential``;
- other people's personal data: in their ``people/`` files their name, personal code, birth
  date and contacts; in every text of the case their name, personal code and contacts where
  written out in full (an inflected or shortened name is not found: the statement says so).

Names never reach the history: a change is named by the signer's handle, else the handle of
the registered specialist whose name git recorded as its author, else "-".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juhtum.i18n import N_

WITHHELD = "[…]"
"""What stands where a value was withheld (the statement says what and why)."""

PERSON_FIELDS = ("name", "personal_code", "birth_date", "email", "phone", "address")
"""What of another person's file is their personal data, withheld."""

REPORTER = ("notification", "reporter")

_PERSONAL_NAME = re.compile(
    r"[^\W\d_][^\W\d_'-]*(?:[-'][^\W\d_]+)*(?: [^\W\d_][^\W\d_'-]*(?:[-'][^\W\d_]+)*){1,3}"
)
"""Two to four words of letters: a person's first and last names, each of which is looked for
alone too (an institution's longer name is looked for only whole)."""

CONFIDENTIAL_KEYS = ("x-confidential", "x-withheld-from-subject")
"""Schema annotations that keep a field from the person (a reporter's identity)."""


@dataclass
class Withheld:
    file: str
    field: str
    why: str


@dataclass
class Export:
    case_id: str
    folder: Path
    files: list[str] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    replaced_in_text: int = 0


def confidential_patterns(kind: str) -> set[tuple[str, ...]]:
    """The places (``*`` for any list item) a schema of ``kind`` marks confidential."""
    from juhtum.documents import schemas

    found: set[tuple[str, ...]] = set()

    def walk(doc: str, node: Any, place: tuple[str, ...], depth: int) -> None:
        if not isinstance(node, dict) or depth > 40:
            return
        if any(node.get(k) is True for k in CONFIDENTIAL_KEYS):
            found.add(place)
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, _, pointer = ref.partition("#")
            name = target or doc
            try:
                sub: Any = schemas.load(name)
                for part in (p for p in pointer.split("/") if p):
                    sub = sub[part]
            except (OSError, KeyError, TypeError, ValueError):
                sub = None
            walk(name, sub, place, depth + 1)
        for key, sub in (node.get("properties") or {}).items():
            walk(doc, sub, (*place, key), depth + 1)
        if "items" in node:
            walk(doc, node["items"], (*place, "*"), depth + 1)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or ():
                walk(doc, sub, place, depth + 1)
        for key in ("then", "else"):
            walk(doc, node.get(key), place, depth + 1)

    try:
        walk(schemas.schema_name(kind), schemas.load(schemas.schema_name(kind)), (), 0)
    except (OSError, KeyError, ValueError):
        return set()
    return found


def _places(data: Any, place: tuple[str, ...], path: str = "") -> Iterator[tuple[Any, Any, str]]:
    """(container, key, shown path) of every value at ``place`` in ``data``."""
    if not place:
        return
    head, rest = place[0], place[1:]
    items: list[tuple[Any, Any]]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else []
    else:
        items = [(head, data[head])] if isinstance(data, dict) and head in data else []
    for key, value in items:
        shown = f"{path}.{key}" if path else str(key)
        if rest:
            yield from _places(value, rest, shown)
        else:
            yield data, key, shown


def _reporters(data: Any, path: str = "") -> Iterator[tuple[Any, Any, str]]:
    """``notification.reporter`` wherever a document holds one."""
    if isinstance(data, dict):
        for key, value in data.items():
            shown = f"{path}.{key}" if path else str(key)
            if key == REPORTER[0] and isinstance(value, dict) and REPORTER[1] in value:
                yield value, REPORTER[1], f"{shown}.{REPORTER[1]}"
            yield from _reporters(value, shown)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _reporters(value, f"{path}.{i}" if path else str(i))


def _others(case: Any) -> tuple[list[str], set[str]]:
    """Other people's identifying strings (longest first), and the words of the person's own
    name (kept: a family shares a surname)."""
    client = case.client
    own = case.people.get(client)
    own_name = str(own.get("name") or "") if own is not None else ""
    own_words = set(own_name.split())
    found: set[str] = set()
    for handle, doc in case.people.items():
        if handle == client:
            continue
        for key in PERSON_FIELDS:
            value = doc.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                text = str(value).strip()
                found.add(text)
                if key == "name" and _PERSONAL_NAME.fullmatch(text):
                    # a first or last name alone, too; not an institution's words
                    found.update(w for w in text.split() if len(w) >= 3 and w not in own_words)
    return sorted(found, key=len, reverse=True), own_words


def _scrub(data: Any, pattern: re.Pattern[str] | None, counter: list[int]) -> Any:
    if pattern is None:
        return data
    if isinstance(data, str):
        new, n = pattern.subn(WITHHELD, data)
        counter[0] += n
        return new
    if isinstance(data, dict):
        return {k: _scrub(v, pattern, counter) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrub(v, pattern, counter) for v in data]
    return data


def withhold(case: Any) -> tuple[list[tuple[str, Any]], list[Withheld], int]:
    """Every document of ``case`` as (name in the case folder, data) with what the person may
    not see withheld; what was withheld; how many times another person's details were found
    in the texts."""
    import copy

    strings, _own = _others(case)
    pattern = (
        re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in strings)) if strings else None
    )
    withheld: list[Withheld] = []
    counter = [0]
    documents: list[tuple[str, Any]] = []
    for doc in sorted(case.docs, key=lambda d: d.name):
        data = copy.deepcopy(doc.data)
        where = f"{case.folder}/{doc.name}"
        if doc.kind == "person" and doc.name != f"people/{case.client}.yaml":
            for key in PERSON_FIELDS:
                if isinstance(data, dict) and key in data:
                    data[key] = WITHHELD
                    withheld.append(Withheld(where, key, N_("another person's personal data")))
        places = list(_reporters(data))
        for place in confidential_patterns(doc.kind):
            places += list(_places(data, place))
        for container, key, shown in places:
            if container[key] != WITHHELD:
                container[key] = WITHHELD
                withheld.append(
                    Withheld(
                        where,
                        shown,
                        N_("the reporter of a child-protection notification (LasteKS § 27)")
                        if shown.endswith(".".join(REPORTER))
                        else N_("confidential by the schema (x-confidential)"),
                    )
                )
        documents.append((doc.name, _scrub(data, pattern, counter)))
    return documents, withheld, counter[0]


def history_rows(repo: Any, case_id: str) -> list[list[str]]:
    """date, handle, step, documents: the changes of the case, oldest first."""
    from juhtum import history, specialists
    from juhtum.model.documents import CASES_DIR
    from juhtum.verification import signers

    folder = f"{CASES_DIR}/{case_id}"
    if not history.in_git(repo.root):
        return []
    entries = history.log(repo.root, folder, case_id)
    signed = signers(repo, folder)
    by_name = {
        str(d.get("name")).strip(): h
        for h, d in specialists.read_all(repo).items()
        if isinstance(d.get("name"), str)
    }
    return [
        [
            e.date[:10],
            signed.get(e.commit) or by_name.get(e.author.strip()) or "-",
            e.step,
            ", ".join(f.removeprefix(f"{folder}/") for f in e.files),
        ]
        for e in reversed(entries)
    ]


def export(repo: Any, case_id: str, target: Path, today: str) -> Export:
    """Write the subject-access export of ``case_id`` into the new folder ``target``."""
    from juhtum import storage
    from juhtum.check import reading
    from juhtum.documents import yamlio
    from juhtum.errors import UserError
    from juhtum.i18n import _
    from juhtum.output.safe_text import escape

    target = target.resolve()
    if target == repo.root or repo.root in target.parents:
        raise UserError(
            N_(
                "{path} is inside the case repository: write the export outside it, e.g. "
                "--output ~/{id}-subject-access"
            ),
            path=str(target),
            id=case_id,
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(N_("{path} exists and is not empty: choose a new folder"), path=str(target))
    repo.existing_case_dir(case_id)
    unreadable: list[Any] = []
    case = reading.parse_case(reading.read_case_files(repo, case_id), unreadable)
    if any(p.severity == "error" and p.rule in ("yaml", "file") for p in unreadable):
        raise UserError(
            N_("a document of case {id} cannot be read: juhtum validate cases/{id} says which"),
            id=case_id,
        )
    documents, withheld, replaced = withhold(case)
    done = Export(case_id, target, withheld=withheld, replaced_in_text=replaced)
    storage.make_dirs(target)
    for name, data in documents:
        path = target / "documents" / name
        storage.make_dirs(path.parent)
        path.write_text(yamlio.dumps(data), encoding="utf-8")
        done.files.append(f"documents/{name}")
    rows = history_rows(repo, case_id)
    title = _("History of the changes of case {id}").format(id=case_id)
    lines = [
        f"# {title}",
        "",
        "| " + " | ".join([_("date"), _("who"), _("step"), _("documents")]) + " |",
        "|---|---|---|---|",
        *(
            "| " + " | ".join(escape(c, inline=True).replace("|", "\\|") for c in r) + " |"
            for r in rows
        ),
        "",
    ]
    (target / "history.md").write_text("\n".join(lines), encoding="utf-8")
    done.files.append("history.md")
    (target / "README.md").write_text(statement(done, today), encoding="utf-8")
    done.files.insert(0, "README.md")
    return done


def statement(done: Export, today: str) -> str:
    """README.md: what the folder holds and what was withheld, and why."""
    from juhtum.i18n import _, render

    title = _("Everything recorded about the person in case {id}").format(id=done.case_id)
    withheld = _("Withheld")
    out = [
        f"# {title}",
        "",
        _(
            "Made on {date} at the person's request (GDPR art. 15): every document of the case "
            "(documents/, the diary included) and the history of its changes (history.md: "
            "date, the handle of the specialist who made it, the step)."
        ).format(date=today),
        "",
        f"## {withheld}",
        "",
    ]
    if done.withheld:
        out.append(
            _(
                "These values are replaced by {mark}: the right of access does not extend to "
                "other people's data (GDPR art. 15 (4))."
            ).format(mark=WITHHELD)
        )
        out.append("")
        out += [f"- {w.file}: {w.field} — {render(w.why, {})}" for w in done.withheld]
    else:
        out.append(_("No field was withheld."))
    out += [
        "",
        _(
            "Other people's names, personal codes and contacts were replaced by {mark} in the "
            "texts {n} times, where written out in full; a shortened or inflected name may "
            "remain, so read the texts before handing them over."
        ).format(mark=WITHHELD, n=done.replaced_in_text),
        "",
    ]
    return "\n".join(out)
