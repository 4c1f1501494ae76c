"""Append-only means append-only (issue 8): a colleague's push cannot take a record back.

Two clones of one bare remote: the attacker, with push access, deletes a case,
deletes or rewrites a record (also by rewriting history and force-pushing), or
takes back a signature. The victim's ``sync`` stops with exit 1 and changes
nothing; ``validate --changed-since`` fails on the same change in CI. The
documented ways stay open: a meeting's agreements marked done and copies
recorded as sent, and a case erased with ``juhtum erase``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE
FOLDER = f"cases/{CASE}"
Juhtum = Callable[..., Run]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clones(tmp_path: Path, juhtum: Juhtum) -> tuple[Path, Path]:
    """The victim's and the attacker's clones of a case in implementation that holds a
    monitoring entry and a network meeting, shared through a bare remote."""
    base = casebuild.build(tmp_path / "base", upto="implementation")
    r = ["--repo", base, "--today", "2026-02-20"]
    monitoring = write(
        tmp_path / "monitoring.yaml",
        "kind: contact\ncontacts: [client]\nprogress: Liina käis nõustamisel.\n",
    )
    assert juhtum(*r, "monitor", CASE, "-f", monitoring).code == 0
    meeting = write(
        tmp_path / "meeting.yaml",
        """\
place: vallamaja
participants: [client, kk, ode]
client_present: true
purpose: Kuidas Mare saab Liinat toetada.
agreements:
  - activity: Mare käib Liinaga kaasas.
    responsible: ode
    deadline: 2026-04-30
