"""Terminal escapes, invisible characters, formulas and HTML a colleague could push (issue 8,
item 4): built in a real git repository, cloned, and every command run in the clone. No
command crashes or prints an escape byte, and validate fails on the content.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from juhtum.output.safe_text import escape, forbidden, is_blank
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE
ESCAPES = ("\x1b", "\x07", "\x9b", "\x9d", "\x08", "\r", "\x00", "\u202e", "\u200b", "\u2066")
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def clean(run: Run, command: tuple[str, ...]) -> None:
    assert run.code != 3, (command, run.output)
    assert "Traceback" not in run.output, (command, run.output)
    out = run.output.replace("\r\n", "\n") if "ics" in command else run.output
    for byte in ESCAPES:
        assert byte not in out, (command, repr(byte), run.output)


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def clone(origin: Path, target: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(target)], check=True)
    return target


def set_field(path: Path, key: str, value: object) -> None:
    data = yamlio.load_file(path, path=path.name).data
    data[key] = value
    path.write_text(yamlio.dumps(data), encoding="utf-8")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A case whose name, keys, file names, commit subject and catalogue hold escapes."""
    origin = casebuild.build(tmp_path / "origin", upto="implementation")
    folder = origin / "cases" / CASE
    set_field(folder / "people" / "client.yaml", "name", f"Liina{TITLE} Kõrvits")
    set_field(folder / "people" / "ode.yaml", f"note{CLEAR}", "x")
    set_field(folder / "people" / "tk.yaml", "organisation", "Töötukassa\u202eevil\u200b")
    service = origin / "services" / "toovahendus.yaml"
    set_field(service, "name", f"Tööotsingu{CLEAR} nõustamine\x9b")
    (folder / f"notes{TITLE}.txt").write_text("x", encoding="utf-8")
    commit_all(origin, f"{TITLE}{CLEAR}update\n\nCase: {CASE}")
    return clone(origin, tmp_path / "clone")


COMMANDS: list[tuple[str, ...]] = [
    ("validate",),
    ("validate", "--no-cache", "--format", "github"),
    ("validate", "--format", "gitlab"),
    ("validate", "--format", "json"),
    ("validate", "--todo", f"cases/{CASE}"),
    ("show", CASE),
    ("show", CASE, "--json"),
    ("people", CASE),
    ("people", CASE, "--json"),
    ("list",),
    ("list", "--overdue"),
    ("status", CASE),
    ("status", CASE, "--json"),
    ("history", CASE),
    ("history", CASE, "--json"),
    ("services",),
    ("services", "--json"),
    ("due", "--within", "1000d"),
    ("due", "--json"),
    ("report",),
    ("report", "--format", "csv"),
    ("report", "--format", "html"),
    ("export", CASE),
    ("export", CASE, "--format", "html"),
    ("export", CASE, "--format", "ics"),
]


def test_no_command_prints_an_escape_and_validate_fails(
    hostile: Path, juhtum: Callable[..., Run], juhtum_process: Callable[..., Run]
) -> None:
    for command in COMMANDS:
        clean(juhtum(*command, cwd=hostile), command)
    validate = juhtum("validate", cwd=hostile)
    assert validate.code == 1
    out = validate.out
    assert "name holds the character U+001B" in out
    assert "this key holds the character U+001B" in out
    assert "organisation holds the character U+202E" in out
    assert "services/toovahendus.yaml" in out and "U+001B" in out
    assert "notes\\u001b]0;pwned\\u0007.txt" in out  # the file name, escaped and visible
    history = juhtum("history", CASE, cwd=hostile).out
    assert "\\u001b]0;pwned\\u0007" in history
    show = juhtum("show", CASE, cwd=hostile).out
    assert "Liina\\u001b]0;pwned\\u0007 Kõrvits" in show
    # the same as a real process, as CI and a terminal see it
    for command in (("validate", "--format", "github"), ("show", CASE), ("history", CASE)):
        clean(juhtum_process(*command, cwd=hostile), command)


