"""One typo never blinds the team (issue 8, item 5; issue 11, item 4): a broken document,
built in a real git repository and cloned, makes no command crash, is reported as broken by
every command that needs it (never as absent), and the other cases are still shown.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE
OTHER = "tw-2"
TWIN_MONITORING = casebuild.TWIN_CASE / "monitoring" / "2026-02-20-a1b2.yaml"

COMMANDS: list[tuple[str, ...]] = [
    ("validate",),
    ("validate", "--no-cache", "--format", "json"),
    ("show", CASE),
    ("show", CASE, "--json"),
    ("status", CASE),
    ("people", CASE),
    ("history", CASE),
    ("list",),
    ("list", "--overdue"),
    ("due", "--within", "1000d"),
    ("due", "--json"),
    ("report",),
    ("report", "--format", "csv"),
    ("report", "--format", "html"),
    ("export", CASE),
    ("export", CASE, "--format", "html"),
    ("export", CASE, "--format", "ics"),
]


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Case tw-1 in implementation, and its twin tw-2: a broken tw-1 must not hide tw-2."""
    root = casebuild.build(tmp_path_factory.mktemp("broken") / "origin", upto="implementation")
    source, twin = root / "cases" / CASE, root / "cases" / OTHER
    shutil.copytree(source, twin)
    for path in twin.rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(CASE, OTHER), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", f"twin\n\nCase: {OTHER}")
    return root


def broken_clone(origin: Path, tmp_path: Path, change: Callable[[Path], None]) -> Path:
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
    change(work / "cases" / CASE)
    git(work, "add", "-A")
    git(work, "commit", "-qm", f"a colleague's typo\n\nCase: {CASE}")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(work), str(clone)], check=True)
    return clone


def edit(path: Path, change: Callable[[Any], None]) -> None:
    data = yamlio.load_file(path, path=path.name).data
    change(data)
    path.write_text(yamlio.dumps(data), encoding="utf-8")


def review_on_a_day_that_is_not(case: Path) -> None:
    edit(case / "plan.yaml", lambda d: d["reviews"][0].update(date="2026-11-31"))


def monitoring_on_a_day_that_is_not(case: Path) -> None:
    text = TWIN_MONITORING.read_text(encoding="utf-8").replace("twin-a1", CASE)
    (case / "monitoring").mkdir(exist_ok=True)
    (case / "monitoring" / "2026-11-30-x1x1.yaml").write_text(
        text.replace("date: 2026-02-20", "date: 2026-11-31"), encoding="utf-8"
    )


def version_as_a_list(case: Path) -> None:
    edit(case / "plan.yaml", lambda d: d.update(version=[1]))


def list_where_an_id_belongs(case: Path) -> None:
    edit(case / "plan.yaml", lambda d: d["actions"][0].update(id=["a1"]))


def list_as_a_signatures_party(case: Path) -> None:
    edit(case / "plan.yaml", lambda d: d["signatures"][0].update(party=["client"]))


def birth_date_the_estonian_way(case: Path) -> None:
    edit(case / "people" / "client.yaml", lambda d: d.update(birth_date="21.05.1979"))


def consent_scope_invisible(case: Path) -> None:
    edit(case / "need.yaml", lambda d: d["initial_info"]["consent"].update(scope="\u200b"))


def plan_with_a_yaml_error(case: Path) -> None:
    plan = case / "plan.yaml"
    plan.write_text("purpose: a: b: c\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")


BREAKS = {
    f.__name__: f
    for f in (
        review_on_a_day_that_is_not,
        monitoring_on_a_day_that_is_not,
        version_as_a_list,
        list_where_an_id_belongs,
        list_as_a_signatures_party,
        birth_date_the_estonian_way,
        consent_scope_invisible,
        plan_with_a_yaml_error,
    )
}

EXPECTED = {
    "review_on_a_day_that_is_not": "reviews[1].date is not a real date",
    "monitoring_on_a_day_that_is_not": "date is not a real date",
    "version_as_a_list": "version must be a whole number",
    "list_where_an_id_belongs": "actions[1].id must be text",
    "list_as_a_signatures_party": "signatures[1].party must be text",
    "birth_date_the_estonian_way": "birth_date is not a real date",
    "consent_scope_invisible": "scope holds the character U+200B",
    "plan_with_a_yaml_error": "YAML syntax error",
}


def check(run: Run, command: tuple[str, ...]) -> None:
    assert run.code in (0, 1), (command, run.output)
    assert "Traceback" not in run.output, (command, run.output)
    assert "unexpected error" not in run.output, (command, run.output)


@pytest.mark.parametrize("breaking", sorted(BREAKS))
def test_no_command_crashes_and_validate_reports_it(
    origin: Path, tmp_path: Path, juhtum: Callable[..., Run], breaking: str
) -> None:
    clone = broken_clone(origin, tmp_path, BREAKS[breaking])
    for command in COMMANDS:
        check(juhtum(*command, cwd=clone), command)
    key = tmp_path / "pseudonym.key"
    check(juhtum("export", CASE, "--pseudonymise", "--key-file", key, cwd=clone), ("export",))
    validate = juhtum("validate", "--no-cache", cwd=clone)
    assert validate.code == 1, validate.output
    assert EXPECTED[breaking] in validate.out, validate.out
    # the other case is still there for every command that reads many
    assert OTHER in juhtum("list", cwd=clone).out
    assert OTHER in juhtum("due", "--within", "1000d", cwd=clone).out


def test_a_plan_that_cannot_be_read_is_broken_never_absent(
    origin: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    clone = broken_clone(origin, tmp_path, plan_with_a_yaml_error)
    plan = f"cases/{CASE}/plan.yaml"
    export = juhtum("export", CASE, cwd=clone)
    assert export.code == 1
    assert f"{plan}:1:" in export.err and "YAML syntax error" in export.err
    assert "no plan" not in export.output
    due = juhtum("due", "--within", "1000d", cwd=clone).out
    assert f"{CASE}" in due and "plan.yaml cannot be read (line 1)" in due
    assert OTHER in due
    show = juhtum("show", CASE, cwd=clone).out
    assert "Cannot be read: plan.yaml, line 1" in show
    listed = juhtum("list", "--overdue", cwd=clone).out
    assert f"{plan} cannot be read" in listed
    report = juhtum("report", cwd=clone).out
    assert "1 case has a document that cannot be read" in report
    status = juhtum("status", CASE, cwd=clone).out
    assert "YAML syntax error" in status and "write plan.yaml" not in status
    todo = juhtum("validate", "--todo", cwd=clone).out
    assert "write plan.yaml" not in todo and "plan.yaml is missing" not in todo


def test_impossible_dates_do_not_hide_the_other_dates(
    origin: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    clone = broken_clone(origin, tmp_path, review_on_a_day_that_is_not)
    due = juhtum("due", "--within", "1000d", cwd=clone)
    assert due.code == 0
    assert f"{CASE}" in due.out and OTHER in due.out
    overdue = juhtum("list", "--overdue", cwd=clone)
    assert overdue.code == 0 and CASE in overdue.out
