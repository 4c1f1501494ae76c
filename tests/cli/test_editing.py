"""Mending and editing documents without a terminal: ``edit`` on a document that does not
parse (issue 9 item 5), errors that name the file the person gave, its lines and the
document's own ids (issue 11 item 4), and one whole-case check per write (issue 9 item 6)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.check import case_problems
from juhtum.documents import reopen, templates
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="plan")


def _break(repo: Path, name: str, text: str) -> str:
    """Write ``text`` over a case document and commit it (as a bad merge would); returns the
    document as it was."""
    path = repo / "cases" / CASE / name
    before = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "broken"], cwd=repo, check=True)
    return before


@pytest.mark.parametrize("document", ["need", None])
def test_edit_mends_a_document_that_does_not_parse(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run], document: str | None
) -> None:
    name = "need.yaml" if document else "plan.yaml"  # without an argument: the stage's document
    good = _break(planned, name, "case: tw-1\nnotes: [unclosed\n")
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(good, encoding="utf-8")
    args = ["--repo", planned, "--today", "2026-02-04", "edit", CASE]
    run = juhtum(*args, *([document] if document else []), "-f", fixed)
    assert run.code == 0, run.output
    assert (planned / "cases" / CASE / name).read_text(encoding="utf-8") == good
    assert f"edit {name}" in git(planned, "log", "-1", "--format=%s")


def test_edit_mends_a_case_yaml_that_does_not_parse(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    good = _break(planned, "case.yaml", "stage: plan\n  framework: [adult\n")
    fixed = tmp_path / "case.yaml"
    fixed.write_text(good, encoding="utf-8")
    run = juhtum("--repo", planned, "--today", "2026-02-04", "edit", CASE, "case", "-f", fixed)
    assert run.code == 0, run.output
    assert (planned / "cases" / CASE / "case.yaml").read_text(encoding="utf-8") == good
    # mending it does not change the state: it stays what juhtum last recorded
    _break(planned, "case.yaml", "stage: [closed\n")
    for stage in ("closed", "need"):
        moved = tmp_path / f"{stage}.yaml"
        moved.write_text(good.replace("stage: plan", f"stage: {stage}"), encoding="utf-8")
        args = ["--repo", planned, "--today", "2026-02-04", "edit", CASE, "case", "-f", moved]
        run = juhtum(*args)
        assert run.code == 1
        assert "the state changes only through the stage commands" in run.err


def _plan_with_help(tmp_path: Path, *, deadline: str) -> tuple[Path, str]:
    """The twin's plan with the template's help lines above it, A2's deadline replaced."""
    work = tmp_path / "docs"
    work.mkdir(exist_ok=True)
    plan = casebuild.plan_version_1(work)
    text = plan.read_text(encoding="utf-8")
    a2 = "    deadline: 2026-04-30\n    frequency:"
    assert a2 in text
    text = text.replace(a2, f"    deadline: {deadline}\n    frequency:")
    helped = templates.template("plan").split("\n\n")[0] + "\n" + text
    plan.write_text(helped, encoding="utf-8")
    return plan, helped


