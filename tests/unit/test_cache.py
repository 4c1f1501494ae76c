"""The validation cache: a hit only when nothing it depends on changed; never trusted otherwise."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.check import cache, cache_keys, reading, runner
from juhtum.check.result import Options, Result
from juhtum.storage import Repository
from tests.conftest import EXAMPLES, Run, git

TWIN = Path(__file__).resolve().parents[1] / "cases" / "invalid" / "I4"
TODAY = dt.date(2026, 11, 23)
CASE = "twin-a1"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    shutil.copytree(TWIN, tmp_path / "repo", ignore=shutil.ignore_patterns(".juhtum"))
    return Repository(tmp_path / "repo")


def run(repo: Repository, today: dt.date = TODAY, *, legal: bool = False) -> Result:
    return runner.validate(repo, Options(today=today, legal=legal))


def summary(result: Result) -> list[tuple[str, str, str]]:
    return [(p.rule, p.severity, p.file) for p in result.problems]


def age(path: Path, seconds: int = 10) -> None:
    """Make a file look written a while ago (a cache row older than it is not racy)."""
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))


def settle(repo: Repository) -> None:
    for path in (repo.root / "cases").rglob("*.yaml"):
        age(path, 60)


def test_a_repeated_run_is_answered_by_the_cache_and_says_the_same(repo: Repository) -> None:
    settle(repo)
    first = run(repo)
    assert first.cached == 0
    second = run(repo)
    assert second.cached == 1
    assert summary(second) == summary(first)
    assert [p.message for p in second.problems] == [p.message for p in first.problems]
    assert [p.line for p in second.problems] == [p.line for p in first.problems]


def test_legal_problems_come_from_the_same_row(repo: Repository) -> None:
    settle(repo)
    plain = run(repo)
    legal = run(repo, legal=True)
    assert legal.cached == 1
    assert summary(run(repo)) == summary(plain)
    assert len(legal.problems) >= len(plain.problems)


def test_a_changed_file_is_checked_again(repo: Repository) -> None:
    settle(repo)
    assert run(repo).errors == 1
    plan = repo.root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-07-31'"))
    again = run(repo)
    assert again.cached == 0
    errors = {p.rule for p in again.problems if p.severity == "error"}
    assert "I4" not in errors and "I8" in errors  # the announced hash no longer matches


def test_same_size_same_mtime_different_content_is_caught_by_its_hash(repo: Repository) -> None:
    # the racy case git guards against: a file written just before the cache row, then changed
    # again within the file system's time resolution, its size kept
    plan = repo.root / "cases" / CASE / "plan.yaml"
    os.utime(plan)  # written now
    first = run(repo)
    stat = plan.stat()
    text = plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-01-30'")
    plan.write_text(text)
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert plan.stat().st_size == stat.st_size
    again = run(repo)
    assert again.cached == 0
    assert summary(again) != summary(first) or [p.args for p in again.problems] != [
        p.args for p in first.problems
    ]


def test_a_new_file_or_a_removed_one_is_a_change(repo: Repository) -> None:
    settle(repo)
    run(repo)
    stray = repo.root / "cases" / CASE / "notes.txt"
    stray.write_text("x")
    assert run(repo).cached == 0
    stray.unlink()
    run(repo)
    assert run(repo).cached == 1


def test_configuration_schemas_and_version_are_part_of_the_key(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(repo)
    run(repo)
    config = repo.root / "juhtum.yaml"
    config.write_text(
        config.read_text().replace("review_period_months: 3", "review_period_months: 2")
    )
    assert run(repo).cached == 0
    assert run(repo).cached == 1
    monkeypatch.setattr(cache_keys, "__version__", "99.0")
    assert run(repo).cached == 0  # another version of juhtum: rebuilt, not trusted


def test_a_result_that_depends_on_today_holds_only_for_its_days(repo: Repository) -> None:
    settle(repo)
    # the twin's latest recorded date is the closing's, 2026-06-20: before it, that date would
    # lie in the future, so the row cannot answer for an earlier day
    run(repo)
    assert run(repo, dt.date(2027, 1, 1)).cached == 1
    early = run(repo, dt.date(2026, 6, 19))
    assert early.cached == 0
    assert any(p.rule == "I14" for p in early.problems)
    assert run(repo).cached == 0  # rebuilt for the early day; today needs its own row again


def test_a_corrupt_cache_is_rebuilt(repo: Repository) -> None:
    settle(repo)
    first = run(repo)
    db = repo.root / ".juhtum" / "cache" / "cases.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    again = run(repo)
    assert again.cached == 0 and summary(again) == summary(first)
    assert run(repo).cached == 1


def test_a_damaged_row_is_not_trusted(repo: Repository) -> None:
    settle(repo)
    first = run(repo)
    db = sqlite3.connect(repo.root / ".juhtum" / "cache" / "cases.sqlite")
    db.execute("UPDATE cases SET problems = '[{\"rule\": 1' ")
    db.commit()
    db.close()
    again = run(repo)
    assert again.cached == 0 and summary(again) == summary(first)


def test_a_cache_of_another_format_is_dropped(repo: Repository) -> None:
    settle(repo)
    run(repo)
    db = sqlite3.connect(repo.root / ".juhtum" / "cache" / "cases.sqlite")
    db.execute("UPDATE meta SET value = 'ancient' WHERE key = 'format'")
    db.commit()
    db.close()
    assert run(repo).cached == 0
    assert run(repo).cached == 1


def test_an_unwritable_cache_only_costs_time(repo: Repository, tmp_path: Path) -> None:
    (repo.root / ".juhtum").mkdir(exist_ok=True)
    (repo.root / ".juhtum" / "cache").write_text("a file where the folder should be")
    assert summary(run(repo)) == summary(
        runner.validate(repo, Options(today=TODAY), use_cache=False)
    )


def test_in_git_a_committed_folder_is_vouched_for_by_its_tree(repo: Repository) -> None:
    git(repo.root, "init", "-q")
    (repo.root / ".gitignore").write_text(".juhtum/\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "fixture")
    first = run(repo)
    assert first.cached == 0
    again = run(repo)
    assert again.cached == 1 and summary(again) == summary(first)
    # a change git sees (uncommitted) is checked anew, even if stat data were to agree
    plan = repo.root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-07-31'"))
    assert run(repo).cached == 0
    git(repo.root, "commit", "-qam", "changed")
    assert run(repo).cached == 1  # the same files, now committed
    git(repo.root, "checkout", "-q", "HEAD~1", "--", "cases")
    assert run(repo).cached == 0


def test_status_is_kept_until_the_case_changes_and_rendered_in_the_language_of_the_moment(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum import i18n
    from juhtum.cli import status as status_cli
    from juhtum.workflow import snapshot

    settle(repo)
    first = status_cli.cached_status(repo, CASE, TODAY)
    assert first["errors"]  # the twin's plan breaks I4

    def unread(*args: object, **kwargs: object) -> None:
        raise AssertionError("the case was read although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(snapshot.Snapshot, "load", unread)
        assert status_cli.cached_status(repo, CASE, TODAY) == first
        original = i18n.language()
        try:
            i18n.set_language("en")
            english = status_cli.presented(status_cli.cached_status(repo, CASE, TODAY))
            i18n.set_language("et")
            estonian = status_cli.presented(status_cli.cached_status(repo, CASE, TODAY))
        finally:
            i18n.set_language(original)
        assert english["errors"][0]["message"] != estonian["errors"][0]["message"]

    plan = repo.root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-07-31'"))
    again = status_cli.cached_status(repo, CASE, TODAY)
    assert {p["rule"] for p in again["errors"]} != {p["rule"] for p in first["errors"]}


def test_due_facts_come_from_the_cache_whatever_the_day_and_follow_a_change(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.output import view_facts

    settle(repo)
    # validate on a day before the twin's closing date: its row holds problems for that day
    # only, but the facts it keeps hold for every day
    run(repo, dt.date(2026, 6, 19))
    settings = view_facts.settings_of(repo)
    with monkeypatch.context() as patched:
        patched.setattr(reading, "parse_case", lambda *a, **k: pytest.fail("parsed again"))
        before = list(view_facts.all_facts(repo, settings))
    assert [f["id"] for f in before] == [CASE]
    case_yaml = repo.root / "cases" / CASE / "case.yaml"
    case_yaml.write_text(case_yaml.read_text() + "# ok\n")  # changed, the same facts
    calls: list[object] = []
    parse = reading.parse_case

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(reading, "parse_case", counted)
        assert list(view_facts.all_facts(repo, settings)) == before
    assert len(calls) == 1  # the changed case was read again


def committed(repo: Repository) -> Repository:
    git(repo.root, "init", "-q")
    (repo.root / ".gitignore").write_text(".juhtum/\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "fixture")
    return repo


def no_row_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a case's row was read: the whole run was not used")

    monkeypatch.setattr(cache.Cache, "get", refuse)
    monkeypatch.setattr(cache.Cache, "preload", refuse)


def test_in_git_an_unchanged_repository_is_answered_by_the_whole_run(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed(repo)
    first = run(repo)
    with monkeypatch.context() as m:
        no_row_reads(m)
        again = run(repo)
        assert again.cached == again.cases == first.cases
        assert [(p.rule, p.file, p.line, p.message) for p in again.problems] == [
            (p.rule, p.file, p.line, p.message) for p in first.problems
        ]
        legal = run(repo, legal=True)  # --legal's problems are kept in the same run
        fresh = runner.validate(repo, Options(today=TODAY, legal=True), use_cache=False)
        assert summary(legal) == summary(fresh)
    # any change git sees, committed or not, goes back to the cases' rows
    plan = repo.root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-07-31'"))
    changed = run(repo)
    assert changed.cached == 0 and summary(changed) != summary(first)
    git(repo.root, "commit", "-qam", "changed")
    assert summary(run(repo)) == summary(changed)
    with monkeypatch.context() as m:
        no_row_reads(m)
        assert summary(run(repo)) == summary(changed)


def test_the_whole_run_holds_only_for_its_days(repo: Repository) -> None:
    committed(repo)
    run(repo)
    early = run(repo, dt.date(2026, 6, 19))  # the closing's date would lie in the future
    assert any(p.rule == "I14" for p in early.problems)
    assert not any(p.rule == "I14" for p in run(repo).problems)


def test_an_ignored_case_folder_is_never_vouched_for_by_the_whole_run(repo: Repository) -> None:
    committed(repo)
    hidden = repo.root / "cases" / "twin-zz"
    shutil.copytree(repo.root / "cases" / CASE, hidden)
    (repo.root / ".gitignore").write_text(".juhtum/\ncases/twin-zz/\n")
    git(repo.root, "commit", "-qam", "ignore a folder")
    first = run(repo)
    assert first.cases == 2
    # the ignored case changes: git cannot see it, so the whole run must not answer
    plan = hidden / "plan.yaml"
    plan.write_text(plan.read_text().replace("deadline: '2026-01-31'", "deadline: '2026-07-31'"))
    age(plan, 60)
    after = run(repo)

    def i4(result: Result) -> set[str]:
        return {p.file for p in result.problems if p.rule == "I4"}

    assert i4(first) == {f"cases/{CASE}/plan.yaml", "cases/twin-zz/plan.yaml"}
    assert i4(after) == {f"cases/{CASE}/plan.yaml"}


def test_unlisted_to_dos_are_counted_the_same(repo: Repository) -> None:
    committed(repo)
    listed = run(repo)
    for _ in range(2):  # from the rows, then from the whole run
        counted = runner.validate(repo, Options(today=TODAY, list_todos=False))
        assert counted.todos == listed.todos
        assert all(p.severity != "todo" for p in counted.problems)
        assert counted.errors == listed.errors and counted.warnings == listed.warnings


# -- issue 9: the cache keys on everything that decides a result --------------------------


def test_the_context_follows_juhtums_own_code(tmp_path: Path) -> None:
    package = tmp_path / "juhtum"
    package.mkdir()
    module = package / "rules.py"
    module.write_text("LIMIT = 1\n")
    first = cache_keys.package_key(package)
    module.write_text("LIMIT = 2\n")  # the same size: the modification time tells
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 10**9))
    assert cache_keys.package_key(package) != first
    assert cache_keys.code_key() == cache_keys.package_key(Path(cache_keys.__file__).parents[1])


def test_a_rule_switched_off_is_not_answered_by_the_rows_of_the_old_code(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9: with I4 switched off, the rows made while it was on still said I4."""
    from juhtum.model import invariants
    from juhtum.model.invariants.plan import i4_actions

    settle(repo)
    assert "I4" in {p.rule for p in run(repo).problems}
    checks = tuple(c for c in invariants.CHECKS if c is not i4_actions)
    monkeypatch.setattr(invariants, "CHECKS", checks)
    monkeypatch.setattr(cache_keys, "code_key", lambda: "the code as edited")  # what an edit does
    again = run(repo)
    assert again.cached == 0
    assert "I4" not in {p.rule for p in again.problems}


