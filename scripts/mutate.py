"""Mutation testing of the modules where a silent bug costs most (issue 9), with mutmut.

    python scripts/mutate.py                      # every target below (make mutate)
    python scripts/mutate.py invariants hashing   # some of them
    python scripts/mutate.py --changed origin/main --time-limit 170   # make mutate-changed
    python scripts/mutate.py invariants --survivors   # after adding tests: the survivors again
    python scripts/mutate.py invariants --only juhtum.model.invariants.need   # one module

Each target is a module and the tests that exercise it in this process (mutmut
swaps the mutated function in inside the test process: a test that runs juhtum
as a separate process cannot see a mutant). A target runs in its own working
copy under build/mutmut/<target>/ (the tracked files plus new ones git does not
ignore), where mutmut keeps its results: a second run re-tests only the
functions that changed. ``--changed REV`` mutates only the functions whose lines
differ from REV (committed or not) in the targets' modules: the bounded sample
CI can afford. The report counts killed, survived and equivalent mutants; an
equivalent mutant (no test can tell it from the original) is listed with its
reason in tests/equivalent_mutants.txt, and any other survivor makes the run
exit 1.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutmut"
EQUIVALENT = ROOT / "tests" / "equivalent_mutants.txt"
COPIED = ("pyproject.toml", "schemas", "src", "tests", "examples", "scripts")


@dataclass(frozen=True)
class Target:
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    """pytest arguments choosing the tests: files, and -k or --deselect where a slow test
    adds nothing for this module."""


TARGETS = {
    # the rules of the guideline: the twin with one edit per edge, and the fixtures with one
    # breach per rule (not the slow sensitive-value scan, nor the build script's diff)
    "invariants": Target(
        tuple(
            f"src/juhtum/model/invariants/{path.name}"
            for path in sorted((ROOT / "src/juhtum/model/invariants").glob("*.py"))
        ),
        (
            "tests/unit/test_invariants.py",
            "tests/unit/test_child.py",
            "tests/unit/test_participation.py",
            "tests/cli/test_fixtures.py",
            "tests/unit/test_rules_closing.py",
            "tests/unit/test_rules_evaluation.py",
            "tests/unit/test_rules_handover.py",
            "tests/unit/test_rules_meetings.py",
            "tests/unit/test_rules_references.py",
            "tests/unit/test_rules_legal.py",
            "tests/unit/test_rules_child.py",
            "tests/unit/test_rules_lifecycle.py",
            "tests/unit/test_rules_need.py",
            "tests/unit/test_rules_assessment.py",
            "tests/unit/test_rules_plan.py",
            "tests/unit/test_rules_signatures.py",
            "tests/unit/test_rules_signers.py",
            "tests/unit/test_rules_coordinator.py",
            "tests/unit/test_rules_implementation.py",
            "tests/unit/test_rules_stage.py",
            "-k",
            "not sensitive_value and not build_script",
        ),
    ),
    "hashing": Target(("src/juhtum/model/hashing.py",), ("tests/unit/test_hashing.py",)),
    "storage": Target(
        ("src/juhtum/storage/__init__.py",),
        (
            "tests/unit/test_storage.py",
            "tests/unit/test_storage_edges.py",
            "tests/unit/test_case_listing.py",
            "tests/unit/test_safe_writes.py",
            "tests/unit/test_journal.py",
        ),
    ),
    # the crash suite kills real processes, invisible to mutmut: these crash in the process
    "journal": Target(
        ("src/juhtum/journal.py",),
        (
            "tests/unit/test_journal.py",
            "tests/unit/test_journal_recovery.py",
            "tests/unit/test_journal_integrity.py",
        ),
    ),
    "cache": Target(
        (
            "src/juhtum/check/cache.py",
            "src/juhtum/check/cache_file.py",
            "src/juhtum/check/cache_keys.py",
        ),
        (
            "tests/unit/test_cache.py",
            "tests/unit/test_cache_edges.py",
            "tests/unit/test_cache_several_cases.py",
            "tests/unit/test_cache_file.py",
            "tests/unit/test_cache_keys.py",
            "tests/unit/test_cache_days.py",
        ),
    ),
}

MESSAGE_TEXT = (r"\bN?_\(", r"\bMsg\(", r'^\s+"[^"]* [^"]*"\s*\)?,?$')
"""Lines of a message's wording (N_("..."), _("..."), Msg("..."), and the text lines of one split
over several):
not mutated. Wording is for people, the tests pin it where it matters, and the catalogue test
fails on a msgid without its Estonian translation; mutating it would only double the run."""

UNEXPLAINED = ("survived", "no tests", "suspicious")
"""What a run must not leave: a mutant no test noticed, or none reached (a timeout is a kill:
the mutant made the tests hang)."""

STATUS = re.compile(r"^\s*(\S+): (.+)$")


def module_name(path: str) -> str:
    name = path.removeprefix("src/").removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def copy_tree(into: Path) -> None:
    """The files of the checkout (tracked, and new ones git does not ignore) into ``into``;
    mutmut's own folder (``mutants/``, its results) is kept."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *COPIED],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for entry in into.iterdir() if into.exists() else []:
        if entry.name != "mutants":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def forget_stale_copies(into: Path, target: Target) -> None:
    """mutmut copies the modules it does not mutate into mutants/ once and never again: remove
    them, so a change to one of them since the last run is seen."""
    kept = {into / "mutants" / m for m in target.modules}
    for path in (into / "mutants" / "src").rglob("*.py") if (into / "mutants").exists() else []:
        if path not in kept:
            path.unlink()


