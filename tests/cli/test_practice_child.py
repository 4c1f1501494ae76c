"""A child's case (LasteKS; issue 12 item 7), through the real CLI on real git repositories.

The case is built from the kaasiku example's documents (kaasiku-m4t8qe, a boy of nine):
the child's own view at the assessment, the plan and the evaluation, the conclusions told
to the child, the notification that started the case and its decision within 10 days, the
reporter kept out of every export, the child's signature line on the printed plan, and the
child who turns 18 going on in the adult framework.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from juhtum.model import personal_code
from tests.conftest import EXAMPLES, Run, git

Juhtum = Callable[..., Run]
SOURCE = EXAMPLES / "kaasiku" / "cases" / "kaasiku-m4t8qe"
ID = "lk-1"
DAY = "2026-08-27"
SIGNERS = ("ema", "isa", "psyh", "lepitaja", "sotsosakond", "sotsped", "vanaema", "kk-ms")
REPORTER = "Tiina Pärn"


def load(name: str) -> dict[str, Any]:
    data = yamlio.load_file(SOURCE / name, path=name).data
    assert isinstance(data, dict)
    copied: dict[str, Any] = json.loads(json.dumps(data).replace("kaasiku-m4t8qe", ID))
    return copied


class Child:
    """A child case in a new case repository, driven by the CLI."""

    def __init__(self, root: Path, juhtum: Juhtum) -> None:
        self.root, self.juhtum = root, juhtum
        self.work = root.parent / "documents"
        self.work.mkdir()
        assert juhtum("init", root, "--organisation", "Kaasiku vald", "--language", "en").code == 0
        shutil.copytree(EXAMPLES / "kaasiku" / "services", root / "services")
        git(root, "add", "services")
        git(root, "commit", "-qm", "catalogue")

    def run(self, today: str, *args: str | Path) -> Run:
        return self.juhtum("--repo", str(self.root), "--today", today, *map(str, args))

    def ok(self, today: str, *args: str | Path) -> Run:
        done = self.run(today, *args)
        assert done.code == 0, done.output
        return done

    def file(self, name: str, data: Any) -> Path:
        path = self.work / name.replace("/", "-")
        path.write_text(yamlio.dumps(data), encoding="utf-8")
        return path

    def open(self, today: str = "2026-05-18") -> None:
        self.ok(today, "new", "--client", "Oskar Test", "--framework", "child", "--id", ID)
        for person in sorted((SOURCE / "people").glob("*.yaml")):
            if person.stem != "client":
                data = load(f"people/{person.name}")
                self.ok(
                    today,
                    "people",
                    ID,
                    "--add",
                    person.stem,
                    "--file",
                    self.file(person.name, data),
                )

    def upto_plan(self, plan: dict[str, Any] | None = None) -> None:
        """need, assessment and planning as in the example, then the plan (unsigned)."""
        self.open()
        self.ok("2026-06-02", "need", ID, "-f", self.file("need.yaml", load("need.yaml")))
        self.ok(DAY, "assess", ID, "-f", self.file("assessment.yaml", load("assessment.yaml")))
        self.ok(DAY, "measures", ID, "-f", self.file("planning.yaml", load("planning.yaml")))
        if plan is None:
            plan = load("plan.yaml")
        plan.pop("signatures", None)
        self.ok(DAY, "plan", ID, "-f", self.file("plan.yaml", plan))

    def sign_all(self) -> None:
        for party in SIGNERS:
            self.ok(DAY, "sign", ID, "--party", party)

    def document(self, name: str) -> dict[str, Any]:
        path = self.root / "cases" / ID / name
        data = yamlio.load_file(path, path=name).data
        assert isinstance(data, dict)
        return data

    def stage(self) -> str:
        return str(self.document("case.yaml")["stage"])

    def clean(self, today: str) -> Run:
        checked = self.run(today, "validate")
        assert checked.code == 0, checked.output
        assert " 0 errors" in checked.out
        return checked


@pytest.fixture
def child(tmp_path: Path, juhtum: Juhtum) -> Child:
    return Child(tmp_path / "repo", juhtum)


def evaluation(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": "2026-11-20",
        "team": ["kk-ms", "ema", "isa", "client"],
        "purpose": "Vahehindamine.",
        "announced_to": ["ema", "isa", "client", "psyh", "lepitaja", "sotsosakond", "sotsped"],
        "views": [{"who": "ema", "view": "Esmaspäevad on rahulikumad."}],
        "goal_results": [
            {"goal": g["id"], "result": "partly", "evidence": "Puudumisi vähem."}
            for g in load("plan.yaml")["goals"]
        ],
        "client_view": {"statement": "Oskar tahab, et kalender jääks."},
        "child_view": {
            "date": "2026-11-20",
            "statement": "Oskar tahab, et kalender jääks.",
            "weighed": "Kalender jääb, nagu Oskar soovis.",
        },
        "shared_with": [
            "client",
            "ema",
            "isa",
            "psyh",
            "lepitaja",
            "sotsosakond",
            "sotsped",
            "vanaema",
        ],
        "recommendations": "Jätkata.",
        "decision": "continue",
        "next_review": "2027-02-19",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# -- the child's own view ------------------------------------------------------------------


def test_an_assessment_without_the_childs_view_is_named_at_every_step(child: Child) -> None:
    """A missing child_view is a warning (documents written before it existed stay valid)
    that every run shows, CI included; a view the decision departs from without a reason is
    an error that keeps planning from starting."""
    child.open()
    child.ok("2026-06-02", "need", ID, "-f", child.file("need.yaml", load("need.yaml")))
    assessment = load("assessment.yaml")
    view = assessment.pop("child_view")
    child.ok(DAY, "assess", ID, "-f", child.file("assessment.yaml", assessment))  # a draft
    todo = child.run(DAY, "validate", "--todo")
    assert "[LasteKS] child_view: record the child's own view of the assessment" in todo.out
    # the child's view that differs from the decision needs its reason
    assessment["child_view"] = {**view, "differs": True}
    assessment["child_view"].pop("differs_reason", None)
    child.ok(DAY, "assess", ID, "-f", child.file("assessment.yaml", assessment))
    todo = child.run(DAY, "validate", "--todo")
    assert "record why (child_view.differs_reason" in todo.out
    refused = child.run(
        DAY, "measures", ID, "-f", child.file("planning.yaml", load("planning.yaml"))
    )
    assert refused.code == 1
    assert "differs_reason" in refused.output
    assert child.stage() == "assessment"
    # the old gap, planning started with nothing from the child, is now said at every step
    del assessment["child_view"]
    child.ok(DAY, "assess", ID, "-f", child.file("assessment.yaml", assessment))
    child.ok(DAY, "measures", ID, "-f", child.file("planning.yaml", load("planning.yaml")))
    assert child.stage() == "planning"
    checked = child.run(DAY, "validate")
    assert checked.code == 0 and "[LasteKS]" in checked.out and "child_view" in checked.out


def test_a_childs_plan_without_the_childs_view_is_warned_unless_a_reason_is_given(
    child: Child,
) -> None:
    plan = load("plan.yaml")
    plan.pop("child_view")
    child.upto_plan(plan)
    todo = child.run(DAY, "validate", "--todo")
    assert "[LasteKS] child_view: record the child's own view of the plan" in todo.out
    # a young child: the age prevents it, and the reason says why
    plan["child_view"] = {
        "date": DAY,
        "not_possible": {"cause": "age", "reason": "Laps on liiga väike, et plaani arutada."},
    }
    child.ok(DAY, "plan", ID, "-f", child.file("plan.yaml", plan))
    assert "child_view" not in child.run(DAY, "validate", "--todo").out
    child.sign_all()
    assert child.stage() == "implementation"
    child.clean(DAY)


def test_the_evaluation_hears_the_child_and_tells_the_child_its_conclusions(
    child: Child,
) -> None:
    child.upto_plan()
    child.sign_all()
    assert child.stage() == "implementation"
    today = "2026-11-20"
    # told to the representatives only, and the child not heard: the old gap, now named
    only_parents = evaluation(
        shared_with=[h for h in evaluation()["shared_with"] if h != "client"], child_view=None
    )
    told = child.ok(today, "evaluate", ID, "-f", child.file("evaluation.yaml", only_parents))
    assert "not told to the child: add client to shared_with" in told.out
    assert "child's own view at the evaluation" in told.out
    # the child cannot take part: recorded with the cause, and nothing is left to warn about
    excused = evaluation(
        shared_with=only_parents["shared_with"],
        child_not_told={"cause": "ability", "reason": "Oskar oli haiglas."},
        child_view={
            "date": today,
            "not_possible": {"cause": "ability", "reason": "Oskar oli haiglas."},
        },
    )
    child.ok(today, "evaluate", ID, "-f", child.file("evaluation.yaml", excused))
    assert child.stage() == "implementation"
    checked = child.clean(today)
    assert "Oskar oli haiglas" not in checked.out
    assert checked.out.count("not told to the child") == 1  # the first evaluation's, a warning


# -- the notification and its decision within 10 days --------------------------------------


def test_the_notification_is_decided_within_10_days_and_due_says_so(child: Child) -> None:
    child.open("2026-05-18")
    need = load("need.yaml")
    assert need["notification"]["received"] == "2026-05-18"
    draft = {k: need[k] for k in ("case", "specialist", "info_sufficient", "notification")}
    child.ok("2026-05-19", "need", ID, "-f", child.file("need.yaml", draft))
    due = child.run("2026-05-19", "due", "--within", "14d")
    assert "decide on the notification of a child in need received on 2026-05-18" in due.out
    assert "2026-05-28" in due.out
    assert REPORTER not in due.out
    # late: validate warns, and says by when it was due
    late = child.run("2026-06-01", "validate")
    assert late.code == 0
    assert "[LasteKS]" in late.out and "it was due by 2026-05-28" in late.out
    # decided on the tenth day: nothing due, nothing to warn about
    child.ok("2026-06-02", "need", ID, "-f", child.file("need.yaml", need))
    assert "notification" not in child.run("2026-06-02", "due", "--within", "14d").out
    checked = child.run("2026-06-02", "validate")
    assert checked.code == 0 and "notification" not in checked.out


def test_a_decision_later_than_10_days_is_a_warning(child: Child) -> None:
    child.open("2026-05-01")
    need = load("need.yaml")
    need["notification"]["received"] = "2026-05-01"
    for source in need["initial_info"]["sources"]:
        source["obtained"] = max(source["obtained"], "2026-05-14")
    child.ok("2026-06-02", "need", ID, "-f", child.file("need.yaml", need))
    checked = child.run("2026-06-02", "validate")
    assert checked.code == 0
    assert "came on 2026-05-28, later than 10 days (LasteKS § 27)" in checked.out


def test_the_reporter_appears_in_no_export_or_report(child: Child) -> None:
    child.upto_plan()
    child.sign_all()
    need = (child.root / "cases" / ID / "need.yaml").read_text(encoding="utf-8")
    assert REPORTER in need  # recorded in the case
    later = "2026-09-01"
    outputs = [
        child.ok(later, "export", ID, "--format", "md").out,
        child.ok(later, "export", ID, "--format", "html").out,
        child.ok(later, "export", ID, "--format", "ics").out,
        child.ok(later, "report").out,
        child.ok(later, "report", "--format", "csv").out,
        child.ok(later, "show", ID).out,
        child.ok(later, "show", ID, "--json").out,
        child.ok(later, "status", ID).out,
        child.ok(later, "due", "--within", "400d").out,
        child.ok(later, "validate", "--format", "json").out,
    ]
    for out in outputs:
        assert REPORTER not in out and "Pärn" not in out
    # show says when it came and when it was decided, never who reported
    assert "Notification of a child in need: received 2026-05-18, decided 2026-05-28" in outputs[5]
    assert json.loads(outputs[6])["notification"] == {
        "received": "2026-05-18",
        "decided": "2026-05-28",
    }


def test_confidential_fields_are_left_out_of_the_case_every_export_reads() -> None:
    from juhtum.model.case import Case, Doc
    from juhtum.output.export.omit import without_confidential

    need = load("need.yaml")
    case = Case(ID, f"cases/{ID}", [Doc("need", f"cases/{ID}/need.yaml", "need.yaml", need)])
    kept = without_confidential(case).need
    assert "reporter" not in kept["notification"]
    assert kept["notification"]["received"] == "2026-05-18"
    assert need["notification"]["reporter"]["name"] == REPORTER  # the case itself unchanged


# -- the printed plan --------------------------------------------------------------------


def test_the_printed_plan_has_the_childs_signature_line(child: Child) -> None:
    child.upto_plan()
    printed = child.ok(DAY, "export", ID, "--format", "md").out
    assert "Oskar Test (the child): ______________________" in printed
    html = child.ok(DAY, "export", ID, "--format", "html").out
    assert "Oskar Test (the child)" in html
    # the child's own signature is welcome, not required: the plan is in force without it
    child.sign_all()
    assert child.stage() == "implementation"
    child.ok(DAY, "sign", ID, "--party", "client")
    printed = child.ok(DAY, "export", ID, "--format", "md").out
    assert f"Oskar Test (the child): {DAY}" in printed
    child.clean(DAY)


# -- a child who turns 18 --------------------------------------------------------------------


def adult_on(child: Child, born: dt.date) -> None:
    """Give the child a personal code of someone born on ``born``."""
    person = load("people/client.yaml")
    person["name"] = "Oskar Test"
    person["personal_code"] = personal_code.generate(born, "M", 1)
    person["birth_date"] = born.isoformat()
    child.ok(
        "2026-06-02", "edit", ID, "people/client.yaml", "-f", child.file("client.yaml", person)
    )


def test_a_child_who_turns_18_goes_on_in_the_adult_framework(child: Child) -> None:
    child.upto_plan()
    adult_on(child, dt.date(2008, 10, 15))
    child.sign_all()
    # due warns ahead of the 18th birthday, so the coordinator decides in time
    due = child.run("2026-07-20", "due", "--within", "14d")
    assert "the child turns 18 on 2026-10-15" in due.out
    assert f"juhtum adult {ID}" in due.out and f"juhtum close {ID}" in due.out
    assert "turns 18" not in child.run("2026-06-01", "due", "--within", "14d").out
    # after the birthday, still a child's case: validate warns
    warned = child.run("2026-10-20", "validate")
    assert warned.code == 0 and "the person is 18" in warned.out
    # not before the 18th birthday
    early = child.run("2026-10-20", "adult", ID, "--from", "2026-10-01")
    assert early.code == 1
    assert "before the person turns 18" in early.output
    assert child.document("case.yaml")["framework"] == "child"
    assert child.run("2026-10-20", "adult", ID, "--from", "2026-13-01").code == 2
    # from the 18th birthday, read from the personal code
    done = child.ok("2026-10-20", "adult", ID)
    case = child.document("case.yaml")
    assert case["framework"] == "adult"
    assert case["framework_changes"] == [{"from": "child", "to": "adult", "date": "2026-10-15"}]
    assert "2026-10-15" not in git(child.root, "log", "-1", "--format=%B")  # it tells the birth
    assert "child -> adult" in git(child.root, "log", "-1", "--format=%s") + done.out
    # the earlier documents stay valid under the child framework: the plan stays in force
    checked = child.clean("2026-10-20")
    assert "the person is 18" not in checked.out
    assert "turns 18" not in child.run("2026-10-20", "due", "--within", "400d").out
    again = child.run("2026-10-20", "adult", ID)
    assert again.code == 1 and "not in the child framework" in again.output
    # an evaluation after the change is an adult's: the person's own view, no child_view
    today = "2026-11-20"
    adult = evaluation(child_view=None)
    child.ok(today, "evaluate", ID, "-f", child.file("evaluation.yaml", adult))
    child.clean(today)


def test_the_change_of_framework_can_be_written_by_hand_with_its_reason(child: Child) -> None:
    child.upto_plan()
    adult_on(child, dt.date(2008, 10, 15))
    child.sign_all()
    case = child.document("case.yaml")
    # a framework changed without a record would break the child's assessment and plan
    bare = {**case, "framework": "adult"}
    refused = child.run("2026-10-20", "edit", ID, "case.yaml", "-f", child.file("case.yaml", bare))
    assert refused.code == 1
    early = {
        **case,
        "framework": "adult",
        "framework_changes": [{"from": "child", "to": "adult", "date": "2026-10-01"}],
    }
    refused = child.run("2026-10-20", "edit", ID, "case.yaml", "-f", child.file("case.yaml", early))
    assert refused.code == 1 and "before the person turns 18" in refused.output
    changed = {
        **case,
        "framework": "adult",
        "framework_changes": [
            {"from": "child", "to": "adult", "date": "2026-11-02", "reason": "Soovib abi jätkata."}
        ],
    }
    child.ok("2026-11-02", "edit", ID, "case.yaml", "-f", child.file("case.yaml", changed))
    child.clean("2026-11-02")


def test_without_a_birth_date_the_day_is_given(child: Child) -> None:
    child.open()
    refused = child.run("2026-05-18", "adult", ID)
    assert refused.code == 1
    assert "give the date with --from YYYY-MM-DD" in refused.output
    # a nine-year-old: years ahead is no decision to record now
    adult_on(child, dt.date(2017, 3, 14))
    refused = child.run("2026-06-02", "adult", ID)
    assert refused.code == 1 and "more than 90 days from now" in refused.output
    assert child.document("case.yaml")["framework"] == "child"


def test_framework_changes_must_lead_to_the_framework(child: Child) -> None:
    child.open()
    case = child.document("case.yaml")
    wrong = {
        **case,
        "framework_changes": [{"from": "child", "to": "adult", "date": "2026-05-18"}],
    }
    refused = child.run("2026-05-18", "edit", ID, "case.yaml", "-f", child.file("case.yaml", wrong))
    assert refused.code == 1
    assert "the last change in framework_changes is to adult" in refused.output
