"""The life of a case (issue 12 item 8): a case that has ended is reopened as a new linked
case and the old one stays readable and valid; related cases link both ways and validate
checks the links (I17); a case moves to another organisation by a closing with reason
``transferred`` and leaves as a bundle with a manifest of content hashes (juhis §7, §8)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.cli import casebuild
from tests.cli.test_lifecycle_referred import REFERRED
from tests.conftest import ROOT, Run, git

Juhtum = Callable[..., Run]
CLOSED_ON = "2026-02-10"
LATER = "2026-06-01"

TRANSFERRED = """\
date: 2026-02-10
reason: transferred
details: Liina kolis Tartusse; juhtumi võtab üle Tartu linna sotsiaalosakond.
transfer:
  organisation: Tartu Linnavalitsuse sotsiaalosakond
  date: 2026-02-10
  terms: Tartu võtab juhtumi üle 15. veebruarist, dokumendid antakse paketina.
  consent:
    given_by: client
    date: 2026-02-09
    form: written
  client_informed: true
safety:
  endangers_life_or_health: false
  judgement: Tartu juhtumikorraldaja jätkab katkestuseta.
feedback:
  collected: true
  date: 2026-02-10
  text: Liina on rahul ja teab, kelle poole Tartus pöörduda.
rights_explained: true
consequences_explained: true
strategies: Liina jätkab tööotsingut Tartus.
resources: Õde elab Tartus.
help_contacts:
  - Tartu Linnavalitsuse sotsiaalosakond
