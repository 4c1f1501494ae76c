"""80 columns: every screen fits COLUMNS=80 without a word or a date broken across lines, and
so do the templates' help lines."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum import i18n
from juhtum.documents import schemas, templates
from tests.cli import screens
from tests.conftest import Run

WIDTH = 80


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("columns")
    return [*screens.examples(base).values(), screens.built(base)]


def too_wide(text: str) -> list[str]:
    """Lines wider than the screen; a line that is just the test's temporary path (wider than
    any screen, and no word to break it at) is no fault of juhtum's."""
    return [
        line
        for line in text.splitlines()
        if len(line) > WIDTH
        and not (len(line.split()) == 1 and str(Path.cwd().anchor) in line and "pytest-" in line)
    ]


@pytest.mark.parametrize("lang", ["et", "en"])
def test_every_screen_fits_80_columns_without_breaking_a_word(
    lang: str,
    juhtum: Callable[..., Run],
    roots: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each screen at COLUMNS=80 against the same screen unwrapped (a pipe without COLUMNS):
    no line is wider than 80, and the words are the same words, none cut in two."""
    monkeypatch.delenv("COLUMNS", raising=False)
    unwrapped = screens.screens(juhtum, roots, lang)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    fitted = screens.screens(juhtum, roots, lang)
    assert fitted.keys() == unwrapped.keys()
    wrapped_somewhere = False
    for name, run in fitted.items():
        assert too_wide(run.output) == [], (name, run.output)
        assert sorted(run.output.split()) == sorted(unwrapped[name].output.split()), name
        wrapped_somewhere |= run.output != unwrapped[name].output
    assert wrapped_somewhere, "the unwrapped screens all fit already: the test proves nothing"


@pytest.mark.parametrize("lang", ["et", "en"])
def test_what_the_writing_commands_say_fits_80_columns(
    lang: str, juhtum: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    unwrapped = screens.writing(juhtum, tmp_path / "unwrapped", lang)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    fitted = screens.writing(juhtum, tmp_path / "fitted", lang)

    def words(text: str, root: Path) -> list[str]:
        # the commit ids and the folders differ between the two runs, nothing else
        text = text.replace(str(root), "ROOT")
        return sorted(w for w in text.split() if not re.fullmatch(r"[0-9a-f]{10}", w))

    for name, run in fitted.items():
        assert too_wide(run.output) == [], (name, run.output)
        assert words(run.output, tmp_path / "fitted") == words(
            unwrapped[name].output, tmp_path / "unwrapped"
        ), name


@pytest.mark.parametrize("lang", ["et", "en"])
def test_every_help_fits_80_columns(
    lang: str, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    for name, run in screens.helps(juhtum, lang).items():
        assert too_wide(run.output) == [], (name, run.output)
        broken = [
            line
            for line in run.out.splitlines()
            if re.search(r"\w-$", line.rstrip())  # a word cut at its hyphen
        ]
        assert broken == [], (name, run.out)


@pytest.mark.parametrize("lang", ["et", "en"])
def test_the_templates_help_lines_fit_80_columns(lang: str) -> None:
    assert templates.WIDTH <= WIDTH
    i18n.set_language(lang)
    try:
        for name in schemas.names():
            kind = name.removesuffix(".schema.json")
            if kind == "defs":
                continue
            text = templates.template(kind)
            helps = [line for line in text.splitlines() if line.lstrip().startswith("#:")]
            assert helps, kind
            assert too_wide("\n".join(helps)) == [], kind
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["et", "en"])
def test_status_fits_one_screen_and_names_the_next_command(
    lang: str, juhtum: Callable[..., Run], roots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the case stands, what is missing (each thing once) and the command to copy, in
    at most 24 lines of 80 columns, whatever the state."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    states = set()
    for root in roots:
        for case_id in screens.case_ids(root):
            run = juhtum("--lang", lang, "status", case_id, cwd=root)
            assert run.code == 0, run.output
            lines = run.out.splitlines()
            assert len(lines) <= 24, run.out
            assert case_id in lines[0]
            items = [line.strip() for line in lines if line.startswith(("  - ", "  ! "))]
            assert len(items) == len(set(items)), run.out  # nothing listed twice
            status = juhtum("status", case_id, "--json", cwd=root)
            data = json.loads(status.out)
            states.add(data["state"])
            if data["state"] != "referred":
                assert "  juhtum " in run.out and case_id in lines[-1], run.out
    assert {"need", "assessment", "plan", "implementation", "evaluation", "closed"} <= states


def test_status_of_a_case_in_an_unknown_state_says_so(
    juhtum: Callable[..., Run], roots: list[Path], tmp_path: Path
) -> None:
    root = tmp_path / "copy"

    shutil.copytree(roots[-1], root)
    case_yaml = root / "cases" / screens.BUILT_CASE / "case.yaml"
    text = case_yaml.read_text(encoding="utf-8")
    case_yaml.write_text(text.replace("stage: implementation", "stage: somewhere"), "utf-8")
    for lang, said in (
        ("en", "its state in case.yaml is missing or unknown"),
        ("et", "etapp failis case.yaml puudub või on tundmatu"),
    ):
        run = juhtum("--lang", lang, "status", screens.BUILT_CASE, cwd=root)
        assert run.code == 0, run.output
        assert said in run.out
        assert f"juhtum edit {screens.BUILT_CASE} case" in run.out
        assert "None" not in run.out and "?" not in run.out.splitlines()[0]
