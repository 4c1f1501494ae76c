"""Local state is local: a journal or a cache that came with git is never replayed nor
believed; a command that says it failed leaves nothing to be applied later; an unfinished
merge is named and left alone (issue 8, items 1 and 2)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, git
from tests.hostile.conftest import (
    CASE,
    OTHER,
    READING,
    TODAY,
    Hostile,
    case_files,
    commit,
    monitoring_file,
)

Build = Callable[[Callable[[Path], None]], Hostile]
BROKEN = f"cases/{OTHER}/need.yaml"


def break_case(root: Path) -> bytes:
    """Give a case's document a field no schema knows; returns the valid content."""
    path = root / BROKEN
    valid = path.read_bytes()
    path.write_bytes(valid + b"hacked: true\n")
    return valid


def entry(root: Path, name: str, writes: list[tuple[str, bytes | None]], mac: str = "") -> None:
    folder = root / ".juhtum" / "journal" / name
    folder.mkdir(parents=True)
    listed = []
    for n, (path, data) in enumerate(writes):
        item: dict[str, object] = {"path": path, "file": None, "sha256": None, "before": None}
        if data is not None:
            (folder / str(n)).write_bytes(data)
            item.update(file=str(n), sha256=hashlib.sha256(data).hexdigest())
        listed.append(item)
    manifest = {"case": OTHER, "step": "x", "stage": "need", "writes": listed, "mac": mac}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def plant_journal(root: Path) -> None:
    valid = break_case(root)
    fsmonitor = b'[core]\n\tfsmonitor = "touch ../outside/pwned"\n'
    entry(root, f"20260101T000000-{OTHER}-aaaaaa", [(".git/config", fsmonitor)])
    entry(root, f"20260101T000001-{OTHER}-bbbbbb", [(BROKEN, valid)])
    entry(root, f"20260101T000002-{OTHER}-cccccc", [(f"cases/{CASE}/case.yaml", None)])
    entry(
        root,
        f"20260101T000003-{OTHER}-dddddd-0123456789abcdef",
        [(BROKEN, valid), ("juhtum.yaml", b"organisation: x\n")],
        mac="0" * 64,
    )
    half = root / ".juhtum" / "journal" / f"20260101T000004-{OTHER}-eeeeee-0123456789abcdef"
    half.mkdir()
    (half / "0").write_bytes(b"no manifest: a rollback would delete this folder\n")
    commit(root, "a colleague's journal", ".")


def every_command(juhtum: Callable[..., Run], clone: Path, tmp_path: Path) -> dict[str, Run]:
    """Every reading command, then a writing one; none crashes, each says what it ignored."""
    found = {}
    for args in READING:
        before = case_files(clone)
        run = juhtum("--repo", clone, *args)
        assert run.code in (0, 1), (args, run.output)
        assert "Traceback" not in run.output
        assert case_files(clone) == before, args  # reading writes nothing, replays nothing
        found[args[0]] = run
    run = juhtum("--repo", clone, "monitor", CASE, "-f", monitoring_file(tmp_path))
    found["monitor"] = run
    found["recover"] = juhtum("--repo", clone, "recover")
    return found


