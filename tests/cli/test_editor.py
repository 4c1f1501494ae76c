"""The editor loop on a real terminal: template, errors at the top, nothing typed lost.

``juhtum`` runs on a pseudo-terminal; the "editor" is a small script that plays
a person: it records what it was shown and writes what the person would type.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from juhtum.documents import schemas
from tests.cli import casebuild
from tests.conftest import Run, git

CASE = casebuild.CASE

EDITOR = r"""
import json, pathlib, sys
path = pathlib.Path(sys.argv[1])
state = pathlib.Path(sys.argv[0]).with_suffix(".state")
rounds = json.loads(state.read_text()) if state.exists() else []
rounds.append(path.read_text(encoding="utf-8"))
state.write_text(json.dumps(rounds))
answers = json.loads(pathlib.Path(sys.argv[0]).with_suffix(".answers").read_text())
answer = answers[min(len(rounds), len(answers)) - 1]
if answer == "<unchanged>":
    pass
elif answer.startswith("<sub>"):
    old, new = json.loads(answer[len("<sub>"):])
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
elif answer.startswith("<append>"):
    path.write_text(path.read_text(encoding="utf-8") + answer[len("<append>"):], encoding="utf-8")
else:
    path.write_text(answer, encoding="utf-8")
"""


def on_terminal(args: list[str], env: dict[str, str], timeout: float = 30) -> tuple[int, str]:
    """Run juhtum with stdin and stdout on a pseudo-terminal; returns exit code and output."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "juhtum", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            raise AssertionError("juhtum hung on the terminal: " + output.decode(errors="replace"))
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return proc.wait(timeout=timeout), output.decode("utf-8", errors="replace")


@pytest.fixture
def editor(tmp_path: Path) -> Callable[[list[str]], tuple[Path, dict[str, str]]]:
    def make(answers: list[str]) -> tuple[Path, dict[str, str]]:
        import json

        script = tmp_path / "editor.py"
        script.write_text(EDITOR)
        script.with_suffix(".answers").write_text(json.dumps(answers))
        env = {**os.environ, "JUHTUM_EDITOR": f"{sys.executable} {script}"}
        return script, env

    return make


def rounds(script: Path) -> list[str]:
    import json

    state = script.with_suffix(".state")
    return json.loads(state.read_text()) if state.exists() else []


@pytest.fixture
def implementation(tmp_path: Path) -> Path:
    return casebuild.build(tmp_path / "repo", upto="implementation")


GOOD = "kind: contact  # talked on the phone\ncontacts: [client]\nprogress: Liina on rahul.\n"
BAD = "kind: chat\ncontacts: [client]\nprogress: Liina on rahul.\n"


def test_template_then_errors_at_the_top_then_saved(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    script, env = editor([BAD, GOOD])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 0, output
    shown = rounds(script)
    assert len(shown) == 2
    template = shown[0]
    assert template.startswith(  # the editing copy, which takes the fields left empty
        "# yaml-language-server: $schema=../../../.juhtum/schemas/draft/monitoring.schema.json"
    )
    schema = schemas.load("monitoring.schema.json")
    assert f"#: {schema['title']}" in template and f"#: {schema['x-title-en']}" in template
    assert f"case: {CASE}" in template
    second = shown[1]
    assert second.startswith("#! ")
    assert "kind must be one of" in second
    assert "kind: chat" in second  # what was typed is still there, under the errors
    [saved] = (implementation / "cases" / CASE / "monitoring").glob("*.yaml")
    text = saved.read_text()
    assert "# talked on the phone" in text
    assert "#:" not in text and "#!" not in text
    assert "date:" in text and "by: kk" in text


def test_giving_up_keeps_the_text(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    _script, env = editor([BAD, "<unchanged>"])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 1
    assert "nothing was saved in the case" in output
    assert f"juhtum monitor {CASE} offers to resume it" in output
    draft = implementation / ".juhtum" / "edit" / CASE / "monitor.yaml"
    assert "kind: chat" in draft.read_text()
    assert "#!" not in draft.read_text()  # the text, not the error block
    assert not list((implementation / "cases" / CASE).glob("monitoring/*.yaml"))


def test_an_unchanged_template_saves_nothing(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    _script, env = editor(["<unchanged>"])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 1
    assert "template was not changed" in output


def test_without_a_terminal_or_a_file_it_says_how(
    implementation: Path, juhtum: Callable[..., Run]
) -> None:
    run = juhtum("--repo", implementation, "monitor", CASE)
    assert run.code == 2
    assert "--file" in run.err


def test_stdin_that_fails_is_kept(
    implementation: Path, monkeypatch: pytest.MonkeyPatch, juhtum: Callable[..., Run]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(BAD))
    run = juhtum("--repo", implementation, "monitor", CASE, "--file", "-")
    assert run.code == 1
    assert "your text is kept in .juhtum/rejected/" in run.err
    [kept] = (implementation / ".juhtum" / "rejected" / CASE).glob("*")
    assert kept.read_text() == BAD


def _draft(repo: Path, text: str, name: str = "monitor.yaml") -> Path:
    """A draft as an interrupted edit leaves it."""
    draft = repo / ".juhtum" / "edit" / CASE / name
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(text, encoding="utf-8")
    return draft


def test_resume_takes_up_the_draft_an_interrupted_edit_left(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    draft = _draft(implementation, GOOD)
    script, env = editor(["<unchanged>"])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE, "--resume"], env)
    assert code == 0, output
    assert rounds(script) == [GOOD]  # the draft, not a blank template
    [saved] = (implementation / "cases" / CASE / "monitoring").glob("*.yaml")
    assert "# talked on the phone" in saved.read_text()
    assert not draft.exists()


def test_an_editor_rescue_file_is_what_is_resumed(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    import time

    draft = _draft(implementation, BAD)
    time.sleep(0.05)
    rescue = draft.with_name(draft.name + ".save")  # what nano writes when hung up on
    rescue.write_text(GOOD, encoding="utf-8")
    script, env = editor(["<unchanged>"])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE, "--resume"], env)
    assert code == 0, output
    assert rounds(script) == [GOOD]
    assert not rescue.exists() and not draft.exists()


def test_discard_sets_the_draft_aside_and_starts_afresh(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    _draft(implementation, BAD)
    script, env = editor([GOOD])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE, "--discard"], env)
    assert code == 0, output
    assert rounds(script)[0].startswith("# yaml-language-server:")  # the template
    [aside] = (implementation / ".juhtum" / "rejected" / CASE).glob("*")
    assert aside.read_text() == BAD  # set aside, never deleted
    assert ".juhtum/rejected/" in output


