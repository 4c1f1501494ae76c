"""Nothing read follows a symlink or reads past the size limit; nothing juhtum keeps is
written through one (issue 8, item 3): committed links in a colleague's push."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.hostile.conftest import (
    CASE,
    OTHER,
    READING,
    TODAY,
    Hostile,
    case_files,
    commit,
    monitoring_file,
)

Build = Callable[[Callable[[Path], None]], Hostile]


def process(root: Path, *args: str) -> Run:
    """A real process with a timeout: a link to /dev/zero must not make it read forever."""
    proc = subprocess.run(
        [sys.executable, "-m", "juhtum", "--repo", str(root), "--today", TODAY, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def link(root: Path, name: str, target: str) -> None:
    path = root / name
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)
    commit(root, f"a link at {name}", name)


ATTACKS: dict[str, Callable[[Path], None]] = {
    ".juhtum -> ../outside": lambda root: link(root, ".juhtum", "../outside"),
    "services/x.yaml -> /dev/zero": lambda root: link(root, "services/x.yaml", "/dev/zero"),
    "a document -> /dev/zero": lambda root: link(root, f"cases/{OTHER}/need.yaml", "/dev/zero"),
    "a document folder -> outside": lambda root: link(
        root, f"cases/{OTHER}/monitoring", "../../../outside"
    ),
    "juhtum.yaml -> outside": lambda root: link(root, "juhtum.yaml", "../outside/juhtum.yaml"),
    "cases -> outside": lambda root: link(root, "cases", "../outside"),
    "services -> outside": lambda root: link(root, "services", "../outside"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_committed_link_is_never_followed(hostile: Build, tmp_path: Path, attack: str) -> None:
    built = hostile(ATTACKS[attack])
    if attack.startswith("juhtum.yaml"):  # something real to read out there
        (built.outside / "juhtum.yaml").write_text(
            "organisation: Väljaspool\nlanguage: en\n", encoding="utf-8"
        )
    guard = built.guard()
    for args in READING:
        before = case_files(built.clone)
        run = process(built.clone, *args)
        assert run.code in (0, 1), (args, run.output)
        assert "Traceback" not in run.output
        assert case_files(built.clone) == before, args
    validate = process(built.clone, "validate")
    assert validate.code == 1, validate.output
    process(built.clone, "monitor", CASE, "-f", str(monitoring_file(tmp_path)))
    process(built.clone, "recover")
    guard.check()  # nothing outside: no cache, journal or lock written there
    if attack.startswith(".juhtum"):
        assert sorted(p.name for p in built.outside.iterdir()) == ["canary.txt"]


def test_a_committed_juhtum_link_refuses_writing(
    hostile: Build, juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    built = hostile(ATTACKS[".juhtum -> ../outside"])
    run = juhtum("--repo", built.clone, "monitor", CASE, "-f", monitoring_file(tmp_path))
    assert run.code == 1, run.output
    assert ".juhtum is a symbolic link" in run.err
    validate = juhtum("--repo", built.clone, "validate")
    assert validate.code == 1
    assert ".juhtum:" in validate.out or ".juhtum " in validate.out


def test_the_cache_context_does_not_follow_a_service_link(hostile: Build) -> None:
    from juhtum.check.cache_keys import context_key
    from juhtum.storage import Repository

    built = hostile(ATTACKS["services/x.yaml -> /dev/zero"])
    first = context_key(Repository(built.clone))  # returns at once: the link is not read
    (built.clone / "services" / "x.yaml").unlink()
    (built.clone / "services" / "x.yaml").symlink_to("/etc/hostname")
    assert context_key(Repository(built.clone)) == first  # a link is a link, wherever it goes
