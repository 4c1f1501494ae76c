"""Every screen juhtum shows, for the tests of language and width: the bundled examples and a
case built through the CLI, copied to a temporary folder, and each command's output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from juhtum.cli.app import COMMANDS
from tests.cli import casebuild
from tests.conftest import EXAMPLES, Run, git

BUILT_CASE = casebuild.CASE


def examples(target: Path) -> dict[str, Path]:
    """The bundled example repositories, each in git (one commit), without local state."""
    found = {}
    for source in sorted(EXAMPLES.iterdir()):
        if not (source / "juhtum.yaml").is_file():
            continue
        root = target / source.name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns(".juhtum"))
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "examples")
        found[source.name] = root
    return found


def built(target: Path) -> Path:
    """A case taken through every step up to implementation, one commit a step."""
    return casebuild.build(target / "built", upto="implementation")


def case_ids(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "cases").iterdir() if p.is_dir())


def screens(juhtum: Callable[..., Run], roots: list[Path], lang: str) -> dict[str, Run]:
    """Every reading command's screen on every case of ``roots``, and the usual errors: a
    name for each (``status lepiku-a8m3ky``) and what it printed."""
    out: dict[str, Run] = {}

    def run(name: str, root: Path, *args: str) -> None:
        out[f"{root.name}: {name}"] = juhtum("--lang", lang, *args, cwd=root)

    for root in roots:
        run("list", root, "list")
        run("list --overdue", root, "list", "--overdue")
        run("due", root, "due", "--within", "3m")
        run("services", root, "services")
        run("report", root, "report")
        run("validate --todo", root, "validate", "--todo")
        for case_id in case_ids(root):
            for command in ("status", "show", "history", "people"):
                run(f"{command} {case_id}", root, command, case_id)
    root = roots[0]
    run("error: no such case", root, "status", "no-such-case")
    run("error: missing argument", root, "status")
    run("error: no such option", root, "due", "--bogus")
    run("error: bad choice", root, "list", "--stage", "somewhere")
    run("error: bad date", root, "report", "--from", "yesterday")
    run("error: no such command", root, "stauts")
    return out


def helps(juhtum: Callable[..., Run], lang: str) -> dict[str, Run]:
    """``--help`` of juhtum and of every command."""
    out = {"juhtum --help": juhtum("--lang", lang, "--help")}
    for name in COMMANDS:
        out[f"{name} --help"] = juhtum("--lang", lang, name, "--help")
    return out


def writing(juhtum: Callable[..., Run], target: Path, lang: str) -> dict[str, Run]:
    """What the writing commands print, step by step, taking a case from init to
    implementation in ``lang`` (the documents are casebuild's)."""
    root = target / f"writing-{lang}"
    work = target / f"writing-{lang}-documents"
    work.mkdir(parents=True)
    out: dict[str, Run] = {}

    def run(name: str, *args: str | Path) -> None:
        result = juhtum("--lang", lang, *args)
        assert result.code == 0, (name, result.output)
        out[name] = result

    run("init", "init", root, "--organisation", "Testvald")
    shutil.copytree(casebuild.TWIN / "services", root / "services")
    git(root, "add", "services")
    git(root, "commit", "-qm", "catalogue")
    r = ("--repo", root)
    case = casebuild.CASE
    run("new", *r, "--today", "2026-01-05", "new", "--client", "Liina Kõrvits", "--id", case)
    for handle, name, role in (
        ("kk", "Kaja Kuusk", "coordinator"),
        ("tk", "Töötukassa", "provider"),
        ("ode", "Mare Kõrvits", "network"),
    ):
        run(f"people {handle}", *r, "people", case, "--add", handle, "--name", name, "--role", role)
    for command, document in (
        ("need", casebuild.document("need.yaml", work)),
        ("assess", casebuild.document("assessment.yaml", work)),
        ("measures", casebuild.document("planning.yaml", work)),
        ("plan", casebuild.plan_version_1(work)),
    ):
        run(command, *r, "--today", "2026-02-02", command, case, "-f", document)
    for party in ("client", "kk", "tk", "ode"):
        run(f"sign {party}", *r, "--today", "2026-02-03", "sign", case, "--party", party)
    return out
