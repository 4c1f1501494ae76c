"""The README's first command: juhtum's main job on the bundled example case repositories.

Each example repository is checked (`juhtum validate --legal`), its cases listed,
and one case shown. The date is fixed (JUHTUM_TODAY) so the output is the same
on every machine. Exits non-zero when any command fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-23"


def juhtum(*args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    if not capture:
        print(f"\n$ juhtum {shown}", flush=True)
    env = {**os.environ, "JUHTUM_TODAY": TODAY, "JUHTUM_LANG": os.environ.get("JUHTUM_LANG", "et")}
    return subprocess.run(
        [sys.executable, "-m", "juhtum", *args],
        env=env,
        text=True,
        capture_output=capture,
        check=False,
    )


def main() -> int:
    failed = 0
    repositories = sorted(p for p in EXAMPLES.iterdir() if (p / "juhtum.yaml").is_file())
    if not repositories:
        print("no example repositories found under examples/", file=sys.stderr)
        return 1
    for repo in repositories:
        where = os.path.relpath(repo)
        print(f"\n=== {where} ===")
        failed |= juhtum("--repo", where, "validate", "--legal").returncode
        failed |= juhtum("--repo", where, "list").returncode
        listed = juhtum("--repo", where, "list", "--json", capture=True)
        cases = json.loads(listed.stdout) if listed.returncode == 0 else []
        if cases:  # the case with the most documents: the fullest story
            fullest = max(
                cases, key=lambda c: sum(1 for _ in (repo / "cases" / c["id"]).rglob("*"))
            )
            failed |= juhtum("--repo", where, "show", fullest["id"]).returncode
    print("\nOK: every example repository is sound." if not failed else "\nFAILED", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
