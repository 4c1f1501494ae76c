"""The command line: the only place that prints or exits.

:func:`main` is the one error boundary: a :class:`~juhtum.errors.JuhtumError`
becomes its message and exit code (1, or 2 for usage), a usage error of the
command line exit 2, Ctrl-C 130, anything unexpected 3 with a short note and
never a traceback (its locals could hold personal data); ``JUHTUM_DEBUG=1``
shows the traceback to a developer.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> int:
    import typer.main

    from juhtum import i18n
    from juhtum.cli.app import app, early_language, translate_help

    args = sys.argv[1:] if argv is None else argv
    i18n.set_language(early_language(args))
    i18n.translate_typer()
    _unbroken_help()
    command = translate_help(typer.main.get_command(app))
    try:
        return _run(command, args)
    finally:
        _notices()


def _run(command: Any, args: list[str]) -> int:
    from typer.exceptions import Abort, Exit, TyperException

    from juhtum import i18n
    from juhtum.errors import JuhtumError

    try:
        result = command.main(args=args, prog_name="juhtum", standalone_mode=False)
    except JuhtumError as exc:
        try:
            text = exc.render()
        except Exception:  # a message that cannot be rendered must not become a traceback
            if os.environ.get("JUHTUM_DEBUG"):
                raise
            text = f"juhtum: {exc.message}"
        _error(text)
        return exc.exit_code
    except Exit as exc:
        return int(exc.exit_code)
    except (Abort, KeyboardInterrupt):
        _error(i18n._("interrupted"))
        return 130
    except TyperException as exc:  # click's usage errors: exit code 2 (1 for others)
        _error(usage_error(exc))
        return int(getattr(exc, "exit_code", 2))
    except BrokenPipeError:  # juhtum list | head
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("JUHTUM_DEBUG"):
            raise
        _error(
            i18n._(
                "juhtum: unexpected error ({kind}). This is a bug in juhtum; please report it "
                "with the command you ran (JUHTUM_DEBUG=1 shows the details)."
            ).format(kind=type(exc).__name__)
        )
        return 3
    return int(result) if isinstance(result, int) else 0


def _notices() -> None:
    """What the library ignored and why (local state this clone did not write)."""
    local = sys.modules.get("juhtum.storage.local")
    if local is None or not local.notices:
        return
    from juhtum.i18n import render

    for message, args in local.notices:
        _error(f"juhtum: {render(message, args)}")
    local.notices.clear()


def _unbroken_help() -> None:
    """Help wrapped between words only: typer's (vendored click's) wrapper breaks at hyphens
    ("git-" / "hoidla") and cuts a word longer than the line; a word stays whole."""
    import textwrap

    from typer._click import _textwrap

    wrapper: Any = _textwrap.TextWrapper
    if getattr(wrapper, "_juhtum_unbroken", False):
        return
    original = wrapper.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("break_on_hyphens", False)
        kwargs.setdefault("break_long_words", False)
        original(self, *args, **kwargs)

    wrapper.__init__ = __init__
    wrapper._handle_long_word = textwrap.TextWrapper._handle_long_word
    wrapper._juhtum_unbroken = True


# typer's (vendored click's) messages, English f-strings: each pattern and the message id it
# becomes, its groups filled in by name (the ids are in juhtum.cli.click_messages)
_USAGE_MESSAGES = (
    (r"Missing argument (?P<name>.+)\.", "Missing argument {name}."),
    (r"Missing option (?P<name>.+)\.", "Missing option {name}."),
    (r"Missing parameter (?P<name>.+)\.", "Missing parameter {name}."),
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
        "No such option: {name} (Possible options: {options})",
    ),
    (r"No such option: (?P<name>.+)", "No such option: {name}"),
    (
        r"(?P<message>.+)\. Did you mean (?P<suggestions>.+)\?",
        "{message}. Did you mean {suggestions}?",
    ),
    (
        r"Invalid value for (?P<param>'[^']+'|\S+): (?P<message>.+)",
        "Invalid value for {param}: {message}",
    ),
    (r"Invalid value: (?P<message>.+)", "Invalid value: {message}"),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", "{value} is not one of {choices}."),
    (r"(?P<value>'.*') is not a valid (?P<kind>\w+)\.", "{value} is not a valid {kind}."),
    (r"(?P<value>\S+) is not in the range (?P<range>.+)\.", "{value} is not in the range {range}."),
    (r"Got unexpected extra argument \((?P<args>.+)\)", "Got unexpected extra argument ({args})"),
    (r"Got unexpected extra arguments \((?P<args>.+)\)", "Got unexpected extra arguments ({args})"),
    (r"Option (?P<name>'.+') requires an argument\.", "Option {name} requires an argument."),
    (r"Option (?P<name>'.+') does not take a value\.", "Option {name} does not take a value."),
)


def translated_usage_message(text: str) -> str:
    """One of typer's usage messages in the current language (nested ones too: an invalid
    value's reason); a message it does not know (juhtum's own, already translated) as it is."""
    import re

    from juhtum.i18n import _

    for pattern, message_id in _USAGE_MESSAGES:
        found = re.fullmatch(pattern, text, re.S)
        if found is None:
            continue
        parts = found.groupdict()
        for key in ("message",):
            if key in parts:
                parts[key] = translated_usage_message(parts[key])
        if "No such option" in message_id and "options" in parts:
            return (
                _("No such option: {name}").format(name=parts["name"])
                + " "
                + _("(Possible options: {options})").format(options=parts["options"])
            )
        if "Did you mean" in message_id:
            return (
                parts["message"]
                + ". "
                + _("Did you mean {suggestions}?").format(suggestions=parts["suggestions"])
            )
        if "kind" in parts:
            parts["kind"] = _(parts["kind"])
        return _(message_id).format(**parts)
    return text


def usage_error(exc: BaseException) -> str:
    """What typer shows for a usage error (the usage line, the hint, the error), in the
    current language: its own ``show`` writes English."""
    from juhtum.i18n import _

    format_message = getattr(exc, "format_message", None)
    text = format_message() if format_message is not None else str(exc)
    error = _("Error: {message}").format(message=translated_usage_message(text))
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return error
    lines = [ctx.get_usage()]
    if ctx.command.get_help_option(ctx) is not None:
        hint = _("Try '{command} {option}' for help.")
        lines.append(hint.format(command=ctx.command_path, option=ctx.help_option_names[0]))
    return "\n".join([*lines, "", error])


def _error(message: str) -> None:
    from juhtum.output.safe_text import escape  # a message may carry a file name, an id, a diff

    message = _fitted(escape(message.rstrip("\n")))
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _fitted(text: str) -> str:
    """An error's lines wrapped to the screen between words (the rest indented)."""
    try:
        from juhtum.cli.shared import screen_width, wrapped

        width = screen_width()
        return "\n".join(
            line if len(line) <= width else wrapped(line, "", "  ", width)
            for line in text.split("\n")
        )
    except Exception:  # the error itself must reach the person
        return text
