"""scripts/mark_sensitive.py: the rule that says which schema fields hold personal data."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "mark_sensitive.py"


def script(schemas: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("mark_sensitive", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "SCHEMAS", schemas)
    return module


def unmarked(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: unmarked(v) for k, v in node.items() if k != "x-sensitive"}
    if isinstance(node, list):
        return [unmarked(v) for v in node]
    return node


def test_the_schemas_are_as_the_script_marks_them() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr + " run: python scripts/mark_sensitive.py"


def test_the_rule_alone_gives_every_mark_and_a_second_run_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = Path(shutil.copytree(ROOT / "schemas", tmp_path / "schemas"))
    for path in copy.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(
            json.dumps(unmarked(schema), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    module = script(copy, monkeypatch)
    assert module.main([]) == 0
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        made = (copy / path.name).read_text(encoding="utf-8")
        assert made == path.read_text(encoding="utf-8"), path.name
    assert module.main(["--check"]) == 0


def test_names_codes_contacts_and_free_text_are_marked() -> None:
    person = json.loads((ROOT / "schemas" / "person.schema.json").read_text(encoding="utf-8"))
    props = person["properties"]
    for key in ("name", "personal_code", "birth_date", "phone", "email", "address"):
        assert props[key].get("x-sensitive") is True, key
    for key in ("case", "roles"):
        assert "x-sensitive" not in props[key]
    case = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    assert not any(p.get("x-sensitive") for p in case["properties"].values())
