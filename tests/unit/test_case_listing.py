"""Listing a case folder and the services folder: what is a document, what is refused as a
link, a stray entry or something that is no file (issue 8), tested in the process so that
mutation testing sees it (issue 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from juhtum import storage
from juhtum.errors import CaseNotFound
from juhtum.storage import Entry, Repository


def a_case_with_everything(root: Path) -> Path:
    """A case folder holding each kind of entry a listing meets, in name order."""
    case = root / "cases" / "c-1"
    monitoring = case / "monitoring"
    monitoring.mkdir(parents=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("a: 1\n")
    (case / ".gitkeep").write_text("")
    (case / "case.yaml").write_text("id: c-1\n")
    (case / "extras").mkdir()  # a folder that is no document folder
    (case / "extras" / "plan.yaml").write_text("a: 1\n")
    os.mkfifo(case / "fifo")
    (case / "link-dir").symlink_to(outside, target_is_directory=True)
    (case / "link.yaml").symlink_to(outside / "secret.yaml")
    (monitoring / f".2026-01-01-a.yaml.x{storage.TEMP_MARK}").write_text("half")
    (monitoring / "2026-01-01-a.yaml").write_text("a: 1\n")
    (monitoring / "link.yaml").symlink_to(outside / "secret.yaml")
    (monitoring / "nested").mkdir()
    (monitoring / "notes.txt").write_text("not a document\n")
    (case / "notes.txt").write_text("not a document\n")
    (case / "plan.yaml").write_text("a: 1\n")
    return case


def test_a_case_is_listed_with_what_each_entry_is(tmp_path: Path) -> None:
    case = a_case_with_everything(tmp_path)
    monitoring = case / "monitoring"
    assert list(storage.scan_case(case)) == [
        Entry(case / "case.yaml", ("case.yaml",), "case"),
        Entry(case / "extras", ("extras",), None, "stray"),
        Entry(case / "fifo", ("fifo",), None, "not-a-file"),
        Entry(case / "link-dir", ("link-dir",), None, "symlink"),
        Entry(case / "link.yaml", ("link.yaml",), None, "symlink"),
        Entry(monitoring / "2026-01-01-a.yaml", ("monitoring", "2026-01-01-a.yaml"), "monitoring"),
        Entry(monitoring / "link.yaml", ("monitoring", "link.yaml"), None, "symlink"),
        Entry(monitoring / "nested", ("monitoring", "nested"), None, "not-a-file"),
        Entry(monitoring / "notes.txt", ("monitoring", "notes.txt"), None, "stray"),
        Entry(case / "notes.txt", ("notes.txt",), None, "stray"),
        Entry(case / "plan.yaml", ("plan.yaml",), "plan"),
    ]


def test_a_case_folder_that_is_a_link_is_not_listed(tmp_path: Path) -> None:
    case = a_case_with_everything(tmp_path)
    link = tmp_path / "cases" / "c-2"
    link.symlink_to(case, target_is_directory=True)
    with pytest.raises(CaseNotFound):
        list(storage.scan_case(link))


def test_a_case_in_a_cases_folder_that_is_a_link_is_not_listed(tmp_path: Path) -> None:
    a_case_with_everything(tmp_path / "elsewhere")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "cases").symlink_to(tmp_path / "elsewhere" / "cases")
    with pytest.raises(CaseNotFound):
        list(storage.scan_case(tmp_path / "repo" / "cases" / "c-1"))


@pytest.mark.parametrize("what", ["missing", "file"])
def test_a_case_folder_that_is_no_folder_is_no_case(tmp_path: Path, what: str) -> None:
    folder = tmp_path / "cases" / "c-1"
    folder.parent.mkdir()
    if what == "file":
        folder.write_text("id: c-1\n")
    with pytest.raises(CaseNotFound) as refused:
        list(storage.scan_case(folder))
    assert "c-1" in refused.value.render()


def test_the_service_files_are_the_visible_yaml_files(tmp_path: Path) -> None:
    services = Repository(tmp_path).services_dir
    services.mkdir()
    for name in ("b.yaml", "a.yaml", ".hidden.yaml", "README.md", f".a.yaml.x{storage.TEMP_MARK}"):
        (services / name).write_text("a: 1\n")
    assert Repository(tmp_path).service_files() == [services / "a.yaml", services / "b.yaml"]


def test_without_a_services_folder_there_are_no_service_files(tmp_path: Path) -> None:
    assert Repository(tmp_path).service_files() == []
