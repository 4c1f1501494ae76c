"""The cache's database file: one in a linked folder is not used, and says so; one that git
tracks is neither believed nor touched, also where the case repository is a folder of a
larger git repository (that repository's git then tracks it)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.check import runner
from juhtum.check.cache_file import CacheFile
from juhtum.check.result import Options
from juhtum.storage import Repository, local
from tests.cases import build
from tests.conftest import Run, copy_fixture, git

BROKEN = build.INVALID / "I4"
"""The twin with a plan that breaks I4."""
CACHE = Path(".juhtum") / "cache" / "cases.sqlite"


@pytest.mark.parametrize("linked", ["the folder", "the journal beside the database"])
def test_a_cache_folder_with_a_link_is_not_used_and_named(
    tmp_path: Path, juhtum: Callable[..., Run], linked: str
) -> None:
    root = copy_fixture(BROKEN, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "config").write_text("[core]\n")
    (root / CACHE.parent).mkdir(parents=True, exist_ok=linked != "the folder")
    if linked == "the folder":
        (root / CACHE.parent).rmdir()
        (root / CACHE.parent).symlink_to(outside, target_is_directory=True)
    else:  # SQLite would write its journal through the link
        Path(f"{root / CACHE}-journal").symlink_to(outside / "config")
    run = juhtum("--repo", root, "validate")
    assert run.code == 1 and "[I4]" in run.out
    assert (
        f"ignored the validation cache {CACHE.as_posix()}: its folder is a symbolic link" in run.err
    )
    assert [p.name for p in outside.iterdir()] == ["config"]
    assert (outside / "config").read_text() == "[core]\n"


@pytest.mark.parametrize("layout", ["own repository", "folder of a repository"])
def test_a_committed_cache_of_another_format_is_neither_believed_nor_touched(
    tmp_path: Path, juhtum: Callable[..., Run], layout: str
) -> None:
    top = tmp_path / "organisation"
    top.mkdir()
    root = copy_fixture(BROKEN, top if layout == "own repository" else top / "social work")
    if layout == "own repository":
        top = root
    git(top, "init", "-q")
    assert juhtum("--repo", root, "validate").code == 1
    db = sqlite3.connect(root / CACHE)
    db.execute("UPDATE meta SET value = 'ancient' WHERE key = 'format'")
    db.execute("UPDATE cases SET problems = '[]'")
    db.commit()
    db.close()
    git(top, "add", "-Af", ".")
    git(top, "commit", "-qm", "a cache that came with a commit")
    committed = (root / CACHE).read_bytes()
    run = juhtum("--repo", root, "validate")
    assert run.code == 1 and "[I4]" in run.out
    assert "git tracks it (it came with a commit)" in run.err
    assert (root / CACHE).read_bytes() == committed
    assert git(top, "status", "--porcelain") == ""
    (root / CACHE).unlink()  # deleted, still tracked: none is made in its place
    run = juhtum("--repo", root, "validate")
    assert run.code == 1 and "git tracks it (it came with a commit)" in run.err
    assert not (root / CACHE).exists()


@pytest.mark.parametrize("in_git", [False, True])
def test_a_database_damaged_inside_turns_the_cache_off_not_the_command(
    tmp_path: Path, juhtum: Callable[..., Run], in_git: bool
) -> None:
    """The file opens and its format reads, but the table of the cases is damaged: the cache
    is off from the first read that fails, the answer is the one without it, and the next
    run has a cache again (the damaged file is not found damaged on every run)."""
    root = copy_fixture(BROKEN, tmp_path)
    expected = juhtum("--repo", root, "validate", "--no-cache")
    assert juhtum("--repo", root, "validate").out == expected.out  # the rows
    if in_git:  # git's answers are still read after the cache is off
        (root / ".gitignore").write_text(".juhtum/\n")
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "cases")
    db = sqlite3.connect(root / CACHE)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    (page,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()
    db.close()
    with (root / CACHE).open("r+b") as file:
        file.seek((page - 1) * page_size)
        file.write(b"\xff" * page_size)
    damaged = juhtum("--repo", root, "validate")
    assert (damaged.code, damaged.out) == (expected.code, expected.out)
    assert "it is damaged; it is made anew on the next run" in damaged.err
    for _ in range(2):
        run = juhtum("--repo", root, "validate")
        assert (run.code, run.out, run.err) == (expected.code, expected.out, "")
    db = sqlite3.connect(root / CACHE)
    assert db.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    db.close()


def test_a_cache_another_clone_wrote_is_rebuilt_not_believed(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    origin = copy_fixture(BROKEN, tmp_path)
    assert juhtum("--repo", origin, "validate").code == 1
    db = sqlite3.connect(origin / CACHE)
    db.execute("UPDATE cases SET problems = '[]'")  # what a cache from elsewhere may say
    db.commit()
    db.close()
    clone = shutil.copytree(origin, tmp_path / "clone")  # .juhtum/ too: another clone's key
    run = juhtum("--repo", clone, "validate")
    assert run.code == 1 and "[I4]" in run.out
    assert "this clone did not write it" in run.err
    again = juhtum("--repo", clone, "validate")  # its own cache now: no notice
    assert (again.code, again.out, again.err) == (1, run.out, "")


def test_a_database_of_ours_that_cannot_take_its_tables_is_made_anew(tmp_path: Path) -> None:
    root = copy_fixture(BROKEN, tmp_path)
    repo = Repository(root)
    options = Options(today=dt.date(2026, 11, 23))
    first = runner.validate(repo, options)
    db = sqlite3.connect(root / CACHE)
    db.execute("DROP TABLE cases")
    db.execute("CREATE INDEX cases ON meta (value)")  # the table's name taken
    db.commit()
    db.close()
    again = runner.validate(repo, options)
    assert again.cached == 0 and again.problems == first.problems
    assert runner.validate(repo, options).cached == 1


def test_a_cache_only_locked_by_another_process_is_kept(tmp_path: Path) -> None:
    """Another process holding the database past the wait is no damage: this run goes without
    the cache, and the file stays for the next (only a damaged one is made anew)."""
    root = copy_fixture(BROKEN, tmp_path)
    repo = Repository(root)
    runner.validate(repo, Options(today=dt.date(2026, 11, 23)))
    cache = CacheFile(repo, context="test")
    assert is_open(cache)
    try:
        raise sqlite3.OperationalError("database is locked")
    except sqlite3.Error:
        cache._broken()
    assert not is_open(cache) and (root / CACHE).exists()
    assert local.notices == []


def is_open(cache: CacheFile) -> bool:
    return cache.db is not None
