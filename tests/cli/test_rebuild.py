"""The examples can be rebuilt by driving the CLI, and the rebuilt documents equal the originals.

scripts/rebuild.py replays every example case with ``new --id`` and ``--today``; here
each rebuilt repository must validate exactly like the original (same problems, rule by
rule, field by field) and hold the same documents (append-only ones under new names).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from juhtum.check import runner
from juhtum.check.result import Options
from juhtum.documents import yamlio
from juhtum.storage import Repository
from tests.conftest import EXAMPLES, ROOT, TODAY

REPOSITORIES = sorted(p for p in EXAMPLES.iterdir() if (p / "juhtum.yaml").is_file())


def rebuild_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rebuild", ROOT / "scripts" / "rebuild.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ENTRY = re.compile(r"(monitoring|evaluations|handovers|meetings|followups|diary)/[^/\"]+\.yaml")


def problems(repo: Path) -> list[tuple[Any, ...]]:
    """Every problem, append-only documents named by their folder (their names are new).
    Without the cache: ``repo`` may be an example in the source tree, where nothing is
    written."""
    result = runner.validate(
        Repository(repo),
        Options(dt.date.fromisoformat(TODAY), legal=True),
        use_cache=False,
    )
    return sorted(
        (
            p.rule,
            p.severity,
            ENTRY.sub(r"\1/*", p.file),
            p.field,
            p.message,
            ENTRY.sub(r"\1/*", json.dumps(p.args, sort_keys=True, default=str)),
        )
        for p in result.problems
    )


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def documents(case: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A case's documents: stage documents and people by name, entries by folder (their
    names are new in a rebuilt case)."""
    single: dict[str, str] = {}
    series: dict[str, list[str]] = {}
    for path in sorted(case.rglob("*.yaml")):
        rel = path.relative_to(case).as_posix()
        data = yamlio.load_file(path, path=rel).data
        if "/" in rel and not rel.startswith("people/"):
            if data.get("kind") == "plan_change":  # written by juhtum plan, in its own words
                data = {
                    k: data.get(k)
                    for k in ("date", "plan_version", "plan_hash", "notified", "agreed_by")
                }
            series.setdefault(rel.split("/")[0], []).append(canonical(data))
            continue
        if rel == "plan.yaml":
            data = {**data, "signatures": sorted(map(canonical, data.get("signatures", [])))}
        if rel == "closing.yaml":
            data.pop("evaluation", None)  # names the deciding evaluation by its new name
        single[rel] = canonical(data)
    return single, {k: sorted(v) for k, v in series.items()}


@pytest.mark.parametrize("source", REPOSITORIES, ids=lambda p: p.name)
def test_example_rebuilt_by_the_cli_equals_the_original(source: Path, tmp_path: Path) -> None:
    target = tmp_path / source.name
    replay = rebuild_module().rebuild(source, target)
    commands = {c[2] if c[0] == "--today" else c[0] for c in replay.commands}
    assert {"new", "need"} <= commands
    assert problems(target) == problems(source)
    for case in sorted((source / "cases").iterdir()):
        assert documents(target / "cases" / case.name) == documents(case), case.name
    # one commit a step, none naming a person
    log = subprocess.run(
        ["git", "log", "--format=%B"], cwd=target, capture_output=True, text=True, check=True
    ).stdout
    names = [
        yamlio.load_file(p, path="x").data["name"]
        for p in (source / "cases").glob("*/people/*.yaml")
    ]
    assert not [n for n in names if n in log]