def test_file_errors_name_the_file_its_lines_and_the_ids(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    plan, text = _plan_with_help(tmp_path, deadline="2026-01-15")  # before its start
    run = juhtum("--repo", planned, "--today", "2026-02-04", "plan", CASE, "-f", plan)
    assert run.code == 1, run.output
    line = text.split("\n").index("    deadline: 2026-01-15") + 1
    assert f"{plan}:{line}: [I4]" in run.err, run.err
    assert "a2" in run.err and "actions[1]" not in run.err
    assert "cases/tw-1/plan.yaml" not in run.err  # the person edited their file, not that one


def test_a_bad_date_is_one_error_named_by_its_id(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    plan, text = _plan_with_help(tmp_path, deadline="2026-02-30")
    run = juhtum("--repo", planned, "--today", "2026-02-04", "plan", CASE, "-f", plan)
    assert run.code == 1, run.output
    said = [ln for ln in run.err.splitlines() if "not a real date" in ln]
    assert len(said) == 1, run.err
    line = text.split("\n").index("    deadline: 2026-02-30") + 1
    assert f"{plan}:{line}: [I14] a2.deadline is not a real date" in said[0]


def test_validate_names_list_items_by_their_ids(planned: Path, juhtum: Callable[..., Run]) -> None:
    path = planned / "cases" / CASE / "plan.yaml"
    a2 = "    deadline: 2026-04-30\n    frequency:"
    path.write_text(path.read_text().replace(a2, "    deadline: 2026-01-15\n    frequency:"))
    run = juhtum("--repo", planned, "--today", "2026-02-04", "validate", "--no-cache")
    assert run.code == 1
    assert "a2.deadline" in run.out and "actions[1]" not in run.out


def test_one_whole_case_check_per_write(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that brings no error checks the case once: its proposal (issue 9: four times)."""
    checks: list[str] = []
    original = case_problems.check_files

    def counted(*args: object, **kwargs: object) -> object:
        checks.append("check")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(case_problems, "check_files", counted)
    run = juhtum(
        "--repo", planned, "--today", "2026-02-04", "people", CASE, "--add", "np",
        "--name", "Nora Puu", "--role", "network",
    )  # fmt: skip
    assert run.code == 0, run.output
    assert checks == ["check"]
    # a refused write also checks the case as it was, to tell its new errors from the old
    checks.clear()
    plan, _text = _plan_with_help(tmp_path, deadline="2026-01-15")
    run = juhtum("--repo", planned, "--today", "2026-02-04", "plan", CASE, "-f", plan)
    assert run.code == 1
    assert checks == ["check", "check"]


def test_status_lists_the_drafts_waiting_and_those_an_earlier_juhtum_left(
    planned: Path, juhtum: Callable[..., Run]
) -> None:
    edit = planned / ".juhtum" / "edit"
    (edit / CASE).mkdir(parents=True)
    (edit / CASE / "edit~people~kk.yaml").write_text("name: Kaja Kuusk\n")
    (edit / f"{CASE}-monitoring-2026-02-04-x1y2.yaml").write_text("progress: Liina on rahul.\n")
    (edit / f"{CASE}-need.yaml").write_text("#: only help\nspecialist:\n")  # nothing typed
    run = juhtum("--repo", planned, "--today", "2026-02-04", "status", CASE)
    assert run.code == 0, run.output
    assert f"juhtum edit {CASE} people/kk.yaml --resume" in run.out
    assert f".juhtum/edit/{CASE}-monitoring-2026-02-04-x1y2.yaml" in run.out
    assert f"{CASE}-need.yaml" not in run.out
    data = juhtum("--repo", planned, "--today", "2026-02-04", "status", CASE, "--json")
    assert len(json.loads(data.out)["drafts"]) == 2


def test_an_empty_file_is_called_empty(
    planned: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    empty = tmp_path / "plan.yaml"
    empty.write_text("\n  \n", encoding="utf-8")
    head = git(planned, "rev-parse", "HEAD")
    run = juhtum("--repo", planned, "--today", "2026-02-04", "plan", CASE, "-f", empty)
    assert run.code == 1, run.output
    assert f"{empty} is empty: nothing to save" in run.err
    assert git(planned, "rev-parse", "HEAD") == head


def test_a_typed_document_is_parsed_once_and_written_once(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text of one ``need`` save becomes one round-trip document, pruned of its empty fields
    and completed, and is written once (issue 10 item 4: it was parsed five times and dumped
    twice). The strict reader reads the typed text once (its errors name the lines typed) and
    the case check reads the stored bytes once (what is written is what was checked)."""
    import io

    from ruamel.yaml import YAML

    from juhtum.documents import yamlio

    r = ["--repo", str(repo), "--today", "2026-01-12"]
    assert juhtum(*r, "new", "--client", "Liina Kõrvits", "--id", "p-1").code == 0
    for handle, name, role in (
        ("kk", "Kaja Kuusk", "coordinator"),
        ("tk", "Töötukassa", "provider"),
    ):
        add = juhtum(*r, "people", "p-1", "--add", handle, "--name", name, "--role", role)
        assert add.code == 0, add.output
    flows = Path(__file__).parent / "flows"
    need = (flows / "need.yaml").read_text(encoding="utf-8")
    assert "case:" not in need  # filled in on saving
    typed = "# typed by hand\n" + reopen.restored("need", need)  # as the editor shows it
    assert "#:" in typed and "\ncase:\n" in typed and "\n  legal_basis:\n" in typed
    path = tmp_path / "need-typed.yaml"
    path.write_text(typed, encoding="utf-8")

    strict: list[str] = []
    round_trip: list[str] = []
    dumped: list[str] = []
    loads, load, dump = yamlio.loads, YAML.load, YAML.dump

    def counted_loads(source: str | bytes, *, path: str, lines: bool = False) -> yamlio.Loaded:
        if path.endswith("need.yaml"):
            strict.append(path)
        return loads(source, path=path, lines=lines)

    def counted_load(self: YAML, stream: object) -> object:
        if isinstance(stream, str) and "# typed by hand" in stream:
            round_trip.append("load")
        return load(self, stream)

    def counted_dump(self: YAML, data: object, stream: io.StringIO) -> None:
        dump(self, data, stream)
        if "# typed by hand" in stream.getvalue():
            dumped.append("dump")

    monkeypatch.setattr(yamlio, "loads", counted_loads)
    monkeypatch.setattr(YAML, "load", counted_load)
    monkeypatch.setattr(YAML, "dump", counted_dump)
    saved = juhtum(*r, "need", "p-1", "--file", path)
    assert saved.code == 0, saved.output
    assert round_trip == ["load"] and dumped == ["dump"]
    assert len(strict) == 2  # the typed text (errors by line), the stored bytes (the case check)
    stored = (repo / "cases" / "p-1" / "need.yaml").read_text(encoding="utf-8")
    assert stored.startswith("# typed by hand\n") and "#:" not in stored
    assert "legal_basis:" not in stored and "case: p-1" in stored
    assert yamlio.loads(stored, path="x").data == {"case": "p-1", **loads(need, path="x").data}
