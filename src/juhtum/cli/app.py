"""The Typer application, its global options, and what every command shares."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from juhtum import __version__

if TYPE_CHECKING:
    from juhtum.storage import Repository

HELP = """\
Case management (juhtumikorraldus) by the Estonian guideline, over YAML files in git.

A case repository is a folder with juhtum.yaml and cases/<id>/, one folder per case,
one YAML document per stage: need (§1), assessment (§2), planning (§3), the case plan
(§4), monitoring (§5), evaluation (§6), closing (§7), handover (§8).

\b
Start with:  juhtum init my-cases && cd my-cases
             juhtum new --client "Mari Maasikas"
Check it:    juhtum validate
"""

EPILOG = (
    "Exit codes: 0 done or sound, 1 refused or invalid, 2 usage (no case repository here "
    "included), 3 unexpected, 130 interrupted."
)

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module, short help), in the order --help lists them. The short help is the
    # first line of the command's docstring (a test holds them equal): --help shows it
    # without importing any command's module.
    "init": (
        "repository",
        "Make a case repository: juhtum.yaml, cases/, the schemas, and a git repository.",
    ),
    "new": (
        "repository",
        "Open a case in the need stage (juhis §1); print its id as the last line.",
    ),
    "need": (
        "workflow",
        "§1: write need.yaml: consent, the information gathered, the decision, the coordinator.",
    ),
    "assess": (
        "workflow",
        "§2: write assessment.yaml: risks and resources, the person's view, goals with deadlines.",
    ),
    "measures": (
        "workflow",
        "§3: write planning.yaml: the measures chosen with the person and "
        "negotiated with providers.",
    ),
    "plan": (
        "workflow",
        "§4: write the case plan (plan.yaml); during implementation, an announced change (§5.2).",
    ),
    "sign": (
        "workflow",
        "§4.2: record a signature on the plan as it stands (bound to its content hash).",
    ),
    "monitor": (
        "workflow",
        "§5: add a monitoring entry: contacts, services received, progress, action updates.",
    ),
    "evaluate": (
        "workflow",
        "§6: write an evaluation: a result for every goal, views, and the decision.",
    ),
    "close": ("workflow", "§7: close the case, prepared with the person (closing.yaml)."),
    "followup": (
        "workflow",
        "§7.2: record a follow-up contact made after closing, as agreed with the person.",
    ),
    "handover": ("workflow", "§8: hand the case over to another specialist, in one commit."),
    "meeting": (
        "workflow",
        "A network meeting's protocol: participants, agreements (activity, deadline, responsible).",
    ),
    "note": (
        "workflow",
        "§3, §5.1: add a case diary entry: a contact, call, visit, urgent help, information.",
    ),
    "people": (
        "workflow",
        "List the people of a case, or register someone (people/<handle>.yaml).",
    ),
    "edit": (
        "workflow",
        "Change any document of the case, through the same checks and one commit.",
    ),
    "status": (
        "status",
        "Where a case stands: its state, what is done, and what each next step still needs.",
    ),
    "history": ("status", "The timeline of a case from git: date, who, step, documents touched."),
    "sync": (
        "status",
        "Share with the remote: pull (a real merge, never an overwrite), then push.",
    ),
    "erase": ("erase", "Erase a case: remove its folder in one commit that records the reason."),
    "show": (
        "read",
        "One case on one screen: state, goals with progress, open actions, next review, people.",
    ),
    "list": (
        "read",
        "List the cases of the repository: id, state, framework, opened, coordinator.",
    ),
    "due": ("views", "Everything that needs doing, soonest first; what is overdue stands out."),
    "report": (
        "views",
        "Caseload figures for managers: states, coordinators, time in stages, follow-through.",
    ),
    "export": (
        "views",
        "Documents for other people: the plan to print and sign, a protocol, a calendar.",
    ),
    "services": (
        "views",
        "The service catalogue: what partner organisations offer, for which needs (services/).",
    ),
    "validate": ("check", "Check documents, invariants and stages; exit 1 on any error."),
}


class LazyGroup(TyperGroup):
    """The top-level command: imports and builds only the command that runs (start-up is a
    feature: --help imports no command module at all)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        import importlib

        import typer.main

        module = importlib.import_module(f"juhtum.cli.{entry[0]}")
        built = typer.main.get_command(module.commands)
        found = getattr(built, "commands", None)
        return found.get(cmd_name) if found is not None else built  # a one-command module

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, short) for name, (_module, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="juhtum",
    cls=LazyGroup,
    help=HELP,
    epilog=EPILOG,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # click's plain help: rich's formatter costs 200 ms of start-up for every --help
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(StrEnum):
    et = "et"
    en = "en"


class Framework(StrEnum):
    adult = "adult"
    child = "child"


class Stage(StrEnum):
    need = "need"
    assessment = "assessment"
    planning = "planning"
    plan = "plan"
    implementation = "implementation"
    evaluation = "evaluation"
    closed = "closed"
    referred = "referred"


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


@dataclass
class State:
    repo: Path | None = None
    lang: str | None = None
    today: dt.date | None = None

    def repository(self) -> Repository:
        """The case repository, with its language applied unless ``--lang`` chose one."""
        from juhtum.storage import find_repository

        repo = find_repository(self.repo)
        if self.lang is None:
            apply_repository_language(repo)
        recover_interrupted(repo)
        return repo

    def day(self) -> dt.date:
        return self.today or dt.date.today()


def recover_interrupted(repo: Repository) -> None:
    """Complete or roll back a change a crash interrupted, whatever the command, and say so."""
    import sys

    if not repo.interrupted_changes():
        return
    from juhtum import journal, storage

    with storage.Lock(repo):
        for recovery in journal.recover(repo):
            sys.stderr.write(f"juhtum: {recovery.render()}\n")


_LANGUAGE = re.compile(r"""^language:[ \t]*(['"]?)(et|en)\1[ \t]*(?:#.*)?$""", re.M)


def apply_repository_language(repo: Repository) -> None:
    """juhtum.yaml's top-level ``language``, read without the YAML parser: every command
    needs it, and the parser costs 20 ms of start-up (validate reports a broken file)."""
    from juhtum import i18n

    try:
        text = repo.config_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    found = _LANGUAGE.search(text)
    if found:
        i18n.set_language(found.group(2))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def _version(value: bool) -> None:
    if value:
        typer.echo(f"juhtum {__version__}")
        raise typer.Exit()


def _parse_today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


@app.callback()
def main_options(
    ctx: typer.Context,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo",
            envvar="JUHTUM_REPO",
            help="The case repository (a folder with juhtum.yaml). Default: the nearest one "
            "from the current folder upwards.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            envvar="JUHTUM_LANG",
            help="Language of messages. Default: juhtum.yaml's language, else the "
            "locale (Estonian for an Estonian locale, English otherwise).",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="JUHTUM_TODAY",
            help="Take this date (YYYY-MM-DD) as today, for reproducible demos and tests.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    from juhtum import i18n

    chosen = lang.value if lang is not None else None
    i18n.set_language(chosen or i18n.locale_language())
    ctx.obj = State(repo=repo, lang=chosen, today=_parse_today(today))


def commit_date(st: State) -> str | None:
    """The date commits carry: the one given with --today, at the current time of day."""
    if st.today is None:
        return None
    now = dt.datetime.now().astimezone()
    return dt.datetime.combine(st.today, now.timetz()).isoformat(timespec="seconds")


def echo(text: str = "") -> None:
    typer.echo(text)


def echo_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def is_terminal() -> bool:
    return os.isatty(1)
