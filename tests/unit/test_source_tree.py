"""The end-of-run check (tests/conftest.py) sees what a test could leave in the source tree."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import changed_paths, git, source_tree_state


def test_the_source_tree_check_sees_changed_tracked_files_and_new_ones_ignored_or_not(
    tmp_path: Path,
) -> None:
    root = tmp_path / "checkout"
    (root / "tests" / "cases").mkdir(parents=True)
    (root / "src").mkdir()
    git(root, "init", "-q")
    (root / ".gitignore").write_text("**/.juhtum/cache/\n__pycache__/\nbuild/\n")
    (root / "tests" / "cases" / "case.yaml").write_text("a: 1\n")
    (root / "README").write_text("read me\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    (root / "README").write_text("edited before the run\n")  # a developer's own edit
    before = source_tree_state(root)
    assert changed_paths(before, source_tree_state(root)) == []

    # what importing a module writes, and what lies outside the watched folders, is not a
    # test's doing
    (root / "src" / "__pycache__").mkdir()
    (root / "src" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    (root / "build").mkdir()
    (root / "build" / "out").write_text("x")
    assert changed_paths(before, source_tree_state(root)) == []

    cache = root / "tests" / "cases" / ".juhtum" / "cache" / "cases.sqlite"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"rows")
    (root / "src" / "new.py").write_text("")
    assert changed_paths(before, source_tree_state(root)) == [
        "src/new.py",
        "tests/cases/.juhtum/cache/cases.sqlite",
    ]
    cache.unlink()
    (root / "src" / "new.py").unlink()
    (root / "tests" / "cases" / "case.yaml").write_text("a: 2\n")
    (root / "README").write_text("edited again during the run\n")
    assert changed_paths(before, source_tree_state(root)) == ["README", "tests/cases/case.yaml"]
