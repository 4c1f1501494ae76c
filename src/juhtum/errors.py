"""The typed errors of juhtum.

The library raises these and never prints; the CLI maps them to messages and
exit codes in one place. A message is an English msgid with ``{named}``
arguments, translated when it is shown (see :mod:`juhtum.i18n`). Arguments
never carry a sensitive value (a name, a personal code, free text): only file
names, field paths, ids, handles and dates of events.
"""

from __future__ import annotations

from typing import Any


class JuhtumError(Exception):
    """Base of every error juhtum raises on purpose."""

    exit_code = 3

    def __init__(self, message: str, /, **args: Any) -> None:
        super().__init__(message)
        self.message = message
        self.args_ = args

    def render(self) -> str:
        from juhtum.i18n import render

        return render(self.message, self.args_)  # code values and dates as the language shows them

    def __str__(self) -> str:
        return self.message.format(**self.args_)


class UserError(JuhtumError):
    """Something the user can fix: exit code 1."""

    exit_code = 1


class UsageError(UserError):
    """The command line itself is wrong (no case repository here, a bad option): exit code 2."""

    exit_code = 2


class RepositoryNotFound(UsageError):
    pass


class CaseNotFound(UserError):
    pass


class InvalidId(UserError):
    pass


class StageError(UserError):
    pass


class DocumentError(UserError):
    """A document that cannot be read: names the file, the line (1-based) and what is wrong."""

    def __init__(self, message: str, /, *, path: str, line: int | None = None, **args: Any) -> None:
        super().__init__(message, path=path, line=line, **args)
        self.path = path
        self.line = line

    def render(self) -> str:
        from juhtum.i18n import render

        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {render(self.message, self.args_)}"


class StorageError(UserError):
    pass


class HistoryError(UserError):
    pass
