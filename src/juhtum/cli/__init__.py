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


def main(argv: list[str] | None = None) -> int:
    import typer.main
    from typer.exceptions import Abort, Exit, TyperException

    from juhtum.cli.app import app
    from juhtum.errors import JuhtumError

    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="juhtum", standalone_mode=False)
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
        _error("interrupted")
        return 130
    except TyperException as exc:  # click's usage errors: exit code 2 (1 for others)
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:  # pragma: no cover
            _error(str(exc))
        return int(getattr(exc, "exit_code", 2))
    except BrokenPipeError:  # juhtum list | head
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("JUHTUM_DEBUG"):
            raise
        _error(
            f"juhtum: unexpected error ({type(exc).__name__}). This is a bug in juhtum; "
            "please report it with the command you ran (JUHTUM_DEBUG=1 shows the details)."
        )
        return 3
    return int(result) if isinstance(result, int) else 0


def _error(message: str) -> None:
    from juhtum.safe_text import escape  # a message may carry a file name, an id, a diff

    sys.stderr.write(escape(message.rstrip("\n")) + "\n")
    sys.stderr.flush()
