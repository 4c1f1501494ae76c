"""The invalid fixtures: each a valid twin plus one edit, yielding exactly one error of its rule.

Also: no output format, in either language, ever shows a fixture's sensitive value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from juhtum.documents import schemas, yamlio
from juhtum.model.documents import kind_in_case
from tests.cases import build
from tests.conftest import Run, copy_fixture

CASES = Path(__file__).resolve().parents[1] / "cases"
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def errors(run: Run) -> list[dict[str, object]]:
    return [p for p in json.loads(run.out)["problems"] if p["severity"] == "error"]


@pytest.mark.parametrize("repo", VALID, ids=lambda p: p.name)
def test_valid_fixtures_pass(repo: Path, tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    repo = copy_fixture(repo, tmp_path)
    run = juhtum("--repo", repo, "validate", "--legal", "--format", "json")
    assert run.code == 0, run.out
    assert errors(run) == []


def test_there_is_an_invalid_fixture_for_every_invariant() -> None:
    assert {p.name for p in INVALID} == {f"I{n}" for n in range(1, 18)}


@pytest.mark.parametrize("repo", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_yields_exactly_one_error_of_its_rule(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(repo, tmp_path)
    run = juhtum("--repo", repo, "validate", "--legal", "--format", "json")
    assert run.code == 1
    found = errors(run)
    assert [p["rule"] for p in found] == [repo.name], found
    assert found[0]["line"], "every problem names its line"


def test_fixtures_are_what_the_build_script_makes(tmp_path: Path) -> None:
    build.build(tmp_path)
    for rule in build.EDITS:
        made = {
            p.relative_to(tmp_path / rule): p.read_bytes()
            for p in (tmp_path / rule).rglob("*")
            if p.is_file() and ".juhtum" not in p.parts
        }
        committed = {
            p.relative_to(CASES / "invalid" / rule): p.read_bytes()
            for p in (CASES / "invalid" / rule).rglob("*")
            if p.is_file() and ".juhtum" not in p.parts
        }
        assert made == committed, f"run: python tests/cases/build.py ({rule} differs)"


def sensitive_values(repo: Path) -> Iterator[str]:
    """Every value of an x-sensitive field in the repository's case documents."""
    for path in sorted((repo / "cases").rglob("*.yaml")):
        case_dir = path.relative_to(repo / "cases").parts
        kind = kind_in_case(case_dir[1:])
        if kind is None:
            continue
        data = yamlio.load_file(path, path=str(path)).data
        for pattern in schemas.field_index(kind).sensitive:
            for _, value in schemas.values_at(data, pattern):
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if isinstance(v, str) and len(v) >= 5:
                        yield v


@pytest.mark.parametrize("repo", INVALID + VALID, ids=lambda p: p.name)
def test_no_output_shows_a_sensitive_value(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(repo, tmp_path)
    secrets = set(sensitive_values(repo))
    assert len(secrets) > 20
    for lang in ("en", "et"):
        for output in ("text", "json", "github"):
            run = juhtum(
                "--lang", lang, "--repo", repo, "validate", "--legal", "--todo", "--format", output
            )
            shown = [s for s in secrets if s in run.output]
            assert shown == [], (lang, output)
        run = juhtum("--lang", lang, "--repo", repo, "show", "twin-a1")
        # show is the coordinator's own view of one case: people's names and organisations
        # appear there, free text never does
        people = [
            yamlio.load_file(p, path="x").data
            for p in (repo / "cases" / "twin-a1" / "people").glob("*.yaml")
        ]
        shown_on_purpose = " ".join(
            str(d.get(k, "")) for d in people for k in ("name", "organisation")
        )
        assert [s for s in secrets if s in run.output and s not in shown_on_purpose] == []
