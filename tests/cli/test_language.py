"""Estonian throughout: every command's help, typer's own messages, every screen and error,
with no English code value or English word of the command-line machinery left in them."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum import i18n
from juhtum.documents import schemas
from tests.cli import screens
from tests.conftest import ROOT, Run

# typer's (click's) own words, which juhtum's catalogue translates
MACHINERY = (
    "Usage:",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "required]",
    "default:",
    "env var",
    "Try '",
    "for help",
    "Error:",
    "Missing argument",
    "Missing option",
    "No such option",
    "No such command",
    "Invalid value",
    "is not one of",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "completion for the current shell",
)

# code values a person reads by their label; left out: those that are also a command, a
# handle or a file name on these screens (need, plan, close, client), and languages
NOT_WORDS_HERE = {"need", "plan", "close", "client", "et", "en", "register"}


def code_values() -> list[str]:
    i18n.set_language("et")
    try:
        return sorted(
            value
            for value in i18n._labels()
            if value not in NOT_WORDS_HERE and i18n.label(value) != value
        )
    finally:
        i18n.set_language("en")


def english_in(text: str, words: list[str] | tuple[str, ...], *, whole: bool) -> list[str]:
    """The ``words`` standing in ``text``: as words (not in a file name, a path, an option or
    an id) when ``whole``, else as they are."""
    found = []
    for word in words:
        pattern = rf"(?<![\w./'-]){re.escape(word)}(?![\w/-]|\.yaml)" if whole else re.escape(word)
        for match in re.finditer(pattern, text):
            # a document's own words quoted as it holds them ("status: pending") may stay
            before = text[max(0, match.start() - 40) : match.start()]
            if whole and re.search(r"[a-z_]+: $", before):
                continue
            found.append(word)
            break
    return found


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("screens")
    return [*screens.examples(base).values(), screens.built(base)]


def test_every_help_is_in_estonian(juhtum: Callable[..., Run]) -> None:
    for name, run in screens.helps(juhtum, "et").items():
        assert run.code == 0, (name, run.output)
        assert "Kasutus: juhtum" in run.out, name
        assert english_in(run.output, MACHINERY, whole=False) == [], (name, run.output)


def test_every_screen_and_error_is_in_estonian(
    juhtum: Callable[..., Run], roots: list[Path]
) -> None:
    codes = code_values()
    assert {"implementation", "goals_achieved", "in_progress", "paper"} <= set(codes)
    shown = screens.screens(juhtum, roots, "et")
    for name, run in shown.items():
        assert "Traceback" not in run.output, name
        assert english_in(run.output, MACHINERY, whole=False) == [], (name, run.output)
        assert english_in(run.output, codes, whole=True) == [], (name, run.output)
    # the errors were errors, said in Estonian
    assert shown[f"{roots[0].name}: error: missing argument"].code == 2
    assert "Argument 'ID' puudub" in shown[f"{roots[0].name}: error: missing argument"].err
    assert "Sellist võtit ei ole: --bogus" in shown[f"{roots[0].name}: error: no such option"].err


def test_what_the_writing_commands_say_is_in_estonian(
    juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    codes = code_values()
    said = screens.writing(juhtum, tmp_path, "et")
    assert "kõik osapooled allkirjastasid, elluviimine algab" in said["sign ode"].out
    assert "juhtumiplaan -> elluviimine ja monitooring" in said["sign ode"].out
    for name, run in said.items():
        assert english_in(run.output, MACHINERY, whole=False) == [], (name, run.output)
        assert english_in(run.output, codes, whole=True) == [], (name, run.output)


def test_english_stays_english(juhtum: Callable[..., Run], roots: list[Path]) -> None:
    """The same screens in English: no Estonian word of the catalogue's own."""
    estonian = ("Kasutus", "Võtmed", "Juhtum ", "puudub", "Järgmine samm", "Viga:", "tähtaeg")
    for name, run in {
        **screens.helps(juhtum, "en"),
        **screens.screens(juhtum, roots, "en"),
    }.items():
        assert english_in(run.output, estonian, whole=False) == [], (name, run.output)


