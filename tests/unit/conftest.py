"""Fixtures of the journal's tests (test_journal*.py): the case at ``plan``, copied fresh for
each test, and the crash simulated in this process (tests/unit/crash_in_process.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.unit.crash_in_process import Killer, planned_case


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case at ``plan``, built once (never changed: :func:`root` is the copy to change)."""
    return planned_case(tmp_path_factory)


@pytest.fixture
def root(base: Path, tmp_path: Path) -> Path:
    """A copy of :func:`base` of the test's own."""
    copy = tmp_path / "repo"
    shutil.copytree(base, copy, symlinks=True)
    return copy


@pytest.fixture
def killer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Killer:
    return Killer(monkeypatch, tmp_path)
