"""export --pseudonymise against a case written to leak: every name in five Estonian cases,
in capitals, lower case and NFD; stem-changing surnames; letters outside Estonian; a
stranger's personal code; the phone, the address and the birth date written other ways.

The people are fictional; the twin case (tests/cases/valid/twin) is copied and its
people and free text rewritten.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.output import pseudonym
from tests.conftest import Run

TWIN = Path(__file__).resolve().parents[1] / "cases" / "valid" / "twin"
CASE = "twin-a1"
CODE = "47106030006"  # the client's: born 1971-06-03
STRANGER = "38001010009"  # valid, belongs to nobody registered
NOT_A_CODE = "12345678901"

PEOPLE = {
    "client": (
        "Kristel Rebane",
        f'personal_code: "{CODE}"\nbirth_date: 1971-06-03\n'
        "address: Tähe tn 12-5, 50103 Tartu\n"
        'phone: "+372 5123 4567"\nemail: kristel.rebane@example.ee\n',
    ),
    "kk": ("Jaan Raud", "organisation: Näidisküla Vallavalitsus\n"),
    "kk2": ("Peeter Sepp", "organisation: Näidisküla Vallavalitsus\n"),
    "ode": ("Ülle Mänd", 'relation: õde\nphone: "+372 5000 0002"\n'),
    "tk": ("Anna-Liisa O'Connor", "organisation: Töötukassa\n"),
    "lk": ("Liisa Kask", "relation: sõbranna\n"),
    "at": ("André Tamm", "relation: naaber\n"),
    "cl": ("Claire Lamarche", "relation: tuttav\n"),
}

# nimetav, omastav, osastav, alaleütlev, kaasaütlev
FORMS = {
    "Rebane": ["Rebane", "Rebase", "Rebast", "Rebasele", "Rebasega"],
    "Kristel": ["Kristel", "Kristeli", "Kristelit", "Kristelile", "Kristeliga"],
    "Raud": ["Raud", "Raua", "Rauda", "Rauale", "Rauaga"],
    "Jaan": ["Jaan", "Jaani", "Jaani", "Jaanile", "Jaaniga"],
    "Sepp": ["Sepp", "Sepa", "Seppa", "Sepale", "Sepaga"],
    "Peeter": ["Peeter", "Peetri", "Peetrit", "Peetrile", "Peetriga"],
    "Mänd": ["Mänd", "Männi", "Mändi", "Männile", "Männiga"],
    "Ülle": ["Ülle", "Ülle", "Üllet", "Üllele", "Üllega"],
    "Anna-Liisa": ["Anna-Liisa", "Anna-Liisa", "Anna-Liisat", "Anna-Liisale", "Anna-Liisaga"],
    "O'Connor": ["O'Connor", "O'Connori", "O'Connorit", "O'Connorile", "O'Connoriga"],
    "Kask": ["Kask", "Kase", "Kaske", "Kasele", "Kasega"],
    "Liisa": ["Liisa", "Liisa", "Liisat", "Liisale", "Liisaga"],
    "André": ["André", "André", "Andrét", "Andréle", "Andréga"],
    "Tamm": ["Tamm", "Tamme", "Tamme", "Tammele", "Tammega"],
    "Lamarche": ["Lamarche", "Lamarche'i", "Lamarche'i", "Lamarche'ile", "Lamarche'iga"],
}
PHONES = ["51234567", "5123 4567", "+372 512 34 567", "+3725123 4567", "(+372) 5123-4567"]
ADDRESSES = ["Tähe 12", "Tähe tn 12-5", "Tähe tänav 12", "50103", "Tartus", "Tartust", "TARTU"]
BIRTHS = ["1971-06-03", "03.06.1971", "3.6.1971", "03.06.71", "3. juuni 1971", "3. juunil 1971"]


def written(form: str) -> list[str]:
    """A form as typed: as it is, in capitals, in lower case, decomposed (NFD)."""
    return [form, form.upper(), form.lower(), unicodedata.normalize("NFD", form)]


def free_text() -> str:
    sentences = [
        f"Kohtusin: {', '.join(w for form in forms for w in written(form))}."
        for forms in FORMS.values()
    ]
    sentences += [
        "ALGUS Anna-Liisa O'Connor LÕPP",
        "TEINE Liisa Kask LÕPP",
        "KOLMAS Kristel Rebasega LÕPP",
        f"Isikukoodid {CODE}, {STRANGER} ja arv {NOT_A_CODE}.",
        f"Telefon {', '.join(PHONES)}.",
        f"Elab {', '.join(ADDRESSES)}.",
        f"Sündinud {', '.join(BIRTHS)}.",
        "Kiri kristel.rebane@example.ee.",
    ]
    return " ".join(sentences)


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(TWIN, repo, ignore=shutil.ignore_patterns(".juhtum"))
    case = repo / "cases" / CASE
    roles = {"client": "client", "kk": "coordinator", "kk2": "coordinator", "tk": "provider"}
    for handle, (name, rest) in PEOPLE.items():
        (case / "people" / f"{handle}.yaml").write_text(
            f"case: {CASE}\nname: {yaml_string(name)}\nroles: [{roles.get(handle, 'network')}]\n"
            + rest,
            encoding="utf-8",
        )
    text = yaml_string(free_text())
    plan = case / "plan.yaml"
    plan.write_text(
        re.sub(r"(?m)^problem_summary: .*$", f"problem_summary: {text}", plan.read_text()),
        encoding="utf-8",
    )
    meeting = next((case / "meetings").glob("*.yaml"))
    meeting.write_text(
        meeting.read_text()
        .replace("place: vallamaja", "place: Tähe tn 12-5, Tartu")
        .replace("purpose: Tööotsingu edenemise arutamine.", f"purpose: {text}"),
        encoding="utf-8",
    )
    return repo


def export(juhtum: Callable[..., Run], repo: Path, *args: str | Path) -> Run:
    run = juhtum("--repo", repo, "export", CASE, "--key-file", repo.parent / "key", *args)
    assert run.code == 0, run.output
    return run


def leaks(text: str) -> list[str]:
    """What of the secrets the exported text still shows (HTML unescaped, NFC, any case)."""
    shown = unicodedata.normalize("NFC", html.unescape(text))
    found = [
        form
        for forms in FORMS.values()
        for form in forms
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", shown, re.IGNORECASE)
    ]
    found += [
        s for s in (CODE, STRANGER, *PHONES, *ADDRESSES, *BIRTHS) if s.lower() in shown.lower()
    ]
    digits = re.sub(r"[\s()+-]", "", shown)
    found += [p for p in ("51234567", "50103", "1971") if p in digits]
    found += [m.group(0) for m in re.finditer(r"(?i)t\w*he\s+(?:tn|tänav)?\s*12", shown)]
    found += [s for s in ("@example.ee", "kristel.rebane") if s in shown]
    return found


@pytest.mark.parametrize("form", ["md", "html"])
@pytest.mark.parametrize("meeting", [False, True], ids=["plan", "meeting"])
def test_pseudonymised_export_leaks_nothing(
    hostile: Path, juhtum: Callable[..., Run], form: str, meeting: bool
) -> None:
    plain = export(juhtum, hostile, "-f", form, *(["--meeting", "2026-03-20"] if meeting else []))
    assert len(leaks(plain.out)) > 90  # the case shows them all without --pseudonymise
    run = export(
        juhtum,
        hostile,
        "-f",
        form,
        "--pseudonymise",
        *(["--meeting", "2026-03-20"] if meeting else []),
    )
    assert leaks(run.out) == []
    assert NOT_A_CODE in run.out  # an 11-digit number that is no personal code stays
    key = (hostile.parent / "key").read_bytes()

    def alias(name: str, code: str | None = None) -> str:
        return pseudonym.pseudonym(key, pseudonym.Person(name, code))

    # whole names are one pseudonym; "Anna-Liisa" is never split into Liisa Kask's "Liisa"
    anna_liisa = alias("Anna-Liisa O'Connor")
    assert f"ALGUS {anna_liisa} LÕPP" in run.out
    assert f"TEINE {alias('Liisa Kask')} LÕPP" in run.out
    assert f"KOLMAS {alias('Kristel Rebane', CODE)} LÕPP" in run.out
    # a stranger's personal code gets the pseudonym they would have if registered
    assert alias("", STRANGER) in run.out
    # what was replaced, counted by kind; no name, code or number on stderr
    assert re.search(
        r"replaced: [1-9]\d* names, [1-9]\d* personal codes, [1-9]\d* birth dates, "
        r"[1-9]\d* phone numbers, [1-9]\d* addresses, [1-9]\d* e-mail addresses",
        run.err,
    ), run.err
    assert "not installed" not in run.err
    assert leaks(run.err) == []


def test_the_place_of_a_meeting_is_pseudonymised(hostile: Path, juhtum: Callable[..., Run]) -> None:
    meeting = next((hostile / "cases" / CASE / "meetings").glob("*.yaml"))
    meeting.write_text(
        re.sub(r"(?m)^purpose: .*$", "purpose: Arutelu.", meeting.read_text()), encoding="utf-8"
    )
    run = export(juhtum, hostile, "--meeting", "2026-03-20", "--pseudonymise")
    assert "- **Place:** […], […]" in run.out
    assert "addresses" in run.err and " 0 addresses" not in run.err


def test_a_birth_date_written_with_dots_is_dropped_not_a_crash(
    hostile: Path, juhtum: Callable[..., Run]
) -> None:
    client = hostile / "cases" / CASE / "people" / "client.yaml"
    client.write_text(
        client.read_text().replace("birth_date: 1971-06-03", "birth_date: 03.06.1971"),
        encoding="utf-8",
    )
    run = export(juhtum, hostile, "--pseudonymise")
    assert leaks(run.out) == []


def test_the_birth_date_in_a_personal_code_is_dropped_too(
    hostile: Path, juhtum: Callable[..., Run]
) -> None:
    client = hostile / "cases" / CASE / "people" / "client.yaml"
    client.write_text(client.read_text().replace("birth_date: 1971-06-03\n", ""), encoding="utf-8")
    run = export(juhtum, hostile, "--pseudonymise", "-f", "html")
    assert leaks(run.out) == []


def test_without_the_analyser_exact_forms_are_replaced_and_the_export_says_so(
    hostile: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("estnltk", "estnltk.vabamorf", "estnltk.vabamorf.morf"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails: as if not installed
    run = export(juhtum, hostile, "--pseudonymise")
    assert "the Estonian morphological analyser is not installed" in run.err
    assert "juhtum[morph]" in run.err
    left = set(leaks(run.out))
    # every name as registered, in capitals, lower case and NFD, with endings added to it
    for exact in ("Rebane", "Kristel", "Kristeli", "Kristeliga", "Raud", "Sepp", "Mänd"):
        assert exact not in left
    for exact in ("Anna-Liisa", "Anna-Liisale", "O'Connor", "André", "Andréga", "Liisa"):
        assert exact not in left
    assert not {CODE, STRANGER, *PHONES, *BIRTHS} & left
    # what only the analyser finds: a stem that changes
    assert {"Rebase", "Rebasega", "Raua", "Sepa", "Männi"} <= left
    juhtum_et = juhtum(
        "--lang",
        "et",
        "--repo",
        hostile,
        "export",
        CASE,
        "--pseudonymise",
        "--key-file",
        hostile.parent / "key",
    )
    assert "morfoloogiline analüsaator ei ole paigaldatud" in juhtum_et.err


def test_omit_free_text_leaves_every_free_text_field_out(
    hostile: Path, juhtum: Callable[..., Run]
) -> None:
    plan = export(juhtum, hostile, "--omit-free-text").out
    assert "Kohtusin" not in plan and "arvuti raamatukogus" not in plan
    assert "Liina" not in plan  # the twin's goals and actions name its old client
    assert "Jaan Raud" in plan  # names are not free text: --pseudonymise replaces them
    assert "2026-06-30" in plan  # nor are dates
    meeting = export(juhtum, hostile, "--omit-free-text", "--meeting", "2026-03-20", "-f", "html")
    assert "Kohtusin" not in meeting.out and "Tähe" not in meeting.out
    assert "Liina saadab" not in meeting.out
    both = export(juhtum, hostile, "--omit-free-text", "--pseudonymise", "-f", "html")
    assert leaks(both.out) == []
    assert "Kohtusin" not in both.out


def test_a_blank_name_or_contact_replaces_nothing() -> None:
    people = [
        pseudonym.Person(" ", None, "  ", ("  ", "@", "     ")),
        pseudonym.Person("Ülle Mänd"),
    ]
    rewriter = pseudonym.Pseudonymiser(b"k" * 32, people, pseudonym.synthesiser())
    text = "Kohtumine toimus 2026. aastal, Männiga. Kiri: info@example.org"
    assert rewriter.apply(text) == (
        f"Kohtumine toimus 2026. aastal, {pseudonym.pseudonym(b'k' * 32, people[1])}. Kiri: […]"
    )
