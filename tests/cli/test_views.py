"""Seeing the work: due, list, show, services, report and export, on cases with known dates.

Every test takes "today" from --today, never the clock. The HTML report and an
exported plan are rendered in headless Chromium (Debian's chromium package;
.ci/run installs it) and printed to PDF; a missing Chromium fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import EXAMPLES, Run, copy_fixture

CASES = Path(__file__).resolve().parents[1] / "cases"
TWIN = CASES / "valid" / "twin"
CASE = casebuild.CASE


@pytest.fixture(scope="module")
def implementation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return casebuild.build(tmp_path_factory.mktemp("due") / "repo", upto="implementation")


@pytest.fixture
def twin(tmp_path: Path) -> Path:
    """The valid twin, copied: commands write their cache into the repository they read."""
    return copy_fixture(TWIN, tmp_path / "fixture")


@pytest.fixture
def working(implementation: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(implementation, copy, symlinks=True)
    return copy


def due(juhtum: Callable[..., Run], repo: Path, today: str, *args: str) -> list[dict[str, Any]]:
    run = juhtum("--repo", repo, "--today", today, "due", "--json", *args)
    assert run.code == 0, run.output
    items: list[dict[str, Any]] = json.loads(run.out)
    return items


def brief(items: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
    return [(i["date"], i["kind"], i["overdue"]) for i in items]


def test_due_lists_actions_reviews_and_monitoring_soonest_first(
    working: Path, juhtum: Callable[..., Run]
) -> None:
    # plan v1 of the twin: a3 by 2026-03-31, a review on 2026-04-01, signed whole on 02-03
    items = due(juhtum, working, "2026-04-02", "--within", "14d")
    assert brief(items) == [
        ("2026-03-31", "action", True),
        ("2026-04-01", "review", True),
        ("2026-04-04", "monitoring", False),  # 60 days after 2026-02-03, nothing monitored
    ]
    assert items[0]["message"] == "plan action a3 is due (planned)"
    assert items[0]["case"] == CASE and items[0]["coordinator"] == "kk"
    # a monitoring entry marking a3 done and an evaluation holding the review clear them
    entry = working / "m.yaml"
    entry.write_text("kind: service_check\naction_updates:\n  - action: a3\n    status: done\n")
    assert (
        juhtum("--repo", working, "--today", "2026-04-03", "monitor", CASE, "-f", entry).code == 0
    )
    assert brief(due(juhtum, working, "2026-04-03", "--within", "14d")) == [
        ("2026-04-01", "review", True)
    ]
    assert brief(due(juhtum, working, "2026-04-03", "--within", "2m")) == [
        ("2026-04-01", "review", True),
        ("2026-04-30", "action", False),
        ("2026-04-30", "action", False),
        ("2026-06-02", "monitoring", False),
    ]
    assert due(juhtum, working, "2026-04-03", "--coordinator", "someone-else") == []


def test_due_text_marks_what_is_overdue(working: Path, juhtum: Callable[..., Run]) -> None:
    run = juhtum("--repo", working, "--today", "2026-04-02", "due")
    assert run.code == 0
    lines = run.out.splitlines()
    assert "OVERDUE" in lines[0] and "plan action a3" in lines[0]
    assert "OVERDUE" not in lines[2]
    assert lines[-1] == "3 due within 14 days, 2 of them overdue."


def test_due_signatures_first_review_agreements_and_follow_up(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    plan_stage = casebuild.build(tmp_path / "plan", upto="plan")
    assert brief(due(juhtum, plan_stage, "2026-02-10")) == [("2026-02-02", "signatures", True)]
    assert due(juhtum, plan_stage, "2026-02-10")[0]["message"] == (
        "the plan waits for the signatures of ode (juhis §4.2)"
    )
    # the closed twin agreed a follow-up on 2026-09-20 and nobody has made it
    twin = tmp_path / "twin"
    shutil.copytree(TWIN, twin, ignore=shutil.ignore_patterns(".juhtum"))
    assert brief(due(juhtum, twin, "2026-09-10")) == [("2026-09-20", "followup", False)]
    # an open meeting agreement, and a first review later than three months after the plan
    case = twin / "cases" / "twin-a1"
    data = yamlio.load_file(case / "case.yaml", path="x").data
    (case / "case.yaml").write_text(yamlio.dumps({**data, "stage": "implementation"}))
    (case / "closing.yaml").unlink()
    (case / "evaluations" / "2026-06-15-j9k0.yaml").unlink()
    meeting = case / "meetings" / "2026-03-20-g7h8.yaml"
    found = {(i["date"], i["kind"]) for i in due(juhtum, twin, "2026-03-25")}
    assert ("2026-04-03", "agreement") in found
    doc = yamlio.load_file(meeting, path="x").data
    doc["agreements"][0]["done"] = "2026-03-30"
    meeting.write_text(yamlio.dumps(doc))
    assert ("2026-04-03", "agreement") not in {
        (i["date"], i["kind"]) for i in due(juhtum, twin, "2026-03-31")
    }
    plan = yamlio.load_file(case / "plan.yaml", path="x").data
    plan["reviews"][0]["date"] = "2026-06-01"
    (case / "plan.yaml").write_text(yamlio.dumps(plan))
    late = [i for i in due(juhtum, twin, "2026-05-01") if i["kind"] == "first_review"]
    assert [(i["date"], i["message"]) for i in late] == [
        (
            "2026-05-02",
            "the plan's first interim review is later than 3 months after the plan: "
            "set one by 2026-05-02 (juhis §4.1)",
        )
    ]


def test_list_filters_and_show(working: Path, juhtum: Callable[..., Run]) -> None:
    listed = json.loads(
        juhtum("--repo", working, "--today", "2026-04-02", "list", "--overdue", "--json").out
    )
    assert [(r["id"], r["overdue"]) for r in listed] == [(CASE, 2)]
    assert json.loads(juhtum("--repo", working, "list", "--coordinator", "kk", "--json").out)
    assert json.loads(juhtum("--repo", working, "list", "--framework", "child", "--json").out) == []
    shown = json.loads(
        juhtum("--repo", working, "--today", "2026-03-15", "show", CASE, "--json").out
    )
    assert [(g["id"], g["deadline"], g["actions"], g["done"]) for g in shown["goals"]] == [
        ("g1", "2026-06-30", 3, 0),
        ("g2", "2026-06-30", 2, 0),
    ]
    assert [a["id"] for a in shown["open_actions"]] == ["a1", "a2", "a3", "a4"]
    assert shown["next_review"] == "2026-04-01"
    text = juhtum("--repo", working, "--today", "2026-04-02", "show", CASE).out
    assert "Next review:" not in text  # the review of 2026-04-01 has passed
    assert "a3: 2026-03-31 OVERDUE" in text


def test_services_catalogue(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    repo = copy_fixture(EXAMPLES / "lepiku", tmp_path)
    every = json.loads(juhtum("--repo", repo, "services", "--json").out)
    assert len(every) == len(list((repo / "services").glob("*.yaml")))
    employment = json.loads(
        juhtum("--repo", repo, "services", "--domain", "employment", "--json").out
    )
    assert employment and all("employment" in e["domains"] for e in employment)
    assert len(employment) < len(every)
    found = json.loads(juhtum("--repo", repo, "services", "--search", "VÕLA", "--json").out)
    assert [e["id"] for e in found] == ["kaseoru-volanoustamine"]


# -- the report -----------------------------------------------------------------------------------


def report(juhtum: Callable[..., Run], repo: Path, *args: str) -> dict[str, Any]:
    run = juhtum("--repo", repo, "--today", "2026-11-23", "report", "--format", "json", *args)
    assert run.code == 0, run.output
    figures: dict[str, Any] = json.loads(run.out)
    return figures


def test_report_figures_of_the_twin(juhtum: Callable[..., Run], twin: Path) -> None:
    figures = report(juhtum, twin)
    assert figures["cases"] == 1
    assert figures["by_state"] == {"closed": 1}
    assert figures["caseload"] == {"kk2": {"closed": 1}}
    assert figures["overdue_actions"] == {}
    # need 01-05, assessment 01-12 (agreement), planning 01-20, plan 02-02, signed 02-03,
    # evaluation 06-15, closed 06-20
    assert {s: f["median"] for s, f in figures["days_in_stage"].items()} == {
        "need": 7,
        "assessment": 8,
        "planning": 13,
        "plan": 1,
        "implementation": 132,
        "evaluation": 5,
    }
    assert figures["closings"] == {
        "total": 1,
        "by_reason": {"goals_achieved": 1},
        "with_evaluation": 1,
    }
    assert figures["service_wait_days"]["started"] == {
        "n": 1,
        "mean": 14.0,
        "median": 14,
        "max": 14,
    }
    assert figures["goal_results"] == {
        "total": {"achieved": 2},
        "by_domain": {"employment": {"achieved": 1}, "income": {"achieved": 1}},
    }
    assert figures["feedback"] == {"closings": 1, "collected": 1, "average_satisfaction": 5.0}
    assert figures["not_helped"] == {}


def test_report_period_clips_and_selects(juhtum: Callable[..., Run], twin: Path) -> None:
    march = report(juhtum, twin, "--from", "2026-03-01", "--to", "2026-03-31")
    assert march["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert march["cases"] == 1
    assert march["days_in_stage"] == {
        "implementation": {"n": 1, "mean": 30.0, "median": 30, "max": 30}
    }
    assert march["closings"]["total"] == 0 and march["goal_results"]["total"] == {}


def test_report_counts_what_evaluation_found_not_to_help(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(TWIN, twin, ignore=shutil.ignore_patterns(".juhtum"))
    path = twin / "cases" / "twin-a1" / "evaluations" / "2026-06-15-j9k0.yaml"
    data = yamlio.load_file(path, path="x").data
    data["goal_results"][0]["result"] = "not_achieved"
    path.write_text(yamlio.dumps(data))
    figures = report(juhtum, twin)
    assert figures["not_helped"] == {"toovahendus": 1}
    assert figures["goal_results"]["total"] == {"achieved": 1, "not_achieved": 1}


def test_report_table_and_csv_carry_the_same_figures(
    juhtum: Callable[..., Run], twin: Path
) -> None:
    table = juhtum("--repo", twin, "--today", "2026-11-23", "report").out
    assert "Days spent in each stage" in table
    assert re.search(r"implementation: median\s+132", table)
    rows = list(
        csv.reader(
            io.StringIO(juhtum("--repo", twin, "--today", "2026-11-23", "report", "-f", "csv").out)
        )
    )
    assert rows[0] == ["section", "group", "key", "value"]
    assert ["days_in_stage", "implementation", "median", "132"] in rows
    assert ["feedback", "", "average_satisfaction", "5.0"] in rows


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("headless Chromium is needed: apt-get install chromium (.ci/run does it)")
    return found


def render(page: Path, tmp_path: Path) -> tuple[str, str]:
    """The page's DOM as Chromium renders it, and the text of the PDF it prints."""
    from pypdf import PdfReader

    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ]
    dom = subprocess.run(
        [chromium(), *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    pdf = tmp_path / "page.pdf"
    subprocess.run(
        [chromium(), *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    return dom, text


def test_html_report_renders_and_prints_in_chromium(
    tmp_path: Path, juhtum: Callable[..., Run], twin: Path
) -> None:
    page = tmp_path / "report.html"
    assert (
        juhtum("--repo", twin, "--today", "2026-11-23", "report", "-f", "html", "-o", page).code
        == 0
    )
    html = page.read_text()
    assert "<script" not in html and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # self-contained
    dom, text = render(page, tmp_path)
    assert dom.count("<svg") >= 3
    assert 'aria-label="Days spent in each stage"' in dom
    for figure in ("Days spent in each stage", "132", "goals achieved", "average satisfaction"):
        assert figure in text, figure


def test_exported_plan_renders_prints_and_has_a_line_for_every_signer(
    tmp_path: Path, juhtum: Callable[..., Run], twin: Path
) -> None:
    page = tmp_path / "plan.html"
    assert juhtum("--repo", twin, "export", "twin-a1", "-f", "html", "-o", page).code == 0
    markdown = juhtum("--repo", twin, "export", "twin-a1", "-f", "md").out
    for signer in (
        "Liina Kõrvits",
        "Kaja Kuusk",
        "Töötukassa Näidiskülas",
        "Mare Kõrvits",
        "Kalev Kivi",
    ):
        assert re.search(rf"^{re.escape(signer)}.*: ", markdown, re.M), signer
    assert "Kalev Kivi (Näidisküla Vallavalitsus): ______" in markdown  # not signed yet
    dom, text = render(page, tmp_path)
    assert dom.count('class="signature"') == 5
    for seen in ("Case plan twin-a1", "kandideerib", "47905212148", "Signatures", "2026-02-03"):
        assert seen in text, seen


def test_meeting_protocol_export(juhtum: Callable[..., Run], twin: Path) -> None:
    run = juhtum("--repo", twin, "export", "twin-a1", "--meeting", "2026-03-20")
    assert run.code == 0, run.output
    assert "# Network meeting 2026-03-20, case twin-a1" in run.out
    assert "| Liina saadab kaks avaldust. | Liina Kõrvits | 2026-04-03 |" in run.out
    assert "Copies to: Liina Kõrvits, Kalev Kivi" in run.out
    missing = juhtum("--repo", twin, "export", "twin-a1", "--meeting", "2020-01-01")
    assert missing.code == 1 and "meetings/2026-03-20-g7h8.yaml" in missing.err


def test_calendar_holds_one_event_per_deadline_and_review(
    juhtum: Callable[..., Run], twin: Path, tmp_path: Path
) -> None:
    from icalendar import Calendar

    out = tmp_path / "case.ics"
    assert juhtum("--repo", twin, "export", "twin-a1", "-f", "ics", "-o", out).code == 0
    calendar = Calendar.from_ical(out.read_bytes())
    events = {(str(e["uid"]), e.decoded("dtstart").isoformat()) for e in calendar.walk("VEVENT")}
    assert events == {
        ("twin-a1-goal-g1@juhtum", "2026-06-30"),
        ("twin-a1-goal-g2@juhtum", "2026-06-30"),
        ("twin-a1-action-a1@juhtum", "2026-04-30"),
        ("twin-a1-action-a2@juhtum", "2026-05-29"),
        ("twin-a1-action-a3@juhtum", "2026-03-31"),
        ("twin-a1-action-a4@juhtum", "2026-06-30"),
        ("twin-a1-review-1@juhtum", "2026-04-01"),
        ("twin-a1-agreement-2026-03-20-1@juhtum", "2026-04-03"),
        ("twin-a1-follow-up@juhtum", "2026-09-20"),
    }
    assert "Liina" not in out.read_text()


# -- pseudonymised exports --------------------------------------------------------------------


def secrets_of(case: Path) -> set[str]:
    """Every name, part of a person's name, personal code and birth date of a case."""
    found: set[str] = set()
    for path in (case / "people").glob("*.yaml"):
        person = yamlio.load_file(path, path="x").data
        name = person["name"]
        found.add(name)
        words = name.split()
        if 2 <= len(words) <= 4 and all(
            w[:1].isupper() and w.replace("-", "").isalpha() for w in words
        ):
            found.update(w for w in words if len(w) >= 3)
        for key in ("personal_code", "birth_date"):
            if person.get(key):
                found.add(str(person[key]))
    return found


def exports(juhtum: Callable[..., Run], repo: Path, case: Path, key: Path) -> list[str]:
    texts = []
    for form in ("md", "html"):
        if (case / "plan.yaml").exists():
            run = juhtum(
                "--repo", repo, "export", case.name, "-f", form, "--pseudonymise", "--key-file", key
            )
            assert run.code == 0, run.output
            texts.append(run.out)
        for meeting in sorted((case / "meetings").glob("*.yaml")):
            run = juhtum(
                "--repo",
                repo,
                "export",
                case.name,
                "--meeting",
                f"meetings/{meeting.name}",
                "-f",
                form,
                "--pseudonymise",
                "--key-file",
                key,
            )
            assert run.code == 0, run.output
            texts.append(run.out)
    return texts


@pytest.mark.parametrize(
    "repo", sorted(p for p in EXAMPLES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_pseudonymised_exports_show_no_name_code_or_birth_date(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(repo, tmp_path / "fixture")
    key = tmp_path / "key"
    exported = 0
    for case in sorted((repo / "cases").iterdir()):
        secrets = secrets_of(case)
        for text in exports(juhtum, repo, case, key):
            exported += 1
            leaked = sorted(s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}", text))
            assert leaked == [], (case.name, leaked)
    assert exported >= 4


def test_the_same_person_gets_the_same_pseudonym_with_the_same_key(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(EXAMPLES / "kaasiku", tmp_path / "fixture")
    case = "kaasiku-m4t8qe"
    key, other = tmp_path / "key", tmp_path / "other"

    def export(*args: str | Path) -> str:
        run = juhtum("--repo", repo, "export", case, "--pseudonymise", *args)
        assert run.code == 0, run.output
        return run.out

    plan = export("--key-file", key)
    again = export("--key-file", key)
    meeting = export("--meeting", "2026-10-07", "--key-file", key)
    assert plan == again
    aliases = set(re.findall(r"P-[A-Z2-7]{8}", plan))
    assert aliases and aliases & set(re.findall(r"P-[A-Z2-7]{8}", meeting))
    assert not aliases & set(re.findall(r"P-[A-Z2-7]{8}", export("--key-file", other)))


def test_the_key_stays_outside_the_repository(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(TWIN, twin, ignore=shutil.ignore_patterns(".juhtum"))
    run = juhtum("--repo", twin, "export", "twin-a1", "--pseudonymise", "--key-file", twin / "key")
    assert run.code == 1 and "outside the case repository" in run.err


def test_validate_checks_a_measures_catalogue_entry(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(TWIN, twin, ignore=shutil.ignore_patterns(".juhtum"))
    (twin / "services" / "toovahendus.yaml").rename(twin / "services" / "tookoht.yaml")
    run = juhtum("--repo", twin, "validate", "--format", "json")
    errors = [p for p in json.loads(run.out)["problems"] if p["severity"] == "error"]
    assert run.code == 1
    assert [(p["rule"], p["field"]) for p in errors] == [("I17", "measures[0].catalogue")]
    assert "services/toovahendus.yaml" in errors[0]["message"]


def test_show_of_a_closed_case_lists_nothing_open_or_due(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """Actions nobody marked done stay 'planned' in the facts; once the case is closed they
    are history, not open work, and no review is due."""
    repo = copy_fixture(EXAMPLES / "lepiku", tmp_path / "lepiku")
    shutil.rmtree(repo / "cases" / "lepiku-r7k2m4" / "monitoring")  # no action ever updated
    run = juhtum("--repo", repo, "--lang", "en", "--today", "2026-11-29", "show", "lepiku-r7k2m4")
    assert run.code == 0, run.output
    assert "State: closed" in run.out
    assert "Open actions" not in run.out and "Next review" not in run.out


def test_the_report_writes_decimals_as_the_language_does(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    repo = copy_fixture(EXAMPLES / "lepiku", tmp_path / "lepiku")
    args = ("--repo", repo, "--today", "2026-11-29", "report")
    estonian = juhtum("--lang", "et", *args).out
    english = juhtum("--lang", "en", *args).out
    point = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.,])")  # 3.5, not a date 29.11.2026
    assert point.search(english) and not point.search(estonian)
    assert re.search(r"(?<![\d.,])\d+,\d+(?![\d.,])", estonian)
