"""Fuzzing the examples: no mutated document makes a command crash (exit 3) or print a
traceback or a control character (issue 8, items 4 and 5).

Each hypothesis example is a whole repository: one of the examples with every case copied
under further ids, most of its documents mutated (tests/fuzz/mutate.py), then the commands
that read many cases (validate, due, list, report, services) and those that read one (show,
status, export) run on it in this process. The profile is derandomised: CI runs the same
repositories every time, and the test fails unless at least 20,000 documents were mutated.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, Run
from tests.fuzz.mutate import mutate_repository

DOCUMENTS_AT_LEAST = 20_000
REPOSITORIES = 75
COPIES = 4
"""Each example's cases are copied this many times under other ids: more documents for one
run of the commands that read the whole repository."""
SHARE = 0.85
"""The share of documents mutated in each repository."""

ESCAPES = ("\x1b", "\x07", "\x9b", "\x9d", "\x08", "\r", "\x00", "\u202e", "\u200b")


def template(example: str, target: Path) -> Path:
    """The example with each case copied ``COPIES`` times (its id rewritten inside)."""
    shutil.copytree(EXAMPLES / example, target)
    cases = target / "cases"
    for folder in sorted(cases.iterdir()):
        for n in range(1, COPIES + 1):
            copy = cases / f"{folder.name}-c{n}"
            shutil.copytree(folder, copy)
            for path in copy.rglob("*.yaml"):
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(folder.name, copy.name), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("templates")
    return {name: template(name, base / name) for name in ("lepiku", "kaasiku")}


def commands(root: Path, rng: random.Random, key: Path) -> list[list[str]]:
    cases = sorted(p.name for p in (root / "cases").iterdir() if p.is_dir())
    run = [
        ["validate"],
        ["validate", "--no-cache", "--format", rng.choice(["github", "gitlab", "json"])],
        ["due", "--within", "90d"],
        ["due", "--json"],
        ["list", "--overdue"],
        ["list"],
        ["report", "--format", rng.choice(["table", "csv", "json", "html"])],
        ["services"],
    ]
    for case in rng.sample(cases, 3):
        run += [
            ["show", case],
            ["status", case],
            ["export", case, "--format", rng.choice(["md", "html", "ics"])],
        ]
    case = rng.choice(cases)
    run.append(["export", case, "--pseudonymise", "--key-file", str(key)])
    return run


def check(command: list[str], code: int, out: str) -> None:
    assert code != 3, (command, out)
    if "ics" in command:
        out = out.replace("\r\n", "\n")  # iCalendar's own line ends
    assert "Traceback" not in out, (command, out)
    for byte in ESCAPES:
        assert byte not in out, (command, repr(byte), out)


def test_mutated_examples_crash_no_command(
    templates: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from juhtum.cli import main

    mutated = [0]
    ran = [0]
    key = tmp_path / "pseudonym.key"

    @settings(
        derandomize=True,
        database=None,
        max_examples=REPOSITORIES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(example=st.sampled_from(sorted(templates)), seed=st.integers(0, 2**32 - 1))
    def one_repository(example: str, seed: int) -> None:
        rng = random.Random(seed)
        root = tmp_path / "repository"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(templates[example], root)
        mutated[0] += mutate_repository(rng, root, SHARE)
        for command in commands(root, rng, key):
            capsys.readouterr()
            code = main(["--repo", str(root), *command])
            captured = capsys.readouterr()
            ran[0] += 1
            check(command, code, captured.out + captured.err)

    one_repository()
    with capsys.disabled():
        sys.stdout.write(f"\nfuzz: {mutated[0]} mutated documents, {ran[0]} command runs\n")
    assert mutated[0] >= DOCUMENTS_AT_LEAST


def test_mutated_examples_as_processes(
    templates: dict[str, Path], tmp_path: Path, juhtum_process: Callable[..., Run]
) -> None:
    """A few runs as real processes, in a git clone: what CI and a terminal see."""
    for seed in range(3):
        rng = random.Random(seed)
        origin = tmp_path / f"origin-{seed}"
        shutil.copytree(templates[rng.choice(sorted(templates))], origin)
        mutate_repository(rng, origin, SHARE)
        subprocess.run(["git", "init", "-q"], cwd=origin, check=True)
        subprocess.run(["git", "add", "-A"], cwd=origin, check=True)
        subprocess.run(["git", "commit", "-qm", "mutated"], cwd=origin, check=True)
        clone = tmp_path / f"clone-{seed}"
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
        for command in commands(clone, rng, tmp_path / "key"):
            result = juhtum_process(*command, cwd=clone, timeout=60)
            check(command, result.code, result.output)
