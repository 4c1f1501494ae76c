"""Benchmark: `juhtum validate` against check-jsonschema and against reading the bytes.

Generates N realistic cases (benchmarks/generate.py; 1,000 by default) and, in one run, times

- `juhtum validate` cold (a new process; there is no cache yet),
- check-jsonschema over the same documents with the same schemas (one invocation per
  document kind, as its CLI takes one schema at a time), and
- reading every file's bytes (the floor any validator stands on),

and prints each figure, the ratios, and juhtum's peak memory. Medians over --repeat runs.

    python benchmarks/validate.py                 # 1,000 cases
    python benchmarks/validate.py --cases 10000   # the large run
    python benchmarks/validate.py --cases 200 --repeat 1 --no-check-jsonschema   # a smoke run
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from juhtum.documents import schemas
from juhtum.model.documents import kind_in_case

SCHEMA_DIR = Path(str(schemas.directory()))
TODAY = "2026-11-23"


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Seconds, exit code and peak memory (KiB) of ``command`` run as its own process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL).returncode\n"
        "t = time.perf_counter() - t\n"
        "print(t, code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def documents_by_kind(repo: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = defaultdict(list)
    for case in sorted((repo / "cases").iterdir()):
        for path in sorted(case.rglob("*.yaml")):
            kind = kind_in_case(path.relative_to(case).parts)
            if kind:
                found[kind].append(path)
    found["juhtum"].append(repo / "juhtum.yaml")
    found["service"].extend(sorted((repo / "services").glob("*.yaml")))
    return found


def check_jsonschema(by_kind: dict[str, list[Path]]) -> tuple[float, int]:
    """Total seconds of check-jsonschema over every document, one schema at a time."""
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    total = 0.0
    for kind, files in sorted(by_kind.items()):
        schema = SCHEMA_DIR / schemas.schema_name(kind)
        for start in range(0, len(files), 2000):
            chunk = [str(f) for f in files[start : start + 2000]]
            seconds, _, _ = timed([exe, "--schemafile", str(schema), *chunk])
            total += seconds
    return total, sum(len(f) for f in by_kind.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-check-jsonschema", action="store_true", help="skip the comparison (it takes minutes)"
    )
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="juhtum-bench-"))
    repo = args.keep or workdir / "repo"
    try:
        started = time.perf_counter()
        files = generate(repo, args.cases)
        print(
            f"generated {args.cases} cases, {files} documents "
            f"in {time.perf_counter() - started:.1f} s ({repo})"
        )
        env = {**os.environ, "JUHTUM_TODAY": TODAY, "JUHTUM_LANG": "en"}
        juhtum = [
            sys.executable,
            "-m",
            "juhtum",
            "--repo",
            str(repo),
            "validate",
            "--format",
            "json",
        ]
        runs = [timed(juhtum, env) for _ in range(args.repeat)]
        codes = {code for _, code, _ in runs}
        juhtum_s = statistics.median(t for t, _, _ in runs)
        peak = max(m for _, _, m in runs)
        print(
            f"juhtum validate (cold):   {juhtum_s:8.2f} s  "
            f"({juhtum_s / files * 1000:.2f} ms a document; exit {sorted(codes)}; "
            f"peak memory {peak / 1024:.0f} MiB)"
        )
        reader = [
            sys.executable,
            "-c",
            "import pathlib,sys\n"
            "for p in pathlib.Path(sys.argv[1]).rglob('*.yaml'): p.read_bytes()",
            str(repo),
        ]
        read_s = statistics.median(timed(reader)[0] for _ in range(args.repeat))
        print(
            f"reading the bytes:        {read_s:8.2f} s  -> juhtum is {juhtum_s / read_s:.1f}x "
            "the floor"
        )
        if not args.no_check_jsonschema:
            cj_s, documents = check_jsonschema(documents_by_kind(repo))
            print(f"check-jsonschema:         {cj_s:8.2f} s  ({documents} documents)")
            print(f"ratio: juhtum validate is {cj_s / juhtum_s:.1f}x faster than check-jsonschema")
        if codes != {0}:
            print("note: validate did not exit 0 on the generated cases", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
