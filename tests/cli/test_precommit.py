"""juhtum as a pre-commit hook: this project's .pre-commit-hooks.yaml, run by the real
pre-commit in a temporary case repository.

pre-commit installs the hook's repository into an environment of its own (pip, from a git
repository at a revision), so the test makes such a repository of this working tree:
what is tested is the code as it is, not the last commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT, git

CASES = ROOT / "tests" / "cases"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
# what pip needs to build and install juhtum from its repository
SOURCES = (
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    ".pre-commit-hooks.yaml",
    "src",
    "schemas",
)


def hook_repository(target: Path) -> str:
    """This working tree's sources as a git repository; its commit is the hook's rev."""
    target.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                target / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
            )
        else:
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "juhtum as it is")
    return git(target, "rev-parse", "HEAD")


def pre_commit(root: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,  # installing juhtum's environment the first time: only a hang fails
    )


def test_the_hook_stops_a_commit_that_breaks_a_case(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["juhtum-validate"]
    rev = hook_repository(tmp_path / "juhtum-src")

    cases = tmp_path / "cases"
    shutil.copytree(CASES / "valid" / "twin", cases, ignore=shutil.ignore_patterns(".juhtum"))
    (cases / ".gitignore").write_text(".juhtum/\n")
    config = {
        "repos": [
            {
                "repo": str(tmp_path / "juhtum-src"),
                "rev": rev,
                "hooks": [{"id": "juhtum-validate"}],
            }
        ]
    }
    (cases / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(cases, "init", "-q")
    git(cases, "add", "-A")
    home = tmp_path / "pre-commit-home"

    sound = pre_commit(cases, "run", "--all-files", home=home)
    assert sound.returncode == 0, sound.stdout + sound.stderr
    assert "juhtum validate" in sound.stdout and "Passed" in sound.stdout
    git(cases, "commit", "-qm", "a sound case")

    # the I4 fixture's plan: an action that ends before it starts
    plan = "cases/twin-a1/plan.yaml"
    shutil.copy2(CASES / "invalid" / "I4" / plan, cases / plan)
    git(cases, "add", plan)
    broken = pre_commit(cases, "run", home=home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "cases/twin-a1/plan.yaml" in broken.stdout and "error [I4]" in broken.stdout

    # a commit that touches no case is not checked
    (cases / "README.txt").write_text("notes on this repository\n")
    git(cases, "restore", "--staged", plan)
    git(cases, "add", "README.txt")
    skipped = pre_commit(cases, "run", home=home)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "no files to check" in skipped.stdout.lower()
