"""What every row of the cache is keyed on (issue 9, item 1): juhtum's own code as installed,
its data and its translations among it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from juhtum.check import cache_keys


@pytest.mark.parametrize("name", ["rules.py", "data/kinds.json", "locale/et/juhtum.mo"])
def test_the_code_key_follows_each_module_data_file_and_translation(
    tmp_path: Path, name: str
) -> None:
    package = tmp_path / "juhtum"
    changed = package / name
    changed.parent.mkdir(parents=True)
    changed.write_text("1\n")
    (package / "__init__.py").write_text("")
    first = cache_keys.package_key(package)
    changed.write_text("2\n")  # the same size: the modification time tells
    stamp = changed.stat().st_mtime_ns + 10**9
    os.utime(changed, ns=(stamp, stamp))
    assert cache_keys.package_key(package) != first


def test_the_context_follows_every_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from juhtum.documents import schemas
    from juhtum.storage import Repository
    from tests.cases import build
    from tests.conftest import copy_fixture

    repo = Repository(copy_fixture(build.TWIN, tmp_path))
    copied = tmp_path / "schemas"
    shutil.copytree(schemas.directory(), copied)  # type: ignore[arg-type]
    monkeypatch.setattr(schemas, "directory", lambda: copied)
    first = cache_keys.context_key(repo)
    assert cache_keys.context_key(repo) == first
    edited = next(copied.glob("*.schema.json"))
    edited.write_text(edited.read_text() + "\n")
    assert cache_keys.context_key(repo) != first


def test_the_context_follows_the_specialists_and_the_services_whatever_their_names(
    tmp_path: Path,
) -> None:
    from juhtum.storage import Repository
    from tests.conftest import EXAMPLES, copy_fixture

    repo = Repository(copy_fixture(EXAMPLES / "kaasiku", tmp_path))
    specialists = repo.root / "specialists"
    shutil.copy(specialists / "lk-kr.yaml", specialists / "ab-cd.yaml")
    for folder in (specialists, repo.services_dir):  # a name in another encoding
        (folder / os.fsdecode(b"\xff.yaml")).write_text("x: 1\n")
    first = cache_keys.context_key(repo)
    assert cache_keys.context_key(repo) == first
    added = specialists / "ab-cd.yaml"
    added.write_text(added.read_text() + "\n")
    second = cache_keys.context_key(repo)
    assert second != first
    shutil.rmtree(repo.services_dir)  # no catalogue at all: a context still
    assert cache_keys.context_key(repo) not in (first, second)
