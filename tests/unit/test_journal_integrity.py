"""Only what this clone wrote is replayed, and only documents of a case are ever written: the
journal's HMACs, the folders it leaves alone, its refusals, and its format on disk (what the
next version of juhtum reads after a crash), in this process."""

from __future__ import annotations

import base64
import datetime as dt
import errno
import hashlib
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from juhtum import journal, storage
from juhtum.errors import InvalidId, StorageError, UserError
from juhtum.journal import Change, Recovery, Write
from juhtum.storage import local
from tests.conftest import git
from tests.unit.crash_in_process import (
    CASE,
    Killer,
    case_files,
    head,
    journal_folders,
    repository,
)

PLAN = f"cases/{CASE}/plan.yaml"
GONE = f"cases/{CASE}/people/tk.yaml"
AUTHOR = {"name": "Mari Maasikas", "email": "mari@example.org"}
DATE = "2026-02-04T10:00:00+02:00"
NAME = r"(\d{8}T\d{6})-tw-1-([a-z0-9]{6})-([0-9a-f]{16})"
"""A journal folder's name: when (UTC), the case, a random part, an HMAC of these."""


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: never the same hour as UTC
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def change(root: Path) -> Change:
    plan = (root / PLAN).read_bytes()
    writes = [Write(PLAN, plan + b"# changed\n"), Write(GONE, None)]
    return Change(CASE, "note", "plan", writes, author=AUTHOR, date=DATE)


def decided(root: Path, killer: Killer) -> tuple[Path, Path]:
    """The repository after a change killed once decided, and its journal folder."""
    after = killer.crash(
        "journal-manifest", root, lambda: journal.apply(repository(root), change(root))
    )
    [name] = journal_folders(after)
    return after, after / ".juhtum" / "journal" / name


def ignored(folder: Path) -> Recovery:
    return Recovery(None, None, completed=False, ignored=f".juhtum/journal/{folder.name}")


def test_the_journal_on_disk_is_what_any_version_of_juhtum_reads_back(
    root: Path, killer: Killer, monkeypatch: pytest.MonkeyPatch, far_from_utc: None
) -> None:
    """The folder is named for when (UTC), the case, a random part and an HMAC of that with
    the clone's secret; the manifest lists each file with its content's hash and what it
    replaces, and carries an HMAC of its canonical JSON bound to the folder's name."""
    for name in ("NAME", "EMAIL"):  # the author is the one the change names
        monkeypatch.delenv(f"GIT_AUTHOR_{name}")
        monkeypatch.delenv(f"GIT_COMMITTER_{name}")
    plan, gone = (root / PLAN).read_bytes(), (root / GONE).read_bytes()
    after, folder = decided(root, killer)
    found = re.fullmatch(NAME, folder.name)
    assert found, folder.name
    began = dt.datetime.strptime(found[1], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - began) < dt.timedelta(minutes=5)
    key = local.clone_key(after)
    assert key
    base = folder.name.rpartition("-")[0]
    assert found[3] == local.mac(key, b"journal-folder", base.encode())[:16]
    new = plan + b"# changed\n"
    assert (folder / "0").read_bytes() == new
    manifest = json.loads((folder / "manifest.json").read_bytes())
    mac = manifest.pop("mac")
    assert manifest == {
        "case": CASE,
        "step": "note",
        "stage": "plan",
        "author": AUTHOR,
        "date": DATE,
        "writes": [
            {
                "path": PLAN,
                "file": "0",
                "sha256": hashlib.sha256(new).hexdigest(),
                "before": base64.b64encode(plan).decode(),
            },
            {"path": GONE, "file": None, "sha256": None, "before": base64.b64encode(gone).decode()},
        ],
    }
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    assert mac == local.mac(key, b"journal-manifest", folder.name.encode(), canonical.encode())
    assert journal.recover(repository(after)) == [Recovery(CASE, "note", completed=True)]
    assert (
        git(after, "log", "-1", "--format=%an <%ae> %aI")
        == f"Mari Maasikas <mari@example.org> {DATE}"
    )
    assert (after / PLAN).read_bytes() == new
    assert not (after / GONE).exists()


