"""The bundled examples: sound, legally complete, and valid for a second validator too."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.check import case_problems
from juhtum.check.result import Options
from juhtum.documents import schemas
from juhtum.model import invariants
from juhtum.model.case import Case
from juhtum.storage import Repository
from tests.conftest import EXAMPLES, TODAY, Run, copy_fixture

REPOSITORIES = sorted(p for p in EXAMPLES.iterdir() if (p / "juhtum.yaml").is_file())
SCHEMA_DIR = Path(str(schemas.directory()))


def test_there_are_examples_of_both_frameworks_and_every_state() -> None:
    stages: set[str | None] = set()
    frameworks: set[str] = set()
    kinds: set[str] = set()
    for repo in REPOSITORIES:
        for case_dir in (repo / "cases").iterdir():
            docs, _ = case_problems.read_case(
                Repository(repo), case_dir.name, Options(dt.date.fromisoformat(TODAY))
            )
            case = Case(case_dir.name, f"cases/{case_dir.name}", docs)
            stages.add(case.stage)
            frameworks.add(case.framework)
            kinds.update(d.kind for d in docs)
        if (repo / "services").is_dir():
            kinds.add("service")
        if (repo / "specialists").is_dir():
            kinds.add("specialist")
    assert stages == {
        "need",
        "assessment",
        "planning",
        "plan",
        "implementation",
        "evaluation",
        "closed",
        "referred",
    }
    assert frameworks == {"adult", "child"}
    assert kinds | {"juhtum"} == set(schemas.all_kinds())


@pytest.mark.parametrize("repo", REPOSITORIES, ids=lambda p: p.name)
def test_example_validates_with_legal(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(repo, tmp_path)
    run = juhtum("--repo", repo, "validate", "--legal")
    assert run.code == 0, run.output
    assert " 0 errors" in run.out


def completed_documents(repo: Path) -> dict[str, list[Path]]:
    """Every document of a completed stage (not a draft of the current one), by kind."""
    found: dict[str, list[Path]] = defaultdict(list)
    found["juhtum"].append(repo / "juhtum.yaml")
    found["service"].extend(sorted((repo / "services").glob("*.yaml")))
    options = Options(dt.date.fromisoformat(TODAY))
    for case_dir in sorted((repo / "cases").iterdir()):
        docs, _ = case_problems.read_case(Repository(repo), case_dir.name, options)
        drafts = invariants.draft_names(Case(case_dir.name, f"cases/{case_dir.name}", docs))
        for doc in docs:
            if doc.name not in drafts:
                found[doc.kind].append(case_dir / doc.name)
    return found


@pytest.mark.parametrize("repo", REPOSITORIES, ids=lambda p: p.name)
def test_completed_documents_pass_check_jsonschema_offline(repo: Path) -> None:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    # any attempt to reach a network fails at once: every $ref must resolve from the files
    env = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
    }
    for kind, files in sorted(completed_documents(repo).items()):
        if not files:
            continue
        proc = subprocess.run(
            [
                exe,
                # the $id would send the relative $refs to the web; the README's way keeps them
                # beside the schema file
                "--base-uri",
                (SCHEMA_DIR / schemas.schema_name(kind)).as_uri(),
                "--schemafile",
                str(SCHEMA_DIR / schemas.schema_name(kind)),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, (kind, proc.stdout + proc.stderr)
