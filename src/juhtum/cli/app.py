"""The Typer application, its global options, and what every command shares."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from juhtum import __version__

if TYPE_CHECKING:
    from juhtum.storage import Repository

HELP = """\
Case management (juhtumikorraldus) by the Estonian guideline, over YAML files in git.

A case repository is a folder with juhtum.yaml and cases/<id>/, one folder per case,
one YAML document per stage: need (§1), assessment (§2), planning (§3), the case plan
(§4), monitoring (§5), evaluation (§6), closing (§7), handover (§8).

Start with:  juhtum init my-cases && cd my-cases && juhtum new --client "Mari Maasikas"
Check it:    juhtum validate
"""

EPILOG = (
    "Exit codes: 0 done or sound, 1 refused or invalid, 2 usage (no case repository here "
    "included), 3 unexpected, 130 interrupted."
)

app = typer.Typer(
    name="juhtum",
    help=HELP,
    epilog=EPILOG,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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

    from juhtum import journal, storage

    if not journal.pending(repo):
        return
    with storage.Lock(repo):
        for recovery in journal.recover(repo):
            sys.stderr.write(f"juhtum: {recovery.render()}\n")


def apply_repository_language(repo: Repository) -> None:
    from juhtum import i18n, yamlio
    from juhtum.errors import DocumentError

    try:
        data = yamlio.load_file(repo.config_path, path="juhtum.yaml").data
    except (DocumentError, OSError):
        return  # validate reports it; messages stay in the locale's language
    if isinstance(data, dict) and data.get("language") in i18n.LANGUAGES:
        i18n.set_language(data["language"])


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


# Register the commands (each module adds its own to ``app``).
from juhtum.cli import check, read, repository, status, views, workflow  # noqa: E402, F401
