"""The README's first command (`make demo`, scripts/demo.py) works and leaves the source tree
as it was: it checks the bundled examples on a copy, since commands keep their cache in the
repository they read."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, changed_paths, source_tree_state


@pytest.mark.slow
def test_the_demo_passes_and_leaves_git_status_clean() -> None:
    before = source_tree_state(ROOT)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "OK: every example repository is sound" in proc.stdout
    assert changed_paths(before, source_tree_state(ROOT)) == []
