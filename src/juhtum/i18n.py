"""Messages in Estonian and English through one gettext catalogue.

Message ids are English; ``locale/et/LC_MESSAGES/juhtum.po`` holds the
Estonian translations and its compiled ``.mo`` is what runs (``make messages``
extracts, updates and compiles them with Babel). The language comes from
``--lang``, then ``juhtum.yaml``, then the locale: Estonian when the locale is
Estonian, English otherwise.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

LANGUAGES = ("et", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class Msg(str):
    """A message id used as an argument of another message: translated when shown."""

    __slots__ = ()


class Localised(str):
    """A text that exists in both languages (a schema's title): English as a string, the
    Estonian beside it; shown in the language of the messages."""

    et: str

    def __new__(cls, en: str, et: str) -> Localised:
        text = super().__new__(cls, en)
        text.et = et
        return text


def _(message: str) -> str:
    return _translation.gettext(message)


def render(message: str, args: dict[str, object]) -> str:
    """``message`` translated, its ``{placeholders}`` filled, :class:`Msg` arguments translated too."""
    values = {k: _shown(v) for k, v in args.items()}
    return _(message).format(**values)


def _shown(value: object) -> object:
    if isinstance(value, Msg):
        return _(value)
    if isinstance(value, Localised):
        return value.et if _language == "et" else str(value)
    return value


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    return _language


def locale_language(environ: dict[str, str] | None = None) -> str:
    """The language the user's locale asks for: ``et`` for Estonian, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "et" if value.split(":")[0].lower().startswith("et") else "en"
    return "en"


def set_language(lang: str) -> None:
    global _translation, _language
    if lang not in LANGUAGES:
        lang = "en"
    _language = lang
    if lang == "en":
        _translation = gettext.NullTranslations()
        return
    localedir = str(files("juhtum") / "locale")
    _translation = gettext.translation("juhtum", localedir, languages=[lang], fallback=True)


def translate_typer() -> None:
    """typer's own help words ("Options", "Arguments", "required", "default") through this
    catalogue: ``typer.core`` calls gettext's ``gettext``, bound by name in the module. The
    rest of its messages are English f-strings (its vendored click): ``juhtum.cli`` shows its
    usage errors itself, and ``juhtum.cli.app.translate_help`` its help's usage line."""
    import sys

    module = sys.modules.get("typer.core")
    if module is not None and hasattr(module, "_"):
        module._ = _  # type: ignore[attr-defined]


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's Python extraction, plus the texts Typer shows as help: every command's
    docstring (as ``inspect.cleandoc`` gives it to Typer) and every ``help="..."`` argument.
    ``make messages`` uses it through ``babel.cfg``; the help is translated where it is shown
    (``juhtum.cli.app.translate_help``)."""
    import ast
    import inspect

    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            commands = [
                d
                for d in node.decorator_list
                if isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr in ("command", "callback")
            ]
            doc = ast.get_docstring(node, clean=False)
            if commands and doc:
                yield node.lineno, None, inspect.cleandoc(doc), []
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "help"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield value.lineno, None, value.value, []