def test_a_manifest_altered_after_it_was_written_is_never_replayed(
    root: Path, killer: Killer
) -> None:
    before = case_files(root)
    after, folder = decided(root, killer)
    manifest = json.loads((folder / "manifest.json").read_bytes())
    manifest["writes"][0]["path"] = f"cases/{CASE}/case.yaml"  # its content into another file
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert journal.waiting(repository(after)) == []
    assert journal.recover(repository(after)) == [Recovery(CASE, None, completed=False)]
    assert case_files(after) == before


def test_a_manifest_that_is_no_object_is_a_change_never_decided(root: Path, killer: Killer) -> None:
    before = case_files(root)
    after = killer.crash(
        "journal-content", root, lambda: journal.apply(repository(root), change(root))
    )
    [name] = journal_folders(after)
    (after / ".juhtum" / "journal" / name / "manifest.json").write_bytes(b"[]")
    assert journal.recover(repository(after)) == [Recovery(CASE, None, completed=False)]
    assert case_files(after) == before
    assert journal_folders(after) == []


def test_what_this_clone_did_not_write_is_named_and_left_alone(root: Path, killer: Killer) -> None:
    """A folder with a made-up HMAC, a file where a folder should be, a Finder's .DS_Store:
    left as they are, and the change this clone wrote is completed after them."""
    after, folder = decided(root, killer)
    journal_dir = folder.parent
    forged = journal_dir / "20000101T000000-tw-1-abcdef-0000000000000000"
    shutil.copytree(folder, forged)
    key = local.clone_key(after)
    assert key
    base = "20000101T000001-tw-1-fedcba"
    stray = journal_dir / f"{base}-{local.mac(key, b'journal-folder', base.encode())[:16]}"
    stray.write_bytes(b"")
    (journal_dir / ".DS_Store").write_bytes(b"\0")
    assert journal.waiting(repository(after)) == [
        ignored(forged),
        ignored(stray),
        Recovery(CASE, "note", completed=False, waiting=True),
    ]
    assert journal.recover(repository(after)) == [
        ignored(forged),
        ignored(stray),
        Recovery(CASE, "note", completed=True),
    ]
    assert sorted(p.name for p in journal_dir.iterdir()) == [".DS_Store", forged.name, stray.name]


def test_a_journal_that_came_with_git_is_never_replayed(root: Path, killer: Killer) -> None:
    before = case_files(root)
    after, folder = decided(root, killer)
    git(after, "add", "-f", ".juhtum/journal")
    git(after, "commit", "-qm", "a colleague's journal")
    assert journal.waiting(repository(after)) == [ignored(folder)]
    assert journal.recover(repository(after)) == [ignored(folder)]
    assert case_files(after) == before
    assert (folder / "manifest.json").is_file()


def test_without_a_clone_secret_changes_are_made_and_nothing_is_replayed(
    root: Path, killer: Killer
) -> None:
    secret = local.key_path(root)
    secret.unlink()
    secret.mkdir()  # unreadable as a secret: nothing local can be trusted
    local.clone_key.cache_clear()
    try:
        assert journal.apply(repository(root), change(root)) == head(root)
        after, folder = decided(root, killer)
        assert re.fullmatch(NAME, folder.name)  # the same shape, its HMAC all zeros
        assert journal.recover(repository(after)) == [ignored(folder)]
    finally:
        local.clone_key.cache_clear()


@pytest.mark.parametrize(
    "path",
    [
        ".git/hooks/post-commit",
        "elsewhere/tw-1/case.yaml",
        "juhtum.yaml",
        "cases/tw-1/notes.txt",
        "cases/Tw 1/case.yaml",
    ],
)
def test_only_documents_of_a_case_are_written(root: Path, path: str) -> None:
    commit = head(root)
    with pytest.raises(StorageError) as refused:
        journal.apply(repository(root), Change(CASE, "x", "plan", [Write(path, b"a: 1\n")]))
    assert (
        str(refused.value) == f"refusing to write {path}: juhtum writes only documents under cases/"
    )
    assert not (root / path).exists() or path == "juhtum.yaml"
    assert journal_folders(root) == []
    assert head(root) == commit