def configure(into: Path, target: Target) -> None:
    """pyproject.toml's [tool.mutmut] narrowed to ``target``."""
    import json

    text = (into / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = {json.dumps(list(target.modules))}\n"
        'also_copy = ["examples", "schemas", "scripts"]\n'
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        f"do_not_mutate_patterns = {json.dumps(list(MESSAGE_TEXT))}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(list(target.tests))}\n"
    )
    (into / "pyproject.toml").write_text(text, encoding="utf-8")


def changed_functions(rev: str, path: str) -> list[str] | None:
    """mutmut's name patterns for the functions of ``path`` whose lines differ from ``rev``
    (an empty list: nothing changed; None: the file is new to ``rev``, take it whole)."""
    diff = subprocess.run(
        ["git", "diff", "-U0", rev, "--", path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if diff.returncode != 0:
        raise SystemExit(f"git diff {rev} failed: {diff.stderr.strip()}")
    if "\nnew file mode" in diff.stdout or diff.stdout.startswith("new file"):
        return None
    lines: set[int] = set()
    for start, count in re.findall(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", diff.stdout, re.M):
        n = int(count) if count else 1
        first = int(start)
        lines.update(range(first, first + max(n, 1)))
    if not lines:
        return []
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    module = module_name(path)
    found = []
    for node in tree.body:
        methods = [(node.name, m) for m in node.body] if isinstance(node, ast.ClassDef) else []
        for owner, item in [(None, node), *methods]:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            span = range(item.lineno, (item.end_lineno or item.lineno) + 1)
            if lines.isdisjoint(span):
                continue
            name = f"x\u01c1{owner}\u01c1{item.name}" if owner else f"x_{item.name}"
            found.append(f"{module}.{name}__mutmut_*")
    return found


def equivalent() -> dict[str, str]:
    known = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            known[name.strip()] = reason.strip()
    return known


def results(into: Path) -> dict[str, str]:
    if not (into / "mutants").is_dir():
        return {}
    out = subprocess.run(
        [str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
        cwd=into,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {m.group(1): m.group(2) for m in map(STATUS.match, out.splitlines()) if m}


def run(name: str, target: Target, patterns: list[str], args: argparse.Namespace) -> int:
    into = WORK / name
    into.mkdir(parents=True, exist_ok=True)
    copy_tree(into)
    forget_stale_copies(into, target)
    configure(into, target)
    command = [
        str(Path(sys.executable).parent / "mutmut"),
        "run",
        "--max-children",
        str(args.max_children),
        *patterns,
    ]
    print(f"== {name}: {' '.join(target.modules)}", flush=True)
    started = time.monotonic()
    remaining = None if args.deadline is None else max(args.deadline - time.monotonic(), 1)
    try:
        finished = subprocess.run(
            command,
            cwd=into,
            timeout=remaining,
            stdout=subprocess.DEVNULL if not args.verbose else None,
            check=False,
        )
        stopped = False
        broken = finished.returncode != 0
    except subprocess.TimeoutExpired:
        stopped = broken = True
    took = time.monotonic() - started
    found = results(into)
    if patterns:
        import fnmatch

        found = {k: v for k, v in found.items() if any(fnmatch.fnmatch(k, p) for p in patterns)}
    known = equivalent()
    counts: dict[str, int] = {}
    unexplained = []
    for mutant, status in sorted(found.items()):
        if status == "survived" and mutant in known:
            status = "equivalent"
        counts[status] = counts.get(status, 0) + 1
        if status in UNEXPLAINED:
            unexplained.append(f"{mutant}: {status}")
        elif status == "killed" and mutant in known:  # renumbered, or a test now tells it apart
            unexplained.append(f"{mutant}: killed, but listed in {EQUIVALENT.name}: remove it")
    shown = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"   {len(found)} mutants in {took:.0f} s: {shown or 'none'}")
    if stopped:
        print("   stopped at the time limit: the mutants not checked are counted as such")
    elif broken:
        print(f"   mutmut failed before testing (the unmutated tests must pass in {into}):")
        print(f"   cd {into.relative_to(ROOT)} && mutmut run")
        return 1
    for line in unexplained:
        print(f"   {line}   (see: cd {into.relative_to(ROOT)} && mutmut show NAME)")
    return 1 if unexplained else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", choices=[*TARGETS, []], metavar="TARGET")
    parser.add_argument("--changed", metavar="REV", help="only functions that differ from REV")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="test again only the mutants the last run left alive or untested (after adding tests)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="MODULE",
        help="only this module of the target (e.g. juhtum.model.invariants.need); repeatable",
    )
    parser.add_argument("--time-limit", type=float, help="stop after this many seconds")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants")
    parser.add_argument("--verbose", action="store_true", help="show mutmut's progress")
    args = parser.parse_args()
    args.deadline = None if args.time_limit is None else time.monotonic() + args.time_limit
    os.environ.setdefault("PYTHONHASHSEED", "0")
    chosen = args.targets or list(TARGETS)
    failed = 0
    for name in chosen:
        target = TARGETS[name]
        patterns: list[str] = []
        if args.changed:
            for path in target.modules:
                functions = changed_functions(args.changed, path)
                patterns += [f"{module_name(path)}.*"] if functions is None else functions
            if not patterns:
                print(f"== {name}: unchanged since {args.changed}")
                continue
        if args.survivors:
            alive = [m for m, status in results(WORK / name).items() if status in UNEXPLAINED]
            if not alive:
                print(f"== {name}: no survivors to test again")
                continue
            patterns = alive
        if args.only:
            import fnmatch

            wanted = [f"{module}.x*" for module in args.only]
            if patterns:
                patterns = [p for p in patterns if any(fnmatch.fnmatch(p, w) for w in wanted)]
            else:
                patterns = wanted
            if not patterns:
                print(f"== {name}: nothing of {', '.join(args.only)} to test")
                continue
        if args.deadline is not None and time.monotonic() >= args.deadline:
            print(f"== {name}: not run, the time limit is spent")
            continue
        failed |= run(name, target, patterns, args)
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
