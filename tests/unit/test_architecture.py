"""ARCHITECTURE.md stays true: every path it names in backquotes exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("", "cli", "model", "output")  # the tables name modules within their part


def named_paths(text: str) -> list[str]:
    """Backquoted words that look like paths of this project (a folder or a file with a
    suffix), not commands, fields or placeholders."""
    found = []
    for word in re.findall(r"`([^`\s]+)`", text):
        if "<" in word or "*" in word or word.startswith((".", "-", "~")):
            continue
        if word.endswith("/") or re.search(r"\.(py|md|json|yaml|po)$", word):
            found.append(word)
    return found


def test_every_path_architecture_names_exists() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    paths = named_paths(text)
    assert len(paths) > 30  # the page names the parts, not nothing
    missing = []
    for path in paths:
        candidates = [ROOT / path, *(ROOT / "src/juhtum" / part / path for part in PARTS)]
        if not any(c.exists() for c in candidates):
            missing.append(path)
    assert missing == []


def test_a_path_that_does_not_exist_is_caught() -> None:
    assert named_paths("see `src/juhtum/nowhere.py` and `juhtum status`") == [
        "src/juhtum/nowhere.py"
    ]
