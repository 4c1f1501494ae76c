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

from juhtum import yamlio
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.target, args.cases, seed=args.seed)
    print(f"{args.cases} cases, {files} files in {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
