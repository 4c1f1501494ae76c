"""Mutations of case documents, as a careless or hostile colleague would write them.

Each mutation works on the parsed document (a wrong type, an impossible date, a list where
one value belongs, a key deleted, characters that hide or control) or on its text (a key
twice, a YAML error, a truncated file). A ``random.Random`` drives them, so a seed is a
reproducible repository.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from juhtum.documents import yamlio

Tree = Any
Where = tuple[Any, Any]  # (container, key or index)

DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
BAD_DATES = ["2026-11-31", "2026-02-30", "2026-13-01", "0000-00-00", "03.06.1971", "2026-1-1"]
ODD_TEXT = [
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "\u200b",
    "\u202eevil",
    "\ufeff",
    " ",
    "",
    "=1+1",
    "-",
    "a\nb",
    "\x00",
    "\x85\x9b",
    unicodedata.normalize("NFD", "Õie Kõrvits"),
    "ÄÖÜ" * 50,
    "{id}",
    "%s %(x)s {0}",
]
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**30,
    1.5,
    [],
    {},
    [1],
    [[]],
    {"a": 1},
    "x",
    ["G1", "G1"],
    [None],
]


def places(tree: Tree) -> list[Where]:
    """Every (container, key) in the tree."""
    found: list[Where] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 12:
            return
        if isinstance(node, dict):
            for key in list(node):
                found.append((node, key))
                walk(node[key], depth + 1)
        elif isinstance(node, list):
            for i in range(len(node)):
                found.append((node, i))
                walk(node[i], depth + 1)

    walk(tree, 0)
    return found


def _retype(rng: random.Random, where: Where) -> None:
    node, key = where
    node[key] = rng.choice(ODD_VALUES)


def _date(rng: random.Random, where: Where) -> None:
    node, key = where
    node[key] = rng.choice(BAD_DATES)


def _wrap(rng: random.Random, where: Where) -> None:
    node, key = where
    node[key] = [node[key]] if rng.random() < 0.7 else {"value": node[key]}


def _delete(rng: random.Random, where: Where) -> None:
    node, key = where
    if isinstance(node, dict):
        del node[key]
    else:
        node.pop(key)


def _unicode(rng: random.Random, where: Where) -> None:
    node, key = where
    value = node[key]
    odd = rng.choice(ODD_TEXT)
    if isinstance(value, str) and value and rng.random() < 0.6:
        at = rng.randrange(len(value) + 1)
        node[key] = value[:at] + odd + value[at:]
    else:
        node[key] = odd
    if isinstance(node, dict) and rng.random() < 0.2:  # the key itself
        node[str(key) + rng.choice(ODD_TEXT[:5])] = node.pop(key)


def _duplicate_item(rng: random.Random, where: Where) -> None:
    node, key = where
    if isinstance(node, list):
        node.insert(key, node[key])
    else:
        node[key] = [node[key], node[key]]


TREE_MUTATIONS: list[Callable[[random.Random, Where], None]] = [
    _retype,
    _date,
    _wrap,
    _delete,
    _unicode,
    _duplicate_item,
]


def _dates_first(rng: random.Random, spots: list[Where]) -> Where:
    dates = [w for w in spots if isinstance(w[0][w[1]], str) and DATE.match(w[0][w[1]])]
    return rng.choice(dates) if dates and rng.random() < 0.5 else rng.choice(spots)


def mutate_text(rng: random.Random, text: str) -> str:
    """A mutation of the document's text: what a typo in an editor makes."""
    lines = text.splitlines(keepends=True) or ["\n"]
    choice = rng.randrange(6)
    at = rng.randrange(len(lines))
    if choice == 0:  # a key twice
        lines.insert(at, lines[at])
    elif choice == 1:  # a YAML error
        lines.insert(at, rng.choice(["key: [a, b\n", "a: b: c\n", "\t- x\n", "- : :\n", "&a *b\n"]))
    elif choice == 2:  # truncated
        return text[: rng.randrange(len(text) + 1)]
    elif choice == 3:  # a value's quotes lost
        lines[at] = lines[at].replace('"', "").replace("'", "")
    elif choice == 4:  # an alias bomb, small
        lines.insert(0, "x: &a [1, 1]\ny: &b [*a, *a]\nz: [*b, *b]\n")
    else:  # the whole document another type
        return rng.choice(["[]\n", "null\n", "42\n", '"text"\n', "- a\n- b\n", ""])
    return "".join(lines)


def mutate(rng: random.Random, text: str) -> str:
    """One to three mutations of a document."""
    if rng.random() < 0.15:
        return mutate_text(rng, text)
    try:
        data = yamlio.loads(text, path="fuzz").data
    except Exception:
        return mutate_text(rng, text)
    for _ in range(rng.randint(1, 3)):
        spots = places(data)
        if not spots:
            break
        where = _dates_first(rng, spots)
        rng.choice(TREE_MUTATIONS)(rng, where)
    try:
        return yamlio.dumps(data)
    except Exception:
        return mutate_text(rng, text)


def mutate_repository(rng: random.Random, root: Path, share: float) -> int:
    """Mutate about ``share`` of the documents under ``cases/`` and ``services/`` (and
    sometimes juhtum.yaml) in place; returns how many were mutated."""
    documents = sorted(root.glob("cases/**/*.yaml")) + sorted(root.glob("services/*.yaml"))
    if rng.random() < 0.1:
        documents.append(root / "juhtum.yaml")
    count = 0
    for path in documents:
        if rng.random() >= share:
            continue
        path.write_text(mutate(rng, path.read_text(encoding="utf-8")), encoding="utf-8")
        count += 1
    return count
