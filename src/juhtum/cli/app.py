"""The Typer application: the lazy command table, help in the run's language, the global
options. What every command shares (its run, printing) is :mod:`juhtum.cli.shared`."""

from __future__ import annotations

import datetime as dt
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from juhtum import __version__
from juhtum.i18n import N_, _

HELP = N_(
    """\
Case management (juhtumikorraldus) by the Estonian guideline, over YAML files in git.

A case repository is a folder with juhtum.yaml and cases/<id>/, one folder per case,
one YAML document per stage: need (§1), assessment (§2), planning (§3), the case plan
(§4), monitoring (§5), evaluation (§6), closing (§7), handover (§8).

\b
Start with:  juhtum init my-cases && cd my-cases
             juhtum new --client "Mari Maasikas"
Check it:    juhtum validate"""
)

EPILOG = N_(
    "Exit codes: 0 done or sound, 1 refused or invalid, 2 usage (no case repository here "
    "included), 3 unexpected, 130 interrupted."
)

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module, short help), in the order --help lists them. The short help is the
    # first line of the command's docstring (a test holds them equal): --help shows it
    # without importing any command's module.
    "init": (
        "repository",
        N_("Make a case repository: juhtum.yaml, cases/, the schemas, and a git repository."),
    ),
    "new": (
        "repository",
        N_("Open a case in the need stage (juhis §1); print its id as the last line."),
    ),
    "need": (
        "workflow",
        N_(
            "§1: write need.yaml: consent, the information gathered, the decision, the coordinator."
        ),
    ),
    "assess": (
        "workflow",
        N_(
            "§2: write assessment.yaml: risks and resources, the person's view, goals with deadlines."
        ),
    ),
    "measures": (
        "workflow",
        N_(
            "§3: write planning.yaml: the measures chosen with the person and "
            "negotiated with providers."
        ),
    ),
    "plan": (
        "workflow",
        N_(
            "§4: write the case plan (plan.yaml); during implementation, an announced change (§5.2)."
        ),
    ),
    "sign": (
        "implementation",
        N_("§4.2: record a signature on the plan as it stands (bound to its content hash)."),
    ),
    "monitor": (
        "implementation",
        N_("§5: add a monitoring entry: contacts, services received, progress, action updates."),
    ),
    "evaluate": (
        "implementation",
        N_("§6: write an evaluation: a result for every goal, views, and the decision."),
    ),
    "close": (
        "closing",
        N_("§7: close the case, prepared with the person (closing.yaml)."),
    ),
    "followup": (
        "closing",
        N_("§7.2: record a follow-up contact made after closing, as agreed with the person."),
    ),
    "handover": (
        "closing",
        N_("§8: hand the case over to another specialist, in one commit."),
    ),
    "reopen": (
        "lifecycle",
        N_("§7: reopen a closed or referred case as a new case linked to it; print the new id."),
    ),
    "relate": (
        "lifecycle",
        N_("Link two cases of the repository (siblings, a reopened case, a transfer), both sides."),
    ),
    "meeting": (
        "implementation",
        N_(
            "A network meeting's protocol: participants, agreements (activity, deadline, responsible)."
        ),
    ),
    "note": (
        "implementation",
        N_("§3, §5.1: add a case diary entry: a contact, call, visit, urgent help, information."),
    ),
    "people": (
        "people",
        N_("List the people of a case, or register someone (people/<handle>.yaml)."),
    ),
    "specialists": (
        "specialists",
        N_("List the organisation's specialists, or register one (specialists/<handle>.yaml)."),
    ),
    "edit": (
        "workflow",
        N_("Change any document of the case, through the same checks and one commit."),
    ),
    "adult": (
        "child",
        N_("A child who turned 18: the case goes on in the adult framework (LasteKS § 3 (1))."),
    ),
    "status": (
        "status",
        N_("Where a case stands: its state, what is done, and what each next step still needs."),
    ),
    "history": (
        "history_sync",
        N_("The timeline of a case from git: date, who, step, documents touched."),
    ),
    "sync": (
        "history_sync",
        N_("Share with the remote: pull (a real merge, never an overwrite), then push."),
    ),
    "access": (
        "access",
        N_("Who may read a case: list, grant or revoke access to its encrypted data."),
    ),
    "encrypt": (
        "access",
        N_("Encrypt every case of the repository to the people who work on it, in one commit."),
    ),
    "textconv": (
        "access",
        N_("Print a case document as a key holder reads it (git's diff driver for juhtum)."),
    ),
    "verify": (
        "verify",
        N_("Check that a specialist with access signed every commit that changed a case."),
    ),
    "erase": (
        "erase",
        N_("Erase a case: remove its folder in one commit that records the reason."),
    ),
    "show": (
        "read",
        N_(
            "One case on one screen: state, goals with progress, open actions, next review, people."
        ),
    ),
    "list": (
        "read",
        N_("List the cases of the repository: id, state, framework, opened, coordinator."),
    ),
    "due": (
        "overview",
        N_("Everything that needs doing, soonest first; what is overdue stands out."),
    ),
    "find": (
        "read",
        N_("Find a case by the name of a person in it; print the case ids."),
    ),
    "report": (
        "overview",
        N_("Caseload figures for managers: states, coordinators, time in stages, follow-through."),
    ),
    "export": (
        "export_command",
        N_("Documents for other people: the plan to print and sign, a protocol, a calendar."),
    ),
    "services": (
        "overview",
        N_("The service catalogue: what partner organisations offer, for which needs (services/)."),
    ),
    "validate": (
        "check",
        N_("Check documents, invariants and stages; exit 1 on any error."),
    ),
    "recover": (
        "recover",
        N_("Complete or roll back a change a crash interrupted (what the next change would do)."),
    ),
    "schemas": (
        "schemas_command",
        N_("The JSON Schemas: where they are installed, and the case repository's copies of them."),
    ),
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
        command = found.get(cmd_name) if found is not None else built  # a one-command module
        return translate_help(command) if command is not None else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, _(short)) for name, (_module, short) in COMMANDS.items()]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