def test_a_committed_journal_is_never_replayed(
    hostile: Build, juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    attack = hostile(plant_journal)
    guard = attack.guard()
    broken = (attack.clone / BROKEN).read_bytes()
    runs = every_command(juhtum, attack.clone, tmp_path)
    guard.check()  # .git/config, hooks, the journal's files, the canary: as they were
    assert (attack.clone / BROKEN).read_bytes() == broken
    assert (attack.clone / "cases" / CASE / "case.yaml").is_file()
    validate = runs["validate"]
    assert validate.code == 1
    assert "hacked" in validate.out
    assert ".juhtum/journal/" in validate.out  # a tracked file of local state is an error
    assert "ignored .juhtum/journal/" in validate.err
    assert runs["monitor"].code == 0, runs["monitor"].output
    assert "ignored .juhtum/journal/" in runs["monitor"].err
    assert "completed" not in runs["monitor"].err + runs["recover"].err
    assert runs["recover"].code == 0
    log = git(attack.clone, "log", "--format=%s", "-3").splitlines()
    assert log[0].startswith(f"{CASE}:") and log[1] == "a colleague's journal"


def tamper(cache_file: Path) -> None:
    """What an attacker writes into a cache: no problems anywhere."""
    db = sqlite3.connect(cache_file)
    db.execute("UPDATE cases SET problems='[]'")
    for key, value in db.execute("SELECT key, value FROM meta").fetchall():
        if str(key).startswith("whole-run:"):
            saved = json.loads(value)
            saved["problems"] = []
            db.execute("UPDATE meta SET value=? WHERE key=?", (json.dumps(saved), key))
    db.commit()
    db.close()


def plant_cache(juhtum: Callable[..., Run]) -> Callable[[Path], None]:
    def plant(root: Path) -> None:
        break_case(root)
        commit(root, "a broken case", ".")
        assert juhtum("--repo", root, "validate").code == 1
        tamper(root / ".juhtum" / "cache" / "cases.sqlite")
        commit(root, "a cache that says all is well", ".juhtum/cache/cases.sqlite")

    return plant


def test_a_committed_cache_decides_nothing(
    hostile: Build, juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    attack = hostile(plant_cache(juhtum))
    guard = attack.guard()
    runs = every_command(juhtum, attack.clone, tmp_path)
    guard.check()  # the committed cache is not even rewritten
    assert runs["validate"].code == 1
    assert "hacked" in runs["validate"].out
    assert "ignored the validation cache" in runs["validate"].err
    assert juhtum("--repo", attack.clone, "validate", "--no-cache").code == 1


@pytest.mark.parametrize("ci_key", [None, "the-ci-secret-of-this-project"])
def test_a_cache_from_elsewhere_is_rebuilt_not_believed(
    hostile: Build,
    juhtum: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    ci_key: str | None,
) -> None:
    """A CI cache restored into a new checkout: only a cache written with the same
    JUHTUM_CACHE_KEY is trusted; the attacker's (made with another key) is not."""

    def plant(root: Path) -> None:
        break_case(root)
        commit(root, "a broken case", ".")
        monkeypatch.setenv("JUHTUM_CACHE_KEY", "the-attackers-own-key-1234")
        assert juhtum("--repo", root, "validate").code == 1
        monkeypatch.delenv("JUHTUM_CACHE_KEY")
        tamper(root / ".juhtum" / "cache" / "cases.sqlite")

    attack = hostile(plant)
    if ci_key:
        monkeypatch.setenv("JUHTUM_CACHE_KEY", ci_key)
    shutil.copytree(attack.origin / ".juhtum" / "cache", attack.clone / ".juhtum" / "cache")
    run = juhtum("--repo", attack.clone, "validate")
    assert run.code == 1, run.output
    assert "hacked" in run.out
    again = juhtum("--repo", attack.clone, "validate")  # its own cache now: the same verdict
    assert again.code == 1 and "hacked" in again.out


# -- a command that says it failed leaves nothing behind (item 2) ----------------------------


def process(root: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    import os

    proc = subprocess.run(
        [sys.executable, "-m", "juhtum", "--repo", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def entries(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "cases" / CASE / "monitoring").iterdir())


def journal(root: Path) -> list[str]:
    folder = root / ".juhtum" / "journal"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


FAILURES = {
    "index.lock": ({}, "git could not commit"),
    "disk full placing the file": ({"JUHTUM_FAIL_AT": "write-temporary:3"}, "disk is full"),
    "disk full in the journal": ({"JUHTUM_FAIL_AT": "write-temporary:1"}, "disk is full"),
    "git add failed": ({"JUHTUM_FAIL_AT": "git-add"}, "git could not commit"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_write_leaves_nothing_and_a_retry_makes_one_entry(
    hostile: Build, tmp_path: Path, failure: str
) -> None:
    attack = hostile(lambda root: None)
    root = attack.clone
    env, said = FAILURES[failure]
    lock = root / ".git" / "index.lock"
    if failure == "index.lock":
        lock.write_bytes(b"")
    before, head = case_files(root), git(root, "rev-parse", "HEAD")
    listed = entries(root)
    entry_file = monitoring_file(tmp_path)
    failed = process(root, "--today", TODAY, "monitor", CASE, "-f", str(entry_file), env=env)
    assert failed.code == 1, failed.output
    assert said in failed.err
    assert journal(root) == []
    assert case_files(root) == before
    lock.unlink(missing_ok=True)
    assert git(root, "diff", "--cached", "--name-only") == ""
    # the next commands complete nothing: there is nothing left to complete
    for args in (["status", CASE], ["validate"], ["recover"]):
        run = process(root, "--today", TODAY, *args)
        assert "completed" not in run.err, run.err
    assert git(root, "rev-parse", "HEAD") == head
    retried = process(root, "--today", TODAY, "monitor", CASE, "-f", str(entry_file))
    assert retried.code == 0, retried.output
    assert len(entries(root)) == len(listed) + 1
    assert git(root, "rev-list", "--count", f"{head}..HEAD") == "1"
    assert git(root, "status", "--porcelain", "--", "cases") == ""


# -- an unfinished merge, rebase, cherry-pick or revert --------------------------------------


def unfinished_merge(root: Path) -> None:
    (root / "notes.txt").write_text("one\n", encoding="utf-8")
    commit(root, "notes", "notes.txt")
    git(root, "checkout", "-q", "-b", "other", "HEAD~1")
    (root / "notes.txt").write_text("two\n", encoding="utf-8")
    commit(root, "other notes", "notes.txt")
    git(root, "checkout", "-q", "-")
    git(root, "merge", "-q", "other", check=False)
    assert (root / ".git" / "MERGE_HEAD").exists()


@pytest.mark.parametrize(
    ("marker", "operation"),
    [
        ("MERGE_HEAD", "merge"),
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
    ],
)
def test_an_unfinished_operation_is_named_and_nothing_is_staged_into_it(
    hostile: Build, juhtum: Callable[..., Run], tmp_path: Path, marker: str, operation: str
) -> None:
    attack = hostile(lambda root: None)
    root = attack.clone
    if marker == "MERGE_HEAD":
        unfinished_merge(root)
    elif marker.startswith("rebase"):
        (root / ".git" / marker).mkdir()
    else:
        (root / ".git" / marker).write_text(git(root, "rev-parse", "HEAD") + "\n")
    staged = git(root, "diff", "--cached", "--name-only")
    head = git(root, "rev-parse", "HEAD")
    before = case_files(root)
    run = juhtum("--repo", root, "monitor", CASE, "-f", monitoring_file(tmp_path))
    assert run.code == 1, run.output
    assert f"git is in the middle of a {operation}" in run.err
    assert f".git/{marker}" in run.err
    assert git(root, "diff", "--cached", "--name-only") == staged
    assert git(root, "rev-parse", "HEAD") == head
    assert case_files(root) == before
    for args in READING:  # reading commands keep working
        read = juhtum("--repo", root, *args)
        assert read.code == 0, (args, read.output)


def empty_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()


@pytest.mark.parametrize("shape", ["junk", "another database", "an old format"])
def test_a_committed_cache_of_any_shape_is_left_as_it_is(
    hostile: Build, juhtum: Callable[..., Run], shape: str
) -> None:
    def plant(root: Path) -> None:
        cache_file = root / ".juhtum" / "cache" / "cases.sqlite"
        cache_file.parent.mkdir(parents=True)
        if shape == "junk":
            cache_file.write_bytes(b"not a database at all\n" * 10)
        else:
            empty_database(cache_file)
            if shape == "an old format":
                db = sqlite3.connect(cache_file)
                db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("INSERT INTO meta VALUES ('format', '3')")
                db.commit()
                db.close()
        commit(root, "a cache", ".juhtum/cache/cases.sqlite")

    attack = hostile(plant)
    guard = attack.guard()
    for args in READING:
        run = juhtum("--repo", attack.clone, *args)
        assert run.code in (0, 1), (args, run.output)
    assert "git tracks it" in juhtum("--repo", attack.clone, "validate").err
    guard.check()


@pytest.mark.parametrize(
    "path",
    [
        ".git/config",
        "juhtum.yaml",
        ".juhtum/cache/cases.sqlite",
        f"cases/{CASE}/../../.git/config",
        "/etc/passwd",
        f"cases/{CASE}/notes.txt",
        f"cases/{CASE}/linked/need.yaml",
        f"cases/{CASE}/monitoring/x.yaml",
    ],
)
def test_the_journal_writes_only_case_documents_through_no_link(hostile: Build, path: str) -> None:
    from juhtum import journal
    from juhtum.errors import StorageError
    from juhtum.storage import Repository

    attack = hostile(lambda root: None)
    root = attack.clone
    monitoring = root / "cases" / CASE / "monitoring"
    shutil.rmtree(monitoring)
    monitoring.symlink_to(attack.outside)  # a folder of the case is a link outside
    guard = attack.guard()
    change = journal.Change(CASE, "x", "implementation", [journal.Write(path, b"a: 1\n")])
    with pytest.raises(StorageError):
        journal.apply(Repository(root), change)
    guard.check()
    assert journal.pending(Repository(root)) == []
