"""What the repository on disk refuses to follow or read (issue 8), tested in the process so
that mutation testing sees it (issue 9): the hostile suite drives the same through
subprocesses, where a mutant is invisible."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from juhtum import storage
from juhtum.errors import CaseNotFound
from juhtum.storage import Repository


def a_case(root: Path, case_id: str) -> Path:
    folder = root / "cases" / case_id
    folder.mkdir(parents=True)
    (folder / "case.yaml").write_text(f"id: {case_id}\n", encoding="utf-8")
    return folder


def test_an_existing_case_is_found(tmp_path: Path) -> None:
    folder = a_case(tmp_path, "c-1")
    assert Repository(tmp_path).existing_case_dir("c-1") == folder


def test_a_case_folder_that_is_a_link_is_no_case(tmp_path: Path) -> None:
    elsewhere = a_case(tmp_path / "other", "c-9")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "c-1").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(CaseNotFound):
        Repository(tmp_path).existing_case_dir("c-1")


def test_a_cases_folder_that_is_a_link_holds_no_case(tmp_path: Path) -> None:
    a_case(tmp_path / "other", "c-1")
    (tmp_path / "cases").symlink_to(tmp_path / "other" / "cases", target_is_directory=True)
    with pytest.raises(CaseNotFound):
        Repository(tmp_path).existing_case_dir("c-1")


def test_a_folder_without_case_yaml_is_no_case(tmp_path: Path) -> None:
    (tmp_path / "cases" / "c-1").mkdir(parents=True)
    with pytest.raises(CaseNotFound):
        Repository(tmp_path).existing_case_dir("c-1")


def test_case_ids_are_real_folders_with_valid_names_and_the_rest_is_stray(tmp_path: Path) -> None:
    a_case(tmp_path, "c-2")
    a_case(tmp_path, "c-1")
    cases = tmp_path / "cases"
    (cases / "Not An Id").mkdir()  # a folder whose name is no id
    (cases / "c-3").write_text("a file named like a case\n")
    (cases / "c-4").symlink_to(cases / "c-1", target_is_directory=True)
    (cases / ".hidden").mkdir()
    repo = Repository(tmp_path)
    assert repo.case_ids() == ["c-1", "c-2"]
    assert repo.stray_case_entries() == ["Not An Id", "c-3", "c-4"]


def test_without_a_cases_folder_there_are_no_cases(tmp_path: Path) -> None:
    repo = Repository(tmp_path)
    assert repo.case_ids() == []
    assert repo.stray_case_entries() == []


def test_a_document_of_exactly_the_limit_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MAX_BYTES", 100)
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x" * 100)
    assert storage.read_document(path) == b"x" * 100


def test_a_document_over_the_limit_is_refused_with_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MAX_BYTES", 100)
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(storage.TooLarge) as refused:
        storage.read_document(path)
    assert refused.value.size == 101


def test_a_document_larger_than_one_read_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MAX_BYTES", 3 << 20)
    path = tmp_path / "plan.yaml"
    data = os.urandom((1 << 20) + 17)  # more than one chunk of the read loop
    path.write_bytes(data)
    assert storage.read_document(path) == data


def test_a_document_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    """Refused as the system refuses, naming the file; the reason is what ``validate`` shows
    ("cannot read this file: not a regular file")."""
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer, so that opening does not block
    try:
        with pytest.raises(OSError) as refused:
            storage.read_document(fifo)
    finally:
        os.close(fd)
    error = refused.value
    assert (error.errno, error.strerror, error.filename) == (
        errno.EINVAL,
        "not a regular file",
        str(fifo),
    )


def test_a_document_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("not a document\n")
    link = tmp_path / "plan.yaml"
    link.symlink_to(target)
    with pytest.raises(OSError) as refused:
        storage.read_document(link)
    assert refused.value.errno == errno.ELOOP


def test_a_document_that_grows_while_it_is_read_is_refused_one_byte_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the limit when it was opened, growing while it is read (another program still
    writing it): reading stops one byte past the limit, never reading the rest."""
    monkeypatch.setattr(storage, "MAX_BYTES", 100)
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x" * 100)
    read = os.read
    grown: list[int] = []

    def read_while_it_grows(fd: int, size: int) -> bytes:
        chunk = read(fd, size)
        if len(grown) < 5:
            with path.open("ab") as more:
                more.write(b"y" * 10)
            grown.append(10)
        return chunk

    monkeypatch.setattr(os, "read", read_while_it_grows)
    with pytest.raises(storage.TooLarge) as refused:
        storage.read_document(path)
    assert refused.value.size == 101


def test_no_repository_names_where_it_was_looked_for(tmp_path: Path) -> None:
    from juhtum.errors import RepositoryNotFound

    with pytest.raises(RepositoryNotFound) as refused:
        storage.find_repository(explicit=tmp_path / "nowhere")
    assert refused.value.render().startswith(f"{tmp_path / 'nowhere'} is not a case repository")
    start = tmp_path / "deep"
    start.mkdir()
    with pytest.raises(RepositoryNotFound) as refused:
        storage.find_repository(start=start)
    assert f"no juhtum.yaml in {start.resolve()} or any folder above" in refused.value.render()


def a_repository(root: Path) -> Repository:
    root.mkdir(parents=True, exist_ok=True)
    (root / "juhtum.yaml").write_text("organisation: {name: x}\n")
    return Repository(root)


def test_a_lock_file_that_is_a_link_is_refused_and_named(tmp_path: Path) -> None:
    from juhtum.errors import StorageError

    repo = a_repository(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.write_text("not ours\n")
    repo.state_dir.mkdir()
    (repo.state_dir / "lock").symlink_to(outside)
    with pytest.raises(StorageError) as refused, storage.Lock(repo, timeout=0.1):
        pass
    assert refused.value.render().startswith(".juhtum/lock is a symbolic link or no folder")
    assert outside.read_text() == "not ours\n"


def test_a_state_folder_that_is_a_link_is_refused_and_named(tmp_path: Path) -> None:
    from juhtum.errors import StorageError

    repo = a_repository(tmp_path / "repo")
    (tmp_path / "outside").mkdir()
    repo.state_dir.symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(StorageError) as refused, storage.Lock(repo, timeout=0.1):
        pass
    assert refused.value.render().startswith(".juhtum is a symbolic link or no folder")
    assert list((tmp_path / "outside").iterdir()) == []


def test_a_busy_lock_is_named(tmp_path: Path) -> None:
    from juhtum.errors import StorageError

    repo = a_repository(tmp_path / "repo")
    with storage.Lock(repo), pytest.raises(StorageError) as refused:  # noqa: SIM117
        with storage.Lock(repo, timeout=0.05):
            pass
    assert refused.value.render().endswith("(lock: .juhtum/lock)")


def test_two_repositories_are_locked_apart(tmp_path: Path) -> None:
    one = a_repository(tmp_path / "one")
    two = a_repository(tmp_path / "two")
    with storage.Lock(one), storage.Lock(two, timeout=0.05):
        assert (one.state_dir / "lock").exists() and (two.state_dir / "lock").exists()


def test_leaving_the_lock_releases_it_while_the_lock_is_kept(tmp_path: Path) -> None:
    repo = a_repository(tmp_path / "repo")
    kept = storage.Lock(repo)
    with kept:
        pass
    with storage.Lock(repo, timeout=0.05):  # no StorageError: free again
        pass
    kept.__exit__(None, None, None)  # leaving twice does no harm


def test_leaving_a_lock_never_taken_does_nothing(tmp_path: Path) -> None:
    storage.Lock(a_repository(tmp_path / "repo")).__exit__(None, None, None)
