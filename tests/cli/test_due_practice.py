"""``due`` shows a queued service whose expected start has passed, and ``validate`` warns of the
monitoring gap (issue 12 item 9; juhis §3.1, §5.1, §5.2; seed 002: waits of many months)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import casebuild
from tests.conftest import Run

Juhtum = Callable[..., Run]

QUEUED = "measure m1 is queued with tk: expected to start by 2026-03-01 (juhis §3.1, §5.1)"
GAP = "no monitoring entry since 2026-02-03: one is due every 60 days (juhis §5.2)"


@pytest.fixture
def implemented(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="implementation")


def test_a_queued_service_past_its_expected_start_is_due(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    root = implemented
    planning = root / "cases" / "tw-1" / "planning.yaml"
    text = planning.read_text(encoding="utf-8").replace(
        "status: agreed", "status: queued\n      expected_start: 2026-03-01"
    )
    queued = tmp_path / "planning.yaml"
    queued.write_text(text, encoding="utf-8")
    r = ("--repo", str(root), "--today", "2026-02-04")
    edited = juhtum(*r, "edit", "tw-1", "planning", "-f", queued)
    assert edited.code == 0, edited.output
    before = juhtum("--repo", str(root), "--today", "2026-02-10", "due")
    assert QUEUED not in before.out  # not within 14 days yet
    due = juhtum("--repo", str(root), "--today", "2026-03-05", "due")
    assert due.code == 0
    [line] = [x for x in due.out.splitlines() if QUEUED in x]
    assert "OVERDUE" in line and line.startswith("2026-03-01")
    # once monitoring records the service started, it is no longer due
    entry = tmp_path / "started.yaml"
    entry.write_text(
        "kind: service_check\ncontacts: [tk]\nservices:\n  - measure: m1\n    received: true\n"
        "    started: 2026-03-04\nprogress: Nõustamine algas.\n",
        encoding="utf-8",
    )
    monitored = juhtum("--repo", str(root), "--today", "2026-03-05", "monitor", "tw-1", "-f", entry)
    assert monitored.code == 0, monitored.output
    assert QUEUED not in juhtum("--repo", str(root), "--today", "2026-03-05", "due").out


def test_the_monitoring_gap_is_a_validate_warning(implemented: Path, juhtum: Juhtum) -> None:
    root = implemented
    early = juhtum("--repo", str(root), "--today", "2026-04-04", "validate")
    assert early.code == 0 and GAP not in early.out  # 60 days: not yet (and cached so)
    late = juhtum("--repo", str(root), "--today", "2026-04-05", "validate")
    assert late.code == 0, late.output  # a warning, not an error
    assert GAP in late.out
    assert "1 warning" in late.out
    github = juhtum("--repo", str(root), "--today", "2026-04-05", "validate", "--format", "github")
    assert "::warning" in github.out and "no monitoring entry since 2026-02-03" in github.out
    assert GAP in juhtum("--repo", str(root), "--today", "2026-04-05", "due").out
