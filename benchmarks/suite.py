"""Benchmarks of issue 5: every figure and ratio, at each size asked for, in one run.

For each size it generates that many realistic cases (benchmarks/generate.py) in a git
repository with a long history (a commit per document), then prints, as medians of
--repeat runs (a ratio's two sides alternate, so a noisy machine skews both alike):

- cold `juhtum validate` (no cache) against reading the same files' bytes, and against
  check-jsonschema over the same documents with the same schemas (at --check-jsonschema-at
  cases: it takes minutes);
- warm `juhtum validate` (a cache, nothing changed) against `git status`;
- `juhtum --help` and `juhtum status ID` against `python -c "import typer"`;
- the first `juhtum status ID` after a `validate` (the cache has the case's problems, not
  yet its status) against `python -c "import typer"`;
- `juhtum due` and `juhtum report`, cold and warm;
- `juhtum history ID` against `git log -- cases/ID`;
- the peak memory of a cold validate, and its ratio between the smallest and largest size;
- the peak memory of `juhtum due` and `juhtum report` (after a validate, and with no cache),
  and its ratio between the smallest and largest size.

    python benchmarks/suite.py                       # 1,000 and 10,000 cases (~25 minutes)
    python benchmarks/suite.py --cases 200 --repeat 1 --no-check-jsonschema   # a smoke run
    python benchmarks/suite.py --cases 1000 5000 --repeat 3 --views-only   # status, due, report

Targets (issue 5) are printed beside each ratio; a figure that misses its target is marked
"MISSED", and the exit code stays 0: this measures, it does not judge.
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate, git_history, load_templates
from validate import check_jsonschema, documents_by_kind, timed

TODAY = "2026-11-23"
READER = """\
import os, sys
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as f:
                f.read()
"""
BIN = Path(sys.executable).parent
JUHTUM = str(BIN / "juhtum") if (BIN / "juhtum").exists() else shutil.which("juhtum") or "juhtum"


def peak_memory(command: list[str]) -> tuple[int, int]:
    """Peak resident memory (KiB) of ``command``'s own processes (the largest of juhtum and
    its worker processes) and of any process it ran (git included): git status alone takes
    250 MiB over 135,000 files, which says nothing about how juhtum streams documents.
    Linux's /proc is polled every 10 ms for each process's high-water mark (VmHWM)."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ours = theirs = 0
    while proc.poll() is None:
        for name, hwm in _descendants(proc.pid):
            if name.startswith("git"):
                theirs = max(theirs, hwm)
            else:
                ours = max(ours, hwm)
        time.sleep(0.01)
    return ours, max(ours, theirs)


def _descendants(root: int) -> list[tuple[str, int]]:
    """(command name, VmHWM in KiB) of ``root`` and every process under it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, found = {root}, []
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            fields = dict(line.split(":", 1) for line in status if ":" in line)
            found.append((fields["Name"].strip(), int(fields["VmHWM"].split()[0])))
        except (OSError, KeyError, ValueError):
            continue
    return found


def median(command: list[str], repeat: int, *, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        times.append(timed(command)[0])
    return statistics.median(times)


def paired(
    a: list[str], b: list[str], repeat: int, *, before: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run in turns (after one unmeasured run of each)."""
    timed(a), timed(b)
    ta, tb = [], []
    for _ in range(repeat):
        if before:
            before()
        ta.append(timed(a)[0])
        tb.append(timed(b)[0])
    return statistics.median(ta), statistics.median(tb)


def git_out(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<34} {seconds * 1000:9.0f} ms  {note}".rstrip())


def ratio(label: str, value: float, target: float | None, *, higher: bool = False) -> None:
    if target is None:
        verdict = ""
    else:
        met = value >= target if higher else value <= target
        verdict = f"(target {'≥' if higher else '≤'} {target:g}: {'met' if met else 'MISSED'})"
    print(f"  {label:<34} {value:9.2f} x   {verdict}".rstrip())


