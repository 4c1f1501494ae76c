"""Build a case repository by driving the CLI, for tests that need one in a given state.

The documents are the valid twin's (tests/cases/valid/twin), fed to the commands
with ``--file`` and ``--today`` as a coordinator would: every step one commit.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from juhtum.cli import main
from tests.conftest import ENV

TWIN = Path(__file__).resolve().parents[1] / "cases" / "valid" / "twin"
TWIN_CASE = TWIN / "cases" / "twin-a1"
CASE = "tw-1"


def run(*args: str | Path) -> None:
    code = main([str(a) for a in args])
    assert code == 0, f"juhtum {' '.join(map(str, args))} exited {code}"


def document(name: str, work: Path, *, drop: tuple[str, ...] = ()) -> Path:
    """A twin document for case ``CASE``, without the lines naming ``drop`` fields."""
    text = (TWIN_CASE / name).read_text(encoding="utf-8").replace("twin-a1", CASE)
    if drop:
        kept, skipping = [], False
        for line in text.splitlines(keepends=True):
            top = line and not line[0].isspace()
            if top:
                skipping = any(line.startswith(f"{key}:") for key in drop)
            if not skipping:
                kept.append(line)
        text = "".join(kept)
    target = work / name.replace("/", "-")
    target.write_text(text, encoding="utf-8")
    return target


def plan_version_1(work: Path) -> Path:
    path = document("plan.yaml", work, drop=("signatures",))
    text = path.read_text(encoding="utf-8")
    text = text.replace("version: 2", "version: 1").replace(
        "deadline: 2026-05-29", "deadline: 2026-04-30"
    )
    path.write_text(text, encoding="utf-8")
    return path


def build(root: Path, *, upto: str, init_args: tuple[str, ...] = ()) -> Path:
    """A git case repository at ``root`` with case ``CASE`` taken up to ``upto``:
    ``assessment`` (assessed, nothing planned), ``plan`` (three of four signatures),
    ``implementation`` (all signed); ``init_args`` go to ``juhtum init`` (``--signing-key
    KEY``: every commit signed)."""
    work = root.parent / f"{root.name}-documents"
    work.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in ENV.items():
            mp.setenv(key, value)
        home = root.parent / f"{root.name}-home"
        home.mkdir()
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        run("init", root, "--organisation", "Testvald", "--language", "en", *init_args)
        shutil.copytree(TWIN / "services", root / "services")
        subprocess.run(["git", "add", "services"], cwd=root, check=True)
        subprocess.run(["git", "commit", "-qm", "catalogue"], cwd=root, check=True)
        r = ["--repo", str(root)]
        run(*r, "--today", "2026-01-05", "new", "--client", "Liina Kõrvits", "--id", CASE)
        for handle, name, role in (
            ("kk", "Kaja Kuusk", "coordinator"),
            ("tk", "Töötukassa", "provider"),
            ("ode", "Mare Kõrvits", "network"),
        ):
            run(
                *r,
                "--today",
                "2026-01-05",
                "people",
                CASE,
                "--add",
                handle,
                "--name",
                name,
                "--role",
                role,
            )
        run(*r, "--today", "2026-01-12", "need", CASE, "-f", document("need.yaml", work))
        run(*r, "--today", "2026-01-20", "assess", CASE, "-f", document("assessment.yaml", work))
        if upto == "assessment":
            return root
        run(*r, "--today", "2026-01-26", "measures", CASE, "-f", document("planning.yaml", work))
        run(*r, "--today", "2026-02-02", "plan", CASE, "-f", plan_version_1(work))
        for party in ("client", "kk", "tk"):
            run(*r, "--today", "2026-02-03", "sign", CASE, "--party", party)
        if upto == "implementation":
            run(*r, "--today", "2026-02-03", "sign", CASE, "--party", "ode")
    return root
