"""Generate N realistic, valid cases for benchmarks: every state, both frameworks, Estonian text.

The templates are the cases of the bundled example repositories. Each generated
case is a template under a new id, with new fictional names (in the people
files and wherever the free text names them), new fictional personal codes of
the same birth dates, and the plan's signatures and announced changes
re-hashed, so every generated case validates like its template.

    python benchmarks/generate.py OUT --cases 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from juhtum.documents import roundtrip, yamlio
from juhtum.model import personal_code
from juhtum.model.hashing import content_hash

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

FIRST_NAMES = (
    "Mari",
    "Kati",
    "Liis",
    "Anu",
    "Tiina",
    "Kristi",
    "Maarja",
    "Piret",
    "Helen",
    "Kadri",
    "Jaan",
    "Peeter",
    "Toomas",
    "Andres",
    "Margus",
    "Rein",
    "Priit",
    "Urmas",
    "Siim",
    "Tarmo",
)
SURNAMES = (
    "Tamm",
    "Saar",
    "Sepp",
    "Mägi",
    "Kask",
    "Kukk",
    "Rebane",
    "Ilves",
    "Pärn",
    "Koppel",
    "Lepik",
    "Kuusk",
    "Karu",
    "Oja",
    "Luik",
    "Lill",
    "Raud",
    "Vaher",
    "Kallas",
    "Laur",
)


@dataclass
class Template:
    repo: Path
    case_id: str
    files: dict[str, str]
    """Relative path in the case folder -> text."""
    names: list[str]
    codes: dict[str, tuple[dt.date, str]]
    plan_hash: str | None


def load_templates(examples: Path = EXAMPLES) -> list[Template]:
    templates = []
    for repo in sorted(p for p in examples.iterdir() if (p / "juhtum.yaml").is_file()):
        for case_dir in sorted(p for p in (repo / "cases").iterdir() if p.is_dir()):
            files = {
                p.relative_to(case_dir).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(case_dir.rglob("*.yaml"))
            }
            names: list[str] = []
            codes: dict[str, tuple[dt.date, str]] = {}
            for rel, text in files.items():
                if rel.startswith("people/"):
                    data = yamlio.loads(text, path=rel).data
                    name = data.get("name")
                    if isinstance(name, str):
                        names.append(name)
                    code = data.get("personal_code")
                    if isinstance(code, str) and personal_code.problem(code) is None:
                        codes[code] = (personal_code.birth_date(code), personal_code.sex(code))
            plan = files.get("plan.yaml")
            plan_hash = content_hash(yamlio.loads(plan, path="plan.yaml").data) if plan else None
            templates.append(Template(repo, case_dir.name, files, names, codes, plan_hash))
    return templates


def _name_tokens(names: list[str]) -> list[str]:
    """Capitalised words of people's names (organisations' names are left as they are)."""
    tokens: set[str] = set()
    for name in names:
        words = name.split()
        if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
            tokens.update(words)
    return sorted(tokens, key=len, reverse=True)


def make_case(template: Template, case_id: str, rng: random.Random, serial: int) -> dict[str, str]:
    """The files of one generated case."""
    replacements: dict[str, str] = {}
    for token in _name_tokens(template.names):
        pool = FIRST_NAMES if token in FIRST_NAMES or rng.random() < 0.5 else SURNAMES
        replacements[token] = rng.choice(pool)
    for code, (born, sex) in template.codes.items():
        replacements[code] = personal_code.generate(born, sex, serial % 1000)
    pattern = (
        re.compile("|".join(re.escape(k) for k in sorted(replacements, key=len, reverse=True)))
        if replacements
        else None
    )
    out: dict[str, str] = {}
    for rel, text in template.files.items():
        if rel == "case.yaml" and "related:" in text:
            # links name the example's other cases, which a generated repository lacks
            text = roundtrip.remove_fields(text, ["related"])
        text = re.sub(
            rf"^(case|id): {re.escape(template.case_id)}$", rf"\1: {case_id}", text, flags=re.M
        )
        if pattern is not None:
            text = pattern.sub(lambda m: replacements[m.group(0)], text)
        out[rel] = text
    if template.plan_hash and "plan.yaml" in out:
        new_hash = content_hash(yamlio.loads(out["plan.yaml"], path="plan.yaml").data)
        out = {rel: text.replace(template.plan_hash, new_hash) for rel, text in out.items()}
    return out


def generate(target: Path, cases: int, *, seed: int = 1, examples: Path = EXAMPLES) -> int:
    """Write a case repository with ``cases`` cases to ``target``; returns the files written."""
    templates = load_templates(examples)
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "cases").mkdir(parents=True)
    (target / "services").mkdir()
    shutil.copy(templates[0].repo / "juhtum.yaml", target / "juhtum.yaml")
    for repo in dict.fromkeys(t.repo for t in templates):  # every template's catalogue
        for entry in sorted((repo / "services").glob("*.yaml")):
            shutil.copy(entry, target / "services" / entry.name)
    written = 0
    for n in range(cases):
        template = templates[n % len(templates)]
        case_id = f"bench-{n:06d}"
        for rel, text in make_case(template, case_id, rng, n).items():
            path = target / "cases" / case_id / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    return written


STEPS = (
    ("case.yaml", "need"),
    ("people/", "need"),
    ("need.yaml", "need"),
    ("assessment.yaml", "assessment"),
    ("planning.yaml", "planning"),
    ("plan.yaml", "plan"),
    ("meetings/", "implementation"),
    ("monitoring/", "implementation"),
    ("evaluations/", "evaluation"),
    ("handovers/", "implementation"),
    ("closing.yaml", "closed"),
    ("followups/", "closed"),
)
"""The order a case's documents come in, and the stage each is written in."""


