"""What the next command finds after a crash, and the undoing of a change that failed, in
this process (tests/unit/crash_in_process.py): a change decided is completed exactly as an
uninterrupted one would have been, one never decided or abandoned is rolled back, and either
way the case is the old or the new version, with nothing staged or left behind."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum import journal
from juhtum.errors import HistoryError, StorageError
from juhtum.journal import Change, Recovery, Write
from tests.conftest import Run, git
from tests.unit.crash_in_process import (
    CASE,
    SIGN,
    Killer,
    case_files,
    head,
    journal_folders,
    last_commit,
    repository,
)

PLAN = f"cases/{CASE}/plan.yaml"
NEW = f"cases/{CASE}/people/mm.yaml"
GONE = f"cases/{CASE}/people/tk.yaml"
LATER = "cases/tw-2/case.yaml"
SIGN_STEP = "sign: ode; all parties signed: plan -> implementation"


def uninterrupted(root: Path, tmp_path: Path, juhtum: Callable[..., Run]) -> Path:
    """A copy of ``root`` where the sign ran to its end."""
    copy = shutil.copytree(root, tmp_path / "uninterrupted", symlinks=True)
    run = juhtum("--repo", copy, *SIGN)
    assert run.code == 0, run.output
    return copy


def with_a_later_change(root: Path, killer: Killer) -> Path:
    """``root`` with a change of another case killed once decided: it waits behind the rest."""
    later = Change("tw-2", "new", "need", [Write(LATER, b"id: tw-2\n")])
    return killer.crash("journal-manifest", root, lambda: journal.apply(repository(root), later))


def three_writes(root: Path) -> Change:
    """A change that adds a file, removes one and rewrites one (a dated commit of its own)."""
    plan = (root / PLAN).read_bytes()
    return Change(
        CASE,
        "note",
        "plan",
        [
            Write(NEW, b"handle: mm\nname: Mari Maasikas\nrole: network\n"),
            Write(GONE, None),
            Write(PLAN, plan + b"# changed\n"),
        ],
        date="2026-02-04T10:00:00+02:00",
    )


@pytest.mark.parametrize("point", ["apply-file:1", "apply-file:2", "git-add", "git-commit"])
def test_a_change_killed_after_its_manifest_is_completed_as_if_never_interrupted(
    point: str, root: Path, tmp_path: Path, juhtum: Callable[..., Run], killer: Killer
) -> None:
    done = uninterrupted(root, tmp_path, juhtum)
    before = head(root)
    after = killer.crash(point, root, lambda: juhtum("--repo", root, *SIGN))
    assert journal.waiting(repository(after)) == [
        Recovery(CASE, SIGN_STEP, completed=False, waiting=True)
    ]
    assert journal.recover(repository(after)) == [Recovery(CASE, SIGN_STEP, completed=True)]
    assert case_files(after) == case_files(done)
    assert last_commit(after) == last_commit(done)  # the same message, author, date and files
    assert git(after, "rev-parse", "HEAD~1") == before  # one commit, even when git had made it
    assert git(after, "status", "--porcelain") == ""
    assert journal_folders(after) == []
    assert journal.recover(repository(after)) == []


def test_a_change_killed_as_its_journal_is_removed_is_complete(
    root: Path, tmp_path: Path, juhtum: Callable[..., Run], killer: Killer
) -> None:
    done = uninterrupted(root, tmp_path, juhtum)
    after = killer.crash("journal-remove", root, lambda: juhtum("--repo", root, *SIGN))
    assert journal_folders(after) == []
    assert journal.recover(repository(after)) == []
    assert case_files(after) == case_files(done)
    assert last_commit(after) == last_commit(done)


def test_a_change_killed_before_its_manifest_is_rolled_back_and_named_by_its_case(
    root: Path, juhtum: Callable[..., Run], killer: Killer
) -> None:
    before = case_files(root)
    commit = head(root)
    after = killer.crash("journal-content", root, lambda: juhtum("--repo", root, *SIGN))
    assert len(journal_folders(after)) == 1  # its new contents saved, no manifest yet
    assert journal.waiting(repository(after)) == []  # nothing to complete: nothing waits
    after = with_a_later_change(after, killer)
    done = journal.recover(repository(after))
    assert done == [Recovery(CASE, None, completed=False), Recovery("tw-2", "new", completed=True)]
    assert done[0].render() == (
        f"rolled back an interrupted change ({CASE}): none of it had been written"
    )
    assert journal_folders(after) == []
    assert case_files(after) == before
    assert git(after, "rev-parse", "HEAD~1") == commit  # and the later change


def test_a_finished_change_whose_journal_was_being_removed_is_only_tidied(
    root: Path, tmp_path: Path, juhtum: Callable[..., Run], killer: Killer
) -> None:
    """Killed between renaming the journal ``.done`` and removing it; a later change waits."""
    done = uninterrupted(root, tmp_path, juhtum)
    after = killer.crash("git-commit", root, lambda: juhtum("--repo", root, *SIGN))
    [folder] = journal_folders(after)
    journal_dir = after / ".juhtum" / "journal"
    (journal_dir / folder).rename(journal_dir / f"{folder}.done")
    after = with_a_later_change(after, killer)
    assert len(journal_folders(after)) == 2
    assert journal.waiting(repository(after)) == [
        Recovery("tw-2", "new", completed=False, waiting=True)
    ]
    assert journal.recover(repository(after)) == [Recovery("tw-2", "new", completed=True)]
    assert journal_folders(after) == []
    assert case_files(after) == case_files(done)
    assert (after / LATER).read_bytes() == b"id: tw-2\n"
    assert git(after, "status", "--porcelain") == ""


def test_a_change_that_fails_before_its_commit_is_undone_entirely(
    root: Path, killer: Killer
) -> None:
    """A git that cannot commit: the files are as they were, nothing is staged, no journal."""
    before = case_files(root)
    commit = head(root)
    killer.fail("git-add")
    with pytest.raises(HistoryError) as failed:
        journal.apply(repository(root), three_writes(root))
    assert str(failed.value) == "git could not commit the change: OSError"
    assert case_files(root) == before
    assert not (root / NEW).exists()
    assert git(root, "status", "--porcelain") == ""
    assert head(root) == commit
    assert journal_folders(root) == []


def test_a_change_that_fails_while_placing_its_files_is_undone_and_says_which_file(
    root: Path, killer: Killer
) -> None:
    before = case_files(root)
    killer.fail("write-temporary:5")  # 2 saved, the manifest, NEW
    with pytest.raises(StorageError) as failed:
        journal.apply(repository(root), three_writes(root))
    assert str(failed.value) == f"could not write {PLAN}: the disk is full; the file is as it was"
    assert case_files(root) == before
    assert git(root, "status", "--porcelain") == ""
    assert journal_folders(root) == []


def test_a_change_is_made_whole_adding_removing_and_rewriting(root: Path) -> None:
    change = three_writes(root)
    commit = journal.apply(repository(root), change)
    assert commit == head(root)
    assert (root / NEW).read_bytes() == change.writes[0].data
    assert not (root / GONE).exists()
    assert (root / PLAN).read_bytes() == change.writes[2].data
    assert git(root, "log", "-1", "--format=%aI%n%B") == (
        "2026-02-04T10:00:00+02:00\ntw-1: note\n\nCase: tw-1\nStage: plan"
    )
    assert git(root, "status", "--porcelain") == ""


def test_a_removal_killed_once_staged_is_completed(root: Path, killer: Killer) -> None:
    """git has the removal staged already: staging it again must not fail the completion."""
    change = three_writes(root)
    after = killer.crash("git-add", root, lambda: journal.apply(repository(root), change))
    assert journal.recover(repository(after)) == [Recovery(CASE, "note", completed=True)]
    assert git(after, "show", "--format=", "--name-status", "HEAD").splitlines() == [
        f"A\t{NEW}",
        f"D\t{GONE}",
        f"M\t{PLAN}",
    ]
    assert git(after, "status", "--porcelain") == ""


def test_an_abandoned_change_killed_while_undone_is_rolled_back_next_time(
    root: Path, killer: Killer
) -> None:
    """The undoing itself killed (and git's index lock left): the next writer rolls back."""
    before = case_files(root)
    commit = head(root)
    killer.fail("git-add")
    change = three_writes(root)
    # 2 saved, the manifest, 2 placed (and one removed); undoing: GONE, then PLAN written back
    after = killer.crash("write-temporary:7", root, lambda: journal.apply(repository(root), change))
    assert (after / PLAN).read_bytes() != before[PLAN]  # half undone
    (after / ".git" / "index.lock").write_bytes(b"")
    assert journal.waiting(repository(after)) == []  # an abandoned change is never completed
    killer.fail("write-temporary:1")
    with pytest.raises(StorageError) as failed:  # a full disk: said, and tried again next time
        journal.recover(repository(after))
    assert str(failed.value) == f"could not write {PLAN}: the disk is full; the file is as it was"
    killer.disarm()
    after = with_a_later_change(after, killer)
    done = journal.recover(repository(after))
    assert done == [
        Recovery(CASE, "note", completed=False),
        Recovery("tw-2", "new", completed=True),
    ]
    assert case_files(after) == before
    assert not (after / NEW).exists()
    assert git(after, "status", "--porcelain") == ""
    assert git(after, "rev-parse", "HEAD~1") == commit  # and the later change
    assert journal_folders(after) == []
    assert not (after / ".git" / "index.lock").exists()


def test_a_damaged_journal_is_named_and_never_written_into_the_case(
    root: Path, juhtum: Callable[..., Run], killer: Killer
) -> None:
    before = case_files(root)
    after = killer.crash("journal-manifest", root, lambda: juhtum("--repo", root, *SIGN))
    [name] = journal_folders(after)
    folder = after / ".juhtum" / "journal" / name
    (folder / "0").write_bytes((folder / "0").read_bytes() + b"# damaged\n")
    run = juhtum("--repo", after, "recover")
    assert run.code == 1
    assert f"the journal .juhtum/journal/{name} is damaged: its content does not match" in run.err
    assert case_files(after) == before


def test_without_git_a_change_is_made_and_no_commit_is_named(root: Path) -> None:
    shutil.rmtree(root / ".git")
    change = three_writes(root)
    assert journal.apply(repository(root), change) is None
    assert (root / PLAN).read_bytes() == change.writes[2].data
    assert not (root / GONE).exists()
    assert journal_folders(root) == []