"""


def load(path: Path) -> dict[str, Any]:
    data = yamlio.load_file(path, path=path.name).data
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def closed(tmp_path: Path, juhtum: Juhtum) -> Path:
    """A case closed as a referral after its assessment."""
    root = casebuild.build(tmp_path / "repo", upto="assessment")
    done = juhtum(
        "--repo",
        str(root),
        "--today",
        CLOSED_ON,
        "close",
        "tw-1",
        "--reason",
        "referred",
        "-f",
        write(tmp_path, REFERRED, "closing.yaml"),
    )
    assert done.code == 0, done.output
    return root


def test_a_closed_case_is_reopened_as_a_new_linked_case(closed: Path, juhtum: Juhtum) -> None:
    r = ("--repo", str(closed), "--today", LATER)
    before = {
        p.relative_to(closed): p.read_bytes() for p in (closed / "cases/tw-1").rglob("*.yaml")
    }
    reopened = juhtum(*r, "reopen", "tw-1", "--reason", "need_returned", "--id", "tw-9")
    assert reopened.code == 0, reopened.output
    assert reopened.out.splitlines()[-1] == "tw-9"
    new = load(closed / "cases/tw-9/case.yaml")
    assert new["stage"] == "need"
    assert new["related"] == [
        {
            "case": "tw-1",
            "relation": "reopened_from",
            "date": LATER,
            "reason": "need_returned",
        }
    ]
    assert (closed / "cases/tw-9/people/client.yaml").is_file()
    assert load(closed / "cases/tw-9/people/client.yaml")["case"] == "tw-9"
    old = load(closed / "cases/tw-1/case.yaml")
    assert old["stage"] == "closed"
    assert old["related"] == [{"case": "tw-9", "relation": "reopened_as", "date": LATER}]
    # the old cycle stays readable: every document but case.yaml exactly as it was
    after = {p.relative_to(closed): p.read_bytes() for p in (closed / "cases/tw-1").rglob("*.yaml")}
    assert {k for k in before if before[k] != after[k]} == {Path("cases/tw-1/case.yaml")}
    # one commit, naming the case ids only
    log = git(closed, "log", "-1", "--format=%s%n%b", "--name-only")
    assert "tw-9: reopened from tw-1" in log
    assert "cases/tw-1/case.yaml" in log and "cases/tw-9/case.yaml" in log
    assert "Liina" not in log
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output
    assert "0 errors" in valid.out and "0 warnings" in valid.out
    shown = juhtum(*r, "--lang", "en", "show", "tw-1")
    assert "tw-9: reopened as" in shown.out
    shown = juhtum(*r, "--lang", "en", "show", "tw-9", "--json")
    assert json.loads(shown.out)["related"][0]["relation"] == "reopened_from"
    timeline = juhtum(*r, "--lang", "et", "history", "tw-9")
    assert "uuesti avatud juhtumist tw-1" in timeline.out
    again = juhtum(*r, "reopen", "tw-1", "--reason", "new_need")
    assert again.code == 1
    assert "reopened already as case tw-9" in again.err


def test_an_open_case_is_not_reopened(tmp_path: Path, juhtum: Juhtum) -> None:
    root = casebuild.build(tmp_path / "repo", upto="assessment")
    refused = juhtum(
        "--repo", str(root), "--today", LATER, "reopen", "tw-1", "--reason", "new_need"
    )
    assert refused.code == 1
    assert "juhtum evaluate tw-1" in refused.err
    assert sorted(p.name for p in (root / "cases").iterdir() if p.is_dir()) == ["tw-1"]


def test_related_cases_link_both_ways_and_validate_checks_them(
    closed: Path, juhtum: Juhtum
) -> None:
    r = ("--repo", str(closed), "--today", LATER)
    assert juhtum(*r, "new", "--client", "Mati Kõrvits", "--id", "tw-2").code == 0
    linked = juhtum(*r, "relate", "tw-2", "--to", "tw-1", "--relation", "sibling")
    assert linked.code == 0, linked.output
    assert load(closed / "cases/tw-1/case.yaml")["related"][0]["case"] == "tw-2"
    assert load(closed / "cases/tw-2/case.yaml")["related"][0]["relation"] == "sibling"
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output
    # a link to a case that is not there is an error (I17); one side only is a warning
    case_yaml = closed / "cases/tw-2/case.yaml"
    case_yaml.write_text(
        case_yaml.read_text(encoding="utf-8") + "  - case: tw-7\n    relation: sibling\n",
        encoding="utf-8",
    )
    broken = juhtum(*r, "validate")
    assert broken.code == 1
    assert "[I17]" in broken.out and "tw-7" in broken.out
    git(closed, "checkout", "--", "cases/tw-2/case.yaml")
    one_sided = closed / "cases/tw-1/case.yaml"
    text = one_sided.read_text(encoding="utf-8")
    one_sided.write_text(text.split("related:")[0], encoding="utf-8")
    warned = juhtum(*r, "validate")
    assert warned.code == 0, warned.output
    assert "does not record the link back" in warned.out


def test_a_transfer_closes_the_case_and_leaves_as_a_bundle(tmp_path: Path, juhtum: Juhtum) -> None:
    root = casebuild.build(tmp_path / "repo", upto="assessment")
    r = ("--repo", str(root), "--today", CLOSED_ON)
    target = tmp_path / "bundle"
    early = juhtum(*r, "export", "tw-1", "--bundle", str(target))
    assert early.code == 1
    assert "juhtum close tw-1 --reason transferred" in early.err
    assert not target.exists()
    no_basis = TRANSFERRED.replace(
        "  consent:\n    given_by: client\n    date: 2026-02-09\n    form: written\n", ""
    )
    refused = juhtum(*r, "close", "tw-1", "-f", write(tmp_path, no_basis, "c1.yaml"))
    assert refused.code == 1
    assert "transfer" in refused.err
    closed = juhtum(
        *r,
        "close",
        "tw-1",
        "--reason",
        "transferred",
        "-f",
        write(tmp_path, TRANSFERRED, "c2.yaml"),
    )
    assert closed.code == 0, closed.output
    valid = juhtum(*r, "validate")
    assert valid.code == 0, valid.output
    inside = juhtum(*r, "export", "tw-1", "--bundle", str(root / "out"))
    assert inside.code == 1 and "outside the case repository" in inside.err
    made = juhtum(*r, "export", "tw-1", "--bundle", str(target))
    assert made.code == 0, made.output
    manifest_text = (target / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(manifest_text)
    assert manifest["case"] == "tw-1"
    assert manifest["to"] == "Tartu Linnavalitsuse sotsiaalosakond"
    assert manifest["basis"] == "consent"
    paths = {f["path"] for f in manifest["files"]}
    assert {"case/closing.yaml", "case/assessment.yaml", "summary.md"} <= paths
    for entry in manifest["files"]:
        data = (target / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert (target / "case/need.yaml").read_bytes() == (root / "cases/tw-1/need.yaml").read_bytes()
    assert hashlib.sha256(manifest_text.encode()).hexdigest() in made.out
    assert "Tartu Linnavalitsuse sotsiaalosakond" in (target / "summary.md").read_text("utf-8")


def test_a_transfer_consent_comes_from_the_person(tmp_path: Path, juhtum: Juhtum) -> None:
    root = casebuild.build(tmp_path / "repo", upto="assessment")
    text = TRANSFERRED.replace("    given_by: client\n", "    given_by: tk\n")
    refused = juhtum(
        "--repo",
        str(root),
        "--today",
        CLOSED_ON,
        "close",
        "tw-1",
        "--reason",
        "transferred",
        "-f",
        write(tmp_path, text, "c.yaml"),
    )
    assert refused.code == 1
    assert "given by the person or their representative, not tk" in refused.err


def test_a_bundle_never_carries_the_reporter_of_a_notification(tmp_path: Path) -> None:
    """The reporter of a notification of a child in need is confidential (LasteKS § 27): the
    bundle for the receiving organisation carries the need document without it."""
    import datetime as dt
    import shutil

    from juhtum import transfer
    from juhtum.storage import Repository

    root = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "kaasiku", root)
    folder = root / "cases" / "kaasiku-m4t8qe"
    need = yamlio.load_file(folder / "need.yaml", path="need.yaml").data
    reporter = need["notification"]["reporter"]
    case = yamlio.load_file(folder / "case.yaml", path="case.yaml").data
    (folder / "case.yaml").write_text(yamlio.dumps({**case, "stage": "closed"}), encoding="utf-8")
    closing = {"date": "2026-11-20", "reason": "transferred", "transfer": {"legal_basis": "LasteKS § 27"}}  # fmt: skip
    (folder / "closing.yaml").write_text(yamlio.dumps(closing), encoding="utf-8")

    transfer.bundle(
        Repository(root), "kaasiku-m4t8qe", tmp_path / "out", today=dt.date(2026, 11, 21)
    )
    sent = (tmp_path / "out" / "case" / "need.yaml").read_text(encoding="utf-8")
    assert "notification:" in sent  # the notification goes, its reporter does not
    assert "reporter" not in sent
    name = reporter["name"]
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert name not in path.read_text(encoding="utf-8"), path.name