def translate_help(command: Any) -> Any:
    """A built command with its help in the current language: its help, short help and epilog,
    its parameters' help, the help option's, and the usage line's words and metavars (typer's
    vendored click writes them in English). Plain help, as the top level's: the subcommands'
    rich panels cost start-up and ignore the catalogue. The language is known before any
    command is built (:func:`early_language`)."""
    command.rich_markup_mode = None
    command.context_class = _translated_context(command.context_class)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _(option.help)
        return option

    command.get_help_option = get_help_option
    for param in command.params:
        choices = [str(getattr(c, "value", c)) for c in getattr(param.type, "choices", None) or ()]
        if param.metavar is None and len("|".join(choices)) > 40:
            # a long list of choices would not fit 80 columns beside the option: said in its help
            name = param.name or "value"
            param.metavar = _(CHOICE_METAVARS[name]) if name in CHOICE_METAVARS else name.upper()
            one_of = _("One of: {choices}.").format(choices=", ".join(choices))
            param.help = (_(param.help) + " " + one_of) if param.help else one_of
            param.help_translated = True
    from juhtum import i18n

    if i18n.language() == "en":
        return command
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, _(text))
    command.options_metavar = _("[OPTIONS]")
    for param in command.params:
        if getattr(param, "help", None) and not getattr(param, "help_translated", False):
            param.help = _(param.help)
        if param.metavar is None and getattr(param.type, "name", None) in METAVARS:
            param.metavar = _(METAVARS[param.type.name])
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
    return command


def _translated_context(base: type) -> type:
    """``base`` (typer's click context) whose help formatter writes "Usage:" translated."""
    formatter_base: Any = base.formatter_class  # type: ignore[attr-defined]

    class Formatter(formatter_base):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            if prefix is None:
                prefix = _("Usage:") + " "
            super().write_usage(prog, args, prefix)

    class Context(base):  # type: ignore[misc]
        formatter_class = Formatter

    return Context


CHOICE_METAVARS = {"stage": N_("STATE")}

METAVARS = {
    "text": N_("TEXT"),
    "str": N_("TEXT"),
    "integer": N_("INTEGER"),
    "int": N_("INTEGER"),
    "path": N_("PATH"),
}


def early_language(argv: list[str], environ: dict[str, str] | None = None) -> str:
    """The language of this run, known before the command line is parsed (help and click's
    own errors need it): ``--lang``, ``JUHTUM_LANG``, the repository's ``juhtum.yaml`` (from
    ``--repo``, ``JUHTUM_REPO`` or the folders upwards), else the locale."""
    from juhtum import i18n

    env = os.environ if environ is None else environ
    chosen: str | None = None
    repo: str | None = env.get("JUHTUM_REPO") or None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        for name in ("--lang", "--repo"):
            value = None
            if arg == name and i + 1 < len(argv):
                value = argv[i + 1]
            elif arg.startswith(name + "="):
                value = arg.split("=", 1)[1]
            if value is not None and name == "--lang" and chosen is None:
                chosen = value
            elif value is not None and name == "--repo":
                repo = value
    chosen = chosen or env.get("JUHTUM_LANG")
    if chosen in i18n.LANGUAGES:
        return chosen
    try:
        here = Path(repo).expanduser().resolve() if repo else Path.cwd().resolve()
        folders = (here,) if repo else (here, *here.parents)
        for folder in folders:
            config = folder / "juhtum.yaml"
            if config.is_file():
                found = LANGUAGE_LINE.search(config.read_text(encoding="utf-8", errors="replace"))
                if found:
                    return found.group(2)
                break
    except OSError:
        pass
    return i18n.locale_language(dict(env))


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


LANGUAGE_LINE = re.compile(r"""^language:[ \t]*(['"]?)(et|en)\1[ \t]*(?:#.*)?$""", re.M)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"juhtum {__version__}")
        raise typer.Exit()


def _parse_today(value: str | None) -> dt.date | None:
    if not value:
        return None
    from juhtum.i18n import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(
            _("{value} is not a date: write it as YYYY-MM-DD").format(value=repr(value))
        ) from None


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
    from juhtum.cli.shared import State

    chosen = lang.value if lang is not None else None
    if chosen is not None:  # else the language cli.main found before parsing stands
        i18n.set_language(chosen)
    ctx.obj = State(
        repo=repo, lang=chosen, today=_parse_today(today), command=ctx.invoked_subcommand
    )