def test_the_language_comes_from_juhtum_yaml_before_any_command_runs(
    juhtum: Callable[..., Run], roots: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUHTUM_LANG")
    estonian = roots[0]  # the examples say language: et
    assert "Kasutus: juhtum status" in juhtum("status", "--help", cwd=estonian).out
    assert "Argument 'ID' puudub" in juhtum("status", cwd=estonian).err
    assert "Usage: juhtum status" in juhtum("--lang", "en", "status", "--help", cwd=estonian).out


def test_a_colon_inside_a_text_is_explained_in_estonian(
    juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    root = tmp_path / "r"
    assert juhtum("--lang", "et", "init", root, "--organisation", "Vald").code == 0
    case_id = juhtum("--lang", "et", "--repo", root, "new", "--client", "Mari Maasikas").out
    case_id = case_id.strip().splitlines()[-1]
    (root / "cases" / case_id / "need.yaml").write_text(
        f"case: {case_id}\nnote: kell 10: kõne\n", encoding="utf-8"
    )
    run = juhtum("--lang", "et", "--repo", root, "validate")
    assert run.code == 1
    assert "need.yaml:2" in run.out
    assert "YAML-i süntaksiviga: tekstis on koolon ja tühik" in run.out
    assert ">-" in run.out and "jutumärkidesse" in run.out
    assert "mapping values" not in run.out


@pytest.mark.parametrize("n", [1, 2])
def test_plural_forms_follow_the_number(n: int) -> None:
    i18n.set_language("et")
    try:
        one = i18n.ngettext("{n} evaluation", "{n} evaluations", 1).format(n=1)
        many = i18n.ngettext("{n} evaluation", "{n} evaluations", 2).format(n=2)
        assert (one, many) == ("1 hindamine", "2 hindamist")
        todo = i18n.ngettext("{n} to-do", "{n} to-dos", n).format(n=n)
        assert todo == ("1 tegemata asi" if n == 1 else f"{n} tegemata asja")
    finally:
        i18n.set_language("en")


def test_dates_on_screen_are_written_as_estonian_writes_them() -> None:
    i18n.set_language("et")
    try:
        assert i18n.date("2026-11-29") == "29.11.2026"
        said = i18n.render(
            "no monitoring entry since {date}: one is due every {days} days (juhis §5.2)",
            {"date": "2026-11-17", "days": 60},
        )
        assert "17.11.2026" in said and "2026-11-17" not in said
    finally:
        i18n.set_language("en")
    assert i18n.date("2026-11-29") == "2026-11-29"


def test_every_enum_value_has_a_label_in_both_languages() -> None:
    """What scripts/enum_labels.py writes is what the schemas hold: rerunning it changes
    nothing, and no enum value lacks a label."""
    spec = importlib.util.spec_from_file_location(
        "enum_labels", ROOT / "scripts" / "enum_labels.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name in schemas.names():
        schema = schemas.load(name)
        missing: set[str] = set()
        assert script.labelled(schema, missing) == schema, name
        assert missing == set(), name

    def enums(node: object) -> list[dict[str, object]]:
        if isinstance(node, dict):
            here = [node] if "enum" in node else []
            return here + [e for v in node.values() for e in enums(v)]
        if isinstance(node, list):
            return [e for v in node for e in enums(v)]
        return []

    for name in schemas.names():
        for node in enums(schemas.load(name)):
            labels = node["x-enum-labels"]
            assert isinstance(labels, dict)
            for value in node["enum"]:  # type: ignore[attr-defined]
                assert set(labels[value]) == {"et", "en"}, (name, value)
                assert all(labels[value].values()), (name, value)
    assert (
        json.dumps(schemas.load("closing.schema.json"), ensure_ascii=False).count(
            "eesmärgid saavutatud"
        )
        == 1
    )


def test_dates_are_taken_as_estonian_writes_them_too(
    juhtum: Callable[..., Run], roots: list[Path]
) -> None:
    iso = juhtum(
        "--lang", "et", "report", "--from", "2026-01-01", "--to", "2026-11-20", cwd=roots[0]
    )
    written = juhtum(
        "--lang", "et", "report", "--from", "1.1.2026", "--to", "20.11.2026", cwd=roots[0]
    )
    assert iso.code == written.code == 0, written.output
    assert written.out == iso.out
    assert "01.01.2026 kuni 20.11.2026" in written.out
    wrong = juhtum("--lang", "et", "report", "--from", "31.02.2026", cwd=roots[0])
    assert wrong.code == 2 and "ei ole kuupäev" in wrong.err


def test_the_report_page_and_the_exported_plans_are_in_estonian(
    juhtum: Callable[..., Run], roots: list[Path], tmp_path: Path
) -> None:
    codes = code_values()
    for root in roots:
        page = tmp_path / f"{root.name}.html"
        run = juhtum("--lang", "et", "report", "-f", "html", "-o", page, cwd=root)
        assert run.code == 0, run.output
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        assert english_in(text, codes, whole=True) == [], (root.name, text)
        for case_id in screens.case_ids(root):
            if not (root / "cases" / case_id / "plan.yaml").is_file():
                continue
            plan = juhtum("--lang", "et", "export", case_id, "--format", "md", cwd=root)
            assert plan.code == 0, plan.output
            assert english_in(plan.out, codes, whole=True) == [], (case_id, plan.out)
