"""What people print and sync (issue 11, item 7): the plan and the protocol for A4 with the
organisation's name, no empty columns, whole dates and earlier versions' signatures marked;
the report titled by organisation and period; a calendar that names no one, leaves out
what is finished, and reminds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run

Juhtum = Callable[..., Run]
TWIN = ROOT / "tests" / "cases" / "valid" / "twin"
CASE = "twin-a1"


@pytest.fixture
def twin(tmp_path: Path) -> Path:
    target = tmp_path / "twin"
    shutil.copytree(TWIN, target)
    return target


def names_in(repo: Path) -> list[str]:
    import yaml

    found = []
    for path in (repo / "cases" / CASE / "people").glob("*.yaml"):
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["name"].split())
    return [n for n in found if len(n) > 3]


# -- the calendar -----------------------------------------------------------------------------


def test_the_calendar_says_what_is_due_without_names_and_reminds(
    twin: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    from icalendar import Calendar

    (twin / "cases" / CASE / "monitoring" / "2026-03-05-done.yaml").write_text(
        f"case: {CASE}\ndate: 2026-03-05\nby: kk\nkind: contact\nprogress: x\n"
        "action_updates:\n  - action: a1\n    status: done\n  - action: a3\n    status: cancelled\n",
        encoding="utf-8",
    )
    out = tmp_path / "case.ics"
    result = juhtum("--lang", "et", "--repo", twin, "export", CASE, "-f", "ics", "-o", out)
    assert result.code == 0, result.output
    calendar = Calendar.from_ical(out.read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert f"{CASE}-action-a1@juhtum" not in events  # done
    assert f"{CASE}-action-a3@juhtum" not in events  # cancelled
    summaries = {uid: str(e["summary"]) for uid, e in events.items()}
    # a2 carries out measure m1, the catalogue's "Tööotsingu nõustamine"
    assert summaries[f"{CASE}-action-a2@juhtum"] == (
        f"{CASE}: tegevus a2: Tööotsingu nõustamine, tähtaeg"
    )
    assert summaries[f"{CASE}-action-a4@juhtum"] == (
        f"{CASE}: tegevus a4: juhtumikorraldaja tegevus, tähtaeg"
    )
    for event in events.values():
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger").days == -1
    text = out.read_text(encoding="utf-8")
    for name in names_in(twin):
        assert name not in text


# -- the plan and the protocol ---------------------------------------------------------------


def test_the_plan_prints_on_a4_with_the_organisation_and_no_empty_column(
    twin: Path, juhtum: Juhtum
) -> None:
    page = juhtum("--lang", "et", "--repo", twin, "export", CASE, "-f", "html")
    assert page.code == 0, page.output
    html = page.out
    assert "@page { size: A4" in html
    assert '<p class="organisation">Näidisküla Vallavalitsus</p>' in html
    assert html.index('class="organisation"') < html.index("<h1>")
    assert "<th>sagedus</th>" in html  # a2 has a frequency
    assert '<span class="date">30.06.2026</span>' in html  # as Estonian writes it, whole
    # every signature here is of version 1 of a version-2 plan: marked as such, in words
    assert "(paberil; allkiri plaani varasemale versioonile 1)" in html
    assert "(digitaalselt; allkiri plaani varasemale versioonile 1)" in html
    assert "(paper" not in html and "digital)" not in html

    plan = twin / "cases" / CASE / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if "frequency:" not in line]
    plan.write_text("".join(lines), encoding="utf-8")
    html = juhtum("--lang", "et", "--repo", twin, "export", CASE, "-f", "html").out
    assert "sagedus" not in html  # no action has a frequency: the column is left out
    assert "<th>ressursid</th>" in html

    md = juhtum("--lang", "et", "--repo", twin, "export", CASE, "-f", "md")
    assert md.out.startswith("**Näidisküla Vallavalitsus**\n")
    assert "sagedus" not in md.out


ISO_DATE = re.compile(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/-])")


@pytest.mark.parametrize("form", ["md", "html"])
@pytest.mark.parametrize("meeting", [[], ["--meeting", "2026-03-20"]], ids=["plan", "protocol"])
def test_the_plan_and_the_protocol_write_dates_as_the_language_does(
    twin: Path, juhtum: Juhtum, form: str, meeting: list[str]
) -> None:
    """issue 11: dates as the locale writes them where a person reads them; ISO in English."""
    estonian = juhtum("--lang", "et", "--repo", twin, "export", CASE, *meeting, "-f", form)
    assert estonian.code == 0, estonian.output
    assert ISO_DATE.findall(estonian.out) == []
    assert "20.03.2026" in estonian.out if meeting else "30.06.2026" in estonian.out
    english = juhtum("--lang", "en", "--repo", twin, "export", CASE, *meeting, "-f", form)
    assert english.code == 0, english.output
    assert "2026-03-20" in english.out if meeting else "2026-06-30" in english.out
    assert "20.03.2026" not in english.out and "30.06.2026" not in english.out


def test_the_protocol_names_the_organisation(twin: Path, juhtum: Juhtum) -> None:
    result = juhtum("--repo", twin, "export", CASE, "--meeting", "2026-03-20", "-f", "html")
    assert result.code == 0, result.output
    assert '<p class="organisation">Näidisküla Vallavalitsus</p>' in result.out
    assert "@page { size: A4" in result.out


def test_a_specialist_is_named_in_the_plan(twin: Path, juhtum: Juhtum) -> None:
    """A coordinator registered once for the repository prints by name, not by handle."""
    people = twin / "cases" / CASE / "people"
    text = (people / "kk.yaml").read_text(encoding="utf-8")
    (people / "kk.yaml").unlink()
    kept = [
        line
        for line in text.splitlines()
        if line.split(":")[0] in ("name", "organisation", "email", "phone")
    ]
    (twin / "specialists").mkdir()
    (twin / "specialists" / "kk.yaml").write_text(
        "handle: kk\n" + "\n".join(kept) + "\n", encoding="utf-8"
    )
    result = juhtum("--repo", twin, "export", CASE, "-f", "md")
    assert result.code == 0, result.output
    assert "Kaja Kuusk" in result.out
    assert "| kk |" not in result.out


# -- the report -------------------------------------------------------------------------------


def test_the_report_title_names_the_organisation_and_period(twin: Path, juhtum: Juhtum) -> None:
    result = juhtum("--repo", twin, "report", "--from", "2026-01-01", "--to", "2026-06-30")
    assert result.code == 0, result.output
    assert result.out.splitlines()[0] == (
        "Näidisküla Vallavalitsus: case management report, 2026-01-01 to 2026-06-30 (1 case)"
    )
    page = juhtum("--lang", "et", "--repo", twin, "report", "-f", "html", "--from", "2026-01-01")
    assert "<h1>Näidisküla Vallavalitsus: juhtumikorralduse aruanne, 01.01.2026 kuni" in page.out