def test_status_rows_hold_only_for_the_days_they_were_computed_for(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """Issue 9: validate on 2026-06-19, status on 2026-11-23, status on 2026-06-19 gave the
    November answer (Cache.put gave the new status row the old row's days)."""
    import json

    def rules(root: Path, day: str) -> list[str]:
        out = juhtum("--repo", root, "--today", day, "status", CASE, "--json")
        data = json.loads(out.out)
        return sorted(p["rule"] for p in data["errors"] + data["warnings"] + data["todo"])

    warm = shutil.copytree(TWIN, tmp_path / "warm", ignore=shutil.ignore_patterns(".juhtum"))
    cold = shutil.copytree(TWIN, tmp_path / "cold", ignore=shutil.ignore_patterns(".juhtum"))
    juhtum("--repo", warm, "--today", "2026-06-19", "validate")
    rules(warm, "2026-11-23")
    assert rules(warm, "2026-06-19") == rules(cold, "2026-06-19")
    assert rules(warm, "2026-11-23") == rules(cold, "2026-11-23")


def test_put_keeps_the_old_rows_days_only_where_both_hold() -> None:
    assert cache._overlap(("2026-01-01", "2026-07-01"), ("2026-06-01", None)) == (
        "2026-06-01",
        "2026-07-01",
    )
    assert cache._overlap(("2026-01-01", "2026-07-01"), ("2026-07-01", None)) is None
    assert cache._overlap((None, None), (None, "2026-02-01")) == (None, "2026-02-01")


def test_a_file_git_ignores_is_checked_by_its_stat_data(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """Issue 9: with cases/*/meetings/ in .gitignore, an unknown field added to a meeting
    passed validate (git's tree vouched for the folder); --no-cache failed."""
    root = shutil.copytree(EXAMPLES / "kaasiku", tmp_path / "repo")
    (root / ".gitignore").write_text("cases/*/meetings/\n.juhtum/\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "cases")
    assert git(root, "ls-files", "cases/kaasiku-m4t8qe/meetings") == ""
    settle(Repository(root))
    assert juhtum("--repo", root, "validate").code == 0
    assert juhtum("--repo", root, "validate").code == 0  # warm
    meeting = next((root / "cases" / "kaasiku-m4t8qe" / "meetings").iterdir())
    meeting.write_text(meeting.read_text() + "unknown_field: 1\n")
    for args in ([], [str(root / "cases" / "kaasiku-m4t8qe")], ["--no-cache"]):
        found = juhtum("--repo", root, "validate", *args)
        assert found.code == 1, (args, found.output)
        assert "unknown_field" in found.out
