"""The benchmark scripts cannot rot: a small run of the whole suite, as `make bench-smoke`
runs it (the figures are not judged here: timing belongs to benchmarks/, not to tests)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_benchmark_suite_runs_and_prints_every_figure() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "suite.py"),
            *("--cases", "20", "200"),
            *("--repeat", "1"),
            *("--check-jsonschema-at", "20"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,  # only a hang fails
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "200 cases: 2682 documents" in out  # the examples as templates (issue 12 added some)
    for label in (
        "validate, cold",
        "cold validate / reading the bytes",
        "check-jsonschema / cold validate",
        "warm validate / git status",
        "--help / import typer",
        "status ID / import typer",
        "due, cold",
        "due, warm",
        "report, cold",
        "report, warm",
        "history / git log",
        "peak at 200 / at 20",
        "first status ID after validate",
        "first status ID / import typer",
        "peak memory, due",
        "peak memory, report",
        "due peak at 200 / at 20",
        "report peak at 200 / at 20",
        "cold validate / bytes",
        "validate --no-cache / bytes",
        "warm validate after an edit / git status",
    ):
        assert re.search(rf"^  {re.escape(label)} +\d", out, re.M), f"{label!r} missing:\n{out}"
    # every generated case is valid: a benchmark of a failing validate would measure errors
    assert "exit [0]" in out
