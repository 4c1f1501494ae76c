"""My cases and my people (issue 11, item 5): ``list --mine``, ``due --mine``, the person's
name beside the case id on a terminal only, and ``juhtum find``."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import casebuild
from tests.conftest import Run

Juhtum = Callable[..., Run]


def new_case(juhtum: Juhtum, repo: Path, client: str) -> str:
    result = juhtum("new", "--client", client, cwd=repo)
    assert result.code == 0, result.output
    return result.out.strip().splitlines()[-1]


@pytest.fixture
def two(repo: Path, juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """A repository with a case of tc's (git's identity) and one of mt's (JUHTUM_ME)."""
    added = juhtum("specialists", "--add", "mt", "--name", "Mari Tamm", cwd=repo)
    assert added.code == 0, added.output
    mine = new_case(juhtum, repo, "Tõnis Mägi")
    monkeypatch.setenv("JUHTUM_ME", "mt")
    theirs = new_case(juhtum, repo, "Liisa Lepp")
    monkeypatch.delenv("JUHTUM_ME")
    return repo, mine, theirs


def ids_listed(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()[1:]]


# -- --mine ----------------------------------------------------------------------------------


def test_list_mine_by_git_identity_and_by_juhtum_me(
    two: tuple[Path, str, str], juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, mine, theirs = two
    result = juhtum("list", "--mine", cwd=repo)
    assert result.code == 0, result.output
    assert ids_listed(result.out) == [mine]
    monkeypatch.setenv("JUHTUM_ME", "mt")
    assert ids_listed(juhtum("list", "--mine", cwd=repo).out) == [theirs]
    as_json = juhtum("list", "--mine", "--json", cwd=repo)
    assert [r["id"] for r in json.loads(as_json.out)] == [theirs]
    both = juhtum("list", "--mine", "--coordinator", "tc", cwd=repo)
    assert both.code == 2


def test_mine_without_a_registered_specialist_says_how_to_set_it(
    two: tuple[Path, str, str], juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _mine, _theirs = two
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "stranger@example.org")
    for command in ("list", "due"):
        result = juhtum(command, "--mine", cwd=repo)
        assert result.code == 1
        assert "export JUHTUM_ME=HANDLE" in result.err
        assert "juhtum specialists --add HANDLE" in result.err
    monkeypatch.setenv("JUHTUM_ME", "nobody")
    result = juhtum("list", "--mine", cwd=repo)
    assert result.code == 1
    assert "JUHTUM_ME=nobody names no registered specialist" in result.err
    assert "juhtum specialists --add nobody" in result.err


def test_due_mine(tmp_path: Path, juhtum: Juhtum, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = casebuild.build(tmp_path / "repo", upto="plan")  # coordinated by kk, signatures due
    added = juhtum("specialists", "--add", "kk", "--name", "Kaja Kuusk", cwd=repo)
    assert added.code == 0, added.output
    everything = juhtum("due", "--within", "3m", "--json", cwd=repo)
    assert {i["case"] for i in json.loads(everything.out)} == {casebuild.CASE}

    monkeypatch.setenv("JUHTUM_ME", "kk")
    kept = json.loads(juhtum("due", "--within", "3m", "--mine", "--json", cwd=repo).out)
    assert kept == json.loads(everything.out)
    monkeypatch.setenv("JUHTUM_ME", "tc")
    result = juhtum("due", "--within", "3m", "--mine", cwd=repo)
    assert result.code == 0, result.output
    assert casebuild.CASE not in result.out

    # names: only with --names here (not a terminal), never in JSON, never in the cache
    monkeypatch.setenv("JUHTUM_ME", "kk")
    plain = juhtum("due", "--within", "3m", "--mine", cwd=repo)
    assert "Liina" not in plain.out
    named = juhtum("due", "--within", "3m", "--mine", "--names", cwd=repo)
    assert f"{casebuild.CASE} – Liina Kõrvits" in named.out
    as_json = juhtum("due", "--within", "3m", "--names", "--json", cwd=repo)
    assert "Liina" not in as_json.out
    assert_no_names_kept(repo, "Liina", "Kõrvits")


def assert_no_names_kept(repo: Path, *names: str) -> None:
    kept = [p for p in (repo / ".juhtum").rglob("*") if p.is_file() and "cache" in p.parts]
    assert kept, "the commands kept a cache"
    for path in kept:
        data = path.read_bytes()
        for name in names:
            for form in ("NFC", "NFD"):
                assert unicodedata.normalize(form, name).encode() not in data, path


# -- names on the terminal only -------------------------------------------------------------------


def test_names_beside_the_case_id_only_when_asked_or_on_a_terminal(
    two: tuple[Path, str, str], juhtum: Juhtum
) -> None:
    repo, mine, theirs = two
    plain = juhtum("list", cwd=repo)
    assert "Tõnis" not in plain.out and "Liisa" not in plain.out
    named = juhtum("list", "--names", cwd=repo)
    assert "person" in named.out.splitlines()[0]
    rows = {line.split()[0]: line for line in named.out.splitlines()[1:]}
    assert "Tõnis Mägi" in rows[mine] and "Liisa Lepp" in rows[theirs]
    assert "Tõnis" not in juhtum("list", "--names", "--json", cwd=repo).out

    show = juhtum("show", mine, "--names", cwd=repo)
    assert show.out.splitlines()[0].startswith(f"Case {mine} – Tõnis Mägi")
    assert juhtum("show", mine, cwd=repo).out.splitlines()[0] == f"Case {mine} (adult)"
    assert juhtum("validate", cwd=repo).code == 0  # fills the cache
    assert_no_names_kept(repo, "Tõnis", "Mägi", "Liisa Lepp")


def on_a_terminal(repo: Path, *args: str) -> str:
    """What ``juhtum args`` prints with a terminal as its standard output."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen(
        [sys.executable, "-m", "juhtum", *args],
        cwd=repo,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    _out, err = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0, err
    return b"".join(chunks).decode("utf-8")


def test_a_terminal_shows_names_and_a_pipe_does_not(
    two: tuple[Path, str, str], juhtum: Juhtum
) -> None:
    repo, mine, _theirs = two
    screen = on_a_terminal(repo, "list")
    assert "Tõnis Mägi" in screen
    assert "Tõnis" not in on_a_terminal(repo, "list", "--no-names")
    piped = subprocess.run(
        [sys.executable, "-m", "juhtum", "list"], cwd=repo, capture_output=True, check=True
    )
    assert "Tõnis".encode() not in piped.stdout
    assert f"{mine} – Tõnis Mägi" in on_a_terminal(repo, "show", mine)


# -- find ---------------------------------------------------------------------------------------


def test_find_by_name(two: tuple[Path, str, str], juhtum: Juhtum) -> None:
    repo, mine, theirs = two
    assert juhtum("find", "mägi", cwd=repo).out.split() == [mine]
    assert juhtum("find", "MÄGI", cwd=repo).out.split() == [mine]
    assert juhtum("find", unicodedata.normalize("NFD", "Tõnis"), cwd=repo).out.split() == [mine]
    assert juhtum("find", "tonis magi", cwd=repo).out.split() == [mine]  # without diacritics
    assert juhtum("find", "liisa", cwd=repo).out.split() == [theirs]
    named = juhtum("find", "lepp", "--names", cwd=repo)
    assert named.out.strip() == f"{theirs}  client: Liisa Lepp"
    as_json = juhtum("find", "lepp", "--json", "--names", cwd=repo)
    assert json.loads(as_json.out) == [{"case": theirs, "handle": "client"}]
    none = juhtum("find", "Kuusk", cwd=repo)
    assert none.code == 1
    assert none.out == ""
    assert "Nobody" in none.err


def test_find_reads_every_person_of_a_case(two: tuple[Path, str, str], juhtum: Juhtum) -> None:
    repo, mine, _theirs = two
    added = juhtum(
        "people", mine, "--add", "ema", "--name", "Õie Mägi", "--role", "network", cwd=repo
    )
    assert added.code == 0, added.output
    result = juhtum("find", "õie", "--names", cwd=repo)
    assert result.out.strip() == f"{mine}  ema: Õie Mägi"
    assert juhtum("find", "mägi", cwd=repo).out.split() == [mine]  # each case once
