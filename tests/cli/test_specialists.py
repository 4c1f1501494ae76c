"""The organisation's specialists (issue 11, item 3): registered once per repository by
``init`` and ``juhtum specialists --add``, named by any case; ``init`` without a git
identity; errors that print the command to run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from tests.conftest import ROOT, Run, git

Juhtum = Callable[..., Run]


def load(path: Path) -> object:
    return yamlio.load_file(path, path=path.name).data


def new_case(juhtum: Juhtum, repo: Path, *args: str) -> str:
    result = juhtum("new", "--client", "Mari Maasikas", *args, cwd=repo)
    assert result.code == 0, result.output
    return result.out.strip().splitlines()[-1]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def forget_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)


# -- init registers who runs it --------------------------------------------------------------


def test_init_registers_the_person_who_runs_it(repo: Path, juhtum: Juhtum) -> None:
    assert load(repo / "specialists" / "tc.yaml") == {
        "handle": "tc",
        "name": "Test Coordinator",
        "organisation": "Testi Vallavalitsus",
        "email": "coordinator@example.org",
    }
    assert git(repo, "status", "--porcelain") == ""
    messages = git(repo, "log", "--format=%B")
    assert "specialists: add tc" in messages
    assert "Test Coordinator" not in messages  # names never in commit messages
    listed = juhtum("specialists", cwd=repo)
    assert listed.code == 0, listed.output
    assert "tc: Test Coordinator (Testi Vallavalitsus, coordinator@example.org)" in listed.out


def test_init_takes_name_and_handle(tmp_path: Path, juhtum: Juhtum) -> None:
    root = tmp_path / "r"
    result = juhtum("init", root, "-o", "Vald", "--name", "Kadri Kask", "--handle", "kadri")
    assert result.code == 0, result.output
    assert "specialists/kadri.yaml" in result.out
    data = load(root / "specialists" / "kadri.yaml")
    assert isinstance(data, dict)
    assert data["name"] == "Kadri Kask"
    assert data["organisation"] == "Vald"


def test_init_refuses_a_bad_handle_and_leaves_nothing(tmp_path: Path, juhtum: Juhtum) -> None:
    root = tmp_path / "r"
    result = juhtum("init", root, "--handle", "Kadri Kask")
    assert result.code == 1
    assert not root.exists()


def test_init_without_a_git_identity_says_what_to_run_and_leaves_nothing(
    tmp_path: Path, juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch
) -> None:
    forget_identity(monkeypatch)
    root = tmp_path / "r"
    result = juhtum("init", root)
    assert result.code == 1
    assert 'git config --global user.name "Your Name"' in result.err
    assert "git config --global user.email you@example.org" in result.err
    assert f'juhtum init {root} --author "Your Name <you@example.org>"' in result.err
    assert not root.exists()

    estonian = juhtum("--lang", "et", "init", root)
    assert estonian.code == 1
    assert "git ei tea, kes te olete" in estonian.err
    assert 'git config --global user.name "Teie Nimi"' in estonian.err
    assert not root.exists()

    # an existing empty folder stays, and empty
    root.mkdir()
    assert juhtum("init", root).code == 1
    assert list(root.iterdir()) == []


def test_init_with_author_commits_as_them(
    tmp_path: Path, juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch
) -> None:
    forget_identity(monkeypatch)
    root = tmp_path / "r"
    result = juhtum("init", root, "-o", "Vald", "--author", "Peeter Pakk <peeter@vald.ee>")
    assert result.code == 0, result.output
    assert (
        git(root, "log", "--format=%an <%ae>").splitlines() == ["Peeter Pakk <peeter@vald.ee>"] * 2
    )
    assert git(root, "config", "--local", "user.email") == "peeter@vald.ee"
    assert load(root / "specialists" / "pp.yaml") == {
        "handle": "pp",
        "name": "Peeter Pakk",
        "organisation": "Vald",
        "email": "peeter@vald.ee",
    }
    # later commands commit as them too, and know them as the coordinator
    case_id = new_case(juhtum, root)
    assert load(root / "cases" / case_id / "case.yaml")["coordinator"] == "pp"  # type: ignore[index]


def test_init_refuses_a_malformed_author(tmp_path: Path, juhtum: Juhtum) -> None:
    result = juhtum("init", tmp_path / "r", "--author", "just a name")
    assert result.code == 2
    assert '--author "Your Name <you@example.org>"' in result.err
    assert not (tmp_path / "r").exists()


# -- a new case's coordinator --------------------------------------------------------------------


def test_a_new_case_is_coordinated_by_who_opens_it(
    repo: Path, juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = new_case(juhtum, repo)  # git's user.email is tc's
    assert load(repo / "cases" / case_id / "case.yaml")["coordinator"] == "tc"  # type: ignore[index]

    assert juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo).code == 0
    monkeypatch.setenv("JUHTUM_ME", "mt")
    case_id = new_case(juhtum, repo)
    assert load(repo / "cases" / case_id / "case.yaml")["coordinator"] == "mt"  # type: ignore[index]
    shown = juhtum("show", case_id, cwd=repo)
    assert "Coordinator: mt (Mari Tamm)" in shown.out, shown.output  # named from specialists/

    monkeypatch.delenv("JUHTUM_ME")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "stranger@example.org")
    case_id = new_case(juhtum, repo)
    assert load(repo / "cases" / case_id / "case.yaml")["coordinator"] is None  # type: ignore[index]


def test_the_need_template_names_the_coordinator_and_the_assignment_moves_it(
    repo: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    assert juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo).code == 0
    case_id = new_case(juhtum, repo)
    need = write(
        tmp_path,
        "need.yaml",
        "specialist: tc\ncoordinator_assignment:\n  who: mt\n  date: 2026-11-20\n",
    )
    result = juhtum("need", case_id, "--file", need, cwd=repo)
    assert result.code == 0, result.output
    case = load(repo / "cases" / case_id / "case.yaml")
    assert case["coordinator"] == "mt"  # type: ignore[index]
    assert juhtum("validate", cwd=repo).code == 0


# -- registering and naming specialists --------------------------------------------------------


def test_specialists_add_registers_once_for_every_case(
    repo: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    result = juhtum(
        "specialists", "--add", "mt", "--name", "Mari Tamm", "--role", "sotsiaaltöötaja",
        "--email", "mari@vald.ee", "--phone", "+372 555 5555", cwd=repo,
    )  # fmt: skip
    assert result.code == 0, result.output
    assert load(repo / "specialists" / "mt.yaml") == {
        "handle": "mt",
        "name": "Mari Tamm",
        "organisation": "Testi Vallavalitsus",
        "role": "sotsiaaltöötaja",
        "email": "mari@vald.ee",
        "phone": "+372 555 5555",
    }
    assert git(repo, "log", "-1", "--format=%s") == "specialists: add mt"
    again = juhtum("specialists", "--add", "mt", "--name", "Mari Teine", cwd=repo)
    assert again.code == 1
    assert "mt is registered as a specialist already" in again.err

    # two cases name mt without registering her in either
    need = write(tmp_path, "need.yaml", "specialist: mt\n")
    for _ in range(2):
        case_id = new_case(juhtum, repo)
        written = juhtum("need", case_id, "--file", need, cwd=repo)
        assert written.code == 0, written.output
        assert not (repo / "cases" / case_id / "people" / "mt.yaml").exists()
    checked = juhtum("validate", "--format", "json", cwd=repo)
    assert checked.code == 0, checked.output
    assert "I17" not in checked.out


def test_an_unregistered_handle_prints_the_commands_to_register_it(
    repo: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    case_id = new_case(juhtum, repo)
    need = write(tmp_path, "need.yaml", "specialist: kadri\n")
    result = juhtum("need", case_id, "--file", need, cwd=repo)
    assert result.code == 1
    assert f'juhtum people {case_id} --add kadri --name "NAME" --role ROLE' in result.err
    assert 'juhtum specialists --add kadri --name "NAME"' in result.err

    assert juhtum("specialists", "--add", "kadri", "--name", "Kadri Kask", cwd=repo).code == 0
    assert juhtum("need", case_id, "--file", need, cwd=repo).code == 0


def test_validation_resolves_specialists_and_notices_one_removed(
    repo: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    assert juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo).code == 0
    case_id = new_case(juhtum, repo)
    assert (
        juhtum(
            "need", case_id, "--file", write(tmp_path, "n.yaml", "specialist: mt\n"), cwd=repo
        ).code
        == 0
    )
    assert juhtum("validate", cwd=repo).code == 0  # fills the cache
    (repo / "specialists" / "mt.yaml").unlink()
    result = juhtum("validate", cwd=repo)  # the cache must not vouch for the old verdict
    assert result.code == 1
    assert "[I17] specialist: mt is nobody in this case" in result.out


def test_validate_checks_the_specialists_files(repo: Path, juhtum: Juhtum) -> None:
    (repo / "specialists" / "xy.yaml").write_text(
        "handle: yx\nname: X Y\norganisation: O\nemail: not-an-address\n", encoding="utf-8"
    )
    (repo / "specialists" / "Bad Name.yaml").write_text("handle: b\n", encoding="utf-8")
    result = juhtum("validate", "--format", "json", cwd=repo)
    assert result.code == 1
    assert "specialists/xy.yaml" in result.out
    assert "the handle yx does not match the file's name xy" in result.out
    assert "specialists/Bad Name.yaml" in result.out


def test_a_specialist_signs_as_coordinator_of_the_cases_they_coordinated() -> None:
    from juhtum.model.case import Case, Doc
    from juhtum.workflow.signing import specialist_roles

    handover = Doc("handover", "x", "handovers/a.yaml", {"from": "tc", "to": "mt"})
    case = Case("c", "cases/c", [handover])
    assert specialist_roles(case, "mt") == ["coordinator"]
    assert specialist_roles(case, "zz") == ["specialist"]


def test_specialists_usage_errors(repo: Path, juhtum: Juhtum) -> None:
    assert juhtum("specialists", "--name", "X", cwd=repo).code == 2
    missing = juhtum("specialists", "--add", "mt", cwd=repo)
    assert missing.code == 2
    assert 'juhtum specialists --add mt --name "NAME"' in missing.err
    bad = juhtum("specialists", "--add", "mt", "--name", "M", "--email", "nope", cwd=repo)
    assert bad.code == 1
    assert "email" in bad.err
    assert not (repo / "specialists" / "mt.yaml").exists()
    listed = juhtum("specialists", "--json", cwd=repo)
    assert [r["handle"] for r in json.loads(listed.out)] == ["tc"]


# -- errors that need another command print it ---------------------------------------------------


def test_a_stage_out_of_order_names_the_next_command(
    repo: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    case_id = new_case(juhtum, repo)
    result = juhtum(
        "measures", case_id, "--file", write(tmp_path, "p.yaml", "measures: []\n"), cwd=repo
    )
    assert result.code == 1
    assert f"The next step: juhtum assess {case_id}" in result.err
    unsigned = juhtum("sign", case_id, "--party", "client", cwd=repo)
    assert unsigned.code == 1
    assert f"write it with juhtum plan {case_id}" in unsigned.err


def test_an_uncommitted_change_names_the_git_commands(repo: Path, juhtum: Juhtum) -> None:
    case_id = new_case(juhtum, repo)
    with (repo / "cases" / case_id / "people" / "client.yaml").open("a", encoding="utf-8") as f:
        f.write("# a note\n")
    result = juhtum(
        "people", case_id, "--add", "ema", "--name", "Ema", "--role", "network", cwd=repo
    )
    assert result.code == 1
    expected = (
        f"cd {repo} && git add cases/{case_id}/people/client.yaml && "
        f'git commit -m "{case_id}: changes made by hand"'
    )
    assert expected in result.err


def test_new_takes_a_coordinator_or_none(repo: Path, juhtum: Juhtum) -> None:
    case_id = new_case(juhtum, repo, "--coordinator", "-")
    assert load(repo / "cases" / case_id / "case.yaml")["coordinator"] is None  # type: ignore[index]
    assert juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo).code == 0
    case_id = new_case(juhtum, repo, "--coordinator", "mt")
    assert load(repo / "cases" / case_id / "case.yaml")["coordinator"] == "mt"  # type: ignore[index]
    unknown = juhtum("new", "--client", "X", "--coordinator", "zz", cwd=repo)
    assert unknown.code == 1
    assert 'juhtum specialists --add zz --name "NAME"' in unknown.err


def test_a_case_is_handed_over_to_a_registered_specialist(tmp_path: Path, juhtum: Juhtum) -> None:
    from tests.cli import casebuild

    repo = casebuild.build(tmp_path / "repo", upto="implementation")
    assert juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo).code == 0
    handover = write(
        tmp_path,
        "handover.yaml",
        (ROOT / "tests" / "cli" / "flows" / "handover.yaml")
        .read_text(encoding="utf-8")
        .replace("to: kk2", "to: mt"),
    )
    result = juhtum(
        "--today", "2026-03-16", "handover", casebuild.CASE, "--to", "mt", "--file", handover,
        cwd=repo,
    )  # fmt: skip
    assert result.code == 0, result.output
    folder = repo / "cases" / casebuild.CASE
    assert not (folder / "people" / "mt.yaml").exists()  # no registration per case
    assert load(folder / "case.yaml")["coordinator"] == "mt"  # type: ignore[index]
    checked = juhtum("--today", "2026-03-16", "validate", cwd=repo)
    assert checked.code == 0, checked.output
