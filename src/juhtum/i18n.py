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
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

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
    values = {k: _shown(v, k) for k, v in args.items()}
    return _(message).format(**values)


CODE_ARGUMENTS = frozenset(
    {"status", "stage", "state", "reason", "decision", "result", "method", "outcome", "framework"}
)
"""Message arguments that hold a code value: shown by its label in Estonian (in English the
code is the word)."""


def _shown(value: object, key: str = "") -> object:
    if isinstance(value, Msg):
        return _(value)
    if isinstance(value, Localised):
        return value.et if _language == "et" else str(value)
    if _language == "et" and isinstance(value, str):
        if key in CODE_ARGUMENTS:
            return label(value)
        if len(value) == 10 and _ISO_DATE(value):
            return date(value)
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


def label(value: object) -> str:
    """A code value as a person reads it, in the current language (``implementation`` ->
    "elluviimine ja seire"), from the schemas' ``x-enum-labels``; anything else as it is."""
    if not isinstance(value, str):
        return "-" if value is None else str(value)
    labels = _labels().get(value)
    if labels is None:
        return value
    return labels.get(_language) or labels.get("en") or value


def labels(values: Iterable[object]) -> str:
    return ", ".join(label(v) for v in values)


@cache
def _labels() -> dict[str, dict[str, str]]:
    from juhtum.documents import schemas

    found: dict[str, dict[str, str]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value, texts in (node.get("x-enum-labels") or {}).items():
                found.setdefault(value, texts)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for name in schemas.names():
        walk(schemas.load(name))
    return found


def date(value: object) -> str:
    """An ISO date as the language writes it on screen: ``29.11.2026`` in Estonian, ISO in
    English; documents keep ISO dates. Anything not a date as it is."""
    if not isinstance(value, str) or len(value) < 10:
        return "-" if value is None else str(value)
    head, rest = value[:10], value[10:]
    if _language != "et" or not _ISO_DATE(head):
        return value
    return f"{head[8:10]}.{head[5:7]}.{head[0:4]}{rest}"


def dates_in(text: str) -> str:
    """``text`` with every ISO date in it as the language writes it (:func:`date`), for a
    document a person reads (an export). A date inside a longer word (a file name such as
    ``2026-11-23-a1b2.yaml``, a path) or that is no real day stays as it is."""
    if _language != "et" or "-" not in text:
        return text
    import re

    return re.sub(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/-]|\.\w)", lambda m: date(m.group(0)), text)


def _ISO_DATE(text: str) -> bool:
    """A real day written ``YYYY-MM-DD`` (2026-02-30 is not one: it stays as typed, so that a
    message about it repeats what the person wrote)."""
    import datetime as dt

    if not (
        len(text) == 10
        and text[4] == "-"
        and text[7] == "-"
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    ):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# A commit's step (written in English, for every reader of the shared history) as a person
# reads it: pattern, message id; a group named like a placeholder fills it, a code value
# (stage, decision, reason) by its label.
_STEPS = (
    (r"new case", N_("case opened")),
    (r"juhtum init: case repository", N_("case repository made")),
    (r"juhtum init --ci (?P<system>\S+)", N_("CI configuration ({system})")),
    (r"need", N_("need.yaml written")),
    (r"assess", N_("assessment.yaml written")),
    (r"measures", N_("planning.yaml written")),
    (r"plan", N_("plan.yaml written")),
    (r"evaluate", N_("evaluation written")),
    (r"(?P<command>\w+): (?P<before>\w+) -> (?P<after>\w+)", N_("{command}: {before} -> {after}")),
    (r"(?P<command>\w+): back to (?P<stage>\w+)", N_("{command}: back to {stage}")),
    (r"(?P<command>\w+): referred \(§1\.3 \(1\)\)", N_("{command}: referred (§1.3 (1))")),
    (
        r"plan change: version (?P<version>\d+) \(§5\.2\)",
        N_("plan change: version {version} (§5.2)"),
    ),
    (
        r"sign: (?P<party>[^;]+); all parties signed: plan -> implementation",
        N_("signed: {party}; all parties signed, implementation begins"),
    ),
    (r"sign: (?P<party>.+)", N_("signed: {party}")),
    (r"evaluate: decided (?P<decision>\w+)", N_("evaluation: decided to {decision}")),
    (r"close: (?P<reason>.+)", N_("closed: {reason}")),
    (r"handover to (?P<handle>\S+) \(§8\)", N_("handed over to {handle} (§8)")),
    (r"people: add (?P<handle>.+)", N_("person registered: {handle}")),
    (r"edit (?P<name>.+)", N_("changed: {name}")),
    (r"monitoring \(§5\)", N_("monitoring entry (§5)")),
    (r"network meeting", N_("network meeting")),
    (r"follow-up \(§7\.2\)", N_("follow-up (§7.2)")),
    (r"diary: (?P<kind>\w+)", N_("diary entry: {kind}")),
    (r"specialists: add (?P<handle>\S+)", N_("specialist registered: {handle}")),
    (r"access: grant (?P<handle>\S+)", N_("access granted: {handle}")),
    (
        r"access: revoke (?P<handle>\S+), data keys rotated",
        N_("access revoked: {handle}, data keys rotated"),
    ),
    (r"access: wrapped to the recipients", N_("case wrapped to its recipients")),
    (r"juhtum encrypt: case documents encrypted", N_("case documents encrypted")),
    (r"reopened from (?P<case>\S+)", N_("reopened from case {case}")),
    (r"related: (?P<relation>\w+) (?P<case>\S+)", N_("linked to case {case}: {relation}")),
)
_CODES = ("before", "after", "stage", "decision", "reason", "kind", "relation")


def step(text: str) -> str:
    """A step of the history (``sign: mari; all parties signed: plan -> implementation``) in
    the current language, its code values by their labels; a step it does not know as it is."""
    import re

    if _language == "en":  # the step is written in English: as the commit says it
        return text
    for pattern, message_id in _STEPS:
        found = re.fullmatch(pattern, text)
        if found is not None:
            parts = {k: label(v) if k in _CODES else v for k, v in found.groupdict().items()}
            return _(message_id).format(**parts)
    if "; " in text:  # a step that did several things (need; people: add kk): each part
        return "; ".join(step(part) for part in text.split("; "))
    return text


def parse_date(text: str) -> dt.date:
    """A date as a person types it on the command line: ISO (``2026-11-29``), or as Estonian
    writes it (``29.11.2026``); ValueError for anything else."""
    import datetime

    value = text.strip()
    parts = value.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
    return datetime.date.fromisoformat(value)
