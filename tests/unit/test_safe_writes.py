"""Writing safely: what an atomic write leaves behind when the disk or the system refuses,
folders made without following a link, and leftover temporary files cleaned (issues 8 and 9:
in the process, so that mutation testing sees it)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from juhtum import crashpoints, storage
from juhtum.errors import StorageError
from juhtum.model import ids


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(storage.TEMP_MARK)]


def failing(code: int | None) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError() if code is None else OSError(code, os.strerror(code))

    return fail


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(old)


def test_a_new_file_gets_the_usual_permissions_and_no_execute_bit(
    tmp_path: Path, umask: int
) -> None:
    target = tmp_path / "plan.yaml"
    storage.write_atomic(target, b"a: 1\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_short_writes_are_continued_until_everything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: write(fd, bytes(data[:3])))
    target = tmp_path / "plan.yaml"
    storage.write_atomic(target, b"goal: a longer text than one write\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"goal: a longer text than one write\n"


def test_a_link_waiting_at_the_temporary_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not ours\n")
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old\n")
    monkeypatch.setattr(ids, "random_part", lambda length: "AAAAAAAA")  # a name foreseen
    (tmp_path / f".plan.yaml.AAAAAAAA{storage.TEMP_MARK}").symlink_to(outside)
    with pytest.raises(StorageError):
        storage.write_atomic(target, b"new\n")
    assert outside.read_bytes() == b"not ours\n"
    assert target.read_bytes() == b"old\n"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EACCES, "permission denied"),
        (errno.EPERM, "permission denied"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EIO, "the disk reported an input/output error"),
        (errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)),
        (None, "OSError"),  # no description: the kind of error
    ],
)
def test_a_failed_write_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int | None, reason: str
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old\n")
    monkeypatch.setattr(os, "fsync", failing(code))
    with pytest.raises(StorageError) as refused:
        storage.write_atomic(target, b"new\n")
    monkeypatch.undo()
    assert f"could not write {target}: {reason}; the file is as it was" in refused.value.render()
    assert target.read_bytes() == b"old\n" and temporaries(tmp_path) == []


def test_a_write_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "plan.yaml"
    with pytest.raises(StorageError) as refused:
        storage.write_atomic(target, b"new\n")
    reason = os.strerror(errno.ENOENT)
    assert f"could not write {target}: {reason};" in refused.value.render()


@pytest.mark.parametrize("where", ["open", "replace"])
def test_a_failed_write_closes_no_other_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / ("gone" if where == "open" else "") / "plan.yaml"
    if where == "replace":
        monkeypatch.setattr(Path, "replace", failing(errno.EIO))
    saved = os.dup(1)
    try:
        with pytest.raises(StorageError):
            storage.write_atomic(target, b"new\n")
        os.fstat(1)  # standard output is still open
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def test_a_failed_write_closes_its_file_even_as_descriptor_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With standard input closed (a job started with ``<&-``) the temporary file is
    descriptor 0: a failed write must close it all the same."""
    monkeypatch.setattr(os, "fsync", failing(errno.EIO))
    saved = os.dup(0)
    os.close(0)
    try:
        with pytest.raises(StorageError):
            storage.write_atomic(tmp_path / "plan.yaml", b"new\n")
        free = os.open(os.devnull, os.O_RDONLY)
        os.close(free)
        assert free == 0
    finally:
        os.dup2(saved, 0)
        os.close(saved)


@pytest.mark.parametrize("point", ["write-temporary", "write-fsync", "write-replace"])
def test_each_step_of_a_write_can_be_made_to_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    monkeypatch.setattr(crashpoints, "_hits", {})
    monkeypatch.setenv("JUHTUM_FAIL_AT", point)
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old\n")
    with pytest.raises(StorageError) as refused:
        storage.write_atomic(target, b"new\n")
    said = refused.value.render()
    assert "the disk is full" in said
    assert temporaries(tmp_path) == []
    if point == "write-replace":  # the new content is in place: the message must not deny it
        assert target.read_bytes() == b"new\n"
        assert "as it was" not in said
        assert f"wrote {target} but could not make it durable" in said
    else:
        assert target.read_bytes() == b"old\n"
        assert "the file is as it was" in said


@pytest.mark.parametrize(
    ("code", "written"), [(errno.EINVAL, True), (errno.EBADF, True), (errno.EIO, False)]
)
def test_a_folder_the_file_system_cannot_fsync_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, written: bool
) -> None:
    """Some file systems refuse to fsync a folder (EINVAL): the write stands. A real error
    of the disk (EIO) is said."""
    fsync = os.fsync

    def fsync_files_only(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_files_only)
    target = tmp_path / "plan.yaml"
    if written:
        storage.write_atomic(target, b"new\n")
    else:
        with pytest.raises(StorageError) as refused:
            storage.write_atomic(target, b"new\n")
        assert "could not make it durable" in refused.value.render()
    assert target.read_bytes() == b"new\n"


def test_a_repository_reached_through_a_link_can_make_its_state_folders(tmp_path: Path) -> None:
    """Only what lies below ``.juhtum`` must be no link: a home folder reached through a
    link is fine."""
    (tmp_path / "real" / "repo" / ".juhtum").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    storage.make_dirs(tmp_path / "linked" / "repo" / ".juhtum" / "edit" / "c-1")
    assert (tmp_path / "real" / "repo" / ".juhtum" / "edit" / "c-1").is_dir()


def a_state_link(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    state = tmp_path / "repo" / ".juhtum"
    state.mkdir(parents=True)
    (state / "rejected").symlink_to(outside, target_is_directory=True)
    return state / "rejected", outside


def test_a_state_folder_that_is_a_link_is_refused_and_named(tmp_path: Path) -> None:
    link, outside = a_state_link(tmp_path)
    with pytest.raises(StorageError) as refused:
        storage.make_dirs(link / "c-1")
    assert f"{link} is a symbolic link or no folder" in refused.value.render()
    assert list(outside.iterdir()) == []


def test_a_link_below_the_state_folder_is_refused_however_deep_the_path(tmp_path: Path) -> None:
    link, outside = a_state_link(tmp_path)
    deep = link.joinpath(*["d"] * (len(link.parts) + 1))
    with pytest.raises(StorageError) as refused:
        storage.make_dirs(deep)
    assert f"{link} is a symbolic link" in refused.value.render()
    assert list(outside.iterdir()) == []


def test_cleaning_removes_only_temporary_files_and_says_which(tmp_path: Path) -> None:
    case = tmp_path / "case"
    (case / "people").mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours\n")
    left = case / f".plan.yaml.abc{storage.TEMP_MARK}"
    left.write_text("half")
    inner = case / "people" / f".p.yaml.abc{storage.TEMP_MARK}"
    inner.write_text("half")
    link = case / f".link.yaml.abc{storage.TEMP_MARK}"
    link.symlink_to(outside)
    (case / "plan.yaml").write_text("a: 1\n")
    assert storage.clean_temporary(case) == [left, inner]
    assert link.is_symlink() and outside.read_text() == "not ours\n"
    assert (case / "plan.yaml").exists() and not left.exists() and not inner.exists()


def test_a_temporary_file_gone_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    left = tmp_path / f".plan.yaml.abc{storage.TEMP_MARK}"
    left.write_text("half")
    scandir = os.scandir

    def listed_then_removed(path: Path) -> list[os.DirEntry[str]]:
        entries = list(scandir(path))
        left.unlink(missing_ok=True)  # another process cleaned it up meanwhile
        return entries

    monkeypatch.setattr(os, "scandir", listed_then_removed)
    assert storage.clean_temporary(tmp_path) == [left]
