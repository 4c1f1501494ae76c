"""juhtum validate: what PATH selects, the output formats, exit codes and language."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from juhtum.model.hashing import content_hash
from tests.cases import build
from tests.conftest import Run, git

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The twin with the I4 fixture's case plus a second, sound copy of the twin's case."""
    root = tmp_path / "repo"
    shutil.copytree(CASES / "invalid" / "I4", root, ignore=shutil.ignore_patterns(".juhtum"))
    sound = root / "cases" / "twin-b2"
    shutil.copytree(CASES / "valid" / "twin" / "cases" / "twin-a1", sound)
    for path in sound.rglob("*.yaml"):
        path.write_text(path.read_text().replace("twin-a1", "twin-b2"))
    # the plan names its case, so its content hash changed: re-announce it
    plan = yamlio.load_file(sound / "plan.yaml", path="plan.yaml").data
    change = sound / build.MONITORING_CHANGE
    entry = yamlio.load_file(change, path="x").data
    change.write_text(yamlio.dumps({**entry, "plan_hash": content_hash(plan)}))
    return root


def summary(run: Run) -> dict[str, int]:
    data: dict[str, int] = json.loads(run.out)["summary"]
    return data


def test_paths_select_the_cases_that_hold_them(broken: Path, juhtum: Callable[..., Run]) -> None:
    whole = juhtum("validate", "--format", "json", cwd=broken)
    assert whole.code == 1 and summary(whole)["cases"] == 2
    sound = juhtum("validate", "cases/twin-b2", "--format", "json", cwd=broken)
    assert sound.code == 0 and summary(sound)["cases"] == 1
    one_file = juhtum(
        "validate", "cases/twin-a1/people/client.yaml", "--format", "json", cwd=broken
    )
    assert one_file.code == 1 and summary(one_file)["cases"] == 1
    config = juhtum("validate", "juhtum.yaml", "--format", "json", cwd=broken)
    assert config.code == 0 and summary(config)["cases"] == 0
    from_elsewhere = juhtum("--repo", broken, "validate", "cases/twin-b2", cwd=broken.parent)
    assert from_elsewhere.code == 0, from_elsewhere.output


