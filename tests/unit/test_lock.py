"""The lock (requirements/dev.lock) pins every dependency and extra of pyproject.toml, hashed.

A dependency added to pyproject.toml without `make lock` fails here, not on a fresh machine.
"""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

LOCK = ROOT / "requirements" / "dev.lock"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned() -> dict[str, str]:
    found = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", line)
        if match:
            found[canonical(match[1])] = match[2]
    return found


def test_every_dependency_and_extra_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted.extend(extra)
    locked = pinned()
    names = {canonical(re.split(r"[ <>=!~;\[]", spec, maxsplit=1)[0]) for spec in wanted}
    assert names - set(locked) == set(), "run `make lock`"
    assert {"pip", "pip-tools", "pytest", "ruff", "mypy"} <= set(locked)  # tools too
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "==" in line and not line.startswith("#"):
            assert lines[number + 1].strip().startswith("--hash=sha256:"), line
