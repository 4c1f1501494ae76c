"""An encrypted case repository end to end: encrypt, check without a key, read with one, who
may read a case, and no plaintext where it should not be (issue 13)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from juhtum.crypto import decrypt_document, open_document
from juhtum.crypto.repository import LOCKED, set_mode
from juhtum.crypto.values import decrypt_value
from juhtum.documents import yamlio
from tests.conftest import EXAMPLES, Run, copy_fixture, git
from tests.crypto.conftest import case_documents, secrets_of

CASE = "kaasiku-m4t8qe"


@pytest.fixture
def juhtum(juhtum: Callable[..., Run]) -> Iterator[Callable[..., Run]]:
    """The CLI in this process, each command starting as a new process would (reading cases
    locked until it chooses otherwise)."""

    def run(*args: Any, cwd: Path | None = None) -> Run:
        set_mode(LOCKED)
        return juhtum(*args, cwd=cwd)

    yield run
    set_mode(LOCKED)


def identity_file(folder: Path, name: str) -> tuple[Path, str, Any]:
    from pyrage import x25519

    identity = x25519.Identity.generate()
    path = folder / f"{name}.txt"
    path.write_text(f"# {name}\n{identity}\n", encoding="utf-8")
    return path, str(identity.to_public()), identity


def example_in_git(tmp_path: Path) -> Path:
    root = copy_fixture(EXAMPLES / "kaasiku", tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "example")
    return root


def documents(root: Path) -> dict[str, dict[str, Any]]:
    return {str(d.path.relative_to(root)): d.data for d in case_documents(root)}


def without_record(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "content_hash"}


def problems_json(juhtum: Callable[..., Run], root: Path) -> list[dict[str, Any]]:
    result = juhtum("validate", "--format", "json", cwd=root)
    assert result.code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.out)["problems"]
    return found


def test_round_trip_without_and_with_a_key(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    original = documents(root)
    report_before = juhtum("report", "--format", "json", cwd=root).out
    due_before = juhtum("due", cwd=root).out
    status_before = juhtum("status", CASE, cwd=root).out
    assert "9 valid signatures" in status_before
    key, recovery, _ = identity_file(tmp_path, "recovery")

    result = juhtum("encrypt", "--recovery", recovery, cwd=root)
    assert result.code == 0, result.output
    assert "git filter-repo" in result.out and "cannot be taken back" in result.out
    assert git(root, "status", "--porcelain", "--", "cases", "juhtum.yaml") == ""
    assert git(root, "log", "-1", "--format=%s") == "juhtum encrypt: case documents encrypted"

    # without any key: every check that needs no plaintext runs, the rest is named per case
    found = problems_json(juhtum, root)
    assert not [p for p in found if p["severity"] == "error"]
    not_run = {p["file"] for p in found if p["rule"] == "encrypted"}
    assert not_run == {f"cases/{c.name}" for c in (root / "cases").iterdir()}  # every case
    assert juhtum("report", "--format", "json", cwd=root).out == report_before
    assert juhtum("due", cwd=root).out == due_before
    status = juhtum("status", CASE, cwd=root)
    assert "9 valid signatures" in status.out, status.output
    shown = juhtum("show", CASE, cwd=root)
    assert shown.code == 1 and f"cases/{CASE}/" in shown.err and "age" in shown.err

    # a key holder: everything checked, every document equal in meaning to the original
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    found = problems_json(juhtum, root)
    assert not [p for p in found if p["rule"] == "encrypted" or p["severity"] == "error"]
    assert juhtum("report", "--format", "json", cwd=root).out == report_before
    from pyrage import x25519

    mine = [x25519.Identity.from_str(key.read_text().split("\n")[1])]
    for name, data in documents(root).items():
        assert "sops" in data, name
        assert without_record(decrypt_document(data, mine, where=name)) == original[name], name
    shown = juhtum("show", CASE, cwd=root)
    assert shown.code == 0 and "Oskar Vahtra" in shown.out


def test_no_plaintext_in_the_tree_the_new_objects_or_the_cache(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    public = (root / "juhtum.yaml").read_bytes() + b"".join(
        p.read_bytes() for folder in ("specialists", "services") for p in (root / folder).iterdir()
    )  # the organisation's own registers (its staff, its partners' services), not case data
    secrets = {s for s in secrets_of(root) if s.encode() not in public}
    assert len(secrets) > 50 and "Oskar Vahtra" in secrets
    key, recovery, _ = identity_file(tmp_path, "recovery")
    before = git(root, "rev-parse", "HEAD")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    assert juhtum("validate", cwd=root).code == 0
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    assert juhtum("validate", cwd=root).code == 0
    assert juhtum("due", cwd=root).code == 0

    def leaks(blob: bytes) -> list[str]:
        return sorted(s for s in secrets if s.encode("utf-8") in blob)

    for with_key in (True, False):  # every CI output format, a key holder's too
        if not with_key:
            monkeypatch.delenv("SOPS_AGE_KEY_FILE")
        for output in ("text", "json", "github", "gitlab"):
            shown = juhtum("validate", "--todo", "--format", output, cwd=root)
            assert shown.code == 0 and leaks(shown.output.encode("utf-8")) == [], output
    tree = [p for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts]
    assert any(p.parts[-2] == ".juhtum" or ".juhtum" in p.parts for p in tree)  # the cache
    for path in tree:
        assert leaks(path.read_bytes()) == [], path.relative_to(root)
    changed = git(root, "diff-tree", "-r", "--no-commit-id", "--format=", before, "HEAD")
    blobs = [line.split()[3] for line in changed.splitlines()]
    assert len(blobs) > 50
    for blob in blobs:
        content = subprocess.run(
            ["git", "cat-file", "blob", blob], cwd=root, capture_output=True, check=True
        ).stdout
        assert leaks(content) == [], blob


def test_access_grant_revoke_handover_and_recovery(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    start = git(root, "rev-parse", "HEAD")
    rec_key, recovery, rec_identity = identity_file(tmp_path, "recovery")
    mt_key, mt, mt_identity = identity_file(tmp_path, "mt")
    uu_key, uu, uu_identity = identity_file(tmp_path, "uu")
    for handle, recipient in (("mt", mt), ("uu", uu)):
        added = juhtum(
            "specialists", "--add", handle, "--name", f"Test {handle}", "--age-recipient",
            recipient, cwd=root,
        )  # fmt: skip
        assert added.code == 0, added.output
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    client = root / "cases" / CASE / "people" / "client.yaml"

    def readable_with(identity: Any, path: Path = client) -> bool:
        data = yamlio.load_file(path, path=str(path)).data
        try:
            open_document(data, [identity], where=str(path))
        except Exception:
            return False
        return True

    # without a grant, a specialist's key opens nothing
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(mt_key))
    refused = juhtum("show", CASE, cwd=root)
    assert refused.code == 1 and "ask its coordinator for access" in refused.err
    assert not readable_with(mt_identity)

    # a grant (by a key holder) wraps every document to them, in one commit
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(rec_key))
    granted = juhtum("access", CASE, "--grant", "mt", cwd=root)
    assert granted.code == 0, granted.output
    assert git(root, "status", "--porcelain", "--", "cases") == ""
    assert all(
        readable_with(mt_identity, d.path) for d in case_documents(root) if CASE in str(d.path)
    )
    listed = juhtum("access", CASE, "--json", cwd=root)
    assert json.loads(listed.out)["granted"] == ["mt"]
    old_key = open_document(yamlio.load_file(client, path="c").data, [mt_identity]).data_key

    # a revoke rotates every data key: the revoked key and the data key they kept open nothing
    revoked = juhtum("access", CASE, "--revoke", "mt", cwd=root)
    assert revoked.code == 0, revoked.output
    assert "cannot be taken back" in revoked.out
    assert not any(
        readable_with(mt_identity, d.path) for d in case_documents(root) if CASE in str(d.path)
    )
    name = yamlio.load_file(client, path="c").data["name"]
    with pytest.raises(Exception):  # noqa: B017 (AESGCM's InvalidTag, wrapped)
        decrypt_value(name, old_key, "name:")
    assert "9 valid signatures" in juhtum("status", CASE, cwd=root).out

    # a handover wraps the case to the new coordinator in the same commit; signatures hold
    handover = tmp_path / "handover.yaml"
    text = juhtum("textconv", str(root / "cases" / CASE / "handovers" / "2026-10-19-p3ny.yaml"))
    assert "reason: Juhtumikorraldaja" in text.out
    handover.write_text(
        text.out.replace("2026-10-19", "2026-11-23")
        .replace("from: kk-ms", "from: kk-hk")
        .replace("to: kk-hk", "to: uu"),
        encoding="utf-8",
    )
    handed = juhtum("handover", CASE, "--to", "uu", "--file", handover, cwd=root)
    assert handed.code == 0, handed.output
    assert git(root, "status", "--porcelain", "--", "cases") == ""
    assert all(
        readable_with(uu_identity, d.path) for d in case_documents(root) if CASE in str(d.path)
    )
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(uu_key))
    status = juhtum("status", CASE, cwd=root)
    assert "9 valid signatures" in status.out, status.output
    assert juhtum("show", CASE, cwd=root).code == 0
    monkeypatch.delenv("SOPS_AGE_KEY_FILE")
    assert "9 valid signatures" in juhtum("status", CASE, cwd=root).out

    # every specialist's key lost: the recovery recipient still opens every case
    for lost in (mt_key, uu_key):
        lost.unlink()
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(rec_key))
    for doc in case_documents(root):
        assert readable_with(rec_identity, doc.path), doc.path
    assert juhtum("show", CASE, cwd=root).code == 0
    assert juhtum("validate", cwd=root).code == 0

    # encrypting, granting, rotating and re-wrapping take back no record (append-only)
    for key in (rec_key, None):
        if key is None:
            monkeypatch.delenv("SOPS_AGE_KEY_FILE")
        since = juhtum("validate", "--changed-since", start, cwd=root)
        assert since.code == 0, since.output


def test_a_save_without_changes_changes_no_byte_and_an_edit_keeps_other_values(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    key, recovery, _ = identity_file(tmp_path, "recovery")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    client = root / "cases" / CASE / "people" / "client.yaml"
    before = client.read_bytes()
    plain = juhtum("textconv", str(client)).out
    edited = tmp_path / "client.yaml"
    edited.write_text(plain, encoding="utf-8")
    same = juhtum("edit", CASE, "people/client.yaml", "--file", edited, cwd=root)
    assert same.code == 1 and "nothing changed" in same.err
    assert client.read_bytes() == before
    edited.write_text(plain.replace("phone: ", "phone: +372 5555 0000 #", 1), encoding="utf-8")
    changed = juhtum("edit", CASE, "people/client.yaml", "--file", edited, cwd=root)
    assert changed.code == 0, changed.output
    old = yamlio.loads(before, path="old").data
    new = yamlio.load_file(client, path="new").data
    assert new["phone"] != old["phone"] and new["name"] == old["name"]
    assert "+372 5555 0000" not in client.read_text(encoding="utf-8")


def test_git_diff_shows_plaintext_to_a_key_holder_only(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    key, recovery, _ = identity_file(tmp_path, "recovery")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    assert "cases/**/*.yaml diff=juhtum" in (root / ".gitattributes").read_text()
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    client = f"cases/{CASE}/people/client.yaml"
    plain = juhtum("textconv", str(root / client)).out
    edited = tmp_path / "client.yaml"
    edited.write_text(plain.replace("phone: ", "phone: +372 5555 0001 #", 1), encoding="utf-8")
    assert juhtum("edit", CASE, "people/client.yaml", "--file", edited, cwd=root).code == 0
    shown = git(root, "log", "-p", "-1", "--", client)
    assert "+372 5555 0001" in shown and "ENC[" not in shown.split("sops:")[0]
    monkeypatch.delenv("SOPS_AGE_KEY_FILE")
    hidden = git(root, "log", "-p", "-1", "--", client)
    assert "+372 5555 0001" not in hidden and "ENC[AES256_GCM" in hidden


def test_status_and_help_import_no_cipher(tmp_path: Path, juhtum: Callable[..., Run]) -> None:
    root = example_in_git(tmp_path)
    _key, recovery, _ = identity_file(tmp_path, "recovery")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    code = (
        "import sys\n"
        "from juhtum.cli import main\n"
        "main(sys.argv[1:])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'pyrage'))\n"
        "print('HEAVY', heavy)\n"
    )
    for args in (["--help"], ["status", CASE], ["due"], ["list"], ["validate"]):
        proc = subprocess.run(
            [__import__("sys").executable, "-c", code, *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert "HEAVY []" in proc.stdout, (args, proc.stdout[-300:], proc.stderr[-300:])


def test_a_new_encrypted_repository_encrypts_every_new_case(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    _rec_key, recovery, _ = identity_file(tmp_path, "recovery")
    my_key, mine, _ = identity_file(tmp_path, "me")
    root = tmp_path / "cases-repo"
    made = juhtum(
        "init", root, "--organisation", "Testi Vald", "--id-prefix", "test", "--encrypt",
        "--recovery", recovery, "--age-recipient", mine,
    )  # fmt: skip
    assert made.code == 0, made.output
    assert "encryption" in (root / "juhtum.yaml").read_text(encoding="utf-8")
    assert git(root, "config", "diff.juhtum.textconv").endswith("-m juhtum textconv")
    opened = juhtum("new", "--client", "Mari Maasikas", "--framework", "child", cwd=root)
    assert opened.code == 0, opened.output
    case_id = opened.out.strip().splitlines()[-1]
    client = root / "cases" / case_id / "people" / "client.yaml"
    assert "Mari Maasikas" not in client.read_text(encoding="utf-8")
    listed = juhtum("access", case_id, "--json", cwd=root)
    assert json.loads(listed.out)["wrapped_to"] == [mine, recovery]
    assert juhtum("find", "Maasikas", cwd=root).code == 1  # no key: no name to find
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(my_key))
    assert case_id in juhtum("find", "Maasikas", cwd=root).out
    shown = juhtum("show", case_id, cwd=root)
    assert shown.code == 0 and "Mari Maasikas" in shown.out
    assert juhtum("validate", cwd=root).code == 0
    # without --encrypt its options are refused before anything is made
    refused = juhtum("init", tmp_path / "other", "--recovery", recovery)
    assert refused.code == 2 and not (tmp_path / "other").exists()


def test_editing_the_plan_voids_its_signatures_and_a_false_record_is_found(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from juhtum.crypto import encrypt_document, sensitive_paths

    root = example_in_git(tmp_path)
    key, recovery, identity = identity_file(tmp_path, "recovery")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    plan = root / "cases" / CASE / "plan.yaml"
    text = juhtum("textconv", str(plan)).out
    edited = tmp_path / "plan.yaml"
    edited.write_text(
        text.replace("problem_summary: '", "problem_summary: 'Muudetud. ", 1), encoding="utf-8"
    )
    refused = juhtum("edit", CASE, "plan.yaml", "--file", edited, cwd=root)
    assert refused.code == 1 and "no longer holds" in refused.err, refused.output
    assert "content_hash" not in refused.err  # juhtum records it; a person never edits it

    # a key holder who changes the plan with another SOPS tool leaves the record false: the
    # signatures look valid without a key, and a key holder's validate says why they are not
    opened = open_document(yamlio.load_file(plan, path="p").data, [identity])
    changed = dict(opened.plain, problem_summary="Muudetud väljaspool juhtumit.")
    forged = encrypt_document(changed, sensitive_paths("plan"), opened.recipients, opened)
    plan.write_text(yamlio.dumps(forged), encoding="utf-8")
    git(root, "commit", "-qam", "changed with sops")
    checked = juhtum("validate", "--format", "json", cwd=root)
    assert checked.code == 1
    wrong = [p for p in json.loads(checked.out)["problems"] if p["severity"] == "error"]
    assert any("recorded content_hash" in p["message"] for p in wrong), wrong
    monkeypatch.delenv("SOPS_AGE_KEY_FILE")
    assert juhtum("validate", cwd=root).code == 0
    assert "9 valid signatures" in juhtum("status", CASE, cwd=root).out


def test_an_independent_sops_implementation_opens_what_the_commands_wrote(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.crypto import tools
    from tests.crypto.test_interop import run_sops_age

    root = example_in_git(tmp_path)
    original = documents(root)
    key, recovery, _ = identity_file(tmp_path, "recovery")
    _mt_key, mt, mt_identity = identity_file(tmp_path, "mt")
    added = juhtum(
        "specialists", "--add", "mt", "--name", "Test M", "--age-recipient", mt, cwd=root
    )
    assert added.code == 0, added.output
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    assert juhtum("access", CASE, "--grant", "mt", cwd=root).code == 0
    files = [f for f in sorted(original) if f"/{CASE}/" in f]  # the case granted to them
    assert len(files) > 20
    proc = run_sops_age(tools.sops_age_module(), mt_identity, [str(root / f) for f in files])
    assert proc.returncode == 0, proc.stderr[-2000:]
    opened = json.loads(proc.stdout)
    original[f"cases/{CASE}/case.yaml"]["access"] = ["mt"]  # the grant
    for name in files:
        assert without_record(opened[str(root / name)]) == original[name], name


def test_plain_text_in_an_encrypted_repository_is_an_error_a_key_holder_mends(
    tmp_path: Path, juhtum: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_in_git(tmp_path)
    person = root / "cases" / CASE / "people" / "tugiisik.yaml"
    plain = person.read_bytes()
    key, recovery, _ = identity_file(tmp_path, "recovery")
    assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
    person.write_bytes(plain)  # committed by hand, as it was
    git(root, "commit", "-qam", "by hand")
    found = juhtum("validate", "--format", "json", cwd=root)
    assert found.code == 1
    errors = [p for p in json.loads(found.out)["problems"] if p["severity"] == "error"]
    assert [(p["rule"], p["file"]) for p in errors] == [
        ("encrypted", f"cases/{CASE}/people/tugiisik.yaml")
    ]
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key))
    mended = juhtum("access", CASE, "--rewrap", cwd=root)
    assert mended.code == 0, mended.output
    assert person.read_bytes() != plain and b"sops:" in person.read_bytes()
    monkeypatch.delenv("SOPS_AGE_KEY_FILE")
    assert juhtum("validate", cwd=root).code == 0


def test_a_sops_block_where_nothing_is_encrypted_is_not_taken_as_one(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = example_in_git(tmp_path)
    person = root / "cases" / CASE / "people" / "tugiisik.yaml"
    person.write_text(
        person.read_text(encoding="utf-8") + "sops:\n  hidden: anything\n", encoding="utf-8"
    )
    found = juhtum("validate", "--format", "json", cwd=root)
    assert found.code == 1
    errors = [p for p in json.loads(found.out)["problems"] if p["severity"] == "error"]
    assert [(p["rule"], p["file"]) for p in errors] == [
        ("schema", f"cases/{CASE}/people/tugiisik.yaml")
    ]
