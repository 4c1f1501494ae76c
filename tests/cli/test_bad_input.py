"""Bad input gets a clear message naming file and line, and exit 1: never a traceback or a crash.

Each runs the real CLI as a process; the timeout only catches a hang (speed is measured in
benchmarks/).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

CASE = "test-abc123"


@pytest.fixture
def plain(tmp_path: Path, juhtum: Callable[..., Run]) -> Path:
    root = tmp_path / "plain"
    assert juhtum("init", root, "--no-git", "--organisation", "Testvald").code == 0
    assert juhtum("--repo", root, "new", "--client", "Mari Maasikas", "--id", CASE).code == 0
    return root


def check(run: Run, *expected: str, code: int = 1) -> None:
    assert run.code == code, run.output
    assert "Traceback" not in run.output
    for text in expected:
        assert text in run.output, (text, run.output)


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / "cases" / CASE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


NEED_HEAD = f"case: {CASE}\nspecialist: client\n"


def test_syntax_error(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", NEED_HEAD + "decision: [a, b\ninfo_sufficient: true\n")
    check(juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml:", "YAML syntax error")


def test_duplicate_key(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", NEED_HEAD + "info_sufficient: true\ninfo_sufficient: false\n")
    check(
        juhtum_process("validate", cwd=plain),
        f"cases/{CASE}/need.yaml:4",
        "info_sufficient appears twice (first on line 3)",
    )


def test_yes_no_are_text(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", NEED_HEAD + "info_sufficient: yes\n")
    check(
        juhtum_process("validate", cwd=plain),
        f"cases/{CASE}/need.yaml:3",
        "info_sufficient must be true or false",
    )


def test_impossible_date(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    case = plain / "cases" / CASE / "case.yaml"
    case.write_text(case.read_text().replace("opened: '2026-11-23'", "opened: 2026-02-30"))
    check(
        juhtum_process("validate", cwd=plain),
        f"cases/{CASE}/case.yaml:3",
        "[I14]",
        "opened is not a real date",
    )


def test_alias_bomb(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}]\n"
        for i in range(24)
    )
    write(plain, "need.yaml", bomb)
    check(juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml:1", "anchors and aliases")


def test_deep_nesting(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", "a: " + "[" * 30000 + "]" * 30000 + "\n")
    # juhtum's limit, or libyaml's in its own words (PyYAML >= 6.0.3): refused on its line
    check(juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml:1", "nest")


def test_huge_file(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", b"a: " + b"x" * (20 * 1024 * 1024) + b"\n")
    check(
        juhtum_process("validate", cwd=plain),
        f"cases/{CASE}/need.yaml",
        "20480 KiB",
        "more than the 1024 KiB",
    )


def test_nul_byte_in_a_file(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", NEED_HEAD + "info_sufficient: tr\x00ue\n")
    check(juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml:3", "NUL")


def test_not_utf8(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", NEED_HEAD.encode() + b"note: J\xf5geva\n")
    check(juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml:3", "UTF-8")


@pytest.mark.parametrize("bad", ["../../etc", "/etc", f"{CASE} ", "Case-1"])
def test_bad_case_ids(plain: Path, juhtum_process: Callable[..., Run], bad: str) -> None:
    check(juhtum_process("show", bad, cwd=plain), "is not a case id")


def test_nul_byte_in_an_id(plain: Path, juhtum: Callable[..., Run]) -> None:
    # a NUL cannot pass through a process's arguments: in-process it reaches the check
    check(juhtum("show", "ab\x00cd", cwd=plain), "is not a case id", "\\x00")


@pytest.mark.parametrize("name", ["need.yaml", "people/other.yaml"])
def test_symlink_to_a_file_outside_the_case(
    plain: Path, tmp_path: Path, juhtum_process: Callable[..., Run], name: str
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("secret: the content of a file outside the case\n")
    link = plain / "cases" / CASE / name
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(outside)
    run = juhtum_process("validate", cwd=plain)
    check(run, f"cases/{CASE}/{name}", "symbolic link")
    assert "the content of a file outside" not in run.output


def test_symlinked_case_folder(
    plain: Path, tmp_path: Path, juhtum_process: Callable[..., Run]
) -> None:
    (plain / "cases" / "other-1").symlink_to(plain / "cases" / CASE)
    run = juhtum_process("show", "other-1", cwd=plain)
    check(run, "no case other-1")


def test_a_document_that_is_a_list(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", "- a\n- b\n")
    check(
        juhtum_process("validate", cwd=plain),
        f"cases/{CASE}/need.yaml:1",
        "must be a set of fields",
    )


def test_empty_document(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    write(plain, "need.yaml", "")
    check(
        juhtum_process("validate", cwd=plain), f"cases/{CASE}/need.yaml", "must be a set of fields"
    )


def test_sound_case_is_still_sound(plain: Path, juhtum_process: Callable[..., Run]) -> None:
    check(juhtum_process("validate", cwd=plain), "1 case checked, 0 errors", code=0)


# -- ids and handles that name someone; folders that are no case (issue 8, item 7) -----------


@pytest.mark.parametrize(
    ("case_id", "refused"),
    [("maasikas-mari", True), ("mari-1", True), ("mm-2026", False)],
)
def test_case_id_made_of_the_name(
    plain: Path, juhtum: Callable[..., Run], case_id: str, refused: bool
) -> None:
    run = juhtum("--repo", plain, "new", "--client", "Mari Maasikas", "--id", case_id)
    if refused:
        check(run, f"the case id {case_id} holds a part of the person's name")
        assert not (plain / "cases" / case_id).exists()
    else:
        check(run, case_id, code=0)


def test_handle_made_of_the_name(plain: Path, juhtum: Callable[..., Run]) -> None:
    r = ("--repo", plain, "people", CASE, "--add")
    check(juhtum(*r, "tamm", "--name", "Jaan Tamm", "--role", "network"), "handle tamm holds")
    # the client's name too, and without its diacritics (a handle has only a-z)
    check(juhtum(*r, "maasikas-ema", "--name", "Anne Kask", "--role", "network"), "holds a part")
    check(
        juhtum("--repo", plain, "new", "--client", "Liina Kõrvits", "--id", "korvits-1"),
        "holds a part of the person's name",
    )
    assert not (plain / "cases" / CASE / "people" / "tamm.yaml").exists()
    check(juhtum(*r, "jt", "--name", "Jaan Tamm", "--role", "network"), code=0)
    # an organisation's handle may be its name
    check(juhtum(*r, "tootukassa", "--name", "Eesti Töötukassa", "--role", "provider"), code=0)


def test_names_are_matched_after_nfc_and_case_folding() -> None:
    import unicodedata

    from juhtum.model import ids

    nfd = unicodedata.normalize("NFD", "Mari Kõrvits")
    assert ids.named_after("kõrvits-m", [nfd])
    assert ids.named_after("KORVITS", ["MARI KÕRVITS"])
    assert not ids.named_after("kk", ["Kaja Kuusk"])
    assert not ids.named_after("ly-1", ["Ly Tamm"])  # two letters: too common to refuse


@pytest.mark.parametrize("name", ["Rt-Case", "tartu-\u0430bc", "UPPER"])
def test_folder_that_is_no_case_id_is_an_error(
    plain: Path, juhtum: Callable[..., Run], name: str
) -> None:
    folder = plain / "cases" / name
    folder.mkdir()
    (folder / "case.yaml").write_text("id: x\nstage: bogus\n", encoding="utf-8")
    run = juhtum("validate", cwd=plain)
    check(run, f"cases/{name}: error [file] this is not a case folder")
    assert "1 error" in run.output


def test_handover_to_a_handle_made_of_the_name(
    plain: Path, juhtum: Callable[..., Run], tmp_path: Path
) -> None:
    handover = tmp_path / "handover.yaml"
    handover.write_text("terms: agreed\n", encoding="utf-8")
    r = ("--repo", plain, "handover", CASE)
    check(juhtum(*r, "--to", "tamm", "--name", "Jaan Tamm", "-f", handover), "handle tamm holds")
    check(juhtum(*r, "--to", "maasikas", "--name", "Anne Kask", "-f", handover), "holds a part")
    assert not list((plain / "cases" / CASE).glob("handovers/*.yaml"))


def test_an_unknown_role_lists_the_roles_as_a_person_reads_them(
    plain: Path, juhtum: Callable[..., Run]
) -> None:
    """issue 11: not the raw codes alone; nothing is written."""
    add = ("people", CASE, "--add", "xy", "--name", "Mari Maasikas", "--role", "client")
    estonian = juhtum("--lang", "et", "--repo", plain, *add, "--role", "boss")
    check(estonian, "--role boss", "client (klient)", "network (võrgustik)", code=2)
    assert "ei ole tuntud roll" in estonian.err
    english = juhtum("--lang", "en", "--repo", plain, *add, "--role", "boss")
    check(english, "--role boss is not a role", "client, representative, coordinator", code=2)
    assert "(klient)" not in english.output
    assert not (plain / "cases" / CASE / "people" / "xy.yaml").exists()
    assert juhtum("--lang", "en", "--repo", plain, *add).code == 0  # a known role is taken
