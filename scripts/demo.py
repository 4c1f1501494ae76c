"""The README's first command: juhtum's main job on the bundled example case repositories.

Each example repository is checked (`juhtum validate --legal`), its cases listed
and its fullest case shown, on a copy in a temporary folder: commands keep their
cache in the repository they read, and the demo leaves the source tree as it was. Then each is rebuilt in a temporary folder by driving
the commands a coordinator uses, step by step with their dates (scripts/rebuild.py),
and the rebuilt repository is checked and its fullest case's status and history
shown. The date is fixed (JUHTUM_TODAY) so the output is the same on every
machine. Exits non-zero when any command fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rebuild import rebuild

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-23"


def juhtum(
    *args: str, capture: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    if not capture:
        print(f"\n$ juhtum {shown}", flush=True)
    env = {**os.environ, "JUHTUM_TODAY": TODAY, "JUHTUM_LANG": os.environ.get("JUHTUM_LANG", "et")}
    return subprocess.run(
        [sys.executable, "-m", "juhtum", *args],
        env=env,
        cwd=cwd,
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
    with tempfile.TemporaryDirectory(prefix="juhtum-demo-") as work:
        for source in repositories:
            # the same relative path as in the source tree, shown in every command below
            where = f"examples/{source.name}"
            repo = Path(work) / where
            shutil.copytree(source, repo, ignore=shutil.ignore_patterns(".juhtum"))
            print(f"\n=== {where} ===")
            failed |= juhtum("--repo", where, "validate", "--legal", cwd=Path(work)).returncode
            failed |= juhtum("--repo", where, "list", cwd=Path(work)).returncode
            listed = juhtum("--repo", where, "list", "--json", capture=True, cwd=Path(work))
            cases = json.loads(listed.stdout) if listed.returncode == 0 else []
            if cases:
                failed |= juhtum(
                    "--repo", where, "show", fullest(repo, cases), cwd=Path(work)
                ).returncode
            failed |= juhtum("--repo", where, "due", "--within", "30d", cwd=Path(work)).returncode
            failed |= juhtum("--repo", where, "report", cwd=Path(work)).returncode
        for source in repositories:
            target = Path(work) / "rebuilt" / source.name
            print(f"\n=== {os.path.relpath(source)}, rebuilt command by command in {target} ===")
            replay = rebuild(source, target)
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
