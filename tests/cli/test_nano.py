"""A case in Estonian through a real editor, nano, on a pseudo-terminal (issue 11).

A person gives up with an empty save, closes the terminal mid-edit and resumes, has another
window register a person and open another case while the editor is open, and fixes inside the
editor an error that once needed another command. Every line they type is found again
afterwards. ``make test`` installs Debian's nano when it is missing; without it this test
fails (it never skips).
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from juhtum.cli import main

CASE = "c-1"
ESC = "\x1b"
CTRL = {key: chr(ord(key) - ord("a") + 1) for key in "ekowx"}
"""^E end of line, ^W search, ^O write out, ^X exit."""


class Terminal:
    """juhtum on a pseudo-terminal of its own (its own session, like a terminal window)."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        os.set_blocking(master, True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "juhtum", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.screen = b""
        self.seen = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.screen += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return self.screen.decode("utf-8", errors="replace")

    def expect(self, pattern: str, timeout: float = 20) -> None:
        """Wait until ``pattern`` shows (after what an earlier expect saw)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = _plain(self.text)  # what the screen says, its escape sequences left out
            found = shown.find(pattern, self.seen)
            if found >= 0:
                self.seen = found + len(pattern)
                return
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never showed; the terminal said:\n{_plain(self.text)}")

    def send(self, keys: str, pause: float = 0.3) -> None:
        os.write(self.master, keys.encode("utf-8"))
        time.sleep(pause)

    def type_after(self, anchor: str, words: str) -> None:
        """Search for ``anchor`` (nano's ^W), go to the end of its line, type ``words``."""
        self.send(CTRL["w"])
        self.send(anchor + "\r")
        self.send(CTRL["e"])
        self.send(words)

    def save_and_exit(self) -> None:
        self.send(CTRL["o"])
        self.send("\r")
        self.send(CTRL["x"])

    def wait(self, timeout: float = 30) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        os.close(self.master)
        return code, _plain(self.text)


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]", "", text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    assert main(["init", str(root), "--organisation", "Testvald", "--language", "et"]) == 0
    r = ["--repo", str(root), "--today", "2026-01-05"]
    assert main([*r, "new", "--client", "Liina Kõrvits", "--id", CASE]) == 0
    assert main([*r, "people", CASE, "--add", "kk", "--name", "Kaja Kuusk", "--role", "coordinator"]) == 0  # fmt: skip
    return root


def _env() -> dict[str, str]:
    assert shutil.which("nano"), "nano is missing: make test installs it (apt-get install nano)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUHTUM_", "VISUAL"))}
    return {
        **env,
        "JUHTUM_EDITOR": "nano --ignorercfiles",
        "JUHTUM_TODAY": "2026-01-08",
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "COLUMNS": "80",
        "LINES": "30",
    }


