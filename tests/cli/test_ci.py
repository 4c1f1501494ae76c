"""`juhtum init --ci gitlab|github`: a CI configuration that is ready, run here as CI would
run it (every command after the install, in a shell, with this juhtum on the PATH)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from juhtum.check import runner
from juhtum.check.result import Options
from juhtum.storage import Repository
from tests.conftest import ROOT, Run, git

CASES = ROOT / "tests" / "cases"
SPEC = "git+https://git.example.org/juhtum.git@v0.5.0"
PLAN = "cases/twin-a1/plan.yaml"


def shell(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    """One line of a CI script, as a CI runner's shell runs it."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-ec", command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # only a hang fails
    )


@pytest.fixture
def twin(tmp_path: Path) -> Path:
    """A sound case repository in git (its juhtum.yaml has what --legal asks for)."""
    root = tmp_path / "cases-repo"
    shutil.copytree(CASES / "valid" / "twin", root, ignore=shutil.ignore_patterns(".juhtum"))
    (root / ".gitignore").write_text(".juhtum/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "cases")
    return root


def break_a_case(root: Path) -> None:
    shutil.copy2(CASES / "invalid" / "I4" / PLAN, root / PLAN)
    git(root, "commit", "-qam", "an action that ends before it starts")


def gitlab_script(root: Path) -> list[str]:
    config = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    job = config["juhtum-validate"]
    assert job["artifacts"] == {
        "when": "always",
        "reports": {"codequality": "gl-code-quality-report.json"},
    }
    script: list[str] = job["script"]
    return script


def errors(root: Path) -> list[tuple[str, str]]:
    """The errors (major issues) of the code quality report the job left."""
    issues = json.loads((root / "gl-code-quality-report.json").read_text())
    assert all(i["severity"] in ("major", "minor") for i in issues)
    return [(i["check_name"], i["location"]["path"]) for i in issues if i["severity"] == "major"]


def github_steps(root: Path) -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((root / ".github" / "workflows" / "juhtum.yml").read_text())
    # PyYAML reads the key `on` as the boolean True (YAML 1.1): GitHub reads it as "on"
    assert set(config[True]) == {"push", "pull_request"}
    steps = config["jobs"]["validate"]["steps"]
    return {step.get("name") or step["uses"]: step for step in steps}


def test_gitlab_in_an_existing_repository_fails_the_job_on_an_error_and_reports_it(
    twin: Path, juhtum: Callable[..., Run]
) -> None:
    run = juhtum("init", "--ci", "gitlab", "--install-from", SPEC, cwd=twin)
    assert run.code == 0, run.output
    assert "committed" in run.out
    assert git(twin, "status", "--porcelain") == ""
    assert git(twin, "log", "-1", "--format=%s") == "juhtum init --ci gitlab"
    install, report, check, verify = gitlab_script(twin)
    assert install == f"python -m pip install {SPEC}"
    assert verify == "juhtum verify"  # who signed each change (issue 13)

    assert shell(twin, report).returncode == 0
    assert errors(twin) == []  # the twin's one warning is reported, as minor
    assert shell(twin, check).returncode == 0

    break_a_case(twin)
    assert shell(twin, report).returncode == 0  # the report never fails the job itself
    assert ("I4", PLAN) in errors(twin)
    failed = shell(twin, check)
    assert failed.returncode == 1
    assert f"{PLAN}:" in failed.stdout and "[I4]" in failed.stdout


def test_github_for_a_new_repository_checks_every_push(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = tmp_path / "new"
    run = juhtum("init", str(root), "--ci", "github", "--install-from", "juhtum>=0.5")
    assert run.code == 0, run.output
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "--format=%s").splitlines() == [
        "juhtum init --ci github",
        "specialists: add tc",  # init registers who runs it
        "juhtum init: case repository",
    ]
    steps = github_steps(root)
    assert steps["Install juhtum"]["run"] == "python -m pip install 'juhtum>=0.5'"
    assert steps["Keep the validation cache"]["with"]["path"] == ".juhtum/cache"
    assert steps["Check who signed each change"]["run"] == "juhtum verify"
    check = steps["Check the cases"]["run"]
    # a new repository fails until juhtum.yaml has what the regulation asks of a plan
    first = shell(root, check)
    assert first.returncode == 1
    assert "::error file=juhtum.yaml" in first.stdout and "organisation.address" in first.stdout


def test_github_annotates_the_file_with_the_error(twin: Path, juhtum: Callable[..., Run]) -> None:
    assert juhtum("init", "--ci", "github", "--install-from", SPEC, cwd=twin).code == 0
    check = github_steps(twin)["Check the cases"]["run"]
    assert shell(twin, check).returncode == 0
    break_a_case(twin)
    failed = shell(twin, check)
    assert failed.returncode == 1
    assert f"::error file={PLAN},line=" in failed.stdout


def test_a_case_repository_in_a_subfolder_of_a_git_repository(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    top = tmp_path / "organisation"
    top.mkdir()
    git(top, "init", "-q")
    shutil.copytree(
        CASES / "valid" / "twin",
        top / "social work",
        ignore=shutil.ignore_patterns(".juhtum"),
    )
    run = juhtum("init", "--ci", "gitlab", "--install-from", SPEC, cwd=top / "social work")
    assert run.code == 0, run.output
    assert "commit it" in run.out  # juhtum keeps no history here: the user commits
    config = yaml.safe_load((top / ".gitlab-ci.yml").read_text())["juhtum-validate"]
    assert config["cache"]["paths"] == ["social work/.juhtum/cache/"]
    assert shell(top, config["script"][2]).returncode == 0
    assert (top / "social work" / ".juhtum" / "cache" / "cases.sqlite").exists()


def test_an_existing_configuration_is_kept_unless_forced(
    twin: Path, juhtum: Callable[..., Run]
) -> None:
    ours = "build:\n  script: [make]\n"
    (twin / ".gitlab-ci.yml").write_text(ours)
    refused = juhtum("init", "--ci", "gitlab", "--install-from", SPEC, cwd=twin)
    assert refused.code == 1
    assert ".gitlab-ci.yml exists already" in refused.err and "--print" in refused.err
    assert (twin / ".gitlab-ci.yml").read_text() == ours

    shown = juhtum("init", "--ci", "gitlab", "--install-from", SPEC, "--print", cwd=twin)
    assert shown.code == 0 and "juhtum-validate:" in shown.out
    assert (twin / ".gitlab-ci.yml").read_text() == ours

    forced = juhtum("init", "--ci", "gitlab", "--install-from", SPEC, "--force", cwd=twin)
    assert forced.code == 0
    assert "juhtum-validate" in yaml.safe_load((twin / ".gitlab-ci.yml").read_text())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--ci", "gitlab"], "--ci needs --install-from SPEC"),
        (["--install-from", SPEC], "go with --ci"),
        (["--ci", "github", "--install-from", "juhtum # latest"], "cannot be where CI installs"),
        (["--ci", "github", "--install-from", "x: y"], "could not write a CI configuration"),
        (["--ci", "jenkins", "--install-from", SPEC], "jenkins"),
    ],
)
def test_a_bad_request_writes_nothing(
    tmp_path: Path, juhtum: Callable[..., Run], args: list[str], expected: str
) -> None:
    run = juhtum("init", str(tmp_path / "new"), *args)
    assert run.code == 2
    assert expected in run.err
    assert not (tmp_path / "new").exists()


def test_a_cache_carried_to_a_fresh_clone_answers_for_every_committed_case(
    twin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the CI's cache step relies on: rows made in one clone hold in another, by the
    case folders' git trees (a fresh checkout's files have new stat data), when both runs
    have the cache key (JUHTUM_CACHE_KEY, a CI secret); without it the carried cache is
    not trusted (see tests/hostile)."""
    monkeypatch.setenv("JUHTUM_CACHE_KEY", "a-ci-secret-for-the-cache")
    today = dt.date(2026, 11, 23)
    first = runner.validate(Repository(twin), Options(today=today, legal=True))
    cases = len(list((twin / "cases").iterdir()))
    assert first.cached == 0
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(twin), str(clone))
    shutil.copytree(twin / ".juhtum" / "cache", clone / ".juhtum" / "cache")
    again = runner.validate(Repository(clone), Options(today=today, legal=True))
    assert again.cached == cases
    assert [(p.rule, p.file) for p in again.problems] == [(p.rule, p.file) for p in first.problems]