def test_an_announced_change_names_who_agreed_in_the_editor(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    import json

    from juhtum.documents import yamlio

    longer = json.dumps(["Tööotsingu nõustamine.", "Tööotsingu nõustamine kaks korda."])
    agreed = json.dumps(["agreed_by: []", "agreed_by: [tk]"])
    script, env = editor([f"<sub>{longer}", f"<sub>{agreed}"])
    args = ["--repo", str(implementation), "--today", "2026-03-02", "plan", CASE]
    code, output = on_terminal(args, env)
    assert code == 0, output
    first, second = rounds(script)
    assert "#: " in first and "version: 1" in first  # the plan, its help lines restored
    assert "--agreed-by" in second and "\nagreed_by: []\n" in second
    plan = (implementation / "cases" / CASE / "plan.yaml").read_text()
    assert "Tööotsingu nõustamine kaks korda." in plan and "version: 2" in plan
    assert "agreed_by" not in plan  # what the editor added is not stored in the plan
    [entry] = [
        yamlio.loads(p.read_bytes(), path=p.name).data
        for p in (implementation / "cases" / CASE / "monitoring").glob("*.yaml")
    ]
    assert entry["kind"] == "plan_change" and entry["agreed_by"] == ["tk"]


def test_edit_in_the_editor_mends_a_document_that_does_not_parse(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    import subprocess

    path = implementation / "cases" / CASE / "need.yaml"
    good = path.read_text()
    path.write_text(good.replace("info_sufficient: false", "info_sufficient: [false"))
    subprocess.run(["git", "commit", "-qam", "broken"], cwd=implementation, check=True)
    script, env = editor(["<sub>" + '["info_sufficient: [false", "info_sufficient: false"]'])
    code, output = on_terminal(["--repo", str(implementation), "edit", CASE, "need"], env)
    assert code == 0, output
    assert "info_sufficient: [false" in rounds(script)[0]  # the text as it is, to mend
    assert path.read_text() == good


def test_case_yaml_in_the_editor_offers_its_empty_fields_and_saves_only_the_change(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    path = implementation / "cases" / CASE / "case.yaml"
    before = path.read_text()
    script, env = editor(["<sub>" + '["framework: adult", "framework: adult  # checked"]'])
    code, output = on_terminal(["--repo", str(implementation), "edit", CASE, "case"], env)
    assert code == 0, output
    assert "#: " in rounds(script)[0]  # help lines and empty fields restored
    after = path.read_text()
    assert "framework: adult  # checked" in after
    assert "#:" not in after and ": null" not in after
    assert after.replace("  # checked", "").count("\n") == before.count("\n")


def test_the_same_document_in_a_second_window_is_refused(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    """The lock is not held while the editor is open, but the draft is: a second window
    running the same command on the same case would overwrite it."""
    from filelock import FileLock

    draft = implementation / ".juhtum" / "edit" / CASE / "monitor.yaml"
    draft.parent.mkdir(parents=True)
    _script, env = editor([GOOD])
    with FileLock(str(draft.parent / ".monitor.yaml.lock")):
        code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 1
    assert "open in an editor already" in output
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 0, output


def test_a_register_block_that_does_not_parse_is_shown_at_its_line(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    broken = "register:\n  np: {name: [Nora Puu\n" + GOOD
    script, env = editor([broken, "<unchanged>"])
    code, _output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 1
    second = rounds(script)[1]
    block = [line for line in second.split("\n") if line.startswith("#! ")]
    said = next(line for line in block if "YAML" in line)
    number = int(said.split("line ")[1].split(":")[0])
    assert number == len(block) + 2 or number == len(block) + 3, second


def test_a_crash_while_saving_leaves_the_draft_to_resume(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    script, env = editor([GOOD])
    args = ["--repo", str(implementation), "monitor", CASE]
    code, _output = on_terminal(args, {**env, "JUHTUM_CRASH_AT": "journal-content"})
    assert code == -9  # killed while writing, the change not yet decided
    draft = implementation / ".juhtum" / "edit" / CASE / "monitor.yaml"
    assert "# talked on the phone" in draft.read_text()
    script.with_suffix(".state").unlink()
    code, output = on_terminal([*args, "--resume"], env)
    assert code == 0, output
    [saved] = (implementation / "cases" / CASE / "monitoring").glob("*.yaml")
    assert "# talked on the phone" in saved.read_text()


def test_an_error_in_a_person_registered_from_the_editor_points_at_the_register_block(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    import json

    named = GOOD.replace("contacts: [client]", "contacts: [client, np]")
    block = "register:\n  np:\n    name: Nora Puu\n    roles: [boss]\n"
    fixed = json.dumps(["roles: [boss]", "roles: [network]"])
    script, env = editor([block + named, f"<sub>{fixed}"])
    code, output = on_terminal(["--repo", str(implementation), "monitor", CASE], env)
    assert code == 0, output
    second = rounds(script)[1].split("\n")
    said = next(line for line in second if line.startswith("#! ") and "roles" in line)
    number = int(said.split("line ")[1].split(":")[0])
    assert second[number - 1] == "    roles: [boss]", said
    person = (implementation / "cases" / CASE / "people" / "np.yaml").read_text()
    assert "Nora Puu" in person and "network" in person
    assert "people: add np" in git(implementation, "log", "-1", "--format=%s")


def test_the_error_block_speaks_the_language_and_fits_80_columns(
    implementation: Path, editor: Callable[[list[str]], tuple[Path, dict[str, str]]]
) -> None:
    colon = "kind: contact\ncontacts: [client]\nprogress: helistasin kell 10: Liina on rahul.\n"
    script, env = editor([colon, GOOD])
    args = ["--lang", "et", "--repo", str(implementation), "monitor", CASE]
    code, output = on_terminal(args, env)
    assert code == 0, output
    block = [line for line in rounds(script)[1].splitlines() if line.startswith("#! ")]
    assert block and all(len(line) <= 80 for line in block), block
    said = " ".join(line[3:].strip() for line in block)
    assert "koolon" in said  # the YAML hint in Estonian, not libyaml's or juhtum's English
    assert "a colon and a space" not in said and "Correct it and save" not in said


def test_a_stage_command_out_of_order_refuses_before_any_editor_opens(
    repo: Path, tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """A stage command the case cannot take yet refuses before the editor opens, and names the
    command to run instead (issue 11: assess in need opened its template, then refused)."""
    r = ["--repo", str(repo)]
    assert juhtum(*r, "new", "--client", "Liina Kõrvits", "--id", "o-1").code == 0
    called = tmp_path / "called"
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\necho "$@" >> {called}\n')
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("JUHTUM_EDITOR", "VISUAL")}
    env["EDITOR"] = str(script)
    edit = repo / ".juhtum" / "edit"

    def refused(command: str, instead: str) -> str:
        code, output = on_terminal([*r, command, "o-1"], env)
        said = " ".join(output.split())  # the message is wrapped to the screen
        assert code == 1, output
        assert instead in said, output
        assert not called.exists(), f"juhtum {command} opened the editor"
        assert not edit.exists() or not any(edit.rglob("*.yaml"))
        return said

    # a step the state does not allow at all
    refused("plan", "The next step: juhtum assess o-1")
    # a step the state allows, which the need document keeps from being taken yet
    said = refused("assess", "write it with juhtum need o-1 first, then juhtum assess o-1")
    assert "need.yaml is missing" in said
    for handle, name, role in (
        ("kk", "Kaja Kuusk", "coordinator"),
        ("tk", "Töötukassa", "provider"),
    ):
        assert (
            juhtum(*r, "people", "o-1", "--add", handle, "--name", name, "--role", role).code == 0
        )
    need = Path(__file__).parent / "flows" / "need.yaml"
    text = need.read_text(encoding="utf-8")
    partial = tmp_path / "need.yaml"
    partial.write_text(text[: text.index("agreement:")], encoding="utf-8")
    assert juhtum(*r, "need", "o-1", "--file", partial).code == 0  # no agreement yet (§1.5)
    said = refused("assess", "write it with juhtum need o-1 first, then juhtum assess o-1")
    assert "agreement" in said
    # --file is not refused before it is read: its errors are the save's, as they were
    by_file = juhtum(*r, "assess", "o-1", "--file", partial)
    assert by_file.code == 1 and "the case cannot move to assessment yet" in by_file.err
    # in order, the same editor opens
    code, output = on_terminal([*r, "need", "o-1"], env)
    assert code == 1 and "nothing was saved: the document was not changed" in output, output
    assert called.exists()