def juhtum(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Another window: a command run while the editor is open."""
    return subprocess.run(
        [sys.executable, "-m", "juhtum", "--lang", "et", "--repo", str(repo), *args],
        env={**_env(), "JUHTUM_EDITOR": "false"},
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )


def test_a_case_in_estonian_through_nano(repo: Path) -> None:
    env = _env()
    draft = repo / ".juhtum" / "edit" / f"{CASE}~need.yaml"  # as deep as need.yaml
    typed = {
        "scope": "Liina lubas küsida infot Töötukassast.",
        "sufficient": "false",
    }
    start = ["--lang", "et", "--repo", str(repo), "need", CASE]

    # 1. the terminal closes mid-edit: what was typed, unsaved, is kept
    term = Terminal(start, env, repo)
    term.expect("Exit")
    term.type_after("scope:", " " + typed["scope"])
    term.type_after("info_sufficient:", " " + typed["sufficient"])
    term.expect("Töötukassast.")
    os.killpg(term.proc.pid, signal.SIGHUP)  # what closing the window does
    term.wait()
    held = [p for p in draft.parent.iterdir() if p.name.startswith(draft.name)]
    assert any(typed["scope"] in p.read_text(encoding="utf-8") for p in held), held
    status = juhtum(repo, "status", CASE)
    assert f"juhtum need {CASE} --resume" in status.stdout, status.stdout + status.stderr

    # 2. the same command offers to resume it; while the editor is open, another window
    # registers a person in this case and opens another case (the lock is not held)
    term = Terminal(start, env, repo)
    term.expect("Kas jätkate seda? [J/e]")
    term.send("j\r")
    term.expect("Exit")
    term.send(CTRL["w"] + "info_sufficient: f\r")  # below the help lines: find it
    term.expect("info_sufficient: false")  # the resumed text is on the screen
    began = time.monotonic()
    other = juhtum(repo, "people", CASE, "--add", "np", "--name", "Nora Puu", "--role", "network")
    assert other.returncode == 0, other.stderr
    second = juhtum(repo, "new", "--client", "Mari Mets", "--id", "c-2")
    assert second.returncode == 0, second.stderr
    assert time.monotonic() - began < 20  # not the 30 s lock timeout of a held lock
    # 3. an error only another command could fix, fixed in the editor: an unregistered person
    term.send(CTRL["w"] + "specialist:\r" + CTRL["k"])  # the line (a handle filled in) cut
    term.send("specialist: ks\r")
    term.save_and_exit()
    term.expect("register:")
    term.type_after("    name:", " Kadri Kask")
    term.save_and_exit()
    code, output = term.wait()
    assert code == 0, output
    assert "muutis teie toimetamise ajal teine käsk" in output  # told the case changed
    need = (repo / "cases" / CASE / "need.yaml").read_text(encoding="utf-8")
    assert typed["scope"] in need and "info_sufficient: false" in need
    assert "specialist: ks" in need
    assert "register" not in need and not need.startswith("\n")  # the block is not stored
    assert "Kadri Kask" in (repo / "cases" / CASE / "people" / "ks.yaml").read_text()
    assert (repo / "cases" / CASE / "people" / "np.yaml").is_file()  # the other window's
    assert (repo / "cases" / "c-2" / "case.yaml").is_file()
    assert not draft.parent.exists() or not [
        p for p in draft.parent.iterdir() if p.name.startswith(draft.name)
    ]

    # 4. editing it again: help lines and empty fields are back; an error, then giving up
    # with an empty save keeps the last text that had something typed in it
    term = Terminal(["--lang", "et", "--repo", str(repo), "edit", CASE, "need"], env, repo)
    term.expect("Exit")
    term.type_after("info_sufficient: false", "x")
    term.type_after("reasoning:", " Abivajadus hõlmab tööd ja sissetulekut.")
    term.save_and_exit()
    term.expect("#! juhtum ei saanud seda dokumenti salvestada")  # the second round
    workfile = repo / ".juhtum" / "edit" / f"{CASE}~edit~need.yaml"
    shown = workfile.read_text(encoding="utf-8").split("\n")
    assert any(line.startswith("#: ") for line in shown)  # the help lines, restored
    said = next(line for line in shown if "info_sufficient" in line and line.startswith("#!"))
    number = int(re.search(r"rida (\d+)", said).group(1))  # type: ignore[union-attr]
    assert shown[number - 1] == "info_sufficient: falsex"  # the line as on the screen
    term.send(ESC + "\\")  # to the first line
    term.send(ESC + "t")  # cut to the end of the file
    term.save_and_exit()
    code, output = term.wait()
    assert code == 1, output
    assert "mustandina hoiul" in output
    kept = workfile.read_text(encoding="utf-8")
    assert "info_sufficient: falsex" in kept
    assert "Abivajadus hõlmab tööd ja sissetulekut." in kept
    assert typed["scope"] in kept


# -- a whole case, need to follow-up, every document through nano ------------------------------

FLOWS = Path(__file__).parent / "flows"
SERVICES = Path(__file__).parents[1] / "cases" / "valid" / "twin" / "services"
FOLLOWUP = """\
case: c-1
date: 2026-09-20
by: kk2
method: telefon
notes: Liina töötab edasi ja abi ei vaja.
"""


def _write_through_nano(
    repo: Path, folder: Path, today: str, command: list[str], document: Path, typed: tuple[str, str]
) -> str:
    """Open ``command`` in nano, replace the template with ``document`` (nano's ^R inserts a
    file), type ``typed[1]`` at the end of the line holding ``typed[0]``, save and exit; the
    command's screen output."""
    env = _env()
    term = Terminal(["--lang", "et", "--repo", str(repo), "--today", today, *command], env, repo)
    term.expect("Exit")
    term.send(ESC + "\\")  # to the first line
    term.send(ESC + "t")  # cut to the end of the file: the template goes
    term.send(chr(ord("r") - ord("a") + 1))  # ^R: insert a file
    term.send(str(document) + "\r", pause=0.6)
    term.type_after(typed[0], typed[1])
    term.save_and_exit()
    code, output = term.wait()
    assert code == 0, output
    return output


def test_a_whole_case_from_need_to_follow_up_through_nano(tmp_path: Path) -> None:
    """Every document of a case, the coordinator's words typed in nano into each, kept."""
    root = tmp_path / "repo"
    assert main(["init", str(root), "--organisation", "Testvald", "--language", "et"]) == 0
    shutil.copytree(SERVICES, root / "services")
    subprocess.run(["git", "-C", str(root), "add", "services"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", "service catalogue"], check=True)
    r = ["--repo", str(root), "--lang", "et"]
    assert (
        main([*r, "--today", "2026-01-05", "new", "--client", "Liina Kõrvits", "--id", CASE]) == 0
    )
    for handle, name, role in (
        ("kk", "Kaja Kuusk", "coordinator"),
        ("tk", "Töötukassa Näidiskülas", "provider"),
        ("ode", "Mare Kõrvits", "network"),
    ):
        argv = [*r, "--today", "2026-01-05", "people", CASE, "--add", handle, "--name", name]
        assert main([*argv, "--role", role]) == 0
    client = [*r, "edit", CASE, "client", "--file", str(FLOWS / "client.yaml")]
    assert main(client) == 0
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "followup.yaml").write_text(FOLLOWUP, encoding="utf-8")
    for name in ("need", "assessment", "planning", "plan-v1", "monitoring"):
        shutil.copy(FLOWS / f"{name}.yaml", docs / f"{name}.yaml")
    for name in ("evaluation-close", "closing", "handover"):
        shutil.copy(FLOWS / f"{name}.yaml", docs / f"{name}.yaml")

    folder = root / "cases" / CASE
    steps = [  # (today, command, document, (anchor, typed), where it is stored)
        ("2026-01-12", ["need", CASE], "need", ("scope:", " Kirjutatud 1."), "need.yaml"),
        ("2026-01-20", ["assess", CASE], "assessment", ("problems:", " Kirjutatud 2."),
         "assessment.yaml"),
        ("2026-01-26", ["measures", CASE], "planning", ("benefit:", " Kirjutatud 3."),
         "planning.yaml"),
        ("2026-02-02", ["plan", CASE], "plan-v1", ("description:", " Kirjutatud 4."),
         "plan.yaml"),
    ]  # fmt: skip
    for today, command, document, typed, stored in steps:
        _write_through_nano(root, folder, today, command, docs / f"{document}.yaml", typed)
        assert typed[1].strip() in (folder / stored).read_text(encoding="utf-8"), stored
    for today, party in (("2026-02-02", "client"), ("2026-02-02", "kk")):
        assert main([*r, "--today", today, "sign", CASE, "--party", party]) == 0
    for party in ("tk", "ode"):
        assert main([*r, "--today", "2026-02-03", "sign", CASE, "--party", party]) == 0
    later = [
        ("2026-02-20", ["monitor", CASE], "monitoring", ("progress:", " Kirjutatud 5."),
         "monitoring"),
        ("2026-03-16", ["handover", CASE, "--to", "kk2", "--name", "Kalev Kivi",
          "--organisation", "Näidisküla Vallavalitsus"], "handover",
         ("terms:", " Kirjutatud 9."), "handovers"),
        ("2026-06-15", ["evaluate", CASE], "evaluation-close", ("purpose:", " Kirjutatud 6."),
         "evaluations"),
        ("2026-06-20", ["close", CASE, "--reason", "goals_achieved"], "closing",
         ("strategies:", " Kirjutatud 7."), "closing.yaml"),
        ("2026-09-20", ["followup", CASE], "followup", ("notes:", " Kirjutatud 8."),
         "followups"),
    ]  # fmt: skip
    for today, command, document, typed, stored in later:
        _write_through_nano(root, folder, today, command, docs / f"{document}.yaml", typed)
        where = folder / stored
        texts = [p.read_text(encoding="utf-8") for p in where.glob("*.yaml")] if where.is_dir() else [where.read_text(encoding="utf-8")]  # fmt: skip
        assert any(typed[1].strip() in text for text in texts), stored

    valid = subprocess.run(
        [sys.executable, "-m", "juhtum", *r, "--today", "2026-09-21", "validate"],
        capture_output=True, text=True, env={**_env(), "JUHTUM_EDITOR": "false"}, check=False,
    )  # fmt: skip
    assert valid.returncode == 0, valid.stdout + valid.stderr
    case = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "stage: closed" in case
    assert not (root / ".juhtum" / "edit").exists() or not list(
        (root / ".juhtum" / "edit").iterdir()
    )
