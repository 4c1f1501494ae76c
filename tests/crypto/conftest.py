"""Shared pieces of the encryption tests: identities and the bundled examples' documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import schemas, yamlio
from juhtum.model.documents import kind_in_case
from tests.conftest import EXAMPLES


@dataclass
class Doc:
    path: Path
    kind: str
    data: dict[str, Any]


def case_documents(repo: Path) -> Iterator[Doc]:
    """Every case document of a repository, with its kind."""
    for path in sorted((repo / "cases").rglob("*.yaml")):
        parts = path.relative_to(repo / "cases").parts
        kind = kind_in_case(parts[1:])
        if kind is None:
            continue
        yield Doc(path, kind, yamlio.load_file(path, path=str(path)).data)


def secrets_of(repo: Path) -> set[str]:
    """What must never be readable: every person's name, personal code, phone, e-mail and
    address, and every other sensitive text of five characters or more, except a word that
    readable fields hold too (a person's handle ``elukaaslane`` is also a relation)."""
    found: set[str] = set()
    readable: list[str] = []
    for doc in case_documents(repo):
        sensitive = schemas.field_index(doc.kind).sensitive
        readable += [
            v
            for path, v in _leaves(doc.data)
            if isinstance(v, str)
            and not any(schemas.to_pattern(path)[: len(s)] == s for s in sensitive)
        ]
        if doc.kind == "person":
            for key in ("name", "personal_code", "phone", "email", "address", "birth_date"):
                if isinstance(doc.data.get(key), str):
                    found.add(doc.data[key])
        for pattern in schemas.field_index(doc.kind).sensitive:
            for _, value in schemas.values_at(doc.data, pattern):
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str) and len(v) >= 5:
                        found.add(v)
    return {s for s in found if not any(s in r for r in readable)}


def _leaves(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


@pytest.fixture(params=sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def example(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(EXAMPLES / request.param, tmp_path / request.param))


@pytest.fixture
def identity() -> Any:
    from pyrage import x25519

    return x25519.Identity.generate()


@pytest.fixture
def other() -> Any:
    from pyrage import x25519

    return x25519.Identity.generate()