copies_sent_to: [client]
""",
    )
    assert juhtum(*r, "meeting", CASE, "-f", meeting).code == 0
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(base), str(remote)], check=True)
    for name in ("victim", "attacker"):
        subprocess.run(["git", "clone", "-q", str(remote), str(tmp_path / name)], check=True)
    return tmp_path / "victim", tmp_path / "attacker"


def only(clone: Path, folder: str) -> Path:
    (found,) = sorted((clone / FOLDER / folder).glob("*.yaml"))
    return found


def snapshot(clone: Path) -> tuple[str, dict[str, bytes]]:
    """The commit, and every file of the clone outside juhtum's own state (the git
    configuration and hooks included)."""
    files = {
        p.relative_to(clone).as_posix(): p.read_bytes()
        for p in clone.rglob("*")
        if p.is_file()
        and ".juhtum" not in p.parts
        and (p.parts[len(clone.parts)] != ".git" or p.name == "config" or "hooks" in p.parts)
    }
    return git(clone, "rev-parse", "HEAD"), files


def commit_and_push(clone: Path, message: str, *, force: bool = False) -> None:
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", message)
    git(clone, "push", "-q", *(["--force"] if force else []))


# -- the attacks: each changes the attacker's clone and says what sync must name --------------


def remove_case(clone: Path) -> str:
    git(clone, "rm", "-r", "-q", FOLDER)
    return f"case {CASE}: the whole case is removed, and not by juhtum erase"


def remove_monitoring_entry(clone: Path) -> str:
    entry = only(clone, "monitoring")
    entry.unlink()
    return f"case {CASE}, monitoring/{entry.name}: the record is deleted"


def rewrite_monitoring_entry(clone: Path) -> str:
    entry = only(clone, "monitoring")
    entry.write_text(entry.read_text().replace("käis nõustamisel", "ei tulnud"))
    return f"case {CASE}, monitoring/{entry.name}: the record is rewritten"


def rewrite_meeting_purpose(clone: Path) -> str:
    meeting = only(clone, "meetings")
    meeting.write_text(meeting.read_text().replace("Kuidas Mare", "Miks Mare"))
    return f"case {CASE}, meetings/{meeting.name}: the record is rewritten"


def plan_with_signatures(clone: Path, change: Callable[[list[dict[str, object]]], object]) -> None:
    path = clone / FOLDER / "plan.yaml"
    plan = yamlio.load_file(path, path="plan.yaml").data
    change(plan["signatures"])
    path.write_text(yamlio.dumps(plan))


def remove_signature(clone: Path) -> str:
    plan_with_signatures(clone, lambda signatures: signatures.pop())
    return f"case {CASE}, plan.yaml: the signature of ode is removed or altered"


def backdate_signature(clone: Path) -> str:
    def change(signatures: list[dict[str, object]]) -> None:
        signatures[0]["date"] = "2026-01-30"

    plan_with_signatures(clone, change)
    return f"case {CASE}, plan.yaml: the signature of client is removed or altered"


ATTACKS = [
    remove_case,
    remove_monitoring_entry,
    rewrite_monitoring_entry,
    rewrite_meeting_purpose,
    remove_signature,
    backdate_signature,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_sync_stops_on_a_change_that_takes_back_a_record(
    clones: tuple[Path, Path], juhtum: Juhtum, attack: Callable[[Path], str]
) -> None:
    victim, attacker = clones
    said = attack(attacker)
    before = git(attacker, "rev-parse", "HEAD")
    commit_and_push(attacker, "tidy up")
    kept = snapshot(victim)
    for _ in range(2):  # stopped, and stopped again: the remote-tracking branch is kept
        run = juhtum("--repo", victim, "sync")
        assert run.code == 1, run.output
        assert "sync stopped: the incoming change deletes or rewrites records" in run.err
        assert said in run.err
        assert "Nothing was merged" in run.err and "juhtum erase" in run.err
        assert snapshot(victim) == kept
        assert git(victim, "status", "--porcelain") == ""
    # the same change fails in CI
    ci = juhtum("--repo", attacker, "validate", "--changed-since", before, "--format", "json")
    assert ci.code == 1, ci.output
    assert "append-only" in {p["rule"] for p in __import__("json").loads(ci.out)["problems"]}


def test_a_force_pushed_rewrite_of_a_monitoring_entry_stops_sync(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    victim, attacker = clones
    entry = write(
        victim.parent / "entry.yaml", "kind: contact\ncontacts: [client]\nprogress: Hea.\n"
    )
    assert juhtum("--repo", victim, "--today", "2026-03-01", "monitor", CASE, "-f", entry).code == 0
    assert juhtum("--repo", victim, "sync").code == 0
    shared = git(victim, "rev-parse", "HEAD")
    git(attacker, "pull", "-q", "--ff-only")
    (written,) = [
        p for p in (attacker / FOLDER / "monitoring").glob("*.yaml") if "Hea." in p.read_text()
    ]
    written.write_text(written.read_text().replace("Hea.", "Halb."))
    git(attacker, "commit", "-q", "--amend", "-a", "--no-edit")  # history rewritten
    git(attacker, "push", "-q", "--force")
    kept = snapshot(victim)
    run = juhtum("--repo", victim, "sync")
    assert run.code == 1, run.output
    assert f"monitoring/{written.name}: the record is rewritten" in run.err
    assert "history was rewritten (a force-push)" in run.err
    assert snapshot(victim) == kept
    again = juhtum("--repo", victim, "sync")  # the remote-tracking branch was kept: same stop
    assert again.code == 1 and "history was rewritten (a force-push)" in again.err
    git(victim, "fetch", "-q")  # fetched by hand: the rewrite is still seen
    fetched = juhtum("--repo", victim, "sync")
    assert (
        fetched.code == 1 and f"monitoring/{written.name}: the record is rewritten" in fetched.err
    )
    assert snapshot(victim) == kept
    # CI on the attacker's push: clean documents, but a record rewritten
    assert juhtum("--repo", attacker, "validate").code == 0
    ci = juhtum("--repo", attacker, "validate", "--changed-since", shared)
    assert ci.code == 1, ci.output
    assert "[append-only]" in ci.out and written.name in ci.out


def test_a_force_push_that_drops_a_record_loses_nothing(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    """The remote rewound past a record: nothing comes in, and sync pushes the record back."""
    victim, attacker = clones
    entry = write(
        victim.parent / "entry.yaml", "kind: contact\ncontacts: [client]\nprogress: Hea.\n"
    )
    assert juhtum("--repo", victim, "--today", "2026-03-01", "monitor", CASE, "-f", entry).code == 0
    assert juhtum("--repo", victim, "sync").code == 0
    head = git(victim, "rev-parse", "HEAD")
    git(attacker, "push", "-q", "--force")  # the attacker's clone is one commit behind
    assert juhtum("--repo", victim, "sync").code == 0
    assert git(victim, "rev-parse", "HEAD") == head
    assert git(victim, "ls-remote", "origin", "HEAD").split()[0] == head


def test_a_meeting_amended_as_the_process_says_comes_in(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    """Agreements marked done and copies recorded as sent are no rewrite."""
    victim, attacker = clones
    before = git(attacker, "rev-parse", "HEAD")
    meeting = only(attacker, "meetings")
    text = meeting.read_text()
    text = text.replace("deadline: 2026-04-30", "deadline: 2026-04-30\n    done: 2026-04-20")
    text = text.replace("copies_sent_to: [client]", "copies_sent_to: [client, kk, ode]")
    assert "done: 2026-04-20" in text and "[client, kk, ode]\n" in text
    meeting.write_text(text)
    commit_and_push(attacker, "agreement done, copies sent")
    assert juhtum("--repo", attacker, "validate", "--changed-since", before).code == 0
    run = juhtum("--repo", victim, "sync")
    assert run.code == 0, run.output
    assert only(victim, "meetings").read_text() == text


def test_an_erased_case_is_accepted_by_sync_and_ci(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    victim, colleague = clones
    before = git(colleague, "rev-parse", "HEAD")
    # what this clone keeps of the case outside git goes too; another case's stays
    (colleague / ".git" / "info" / "exclude").write_text("*.local\n")
    local = [
        write(colleague / FOLDER / "notes.local", "Liina"),
        colleague / ".juhtum" / "rejected" / CASE / "20260301T000000-plan.yaml",
        colleague / ".juhtum" / "sync" / FOLDER / "plan.yaml.theirs",
        colleague / ".juhtum" / "overwritten" / "20260301T000000" / FOLDER / "need.yaml",
    ]
    other = colleague / ".juhtum" / "rejected" / f"{CASE}-b" / "20260301T000000-plan.yaml"
    for path in [*local[1:], other]:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, "Liina")
    run = juhtum("--repo", colleague, "erase", CASE, "--reason", "data-subject-request")
    assert run.code == 0, run.output
    assert f"Case {CASE} is erased in commit" in run.out
    assert "git filter-repo --invert-paths --path cases/tw-1" in run.out
    assert "every colleague must clone anew" in run.out
    assert not (colleague / FOLDER).exists()
    assert [path for path in local if path.exists()] == []
    assert other.exists()
    message = git(colleague, "log", "-1", "--format=%B")
    assert message.startswith(f"{CASE}: erase (data-subject-request)")
    trailers = git(colleague, "log", "-1", "--format=%(trailers:only,unfold)")
    assert trailers.splitlines() == [
        f"Case: {CASE}",
        "Stage: erase",
        "Erasure-Reason: data-subject-request",
    ]
    assert git(colleague, "status", "--porcelain") == ""
    assert juhtum("--repo", colleague, "validate", "--changed-since", before).code == 0
    git(colleague, "push", "-q")
    synced = juhtum("--repo", victim, "sync")
    assert synced.code == 0, synced.output
    assert f"Case {CASE} was erased elsewhere (juhtum erase, data-subject-request)" in synced.out
    assert not (victim / FOLDER).exists()


def test_a_forged_erasure_of_another_case_excuses_nothing(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    victim, attacker = clones
    before = git(attacker, "rev-parse", "HEAD")
    git(attacker, "rm", "-r", "-q", FOLDER)
    git(
        attacker,
        "commit",
        "-q",
        "-m",
        "x: erase\n\nCase: other-case\nStage: erase\nErasure-Reason: recorded-in-error",
    )
    git(attacker, "push", "-q")
    assert juhtum("--repo", victim, "sync").code == 1
    assert juhtum("--repo", attacker, "validate", "--changed-since", before).code == 1


def test_erase_refuses_what_it_cannot_record(clones: tuple[Path, Path], juhtum: Juhtum) -> None:
    victim, _ = clones
    head = git(victim, "rev-parse", "HEAD")
    open_case = juhtum("--repo", victim, "erase", CASE, "--reason", "retention-over")
    assert open_case.code == 1
    assert "has not ended (it is in implementation)" in open_case.err
    assert juhtum("--repo", victim, "erase", CASE, "--reason", "tidy").code == 2
    assert (
        juhtum("--repo", victim, "erase", "no-such-case", "--reason", "recorded-in-error").code == 1
    )
    (victim / FOLDER / "need.yaml").write_text("changed: true\n")
    waiting = juhtum("--repo", victim, "erase", CASE, "--reason", "recorded-in-error")
    assert waiting.code == 1
    assert "changes nobody committed" in waiting.err
    assert git(victim, "rev-parse", "HEAD") == head
    assert (victim / FOLDER / "case.yaml").is_file()


def test_a_done_date_once_shared_is_not_taken_back(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    victim, attacker = clones
    meeting = only(attacker, "meetings")
    text = meeting.read_text()
    meeting.write_text(
        text.replace("deadline: 2026-04-30", "deadline: 2026-04-30\n    done: 2026-04-20")
    )
    commit_and_push(attacker, "agreement done")
    assert juhtum("--repo", victim, "sync").code == 0  # the amendment comes in
    before = git(attacker, "rev-parse", "HEAD")
    meeting.write_text(text)
    commit_and_push(attacker, "not done after all")
    kept = snapshot(victim)
    run = juhtum("--repo", victim, "sync")
    assert run.code == 1, run.output
    assert f"meetings/{meeting.name}: the record is rewritten" in run.err
    assert snapshot(victim) == kept
    assert juhtum("--repo", attacker, "validate", "--changed-since", before).code == 1


def test_the_stop_names_a_hostile_file_name_without_its_escape_sequence(
    clones: tuple[Path, Path], juhtum: Juhtum
) -> None:
    victim, attacker = clones
    name = "2026-02-21-\x1b]0;pwned\x07\x1b[2J.yaml"
    entry = only(attacker, "monitoring")
    write(entry.parent / name, entry.read_text())
    commit_and_push(attacker, "an entry")
    juhtum("--repo", victim, "sync")  # comes in (what validate says of its name is not ours)
    assert (victim / FOLDER / "monitoring" / name).is_file()
    (attacker / FOLDER / "monitoring" / name).unlink()
    commit_and_push(attacker, "gone")
    run = juhtum("--repo", victim, "sync")
    assert run.code == 1, run.output
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert "2026-02-21-\\x1b]0;pwned\\x07\\x1b[2J.yaml: the record is deleted" in run.err
