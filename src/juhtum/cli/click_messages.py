"""typer's own messages (its vendored click's), listed for extraction into juhtum's catalogue.

Never imported. ``typer.core`` looks its help words up through gettext, which
:func:`juhtum.i18n.translate_typer` binds to juhtum's catalogue; the rest are English
f-strings in ``typer._click``, which :func:`juhtum.cli.usage_error` and
:func:`juhtum.cli.app.translate_help` replace with these (typer 0.24-0.28).
"""

from juhtum.i18n import N_

HELP = (
    N_("Usage:"),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

ERRORS = (
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("No such option: {name}"),
    N_("(Possible options: {options})"),
    N_("Did you mean {suggestions}?"),
    N_("Invalid value for {param}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value} is not one of {choices}."),
    N_("{value} is not a valid {kind}."),
    N_("{value} is not in the range {range}."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} does not take a value."),
    N_("integer"),
    N_("float"),
    N_("boolean"),
)