def bench(n: int, workdir: Path, args: argparse.Namespace) -> int:
    """Every figure at ``n`` cases; returns validate's cold peak memory (KiB)."""
    repo = workdir / f"cases-{n}"
    started = time.perf_counter()
    if args.reuse and (repo / ".git").is_dir():
        files = sum(1 for _ in (repo / "cases").rglob("*.yaml"))
        commits = int(git_out(repo, "rev-list", "--count", "HEAD"))
    else:
        files = generate(repo, n)
        commits = git_history(repo)
        # what juhtum sync keeps up to date (history.write_commit_graph): per-folder logs
        subprocess.run(
            ["git", "commit-graph", "write", "--reachable", "--changed-paths"],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    print(
        f"\n{n} cases: {files} documents, {commits} commits "
        f"(made in {time.perf_counter() - started:.0f} s)"
    )
    os.environ.update({"JUHTUM_TODAY": TODAY, "JUHTUM_LANG": "en"})
    cache = repo / ".juhtum" / "cache"

    def no_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    juhtum = [JUHTUM, "--repo", str(repo)]
    validate = [*juhtum, "validate"]
    if args.views_only or args.validate_only:
        if args.views_only:
            status_and_view_figures(repo, n, args)
        if args.validate_only:  # issue 10's validate figures alone
            issue10_validate(repo, args)
        if not args.keep:
            shutil.rmtree(repo, ignore_errors=True)
        return 0

    # cold validate: time and peak memory; against the bytes and check-jsonschema
    runs = []
    for _ in range(args.repeat):
        no_cache()
        runs.append(timed(validate))
    cold = statistics.median(t for t, _, _ in runs)
    codes = sorted({c for _, c, _ in runs})
    no_cache()
    peak, peak_all = peak_memory(validate)
    # the floor: every document's bytes read by the leanest Python loop (os.walk, not
    # pathlib, which doubles the time over 135,000 files)
    reader = [sys.executable, "-c", READER, str(repo / "cases")]
    read = median(reader, args.repeat)
    line("validate, cold", cold, f"(exit {codes})")
    print(
        f"  {'peak memory, cold validate':<34} {peak / 1024:9.0f} MiB "
        f"(juhtum's largest process; {peak_all / 1024:.0f} MiB with git's)"
    )
    line("reading the bytes", read)
    ratio("cold validate / reading the bytes", cold / read, 10.0 if n >= 10000 else None)
    if not args.no_check_jsonschema and n == args.check_jsonschema_at:
        cj, documents = check_jsonschema(documents_by_kind(repo))
        line("check-jsonschema", cj, f"({documents} documents)")
        ratio("check-jsonschema / cold validate", cj / cold, 20.0, higher=True)

    # warm validate against git status
    no_cache()
    timed(validate)
    warm, status = paired(validate, ["git", "-C", str(repo), "status"], args.repeat)
    line("validate, warm", warm)
    line("git status", status)
    ratio("warm validate / git status", warm / status, 3.0)

    # start-up: --help and status ID against importing typer
    case = f"bench-{min(10, n - 1):06d}"
    typer_ = [sys.executable, "-c", "import typer"]
    help_, typer_s = paired([JUHTUM, "--help"], typer_, args.repeat)
    timed([*juhtum, "status", case])
    status_id, typer_s2 = paired([*juhtum, "status", case], typer_, args.repeat)
    line("juhtum --help", help_)
    line(f"juhtum status {case}", status_id)
    line('python -c "import typer"', statistics.median([typer_s, typer_s2]))
    ratio("--help / import typer", help_ / typer_s, 1.25)
    ratio("status ID / import typer", status_id / typer_s2, 1.6)

    # due and report, cold and warm
    for name in ("due", "report"):
        command = [*juhtum, name]
        cold_s = median(command, args.repeat, before=no_cache)
        timed(command)
        warm_s = median(command, args.repeat)
        line(f"{name}, cold", cold_s)
        line(f"{name}, warm", warm_s, "(target ≤ 2000 ms at 10,000 cases)" if n >= 10000 else "")

    # history of one case against git log of its folder
    busy = max(
        (p for p in (repo / "cases").iterdir()),
        key=lambda p: sum(1 for _ in p.rglob("*.yaml")),
    ).name
    history, log = paired(
        [*juhtum, "history", busy],
        ["git", "-C", str(repo), "log", "--", f"cases/{busy}"],
        args.repeat,
    )
    line(f"juhtum history {busy}", history)
    line(f"git log -- cases/{busy}", log)
    ratio("history / git log", history / log, 2.0)
    status_and_view_figures(repo, n, args)
    issue10_validate(repo, args)
    if not args.keep:
        shutil.rmtree(repo, ignore_errors=True)
    return peak


VIEW_PEAKS: dict[int, dict[str, int]] = {}
"""Peak memory (KiB) of the views at each size: {cases: {"due": ..., "report": ...}}."""


def status_and_view_figures(repo: Path, n: int, args: argparse.Namespace) -> None:
    """The first ``status ID`` after a validate against importing typer, and the peak memory
    of ``due`` and ``report`` (kept in VIEW_PEAKS for the ratio between sizes)."""
    first_status_figures(repo, n, args)
    view_memory_figures(repo, n)


def first_status_figures(repo: Path, n: int, args: argparse.Namespace) -> None:
    """``juhtum status ID`` as a coordinator first runs it after a ``validate`` (CI's, a
    pre-commit hook's, their own): the cache holds the case's problems and facts but not its
    status. Each measured run asks a case no status was asked of since the validate, of the
    same template (the same shape of case), so every run is a first; ``import typer`` runs
    in turns with them."""
    juhtum = [JUHTUM, "--repo", str(repo)]
    shutil.rmtree(repo / ".juhtum" / "cache", ignore_errors=True)
    timed([*juhtum, "validate"])
    step = len(load_templates())
    same = list(range(10 % step, n, step))  # a small run has too few: others fill in
    order = same + [i for i in range(n) if i not in same]
    cases = [f"bench-{i:06d}" for i in order][: args.repeat + 1]
    typer_ = [sys.executable, "-c", "import typer"]
    timed([*juhtum, "status", cases[0]]), timed(typer_)  # unmeasured: the OS caches warm
    firsts, typers = [], []
    for case in cases[1:]:
        firsts.append(timed([*juhtum, "status", case])[0])
        typers.append(timed(typer_)[0])
    first, typer_s = statistics.median(firsts), statistics.median(typers)
    alike = "of one template" if len(same) > args.repeat else "of several templates"
    line("first status ID after validate", first, f"({len(firsts)} cases {alike})")
    line('python -c "import typer"', typer_s)
    ratio("first status ID / import typer", first / typer_s, 1.6)


def view_memory_figures(repo: Path, n: int) -> None:
    """Peak memory of ``due`` and ``report`` (juhtum's own process, not git's): after a
    validate (the rows hold every case's facts) and with no cache (every case read)."""
    juhtum = [JUHTUM, "--repo", str(repo)]
    cache = repo / ".juhtum" / "cache"
    peaks = VIEW_PEAKS.setdefault(n, {})
    shutil.rmtree(cache, ignore_errors=True)
    timed([*juhtum, "validate"])
    warm = {name: peak_memory([*juhtum, name])[0] for name in ("due", "report")}
    for name in ("due", "report"):
        shutil.rmtree(cache, ignore_errors=True)
        cold, _ = peak_memory([*juhtum, name])
        peaks[name] = max(warm[name], cold)
        print(
            f"  {'peak memory, ' + name:<34} {warm[name] / 1024:9.0f} MiB "
            f"after a validate, {cold / 1024:.0f} MiB with no cache"
        )


def view_memory_ratios() -> None:
    """The views' peak memory between the smallest and the largest size (target ≤ 1.3)."""
    if len(VIEW_PEAKS) < 2:
        return
    small, large = min(VIEW_PEAKS), max(VIEW_PEAKS)
    for name in ("due", "report"):
        a, b = VIEW_PEAKS[small][name], VIEW_PEAKS[large][name]
        print(
            f"peak memory of {name}: {a / 1024:.0f} MiB at {small} cases, {b / 1024:.0f} at {large}"
        )
        ratio(f"{name} peak at {large} / at {small}", b / a, 1.3)


# -- issue 10 item 5: validate's figures ------------------------------------------------------


def issue10_validate(repo: Path, args: argparse.Namespace) -> None:
    """Issue 10's validate targets: a cold validate (no cache yet, and under --no-cache)
    within 6x reading the files' bytes (the floor: os.walk and read), and a warm validate
    after one real edit of one file within 2x `git status` on the same work tree. Each
    repetition edits the file again (a line is added: its content, size and time change),
    so every warm run has one changed case to check and git one modified file to find."""
    juhtum = [JUHTUM, "--repo", str(repo)]
    validate = [*juhtum, "validate"]
    cache = repo / ".juhtum" / "cache"

    def no_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    reader = [sys.executable, "-c", READER, str(repo / "cases")]
    print("  issue 10 (validate):")
    cold, read = paired(validate, reader, args.repeat, before=no_cache)
    line("validate, cold (no cache yet)", cold)
    line("reading the bytes", read)
    ratio("cold validate / bytes", cold / read, 6.0)
    bare, read2 = paired([*validate, "--no-cache"], reader, args.repeat)
    line("validate --no-cache", bare)
    ratio("validate --no-cache / bytes", bare / statistics.median([read, read2]), 6.0)

    # one real edit of one file: its content changes, not only its modification time
    case = sorted(p for p in (repo / "cases").iterdir() if (p / "case.yaml").is_file())[0]
    edited = case / "case.yaml"
    original = edited.read_bytes()
    edits = iter(range(1, 1_000_000))

    def edit() -> None:
        edited.write_bytes(original + f"# edited {next(edits)}\n".encode())

    no_cache()
    timed(validate)  # the cache as a repeated validate finds it
    warm, status = paired(validate, ["git", "-C", str(repo), "status"], args.repeat, before=edit)
    edited.write_bytes(original)
    line("validate, warm after one edit", warm)
    line("git status (one file modified)", status)
    ratio("warm validate after an edit / git status", warm / status, 2.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check-jsonschema-at", type=int, default=1000, metavar="N")
    parser.add_argument(
        "--no-check-jsonschema", action="store_true", help="skip the comparison (it takes minutes)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the repositories a --keep run left in --workdir instead of generating",
    )
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temporary)")
    parser.add_argument(
        "--views-only",
        action="store_true",
        help="only the first status after a validate and the peak memory of due and report",
    )
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="only issue 10's validate figures (cold against the bytes, warm after an edit)",
    )
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="juhtum-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"juhtum: {JUHTUM}; {os.cpu_count()} cores; medians of {args.repeat} runs")
    peaks = {}
    try:
        for n in sorted(args.cases):
            peaks[n] = bench(n, workdir, args)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    view_memory_ratios()
    if len(peaks) > 1 and all(peaks.values()):
        small, large = min(peaks), max(peaks)
        print(
            f"\npeak memory of a cold validate: {peaks[small] / 1024:.0f} MiB at {small} cases, "
            f"{peaks[large] / 1024:.0f} MiB at {large}"
        )
        ratio(f"peak at {large} / at {small}", peaks[large] / peaks[small], 1.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
