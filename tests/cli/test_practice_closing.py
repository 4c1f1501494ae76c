"""Closing when the person cannot take part (juhis §7, issue 12 item 2).

A case whose person died is closed as *cannot continue* with its cause; the steps of §7.2
that need the person are recorded as not possible, each with a reason, instead of a false
``rights_explained: true``. The safety judgement stays required (§7.1 (3)).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.conftest import Run

Juhtum = Callable[..., Run]
DAY = "2026-03-10"

DIED = """\
date: 2026-03-10
reason: cannot_continue
cause: died
details: Liina suri 2026-03-05; juhtumikorraldust ei saa jätkata.
safety:
  endangers_life_or_health: false
  judgement: Teisi pereliikmeid juhtum ei hõlma; õde sai kriisiabi kontakti.
feedback:
  collected: false
  reason_not_collected: Isik suri.
not_possible:
  rights_explained: Isik suri enne lõpetamist.
  consequences_explained: Isik suri enne lõpetamist.
  strategies: Isik suri enne lõpetamist.
  resources: Isik suri enne lõpetamist.
  help_contacts: Isik suri enne lõpetamist.
views:
  - who: ode
    view: Õde teab, et juhtum lõpetatakse.
"""


@pytest.fixture
def implemented(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="implementation")


def write(tmp_path: Path, text: str, name: str = "closing.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_person_who_died_is_closed_without_a_false_true(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    r = ("--repo", str(implemented), "--today", DAY)
    closed = juhtum(*r, "close", "tw-1", "--reason", "cannot_continue", "-f", write(tmp_path, DIED))
    assert closed.code == 0, closed.output
    assert "-> closed" in closed.out
    path = implemented / "cases" / "tw-1" / "closing.yaml"
    closing = yamlio.load_file(path, path="closing.yaml").data
    assert closing["cause"] == "died"
    assert "rights_explained" not in closing and "consequences_explained" not in closing
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out


def test_before_the_change_the_steps_were_required(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    """Without a reason why it was not possible, each §7.2 step is still asked for."""
    text = (
        DIED.split("not_possible:", maxsplit=1)[0]
        + DIED.rsplit("Isik suri enne lõpetamist.\n", maxsplit=1)[-1]
    )
    refused = juhtum(
        "--repo",
        str(implemented),
        "--today",
        DAY,
        "close",
        "tw-1",
        "-f",
        write(tmp_path, text),
    )
    assert refused.code == 1
    for missing in (
        "the closing process and the person's rights in it were explained",
        "the consequences of closing were explained",
        "the strategies for solving problems",
        "the resources the person has",
        "where and how the person can get help later",
    ):
        assert missing in refused.err


def test_not_possible_is_only_for_a_case_that_cannot_continue(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    text = DIED.replace("reason: cannot_continue", "reason: no_longer_needed")
    refused = juhtum(
        "--repo", str(implemented), "--today", DAY, "close", "tw-1", "-f", write(tmp_path, text)
    )
    assert refused.code == 1
    assert "not_possible is for a case that cannot continue" in refused.err


def test_the_safety_judgement_stays_required(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    lines = DIED.splitlines(keepends=True)
    start = lines.index("safety:\n")
    text = "".join(lines[:start] + lines[start + 3 :])
    refused = juhtum(
        "--repo", str(implemented), "--today", DAY, "close", "tw-1", "-f", write(tmp_path, text)
    )
    assert refused.code == 1
    assert "safety" in refused.err


def test_done_and_not_possible_at_once_is_an_error(
    implemented: Path, juhtum: Juhtum, tmp_path: Path
) -> None:
    text = DIED.replace("not_possible:\n", "rights_explained: true\nnot_possible:\n")
    refused = juhtum(
        "--repo", str(implemented), "--today", DAY, "close", "tw-1", "-f", write(tmp_path, text)
    )
    assert refused.code == 1
    assert "rights_explained is recorded as done and as not possible" in refused.err


def test_an_unknown_cause_is_refused(implemented: Path, juhtum: Juhtum, tmp_path: Path) -> None:
    text = DIED.replace("cause: died", "cause: vanished")
    refused = juhtum(
        "--repo", str(implemented), "--today", DAY, "close", "tw-1", "-f", write(tmp_path, text)
    )
    assert refused.code == 1
    assert "cause" in refused.err