def test_a_change_of_no_valid_case_is_refused(root: Path) -> None:
    """The case id names the journal folder: ``../x`` would put it elsewhere."""
    before = case_files(root)
    with pytest.raises(InvalidId):
        journal.apply(repository(root), Change("../tw-1", "x", "plan", [Write(PLAN, b"a: 1\n")]))
    assert journal_folders(root) == []
    assert case_files(root) == before


def test_a_path_that_is_no_text_is_refused(root: Path) -> None:
    path = cast(str, Path(PLAN))  # a caller's mistake, refused like any other
    with pytest.raises(StorageError) as refused:
        journal.apply(repository(root), Change(CASE, "x", "plan", [Write(path, b"a: 1\n")]))
    assert (
        str(refused.value) == f"refusing to write {PLAN}: juhtum writes only documents under cases/"
    )


def test_nothing_is_written_through_a_symbolic_link(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    people = root / "cases" / CASE / "people"
    shutil.rmtree(people)
    people.symlink_to(elsewhere)
    path = f"cases/{CASE}/people/mm.yaml"
    with pytest.raises(StorageError) as refused:
        journal.apply(repository(root), Change(CASE, "x", "plan", [Write(path, b"a: 1\n")]))
    assert str(refused.value) == (
        f"refusing to write {path}: cases/{CASE}/people is a symbolic link"
    )
    assert list(elsewhere.iterdir()) == []


def test_nothing_is_done_in_the_middle_of_a_merge(root: Path, killer: Killer) -> None:
    after, folder = decided(root, killer)
    (after / ".git" / "MERGE_HEAD").write_text(head(after) + "\n", encoding="utf-8")
    said = (
        "git is in the middle of a merge (.git/MERGE_HEAD exists): finish it (git merge "
        "--continue) or abort it (git merge --abort), then run the command again. juhtum "
        "changes nothing meanwhile"
    )
    with pytest.raises(UserError) as refused:
        journal.recover(repository(after))
    assert str(refused.value) == said
    with pytest.raises(UserError) as refused:
        journal.apply(repository(after), change(after))
    assert str(refused.value) == said
    assert (folder / "manifest.json").is_file()


def test_a_journal_folder_that_is_a_symbolic_link_is_refused(root: Path, tmp_path: Path) -> None:
    journal_dir = root / ".juhtum" / "journal"
    shutil.rmtree(journal_dir)
    journal_dir.symlink_to(tmp_path)
    with pytest.raises(StorageError) as refused:
        journal.apply(repository(root), change(root))
    assert str(refused.value) == (
        ".juhtum/journal is a symbolic link or no folder: juhtum keeps its journal only in a "
        "folder of this clone; remove it"
    )


def test_looking_for_interrupted_changes_creates_nothing(root: Path) -> None:
    shutil.rmtree(root / ".juhtum")
    assert journal.waiting(repository(root)) == []
    assert journal.recover(repository(root)) == []
    assert not (root / ".juhtum").exists()
    assert journal.apply(repository(root), change(root)) == head(root)  # a change makes it
    assert journal_folders(root) == []


def test_a_disk_that_fails_as_the_journal_is_made_is_what_is_said(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "make_dirs", full)
    with pytest.raises(OSError) as failed:
        journal.apply(repository(root), change(root))
    assert failed.value.errno == errno.ENOSPC
    assert journal_folders(root) == []


@pytest.mark.parametrize("error", [OSError(errno.EIO, "I/O error"), StorageError("no")])
def test_a_completed_change_stands_when_tidying_the_journal_fails(
    root: Path, killer: Killer, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    after, folder = decided(root, killer)
    tidy = storage.clean_temporary

    def failing(place: Path) -> list[Path]:
        if place == folder.parent:
            raise error
        return tidy(place)

    monkeypatch.setattr(storage, "clean_temporary", failing)
    assert journal.recover(repository(after)) == [Recovery(CASE, "note", completed=True)]
    assert journal_folders(after) == []
