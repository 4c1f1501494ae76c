"""scripts/mutate.py: the bounded sample CI mutates is the functions a change touched."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mutate.py"

MODULE = """\
def kept(x):
    return x + 1


class Rule:
    def check(self, x):
        return x > 0

    def other(self):
        return None


def touched(x):
    return x * 2
"""


@pytest.fixture
def mutate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutate_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    source = tmp_path / "src" / "pkg" / "rules.py"
    source.parent.mkdir(parents=True)
    source.write_text(MODULE, encoding="utf-8")
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    return module


def edit(root: Path, old: str, new: str) -> None:
    path = root / "src" / "pkg" / "rules.py"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_only_the_functions_whose_lines_changed_are_sampled(
    mutate: ModuleType, tmp_path: Path
) -> None:
    assert mutate.changed_functions("HEAD", "src/pkg/rules.py") == []
    edit(tmp_path, "x * 2", "x * 3")
    edit(tmp_path, "x > 0", "x >= 0")
    assert sorted(mutate.changed_functions("HEAD", "src/pkg/rules.py")) == [
        "pkg.rules.x_touched__mutmut_*",
        "pkg.rules.x\u01c1Rule\u01c1check__mutmut_*",
    ]


def test_a_module_new_since_the_base_is_sampled_whole(mutate: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg" / "fresh.py").write_text("def f():\n    return 1\n")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    assert mutate.changed_functions("HEAD", "src/pkg/fresh.py") is None
    assert mutate.module_name("src/pkg/__init__.py") == "pkg"


def test_an_unknown_base_stops_the_run(mutate: ModuleType) -> None:
    with pytest.raises(SystemExit, match="git diff nosuchrev failed"):
        mutate.changed_functions("nosuchrev", "src/pkg/rules.py")


def test_equivalent_mutants_are_read_with_their_reasons(
    mutate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = tmp_path / "equivalent.txt"
    listed.write_text("# header\n\npkg.rules.x_kept__mutmut_1  # the same bytes\n")
    monkeypatch.setattr(mutate, "EQUIVALENT", listed)
    assert mutate.equivalent() == {"pkg.rules.x_kept__mutmut_1": "the same bytes"}
