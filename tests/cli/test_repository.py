"""juhtum init, new, list and show, end to end on real git repositories."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import schemas, yamlio
from tests.conftest import TODAY, Run, git


def test_init_makes_a_repository_with_schemas_and_safe_git(repo: Path) -> None:
    config = yamlio.load_file(repo / "juhtum.yaml", path="juhtum.yaml").data
    assert config["organisation"]["name"] == "Testi Vallavalitsus"
    assert config["id_prefix"] == "test"
    assert (repo / "cases").is_dir()
    copies = repo / ".juhtum" / "schemas"
    assert sorted(p.name for p in copies.glob("*.schema.json")) == schemas.names()
    assert git(repo, "config", "--local", "core.fsync").strip() == "committed"
    assert git(repo, "config", "--local", "transfer.fsckObjects").strip() == "true"
    assert git(repo, "config", "--local", "fetch.writeCommitGraph").strip() == "true"
    graphs = repo / ".git" / "objects" / "info" / "commit-graphs"
    assert any(b"BIDX" in g.read_bytes() for g in graphs.glob("*.graph"))  # path filters
    assert git(repo, "status", "--porcelain").strip() == ""
    assert "juhtum.yaml" in git(repo, "ls-files")


def test_init_refuses_an_existing_repository(repo: Path, juhtum: Callable[..., Run]) -> None:
    result = juhtum("init", repo)
    assert result.code == 1
    assert "already" in result.err


def test_init_without_git(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    result = juhtum("init", tmp_path / "plain", "--no-git")
    assert result.code == 0, result.output
    assert not (tmp_path / "plain" / ".git").exists()
    assert juhtum("--repo", tmp_path / "plain", "new", "--client", "Mari Maasikas").code == 0


def test_new_opens_a_case_and_commits_without_the_name(
    repo: Path, juhtum: Callable[..., Run]
) -> None:
    result = juhtum("new", "--client", "Mari Maasikas", cwd=repo)
    assert result.code == 0, result.output
    case_id = result.out.strip().splitlines()[-1]
    assert case_id.startswith("test-")
    case = yamlio.load_file(repo / "cases" / case_id / "case.yaml", path="x").data
    assert case == {
        "id": case_id,
        "stage": "need",
        "opened": TODAY,
        "framework": "adult",
        "client": "client",
        "representatives": [],
        "coordinator": "tc",  # init registered the test identity as specialist tc
    }
    client = yamlio.load_file(repo / "cases" / case_id / "people" / "client.yaml", path="x").data
    assert client == {"case": case_id, "name": "Mari Maasikas", "roles": ["client"]}
    log = git(repo, "log", "-1", "--format=%B")
    assert f"Case: {case_id}" in log and "Stage: need" in log
    assert "Mari" not in git(repo, "log", "--format=%B%n%an")
    assert git(repo, "status", "--porcelain").strip() == ""


def test_new_with_json_and_a_chosen_id(repo: Path, juhtum: Callable[..., Run]) -> None:
    result = juhtum(
        "new", "--client", "Jaan Tamm", "--framework", "child", "--id", "k-1", "--json", cwd=repo
    )
    assert result.code == 0, result.output
    assert json.loads(result.out) == {"id": "k-1"}
    again = juhtum("new", "--client", "Jaan Tamm", "--id", "k-1", cwd=repo)
    assert again.code == 1
    assert "exists already" in again.err


def test_new_refuses_a_bad_id_before_touching_files(repo: Path, juhtum: Callable[..., Run]) -> None:
    for bad in ("../../etc", "/etc", "abc ", "a\x00b"):
        result = juhtum("new", "--client", "X", "--id", bad, cwd=repo)
        assert result.code == 1, bad
        assert "not a case id" in result.err
    assert sorted(p.name for p in (repo / "cases").iterdir()) == [".gitkeep"]


def test_list_and_show(repo: Path, juhtum: Callable[..., Run]) -> None:
    juhtum("new", "--client", "Mari Maasikas", "--id", "a-1", cwd=repo)
    juhtum("new", "--client", "Jaan Tamm", "--id", "b-2", "--framework", "child", cwd=repo)
    listed = juhtum("list", "--json", cwd=repo)
    rows = json.loads(listed.out)
    assert [(r["id"], r["stage"], r["framework"]) for r in rows] == [
        ("a-1", "need", "adult"),
        ("b-2", "need", "child"),
    ]
    assert json.loads(juhtum("list", "--stage", "closed", "--json", cwd=repo).out) == []
    text = juhtum("list", cwd=repo).out
    assert "a-1" in text and "b-2" in text
    shown = juhtum("show", "a-1", cwd=repo)
    assert shown.code == 0, shown.output
    assert "Mari Maasikas" in shown.out and "need" in shown.out
    data = json.loads(juhtum("show", "a-1", "--json", cwd=repo).out)
    assert data["people"]["client"]["roles"] == ["client"]
    assert data["checks"]["errors"] == 0
    missing = juhtum("show", "zz-9", cwd=repo)
    assert missing.code == 1 and "no case zz-9" in missing.err


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    result = juhtum("validate", cwd=tmp_path)
    assert result.code == 2
    assert "no case repository here" in result.err
    assert "Traceback" not in result.output


def test_repo_option_and_environment(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = juhtum("new", "--client", "Mari Maasikas", cwd=repo).out.strip().splitlines()[-1]
    other = tmp_path / "other"
    assert juhtum("init", other, "--organisation", "Teine Vald", "--id-prefix", "teine").code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def listed(*args: str | Path) -> list[str]:
        run = juhtum(*args, "list", "--json", cwd=elsewhere)
        assert run.code == 0, run.output
        return [c["id"] for c in json.loads(run.out)]

    assert listed("--repo", repo) == [case_id]
    assert juhtum("--repo", tmp_path, "list", cwd=elsewhere).code == 2
    assert juhtum("list", cwd=elsewhere).code == 2  # none here, none named
    # JUHTUM_REPO names the repository when --repo does not, from wherever the command runs
    monkeypatch.setenv("JUHTUM_REPO", str(repo))
    assert listed() == [case_id]
    assert listed("--repo", other) == []  # --repo wins over the environment
    # and it wins over the repository around the current folder
    run = juhtum("list", "--json", cwd=other)
    assert [c["id"] for c in json.loads(run.out)] == [case_id]
    monkeypatch.setenv("JUHTUM_REPO", str(elsewhere))
    wrong = juhtum("list", cwd=repo)
    assert wrong.code == 2 and "elsewhere is not a case repository" in wrong.err, wrong.output


def test_without_today_the_date_is_the_real_one(
    repo: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every other test fixes the date (JUHTUM_TODAY); here the clock gives it."""
    monkeypatch.delenv("JUHTUM_TODAY")
    before = dt.date.today()
    result = juhtum("new", "--client", "Mari Maasikas", cwd=repo)
    after = dt.date.today()
    assert result.code == 0, result.output
    case_id = result.out.strip().splitlines()[-1]
    case = yamlio.load_file(repo / "cases" / case_id / "case.yaml", path="x").data
    assert case["opened"] in {before.isoformat(), after.isoformat()}
    assert case["opened"] != TODAY  # the fixed date of the other tests is not today's
    committed = git(repo, "log", "-1", "--format=%cs")
    assert committed in {before.isoformat(), after.isoformat()}


def test_bad_today_is_a_usage_error(repo: Path, juhtum: Callable[..., Run]) -> None:
    result = juhtum("--today", "2026-02-30", "list", cwd=repo)
    assert result.code == 2
    assert "not a date" in result.err
