"""Atomic writes, leftover temporary files, the lock, and repository discovery."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from juhtum import storage
from juhtum.documents import yamlio
from juhtum.errors import RepositoryNotFound, StorageError
from juhtum.storage import Repository


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(storage.TEMP_MARK)]


def test_write_atomic_replaces_the_content(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old\n")
    storage.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, code: int
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"original\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if failing == "replace":
        monkeypatch.setattr(Path, "replace", fail)
    else:
        monkeypatch.setattr(os, failing, fail)
    with pytest.raises(StorageError) as info:
        storage.write_text(target, "new content\n", relative="cases/x/plan.yaml")
    monkeypatch.undo()
    assert target.read_bytes() == b"original\n"
    assert temporaries(tmp_path) == []
    message = info.value.render()
    assert "cases/x/plan.yaml" in message and "as it was" in message
    if code == errno.ENOSPC:
        assert "disk is full" in message


def test_leftover_temporary_files_are_ignored_and_cleaned(tmp_path: Path) -> None:
    case = tmp_path / "case"
    (case / "monitoring").mkdir(parents=True)
    (case / "case.yaml").write_text("id: x\n")
    (case / f".plan.yaml.abc{storage.TEMP_MARK}").write_text("half a plan")
    (case / "monitoring" / f".2026-01-01-x.yaml.abc{storage.TEMP_MARK}").write_text("half")
    assert [e.parts for e in storage.scan_case(case)] == [("case.yaml",)]
    removed = storage.clean_temporary(case)
    assert len(removed) == 2
    assert temporaries(case) == [] and temporaries(case / "monitoring") == []


def test_reading_refuses_symlinks_and_oversized_files(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    with pytest.raises(OSError):
        storage.read_document(link)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (yamlio.MAX_BYTES + 1))
    with pytest.raises(storage.TooLarge):
        storage.read_document(big)
    assert storage.read_document(real) == b"a: 1\n"


def test_the_lock_serialises_writers(tmp_path: Path) -> None:
    (tmp_path / "juhtum.yaml").write_text("organisation: {name: x}\n")
    repo = Repository(tmp_path)
    with storage.Lock(repo), pytest.raises(StorageError) as info:  # noqa: SIM117
        with storage.Lock(repo, timeout=0.1):
            pass
    assert "another juhtum command" in info.value.render()
    with storage.Lock(repo, timeout=0.1):
        pass


def test_repository_is_found_upwards_and_by_option(tmp_path: Path) -> None:
    (tmp_path / "juhtum.yaml").write_text("organisation: {name: x}\n")
    deep = tmp_path / "cases" / "a-1" / "people"
    deep.mkdir(parents=True)
    assert storage.find_repository(start=deep).root == tmp_path.resolve()
    assert storage.find_repository(explicit=tmp_path).root == tmp_path.resolve()
    with pytest.raises(RepositoryNotFound):
        storage.find_repository(explicit=deep)
    with pytest.raises(RepositoryNotFound):
        storage.find_repository(start=tmp_path.parent)


def test_make_dirs_never_goes_through_a_link_below_the_state_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    state = tmp_path / "repo" / ".juhtum"
    state.mkdir(parents=True)
    (state / "rejected").symlink_to(outside)
    with pytest.raises(StorageError):
        storage.make_dirs(state / "rejected" / "case" / "x")
    assert list(outside.iterdir()) == []
    storage.make_dirs(state / "edit" / "y")  # a real folder is fine
    assert (state / "edit" / "y").is_dir()


def test_the_folder_is_fsynced_after_the_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the folder's fsync after the rename, a power cut can lose the new name: the
    file is then the old one although the command said done."""
    import stat

    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old\n")
    events: list[tuple[str, object]] = []
    replace, fsync = os.replace, os.fsync

    def recorded_replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]
        events.append(("replace", Path(str(dst))))

    def recorded_fsync(fd: int) -> None:
        info = os.fstat(fd)
        fsync(fd)
        events.append(("fsync", (stat.S_ISDIR(info.st_mode), info.st_ino)))

    monkeypatch.setattr(os, "replace", recorded_replace)
    monkeypatch.setattr(os, "fsync", recorded_fsync)
    storage.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert ("replace", target) in events
    after = events[events.index(("replace", target)) + 1 :]
    assert ("fsync", (True, tmp_path.stat().st_ino)) in after
