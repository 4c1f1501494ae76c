"""No exit around §7 (issue 12 item 5): once case management was decided (juhis §1.4), a
referral to a single service is a closing with reason ``referred`` that asks what §7.2 asks,
not a silent ``assess --refer`` (seed 002: cases ended at the referral, with no feedback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run, git

Juhtum = Callable[..., Run]
DAY = "2026-02-10"

REFERRED = """\
date: 2026-02-10
reason: referred
details: Hindamisel selgus, et Liina vajab ainult tööturuteenust; Töötukassa tagab selle.
referrals:
  - to: tk
    service: tööotsingu nõustamine
    date: 2026-02-09
feedback:
  collected: true
  date: 2026-02-10
  text: Liina on rahul, et sai kiiresti õigesse kohta.
  satisfaction: 4
rights_explained: true
consequences_explained: true
strategies: Liina pöördub Töötukassa konsultandi poole, kui töö otsimine takerdub.
resources: Õde toetab, Liinal on kehtiv juhiluba.
help_contacts:
  - valla sotsiaaltöötaja, tel 555 0101
follow_up:
  date: 2026-03-10
  method: telefonikõne, kas teenus algas
"""


@pytest.fixture
def assessed(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="assessment")


def write(tmp_path: Path, text: str, name: str = "closing.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_assess_refer_after_case_management_no_longer_ends_the_case(
    assessed: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    """The old loophole: ``assess --refer`` ended a case-management case as referred with no
    feedback or follow-up. Now it is refused, naming the closing command, and nothing moves."""
    work = tmp_path / "documents"
    work.mkdir()
    assessment = casebuild.document("assessment.yaml", work)
    text = assessment.read_text(encoding="utf-8")
    assessment.write_text(
        text + "referrals:\n  - to: tk\n    service: tööotsingu nõustamine\n    date: 2026-02-09\n",
        encoding="utf-8",
    )
    r = ("--repo", str(assessed), "--today", DAY)
    refused = juhtum(*r, "assess", "tw-1", "--refer", "-f", assessment)
    assert refused.code == 1, refused.output
    assert "juhtum close tw-1 --reason referred" in refused.err
    case = yamlio.load_file(assessed / "cases/tw-1/case.yaml", path="case.yaml").data
    assert case["stage"] == "assessment"
    assert not (assessed / "cases/tw-1/closing.yaml").exists()


def test_a_referral_after_the_assessment_is_a_closing_with_its_own_reason(
    assessed: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    r = ("--repo", str(assessed), "--today", DAY)
    closed = juhtum(*r, "close", "tw-1", "--reason", "referred", "-f", write(tmp_path, REFERRED))
    assert closed.code == 0, closed.output
    assert "-> closed" in closed.out
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out
    shown = juhtum(*r, "status", "tw-1")
    assert shown.code == 0, shown.output
    assert "juhtum followup tw-1" in shown.out  # the agreed follow-up is the next step


@pytest.mark.parametrize(
    ("drop", "said"),
    [
        ("follow_up", "follow_up"),
        ("referrals", "referrals"),
        ("feedback", "feedback"),
    ],
)
def test_a_referral_closing_asks_what_7_2_asks(
    assessed: Path, juhtum: Juhtum, tmp_path: Path, drop: str, said: str
) -> None:
    kept, skipping = [], False
    for line in REFERRED.splitlines(keepends=True):
        if not line[0].isspace():
            skipping = line.startswith(f"{drop}:")
        if not skipping:
            kept.append(line)
    r = ("--repo", str(assessed), "--today", DAY)
    refused = juhtum(
        *r, "close", "tw-1", "--reason", "referred", "-f", write(tmp_path, "".join(kept))
    )
    assert refused.code == 1, refused.output
    assert said in refused.err
    assert not (assessed / "cases/tw-1/closing.yaml").exists()


def test_after_the_plan_was_signed_a_referral_needs_the_evaluation(
    tmp_path: Path, juhtum: Juhtum
) -> None:
    """Like *no longer needed* (§7.1 (2)): once a plan was signed, the evaluation decides."""
    root = casebuild.build(tmp_path / "repo", upto="implementation")
    text = REFERRED.replace("2026-02-10", "2026-03-10").replace(
        "2026-03-10\n  method", "2026-04-10\n  method"
    )
    refused = juhtum(
        "--repo",
        str(root),
        "--today",
        "2026-03-10",
        "close",
        "tw-1",
        "--reason",
        "referred",
        "-f",
        write(tmp_path, text),
    )
    assert refused.code == 1, refused.output
    assert "needs the evaluation that decided to close" in refused.err


def test_a_referral_at_1_3_stays_as_it_was(repo: Path, juhtum: Juhtum, tmp_path: Path) -> None:
    """Before case management (§1.3 (1)) the need decision itself refers: the case ends as
    referred, as before."""
    r = ("--repo", str(repo), "--today", "2026-01-12")
    assert juhtum(*r, "new", "--client", "Liina Kõrvits", "--id", "tw-2").code == 0
    for handle, name, role in (
        ("kk", "Kaja Kuusk", "specialist"),
        ("tk", "Töötukassa", "provider"),
    ):
        added = juhtum(*r, "people", "tw-2", "--add", handle, "--name", name, "--role", role)
        assert added.code == 0, added.output
    need = write(
        tmp_path,
        """\
specialist: kk
info_sufficient: true
decision:
  outcome: single_service
  date: 2026-01-12
  with: client
  reasoning: Liina vajab ainult tööotsingu nõustamist.
  explained_to_client: true
  referrals:
    - to: tk
      service: tööotsingu nõustamine
      date: 2026-01-12
""",
        "need.yaml",
    )
    done = juhtum(*r, "need", "tw-2", "-f", need)
    assert done.code == 0, done.output
    case = yamlio.load_file(repo / "cases/tw-2/case.yaml", path="case.yaml").data
    assert case["stage"] == "referred"
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output


def test_an_old_referral_by_assess_refer_stays_valid(
    assessed: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    """A repository written before the change, where ``assess --refer`` ended a case as
    referred with the referrals in the assessment, still validates clean."""
    folder = assessed / "cases/tw-1"
    assessment = folder / "assessment.yaml"
    assessment.write_text(
        assessment.read_text(encoding="utf-8")
        + "referrals:\n  - to: tk\n    service: tööotsingu nõustamine\n    date: 2026-01-20\n",
        encoding="utf-8",
    )
    case = folder / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("stage: assessment", "stage: referred"),
        encoding="utf-8",
    )
    git(assessed, "add", "-A")
    git(assessed, "commit", "-qm", "tw-1: assess: referred (§1.3 (1))")
    valid = juhtum("--repo", str(assessed), "--today", DAY, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out
    shown = juhtum("--repo", str(assessed), "--today", DAY, "status", "tw-1")
    assert shown.code == 0, shown.output
