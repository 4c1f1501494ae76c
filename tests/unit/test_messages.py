"""The Estonian catalogue: every message translated, placeholders kept, compiled file current."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from juhtum import i18n

LOCALE = Path(i18n.__file__).parent / "locale"
PO = LOCALE / "et" / "LC_MESSAGES" / "juhtum.po"
MO = LOCALE / "et" / "LC_MESSAGES" / "juhtum.mo"
KEYWORDS = {"N_": None, "Msg": None, "_": None, "ngettext": (1, 2)}


def source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        Path(i18n.__file__).parent,
        method_map=[("**.py", "juhtum.i18n.extract")],  # as babel.cfg: the help texts too
        keywords=KEYWORDS,
        comment_tags=(),
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="et")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def translated(message: object) -> bool:
    string = getattr(message, "string", None)
    if isinstance(string, str):
        return bool(string)
    return isinstance(string, tuple | list) and all(string)


def test_every_message_in_the_code_has_an_estonian_translation() -> None:
    po = catalogue()
    untranslated = sorted(m for m in source_messages() if not translated(po.get(m)))
    assert untranslated == [], "run `make messages` and translate these"


def test_translations_keep_the_placeholders() -> None:
    for message in catalogue():
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = placeholders(ids[0])
        for text in strings:
            assert placeholders(text) == expected, (message.id, text)


def test_the_compiled_catalogue_is_current() -> None:
    with MO.open("rb") as f:
        compiled = read_mo(f)
    po = catalogue()

    def key(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    source = {key(m.id): key(m.string) for m in po if m.id and m.string}
    built = {key(m.id): key(m.string) for m in compiled if m.id and m.string}
    assert built == source, "run `make messages` to compile the catalogue"


@pytest.mark.parametrize("lang", ["et", "en"])
def test_messages_render_in_both_languages(lang: str) -> None:
    i18n.set_language(lang)
    try:
        text = i18n.render("{field} is missing", {"field": "goals[0].deadline"})
        assert "goals[0].deadline" in text
        if lang == "en":
            assert text == "goals[0].deadline is missing"
        else:
            assert text != "goals[0].deadline is missing"
    finally:
        i18n.set_language("en")


def test_locale_decides_when_nothing_else_does() -> None:
    assert i18n.locale_language({"LANG": "et_EE.UTF-8"}) == "et"
    assert i18n.locale_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert i18n.locale_language({"LC_ALL": "et_EE", "LANG": "en_US"}) == "et"
    assert i18n.locale_language({}) == "en"


def test_catalogue_round_trips_through_babel() -> None:
    buffer = io.BytesIO(PO.read_bytes())
    assert len(read_po(buffer)) > 100


# the informal "sina" and its verbs' singular imperatives (not after "ei", where the same
# form is a negation: "ei anna"); the catalogue says "teie" ("kirjutage", "lisage"), as
# Estonian officialdom addresses a person
SINA = re.compile(
    r"(?i)(?<![\w-])(?<!ei )(sa|sina|sinu|sul|sulle|sind|oled|soovid|tahad|kirjuta|lisa|"
    r"vali|käivita|kasuta|vaata|proovi|anna|paranda|registreeri|märgi|salvesta|sulge|jäta|"
    r"loo|täida|nimeta|pane|kustuta|muuda|too|alusta|sisesta|asenda|ava)(?![\w-])"
)


def test_the_catalogue_addresses_the_person_as_teie() -> None:
    informal = []
    for message in catalogue():
        string = message.string
        strings = [string] if isinstance(string, str) else list(string or ())
        for text in strings:
            found = SINA.search(text or "")
            if found:
                informal.append((message.id, found.group(0)))
    assert informal == []


def test_a_day_that_does_not_exist_is_shown_as_typed() -> None:
    """A message about 2026-02-30 repeats what the person wrote, not a reformatted 30.02."""
    i18n.set_language("et")
    try:
        assert i18n.date("2026-03-01") == "01.03.2026"
        assert i18n.date("2026-02-30") == "2026-02-30"
        said = i18n.render(
            "--date {date} is not a real date: write YYYY-MM-DD, a day the month has",
            {"date": "2026-02-30"},
        )
        assert "2026-02-30" in said and "AAAA-KK-PP" in said
    finally:
        i18n.set_language("en")


def test_dates_in_a_text_are_written_as_the_language_does() -> None:
    """An export's text: whole dates become Estonian, a file name or a non-day stays."""
    text = "tähtaeg 2026-03-01, vt meetings/2026-03-20-ab12.yaml ja 2026-03-20-ab12; 2026-02-30."
    i18n.set_language("et")
    try:
        assert i18n.dates_in(text) == (
            "tähtaeg 01.03.2026, vt meetings/2026-03-20-ab12.yaml ja 2026-03-20-ab12; 2026-02-30."
        )
    finally:
        i18n.set_language("en")
    assert i18n.dates_in(text) == text  # English keeps ISO dates


def test_a_step_of_several_parts_is_said_part_by_part() -> None:
    i18n.set_language("et")
    try:
        said = i18n.step("need; people: add perearst")
        assert said == f"{i18n._('need.yaml written')}; " + i18n._(
            "person registered: {handle}"
        ).format(handle="perearst")
        assert "people: add" not in said
        assert i18n.step("diary: urgent_help") == i18n._("diary entry: {kind}").format(
            kind=i18n.label("urgent_help")
        )
    finally:
        i18n.set_language("en")