def _step(rel: str) -> tuple[int, str]:
    for n, (prefix, stage) in enumerate(STEPS):
        if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix)):
            return n, stage
    return len(STEPS), "implementation"


def git_history(target: Path, *, years: int = 3) -> int:
    """Make ``target`` (a generated repository) a git repository whose history is long, as
    an organisation's is after years of work: one commit per document, in the order the
    work was done, the cases' steps interleaved over ``years``. Built with git fast-import
    (seconds, where a commit per document through git commit would take an hour at 10,000
    cases); the work tree stays as generated. Returns the number of commits."""
    import subprocess

    (target / ".gitignore").write_text(".juhtum/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    steps: list[list[tuple[str, str, list[str]]]] = []  # per case: (id, stage, files) in order
    for case in sorted(p for p in (target / "cases").iterdir() if p.is_dir()):
        files = sorted(
            (p.relative_to(case).as_posix() for p in case.rglob("*") if p.is_file()),
            key=lambda rel: (_step(rel), rel),
        )
        # the case is opened with its client and the people known then: one commit
        opened = [f for f in files if _step(f)[0] <= 1]
        ordered = [(case.name, "need", opened)] + [
            (case.name, _step(f)[1], [f]) for f in files if _step(f)[0] > 1
        ]
        steps.append(ordered)
    rounds = max(len(s) for s in steps)
    total = sum(len(s) for s in steps) + 1
    start = int(dt.datetime(2023, 11, 23, tzinfo=dt.UTC).timestamp())
    span = years * 365 * 86400
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=target, stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    out = proc.stdin
    serial = 0

    def commit(message: str, paths: list[str]) -> None:
        nonlocal serial
        when = start + span * serial // total
        serial += 1
        text = message.encode()
        out.write(
            b"commit refs/heads/main\n"
            b"committer Bench Coordinator <bench@example.org> %d +0200\n"
            b"data %d\n%s\n" % (when, len(text), text)
        )
        for rel in paths:
            data = (target / rel).read_bytes()
            out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (rel.encode(), len(data), data))

    services = sorted((target / "services").glob("*.yaml"))
    commit(
        "juhtum init: case repository\n",
        ["juhtum.yaml", ".gitignore", *(f"services/{p.name}" for p in services)],
    )
    for n in range(rounds):
        for case_steps in steps:
            if n < len(case_steps):
                case_id, stage, files = case_steps[n]
                commit(
                    f"{case_id}: {stage}\n\nCase: {case_id}\nStage: {stage}\n",
                    [f"cases/{case_id}/{f}" for f in files],
                )
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    # the index as git status expects it, for the files as they are
    subprocess.run(["git", "reset", "-q"], cwd=target, check=True)
    return serial


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--git", action="store_true", help="and a long git history: a commit per document"
    )
    args = parser.parse_args()
    files = generate(args.target, args.cases, seed=args.seed)
    print(f"{args.cases} cases, {files} files in {args.target}")
    if args.git:
        print(f"{git_history(args.target)} commits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