def test_sync_conflict_diff_is_escaped(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    base = casebuild.build(tmp_path / "base", upto="implementation")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(base), str(remote)], check=True)
    anu, tiit = clone(remote, tmp_path / "anu"), clone(remote, tmp_path / "tiit")
    for who, line in ((anu, "# anu\n"), (tiit, f"# {TITLE}{CLEAR}tiit\n")):
        # need.yaml: a stage document both changed (a plan's signatures are append-only: an
        # unreadable incoming plan stops sync on that ground first)
        need = who / "cases" / CASE / "need.yaml"
        need.write_text(need.read_text(encoding="utf-8") + line, encoding="utf-8")
        commit_all(who, f"need note\n\nCase: {CASE}")
    git(tiit, "push", "-q")
    run = juhtum("--repo", anu, "sync")
    assert run.code == 1, run.output
    assert "both sides changed the same documents" in run.output
    assert "\\u001b]0;pwned\\u0007\\u001b[2Jtiit" in run.output
    clean(run, ("sync",))


def test_report_csv_cells_that_start_a_formula_are_neutralised(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    origin = casebuild.build(tmp_path / "origin", upto="implementation")
    set_field(origin / "cases" / CASE / "case.yaml", "coordinator", '=HYPERLINK("x","y")')
    commit_all(origin, f"coordinator\n\nCase: {CASE}")
    work = clone(origin, tmp_path / "clone")
    csv = juhtum("report", "--format", "csv", cwd=work).out
    assert "'=HYPERLINK" in csv
    assert "\n=" not in csv and ",=" not in csv and ',"=' not in csv
    assert juhtum("validate", cwd=work).code == 1


def test_markdown_export_escapes_html(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    origin = casebuild.build(tmp_path / "origin", upto="implementation")
    set_field(
        origin / "cases" / CASE / "people" / "kk.yaml", "name", "Kaja <script>alert(1)</script>"
    )
    commit_all(origin, f"name\n\nCase: {CASE}")
    work = clone(origin, tmp_path / "clone")
    for output in ("md", "html"):
        text = juhtum("export", CASE, "--format", output, cwd=work).out
        assert "<script>" not in text
        assert "&lt;script&gt;" in text


@pytest.mark.parametrize(
    ("value", "inline", "shown"),
    [
        (f"a{TITLE}b", False, "a\\u001b]0;pwned\\u0007b"),
        ("tab\tand\nnewline", False, "tab\tand\nnewline"),
        ("tab\tand\nnewline", True, "tab\\u0009and\\u000anewline"),
        ("cr\rdel\x7fc1\x85", False, "cr\\u000ddel\\u007fc1\\u0085"),
        ("bidi\u202e\u2066zw\u200b\u200d\u2060\ufeff", False, None),
        ("Kõrvits – “jutt” 😀", False, "Kõrvits – “jutt” 😀"),
    ],
)
def test_escape(value: str, inline: bool, shown: str | None) -> None:
    out = escape(value, inline=inline)
    if shown is not None:
        assert out == shown
    for byte in ESCAPES:
        assert byte not in out
    assert out.isprintable() or (not inline and set(out) - set(out.strip()) <= {"\t", "\n"})


def test_forbidden_and_blank() -> None:
    assert forbidden("Mari\x1b") == "\x1b"
    assert forbidden("two\nlines") == "\n"
    assert forbidden("two\nlines\tok", block=True) is None
    assert forbidden("zw\u200bsp", block=True) == "\u200b"
    assert forbidden("Õie Kõrvits") is None
    assert is_blank(" \u200b\u00a0\ufeff\t\n")
    assert not is_blank(" a ")


def test_json_stays_valid_and_round_trips(hostile: Path, juhtum: Callable[..., Run]) -> None:
    import json

    people = json.loads(juhtum("people", CASE, "--json", cwd=hostile).out)
    assert people["tk"]["organisation"] == "Töötukassa\u202eevil\u200b"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "\\u0009=1"),  # escaped: the cell starts with no tab
        ("\r=1", "\\u000d=1"),
        ("kk", "kk"),
        (3, 3),
        (-2.5, -2.5),
        (None, ""),
    ],
)
def test_csv_cell(value: object, cell: object) -> None:
    from juhtum.output.report_formats import csv_cell

    assert csv_cell(value) == cell
