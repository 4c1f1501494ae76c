"""What the law gives the person (issue 13 item 6): ``export --subject-access`` (GDPR art.
15) with other people's data and a notification's reporter withheld and the withholding
stated; the "asutusesiseseks kasutamiseks" marking (AvTS § 35) where juhtum.yaml asks; the
printed plan carries the content hash its paper signatures bind to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from juhtum.model.hashing import content_hash
from tests.conftest import EXAMPLES, Run, copy_fixture, git

CASE = "kaasiku-m4t8qe"
REPORTER = "Helve Tammik"
OTHERS = ("Liis Vahtra", "48809020876", "+372 5551 7720", "Tarmo", "38501273025")


def example(tmp_path: Path, config: str = "", *, notification: bool = True) -> Path:
    """The example in git; ``notification``: its need records who reported the child (a field
    another change adds to the schema: subject access withholds it by name already)."""
    root = copy_fixture(EXAMPLES / "kaasiku", tmp_path)
    need = root / "cases" / CASE / "need.yaml"
    if notification:  # the example's notification, its reporter named here
        data = yamlio.load_file(need, path="need.yaml").data
        reporter = {**data["notification"]["reporter"], "name": REPORTER}
        reporter["contact"] = "+372 5000 0101"
        data["notification"]["reporter"] = reporter
        need.write_text(yamlio.dumps(data), encoding="utf-8")
    if config:
        path = root / "juhtum.yaml"
        path.write_text(path.read_text(encoding="utf-8") + config, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "example")
    return root


def example_need(tmp_path: Path) -> Any:
    return yamlio.load_file(
        EXAMPLES / "kaasiku" / "cases" / CASE / "need.yaml", path="need.yaml"
    ).data


def everything(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()
    )


def test_subject_access_gives_everything_but_other_peoples_data(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example(tmp_path)
    out = tmp_path / "for-the-person"
    result = juhtum("export", CASE, "--subject-access", "--output", str(out), cwd=root)
    assert result.code == 0, result.output
    assert "README.md says what and why" in result.out

    case_files = sorted(
        str(p.relative_to(root / "cases" / CASE)) for p in (root / "cases" / CASE).rglob("*.yaml")
    )
    written = sorted(str(p.relative_to(out / "documents")) for p in (out / "documents").rglob("*"))
    assert [f for f in written if f.endswith(".yaml")] == case_files  # the diary included
    assert any(f.startswith("diary/") for f in written)

    text = everything(out)
    client = yamlio.load_file(out / "documents" / "people" / "client.yaml", path="c").data
    assert client["name"] == "Oskar Vahtra" and client["personal_code"] == "51703142158"
    for secret in (REPORTER, "+372 5000 0101", *OTHERS):
        assert secret not in text, secret
    need = yamlio.load_file(out / "documents" / "need.yaml", path="n").data
    assert need["notification"]["reporter"] == "[…]"
    assert need["notification"]["received"] == example_need(tmp_path)["notification"]["received"]
    mother = yamlio.load_file(out / "documents" / "people" / "ema.yaml", path="e").data
    assert mother["name"] == "[…]" and "representative" in str(mother["roles"])

    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"cases/{CASE}/need.yaml: notification.reporter" in readme
    assert "LasteKS § 27" in readme and "GDPR art. 15 (4)" in readme
    assert f"cases/{CASE}/people/ema.yaml: personal_code" in readme
    history = (out / "history.md").read_text(encoding="utf-8")
    assert "| example |" in history  # the step
    assert "Test Coordinator" not in history  # handles, never names


def test_subject_access_is_never_written_into_the_repository(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example(tmp_path)
    result = juhtum("export", CASE, "--subject-access", "--output", str(root / "x"), cwd=root)
    assert result.code == 1
    assert "inside the case repository" in result.output
    assert not (root / "x").exists()


def test_a_schema_marks_a_field_confidential(monkeypatch: pytest.MonkeyPatch) -> None:
    from juhtum import subject_access
    from juhtum.documents import schemas

    real = schemas.load

    def load(name: str) -> Any:
        schema = real(name)
        if name == schemas.schema_name("need"):
            schema = {**schema, "properties": {**schema["properties"]}}
            schema["properties"]["source"] = {"type": "object", "x-confidential": True}
        return schema

    monkeypatch.setattr(schemas, "load", load)
    assert ("source",) in subject_access.confidential_patterns("need")


def test_the_printed_plan_carries_its_content_hash_and_the_marking_where_asked(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    plain = example(tmp_path / "plain", notification=False)
    plan = yamlio.load_file(plain / "cases" / CASE / "plan.yaml", path="p").data
    digest = content_hash(plan)
    assert digest in str(plan["signatures"])  # the hash the signatures recorded
    exported = juhtum("export", CASE, "--format", "md", cwd=plain)
    assert exported.code == 0, exported.output
    assert digest in exported.out
    assert "ASUTUSESISESEKS" not in exported.out

    marked = example(
        tmp_path / "marked",
        'export:\n  restricted_marking: true\n  basis: "AvTS § 35 lg 1 p 12"\n',
        notification=False,
    )
    assert juhtum("validate", cwd=marked).code == 0
    for form in ("md", "html"):
        result = juhtum("--today", "2026-11-30", "export", CASE, "--format", form, cwd=marked)
        assert result.code == 0, result.output
        assert "ASUTUSESISESEKS KASUTAMISEKS" in result.out
        assert "AvTS § 35 lg 1 p 12" in result.out and "2026-11-30" in result.out
