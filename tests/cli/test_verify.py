"""``juhtum verify`` and who signed each change in ``history`` (issue 13 item 5): commits
signed with SSH keys (git's gpg.format ssh), checked by git against the specialists' files as
they were before each commit."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.casebuild import CASE, build
from tests.conftest import Run, git


def ssh_key(folder: Path, name: str) -> Path:
    """A new ed25519 key without a passphrase; its private file (the public one beside it)."""
    assert shutil.which("ssh-keygen"), "ssh-keygen is needed to make signing keys"
    path = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(path)], check=True
    )
    return path


def change_case(root: Path, key: Path | None, note: str) -> str:
    """A commit changing the case's plan (a comment added), signed with ``key`` or unsigned;
    its short hash."""
    plan = root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + f"# {note}\n", encoding="utf-8")
    git(root, "add", "-A")
    signing = (
        ["-c", f"user.signingkey={key}", "commit", "-S"] if key else ["commit", "--no-gpg-sign"]
    )
    git(root, *signing, "-qm", f"{CASE}: {note}")
    return git(root, "rev-parse", "--short=10", "HEAD")


@pytest.fixture
def signed_repo(tmp_path: Path) -> tuple[Path, Path]:
    key = ssh_key(tmp_path, "kk")
    root = build(
        tmp_path / "repo",
        upto="implementation",
        init_args=("--handle", "kk", "--signing-key", f"{key}.pub"),
    )
    return root, key


def test_a_repository_built_with_signing_on_passes(
    signed_repo: tuple[Path, Path], juhtum: Callable[..., Run]
) -> None:
    root, _key = signed_repo
    assert git(root, "config", "commit.gpgsign") == "true"
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(root, "cat-file", "-p", "HEAD")
    assert "signing_key: ssh-ed25519 " in (root / "specialists" / "kk.yaml").read_text()
    result = juhtum("verify", cwd=root)
    assert result.code == 0, result.output
    assert "commits checked: each is signed" in result.out
    history = juhtum("history", CASE, cwd=root)
    assert history.code == 0, history.output
    assert "unsigned" not in history.out
    assert all(" kk " in line for line in history.out.splitlines()[1:]), history.out


def test_verify_names_each_commit_that_fails(
    signed_repo: tuple[Path, Path], juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    root, _key = signed_repo
    colleague = ssh_key(tmp_path, "ok")
    stranger = ssh_key(tmp_path, "xx")
    added = juhtum(
        "specialists",
        "--add",
        "ok",
        "--name",
        "Olga Kask",
        "--signing-key",
        f"{colleague}.pub",
        cwd=root,
    )
    assert added.code == 0, added.output
    assert juhtum("verify", cwd=root).code == 0

    unsigned = change_case(root, None, "unsigned")
    unknown = change_case(root, stranger, "stranger")
    no_access = change_case(root, colleague, "no access")
    result = juhtum("verify", cwd=root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert f"{unsigned} {CASE}: not signed" in lines
    assert f"{unknown} {CASE}: signed by a key no specialist had registered before it" in lines
    assert any(
        line.startswith(f"{no_access} {CASE}: signed by ok, who had no access") for line in lines
    )
    assert "3 commits fail" in result.out
    assert "Olga" not in result.output

    history = juhtum("history", CASE, cwd=root)
    assert "unsigned" in history.out
    entries = json.loads(juhtum("history", CASE, "--json", cwd=root).out)
    assert [e["signed_by"] for e in entries[:3]] == ["ok", None, None]
    assert {e["signed_by"] for e in entries[3:]} == {"kk"}

    # --since: only what came after
    later = juhtum("verify", "--since", no_access, cwd=root)
    assert later.code == 0, later.output


def test_access_is_read_before_the_commit(
    signed_repo: tuple[Path, Path], juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    root, key = signed_repo
    colleague = ssh_key(tmp_path, "ok")
    assert (
        juhtum(
            "specialists",
            "--add",
            "ok",
            "--name",
            "Olga Kask",
            "--signing-key",
            f"{colleague}.pub",
            cwd=root,
        ).code
        == 0
    )
    # the colleague grants themself access in the very commit they sign: refused
    case_file = root / "cases" / CASE / "case.yaml"
    original = case_file.read_text(encoding="utf-8")
    case_file.write_text(original + "access:\n- ok\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "-c", f"user.signingkey={colleague}", "commit", "-S", "-qm", f"{CASE}: access")
    selfmade = git(root, "rev-parse", "--short=10", "HEAD")
    result = juhtum("verify", cwd=root)
    assert result.code == 1
    assert f"{selfmade} {CASE}: signed by ok" in result.out
    # granted by the coordinator first, the colleague's change holds
    since = git(root, "rev-parse", "HEAD")
    change_case(root, key, "coordinator's own")
    change_case(root, colleague, "granted")
    assert juhtum("verify", "--since", since, cwd=root).code == 0


def test_a_key_registered_in_the_commit_it_signs_is_not_trusted(
    signed_repo: tuple[Path, Path], juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    root, _key = signed_repo
    intruder = ssh_key(tmp_path, "in")
    public = (tmp_path / "in.pub").read_text(encoding="utf-8").strip()
    tc = root / "specialists" / "kk.yaml"
    text = tc.read_text(encoding="utf-8")
    tc.write_text(
        "\n".join(
            f"signing_key: {public}" if line.startswith("signing_key:") else line
            for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    plan = root / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# forged\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "-c", f"user.signingkey={intruder}", "commit", "-S", "-qm", "x")
    forged = git(root, "rev-parse", "--short=10", "HEAD")
    result = juhtum("verify", cwd=root)
    assert result.code == 1
    assert f"{forged} {CASE}: signed by a key no specialist" in result.out
    # the key swapped in a commit of its own first: that commit is the one named
    git(root, "reset", "-q", "--hard", "HEAD~1")
    swapped = "\n".join(
        f"signing_key: {public}" if line.startswith("signing_key:") else line
        for line in text.splitlines()
    )
    tc.write_text(swapped + "\n", encoding="utf-8")
    git(root, "-c", f"user.signingkey={intruder}", "commit", "-S", "-qam", "key")
    registry = git(root, "rev-parse", "--short=10", "HEAD")
    after = change_case(root, intruder, "after the swap")
    result = juhtum("verify", cwd=root)
    assert result.code == 1
    assert f"{registry} -: signed by a key no specialist" in result.out
    assert after not in result.out  # signed with the key registered before it


def test_in_an_encrypted_repository_a_recovery_key_holder_may_sign(
    signed_repo: tuple[Path, Path], juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    from pyrage import x25519

    from juhtum.crypto.repository import LOCKED, set_mode

    root, _key = signed_repo
    recovery = str(x25519.Identity.generate().to_public())
    holder = ssh_key(tmp_path, "rh")
    try:
        assert juhtum("encrypt", "--recovery", recovery, cwd=root).code == 0
        set_mode(LOCKED)
        added = juhtum(
            "specialists",
            "--add",
            "rh",
            "--name",
            "Riina Haab",
            "--age-recipient",
            recovery,
            "--signing-key",
            f"{holder}.pub",
            cwd=root,
        )
        assert added.code == 0, added.output
        restored = change_case(root, holder, "restored by the recovery key's holder")
        result = juhtum("verify", cwd=root)
    finally:
        set_mode(LOCKED)
    assert result.code == 0, result.output
    assert "sops:" in (root / "cases" / CASE / "case.yaml").read_text(encoding="utf-8")
    assert restored


def test_a_signing_key_that_is_not_one_is_refused(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    (tmp_path / "not-a-key.pub").write_text("hello\n", encoding="utf-8")
    made = juhtum("init", str(tmp_path / "r"), "--signing-key", str(tmp_path / "not-a-key.pub"))
    assert made.code == 2
    assert "--signing-key takes an SSH public key" in made.output
    assert not (tmp_path / "r").exists()
    assert juhtum("init", str(tmp_path / "r")).code == 0
    added = juhtum(
        "specialists",
        "--add",
        "ok",
        "--name",
        "Olga Kask",
        "--signing-key",
        "ssh-ed25519 !",
        cwd=tmp_path / "r",
    )
    assert added.code == 2
    assert not (tmp_path / "r" / "specialists" / "ok.yaml").exists()


def test_signing_begins_with_the_first_registered_key(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """A repository where nobody signs passes (its commits are counted as made before signing,
    so `init --ci` does not turn every existing repository red); once a key is registered, an
    unsigned change fails, and so does an unsigned commit removing every key."""
    root = build(tmp_path / "repo", upto="plan")
    plain = juhtum("verify", cwd=root)
    assert plain.code == 0, plain.output
    assert "before any specialist registered a signing key" in plain.out
    before = json.loads(juhtum("verify", "--json", cwd=root).out)
    assert before["checked"] == 0 and before["before_signing"] > 0

    key = ssh_key(tmp_path, "kk")
    added = juhtum("specialists", "--add", "ok", "--name", "Olga Kask", "--signing-key", f"{key}.pub", cwd=root)  # fmt: skip
    assert added.code == 0, added.output
    unsigned = change_case(root, None, "after the first key")
    result = juhtum("verify", cwd=root)
    assert result.code == 1
    assert f"{unsigned} {CASE}: not signed" in result.out.splitlines()

    # taking every key away is a change of the registry: it must be signed too
    (root / "specialists" / "ok.yaml").unlink()
    git(root, "add", "-A")
    git(root, "commit", "--no-gpg-sign", "-qm", "specialists: remove")
    removed = git(root, "rev-parse", "--short=10", "HEAD")
    again = juhtum("verify", cwd=root)
    assert again.code == 1
    assert any(line.startswith(f"{removed} -: not signed") for line in again.out.splitlines())
