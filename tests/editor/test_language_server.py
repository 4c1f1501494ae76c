"""The real YAML language server (npm yaml-language-server, tests/editor/package-lock.json)
on a case repository made by ``juhtum init``: templates opened where the editor opens them
(``.juhtum/edit/``) and where they are stored find their schema, every field shows its own
title on hover, and an error gets a diagnostic on its line. Fails without node and npm."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from juhtum.cli.editor import edit_path
from juhtum.documents import schemas, templates, yamlio
from juhtum.workflow.targets import Target, schema_ref
from tests.conftest import EXAMPLES
from tests.editor.lsp import Client
from tests.editor.tools import server_command

CASE = "kaasiku-1"
NAMES = {
    "case": "case.yaml",
    "need": "need.yaml",
    "assessment": "assessment.yaml",
    "planning": "planning.yaml",
    "plan": "plan.yaml",
    "closing": "closing.yaml",
    "person": "people/mari.yaml",
    "monitoring": "monitoring/2026-11-23-a1b2.yaml",
    "evaluation": "evaluations/2026-11-23-a1b2.yaml",
    "handover": "handovers/2026-11-23-a1b2.yaml",
    "meeting": "meetings/2026-11-23-a1b2.yaml",
    "followup": "followups/2026-11-23-a1b2.yaml",
}
"""A document of every kind the editor opens, under its name in the case folder."""

LOADING = re.compile(r"unable to load|cannot be resolved|problems loading|not found", re.I)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp") / "repo"
    subprocess.run(
        [sys.executable, "-m", "juhtum", "init", str(root)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


@pytest.fixture(scope="module")
def server(repo: Path) -> Iterator[Client]:
    client = Client(server_command(), repo)
    yield client
    client.close()


def fresh(kind: str) -> tuple[Target, str]:
    """The template the editor starts a new ``kind`` document from."""
    target = Target(NAMES[kind], kind, {} if kind == "case" else {"case": CASE}, None)
    return target, templates.template(kind, values=target.values, schema_ref=schema_ref(target))


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics]


def empty_field_lines(text: str) -> set[int]:
    """The lines of fields the template leaves empty (``key:`` and nothing after it)."""
    return {
        number
        for number, line in enumerate(text.splitlines(), 1)
        if re.fullmatch(r"\s*(- )?[\w\"-]+:", line)
    }


@pytest.mark.parametrize("kind", NAMES)
def test_a_template_finds_its_schema_where_it_is_edited_and_where_it_is_stored(
    kind: str, repo: Path, server: Client
) -> None:
    target, text = fresh(kind)
    # where the editor opens it: the editing copy of the schema, applied (a field the schema
    # lacks is flagged on its line)
    place = put(edit_path(repo / ".juhtum", CASE, target.name), text)
    broken = text + "no_such_field: 1\n"
    found = messages(server.open(place, broken))
    assert not [m for m in found if LOADING.search(m[1])], (place, found)
    assert [line for line, _ in found] == [len(broken.splitlines())], found
    # where it is stored, once saved: the schema itself, which refuses the fields left empty
    stored = templates.strip_help(text)
    place = put(repo / "cases" / CASE / target.name, stored)
    found = messages(server.open(place, stored))
    assert not [m for m in found if LOADING.search(m[1])], (place, found)
    assert found, place
    assert {line for line, _ in found} <= empty_field_lines(stored), (place, found)


@pytest.mark.parametrize("kind", NAMES)
def test_a_fresh_template_gives_no_diagnostic(kind: str, repo: Path, server: Client) -> None:
    """Issue 10 item 1: nothing the person did not cause; the fields left empty included."""
    target, text = fresh(kind)
    place = edit_path(repo / ".juhtum", CASE, target.name)
    assert messages(server.open(put(place, text), text)) == []


def test_a_draft_gets_a_diagnostic_on_the_line_of_what_was_typed(
    repo: Path, server: Client
) -> None:
    target, text = fresh("plan")
    place = put(edit_path(repo / ".juhtum", CASE, target.name), text)
    lines = text.splitlines()
    for key, wrong in (("deadline", "someday"), ("problem_summary", "[1, 2]")):
        number = next(i for i, x in enumerate(lines, 1) if x.strip().startswith(f"{key}:"))
        typed = lines.copy()
        typed[number - 1] += " " + wrong
        found = messages(server.open(place, "\n".join(typed) + "\n"))
        assert found and {line for line, _ in found} == {number}, (key, found)


def example(kind_folder: str) -> Path:
    return next(iter(sorted((EXAMPLES / "kaasiku" / "cases").glob(f"*/{kind_folder}"))))


def test_a_complete_document_has_no_diagnostic_and_an_error_one_on_its_line(
    repo: Path, server: Client
) -> None:
    target = Target("plan.yaml", "plan", {}, None)
    body = example("plan.yaml").read_text(encoding="utf-8")
    body = "\n".join(x for x in body.splitlines() if "yaml-language-server" not in x) + "\n"
    text = f"# yaml-language-server: $schema={schema_ref(target)}\n{body}"
    place = put(edit_path(repo / ".juhtum", CASE, "plan.yaml"), text)
    assert messages(server.open(place, text)) == []
    for key, wrong, says in (("version", '"two"', "integer"), ("deadline", "2026-13-45", "")):
        lines = text.splitlines()
        number = next(i for i, x in enumerate(lines, 1) if x.strip().startswith(f"{key}:"))
        lines[number - 1] = re.sub(rf"{key}: .*", f"{key}: {wrong}", lines[number - 1])
        found = messages(server.open(place, "\n".join(lines) + "\n"))
        assert [line for line, _ in found] == [number], (key, found)
        assert says in found[0][1]


@pytest.mark.parametrize("kind", NAMES)
def test_every_field_shows_its_own_title_on_hover(kind: str, repo: Path, server: Client) -> None:
    target, text = fresh(kind)
    place = put(edit_path(repo / ".juhtum", CASE, target.name), text)
    server.open(place, text)
    loaded = yamlio.loads(text, path=target.name, lines=True)
    assert loaded.lines is not None
    index = schemas.field_index(kind)
    lines = text.splitlines()
    hovered = 0
    for path, number in loaded.lines.items():
        field = index.of(path)
        if not path or field is None or field.title is None or not isinstance(path[-1], str):
            continue
        line = lines[number - 1]
        column = line.index(path[-1]) + len(path[-1]) // 2  # amid the key, as a mouse would
        heading = server.hover(place, number - 1, column).partition("\n")[0]
        heading = re.sub(r"\\(.)", r"\1", heading)  # markdown escapes (E\-post), as shown
        # a field that may also be null ("anyOf") names itself once for each of its forms
        assert set(heading.removeprefix("#### ").split(" || ")) == {field.title}, (kind, path)
        hovered += 1
    assert hovered >= 3


def test_problem_summary_shows_its_own_words_not_its_types(repo: Path, server: Client) -> None:
    target, text = fresh("plan")
    place = put(edit_path(repo / ".juhtum", CASE, target.name), text)
    server.open(place, text)
    number = text.splitlines().index("problem_summary:")
    shown = server.hover(place, number, 2)
    assert "Probleemi lühikirjeldus" in shown
    assert "Kliendi probleemi lühikirjeldus" in shown  # its description too
    assert "Tekst" not in shown


def test_the_editor_settings_of_init_map_documents_without_a_schema_line(repo: Path) -> None:
    """What VS Code does with .vscode/settings.json: yaml.schemas, relative to the workspace."""
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    client = Client(server_command(), repo, schemas=settings["yaml.schemas"])
    try:
        for kind, name in (("plan", "plan.yaml"), ("monitoring", NAMES["monitoring"])):
            body = example(name if kind == "plan" else "monitoring/*.yaml").read_text("utf-8")
            text = "\n".join(x for x in body.splitlines() if "yaml-language-server" not in x)
            place = put(repo / "cases" / CASE / name, text + "\n")
            assert messages(client.open(place, text + "\n")) == [], kind
            first = text.splitlines().index(next(x for x in text.splitlines() if x[:1].isalpha()))
            key = text.splitlines()[first].partition(":")[0]
            title = schemas.field_index(kind).fields[(key,)].title
            assert client.hover(place, first, 1).startswith(f"#### {title}"), kind
            broken = text.replace(f"{key}:", f"{key}_typo:", 1) + "\n"
            assert {line for line, _ in messages(client.open(place, broken))} == {first + 1}
        # a draft whose schema line was deleted: the editing copy, by its place
        target, text = fresh("plan")
        body = "\n".join(x for x in text.splitlines() if "yaml-language-server" not in x) + "\n"
        place = put(edit_path(repo / ".juhtum", CASE, target.name), body)
        assert messages(client.open(place, body)) == []
        typed = body.replace("\nversion:", "\nversion: two", 1)
        assert len(messages(client.open(place, typed))) == 1
    finally:
        client.close()
