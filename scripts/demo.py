"""The README's first command: juhtum's main job on the bundled example case repositories.

Each example repository is checked (`juhtum validate --legal`), its cases listed
and its fullest case shown. Then each is rebuilt in a temporary folder by driving
the commands a coordinator uses, step by step with their dates (scripts/rebuild.py),
and the rebuilt repository is checked and its fullest case's status and history
shown. The date is fixed (JUHTUM_TODAY) so the output is the same on every
machine. Exits non-zero when any command fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rebuild import rebuild

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


def fullest(repo: Path, cases: list[dict[str, str]]) -> str:
    """The case with the most documents: the fullest story."""
    return max(cases, key=lambda c: sum(1 for _ in (repo / "cases" / c["id"]).rglob("*")))["id"]


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
        if cases:
            failed |= juhtum("--repo", where, "show", fullest(repo, cases)).returncode
        failed |= juhtum("--repo", where, "due", "--within", "30d").returncode
        failed |= juhtum("--repo", where, "report").returncode
    with tempfile.TemporaryDirectory(prefix="juhtum-demo-") as work:
        for repo in repositories:
            target = Path(work) / repo.name
            print(f"\n=== {os.path.relpath(repo)}, rebuilt command by command in {target} ===")
            replay = rebuild(repo, target)
            print(f"{len(replay.commands)} commands, e.g.:")
            for args in replay.commands[:4]:
                print("  juhtum " + " ".join(a if " " not in a else repr(a) for a in args))
            failed |= juhtum("--repo", str(target), "validate", "--legal").returncode
            listed = juhtum("--repo", str(target), "list", "--json", capture=True)
            case = fullest(target, json.loads(listed.stdout))
            failed |= juhtum("--repo", str(target), "status", case).returncode
            failed |= juhtum("--repo", str(target), "history", case).returncode
    print(
        "\nOK: every example repository is sound, and rebuilt by the commands it validates the "
        "same."
        if not failed
        else "\nFAILED",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
