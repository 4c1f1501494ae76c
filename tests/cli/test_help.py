"""Every command is documented, and --help loads no command until one runs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
import typer.main

from juhtum.cli.app import COMMANDS, LazyGroup, app
from tests.conftest import Run


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_and_its_short_help_is_its_docstring(
    name: str, juhtum: Callable[..., Run]
) -> None:
    run = juhtum(name, "--help")
    assert run.code == 0, run.output
    assert f"Usage: juhtum {name}" in run.out
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    command = group.get_command(None, name)
    assert command is not None
    first_line = (command.help or "").strip().splitlines()[0]
    assert first_line == COMMANDS[name][1]


def test_every_command_module_command_is_listed() -> None:
    import importlib

    for module in {m for m, _ in COMMANDS.values()}:
        built = typer.main.get_command(importlib.import_module(f"juhtum.cli.{module}").commands)
        names = set(getattr(built, "commands", {})) or {built.name}
        assert names <= set(COMMANDS), module


def test_help_imports_no_heavy_module() -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from juhtum.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('yaml', 'jsonschema_rs', 'git', 'ruamel', 'rich', 'juhtum.cli.workflow'))\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('juhtum.cli.') and m not in "
        "('juhtum.cli.app',))\n"
        "print(heavy, loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[] []"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("juhtum val", ["validate"]),
        ("juhtum validate --format ", ["text", "json", "github", "gitlab"]),
        ("juhtum init --ci ", ["gitlab", "github"]),
    ],
)
def test_shell_completion_offers_commands_and_choices(words: str, expected: list[str]) -> None:
    """What the README documents: the script --install-completion installs asks juhtum so."""
    import os

    env = {
        **os.environ,
        "_JUHTUM_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "juhtum"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.stdout.split() == expected, proc.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_s_help_is_in_estonian_and_its_short_help_too(
    name: str, juhtum: Callable[..., Run]
) -> None:
    """The Estonian short help (listed by juhtum --help) is the first line of the Estonian
    help, as the English is of the English: the catalogue translates both alike."""
    from juhtum import i18n

    run = juhtum("--lang", "et", name, "--help")
    assert run.code == 0, run.output
    assert f"Kasutus: juhtum {name}" in run.out
    i18n.set_language("et")
    try:
        short = i18n._(COMMANDS[name][1])
        assert short != COMMANDS[name][1], "no Estonian short help"
        group = typer.main.get_command(app)
        assert isinstance(group, LazyGroup)
        command = group.get_command(None, name)
        assert command is not None
        assert (command.help or "").strip().splitlines()[0] == short
    finally:
        i18n.set_language("en")