def test_a_path_outside_the_repository_is_a_usage_error(
    broken: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    run = juhtum("validate", str(tmp_path), cwd=broken)
    assert run.code == 2
    assert "outside the case repository" in run.err


def test_json_format_is_stable(broken: Path, juhtum: Callable[..., Run]) -> None:
    data = json.loads(juhtum("validate", "--format", "json", cwd=broken).out)
    assert set(data) == {"version", "ok", "summary", "problems"}
    assert data["version"] == 1 and data["ok"] is False
    problem = next(p for p in data["problems"] if p["severity"] == "error")
    # the line of action a3's deadline, the field the problem names, found in the file itself
    plan = (broken / "cases" / "twin-a1" / "plan.yaml").read_text(encoding="utf-8").splitlines()
    a3 = plan.index("- id: a3")
    deadline = next(n for n in range(a3, len(plan)) if plan[n].strip().startswith("deadline:"))
    assert problem == {
        "rule": "I4",
        "severity": "error",
        "file": "cases/twin-a1/plan.yaml",
        "line": deadline + 1,
        "field": "actions[2].deadline",
        "message": "action a3 has its deadline (2026-01-31) before its start (2026-02-02) "
        "(juhis §4 (4))",
    }


def test_github_format_annotates(broken: Path, juhtum: Callable[..., Run]) -> None:
    run = juhtum("validate", "--format", "github", cwd=broken)
    assert run.code == 1
    errors = [line for line in run.out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith("::error file=cases/twin-a1/plan.yaml,line=")
    assert ",title=I4 a3.deadline::action a3" in errors[0]
    assert any(line.startswith("::warning ") for line in run.out.splitlines())


def test_github_escapes_what_would_break_an_annotation() -> None:
    from juhtum.output.reporters import _escape_data, _escape_property

    assert _escape_data("50% done\nnext") == "50%25 done%0Anext"
    assert _escape_property("a:b,c") == "a%3Ab%2Cc"


def test_text_format_counts_and_hides_todos_unless_asked(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = tmp_path / "r"
    juhtum("init", root, "--no-git")
    juhtum("--repo", root, "new", "--client", "Mari Maasikas", "--id", "a-1")
    quiet = juhtum("--repo", root, "validate")
    assert quiet.code == 0
    assert "to-do [stage]" not in quiet.out and "1 to-do" in quiet.out
    listed = juhtum("--repo", root, "validate", "--todo")
    assert "cases/a-1/need.yaml: to-do [stage] write need.yaml (juhis §1)" in listed.out


def test_language_comes_from_juhtum_yaml_unless_chosen(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUHTUM_LANG")
    root = tmp_path / "r"
    juhtum("init", root, "--no-git", "--language", "et")
    juhtum("--repo", root, "new", "--client", "Mari Maasikas", "--id", "a-1")
    estonian = juhtum("--repo", root, "validate")
    english = juhtum("--lang", "en", "--repo", root, "validate")
    assert "1 case checked" in english.out
    assert "1 case checked" not in estonian.out and "juhtum" in estonian.out


def checked(juhtum: Callable[..., Run], root: Path, *args: str) -> tuple[int, int]:
    run = juhtum("validate", "--format", "json", *args, cwd=root)
    assert run.code in (0, 1), run.output
    return run.code, summary(run)["cases"]


def test_changed_since_checks_the_cases_git_sees_changed(
    broken: Path, juhtum: Callable[..., Run]
) -> None:
    git(broken, "init", "-q")
    (broken / ".gitignore").write_text(".juhtum/\n")
    git(broken, "add", "-A")
    git(broken, "commit", "-qm", "two cases")
    # nothing changed: only the repository-level checks run, and they pass
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (0, 0)
    # a change in the work tree, to the sound case
    case_yaml = broken / "cases" / "twin-b2" / "case.yaml"
    case_yaml.write_text(case_yaml.read_text() + "# looked at\n")
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (0, 1)
    git(broken, "commit", "-qam", "looked at")
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (0, 0)
    assert checked(juhtum, broken, "--changed-since", "HEAD~1") == (0, 1)
    # a new, untracked case is a change; a removed one has nothing left to check, but its
    # removal is an error: cases are append-only (only juhtum erase removes one)
    shutil.copytree(broken / "cases" / "twin-a1", broken / "cases" / "twin-c3")
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (1, 1)
    shutil.rmtree(broken / "cases" / "twin-c3")
    git(broken, "rm", "-rq", "cases/twin-b2")
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (1, 0)
    git(broken, "checkout", "-q", "HEAD", "--", "cases")
    # juhtum.yaml changed: every case depends on it
    config = broken / "juhtum.yaml"
    config.write_text(config.read_text() + "# reviewed\n")
    assert checked(juhtum, broken, "--changed-since", "HEAD") == (1, 2)


def test_changed_since_says_what_is_wrong_with_its_revision(
    broken: Path, juhtum: Callable[..., Run]
) -> None:
    outside = juhtum("validate", "--changed-since", "HEAD", cwd=broken)
    assert outside.code == 2 and "needs git" in outside.err
    git(broken, "init", "-q")
    git(broken, "add", "-A")
    git(broken, "commit", "-qm", "two cases")
    unknown = juhtum("validate", "--changed-since", "no-such-branch", cwd=broken)
    assert unknown.code == 2 and "no-such-branch is no commit" in unknown.err
    option = juhtum("validate", "--changed-since=--all", cwd=broken)
    assert option.code == 2 and "not a revision" in option.err
    both = juhtum("validate", "cases/twin-b2", "--changed-since", "HEAD", cwd=broken)
    assert both.code == 2 and "not both" in both.err


def test_gitlab_format_is_a_code_quality_report(broken: Path, juhtum: Callable[..., Run]) -> None:
    run = juhtum("validate", "--format", "gitlab", cwd=broken)
    assert run.code == 1
    issues = json.loads(run.out)
    assert isinstance(issues, list) and issues
    for issue in issues:  # the fields GitLab requires, with the values it accepts
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert len(issue["fingerprint"]) == 64
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    error = next(i for i in issues if i["severity"] == "major")
    assert error["check_name"] == "I4"
    assert error["location"]["path"] == "cases/twin-a1/plan.yaml"
    assert error["description"].startswith("I4: a3.deadline: action a3")
    assert all(i["check_name"] != "stage" or i["severity"] != "info" for i in issues)

    # a line moved is the same issue: the fingerprint does not hold the line
    plan = broken / "cases" / "twin-a1" / "plan.yaml"
    plan.write_text("# a comment that moves every line\n" + plan.read_text())
    moved = json.loads(juhtum("validate", "--format", "gitlab", cwd=broken).out)
    again = next(i for i in moved if i["check_name"] == "I4")
    assert again["fingerprint"] == error["fingerprint"]
    assert again["location"]["lines"]["begin"] == error["location"]["lines"]["begin"] + 1
