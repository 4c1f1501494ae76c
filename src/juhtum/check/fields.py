"""One document's own problems: against its schema, characters that hide or rewrite text,
and a personal code's checksum."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from juhtum.documents import schemas
from juhtum.i18n import N_, Localised, Msg
from juhtum.model.case import Doc
from juhtum.model.problems import ERROR, Problem, field_text

TYPE_NAMES = {
    "string": Msg("text"),
    "integer": Msg("a whole number"),
    "number": Msg("a number"),
    "boolean": Msg("true or false"),
    "array": Msg("a list"),
    "object": Msg("a set of fields, each written as key: value"),
    "null": Msg("empty"),
}

PATTERN_HINTS = {
    "handle": Msg("a handle: a lowercase letter, then lowercase letters, digits or hyphens"),
    "case_id": Msg("a case id: lowercase letters, digits and single hyphens"),
    "item_id": Msg("an id: letters, digits, - and _, at most 32 characters"),
    "personal_code": Msg("a personal code: 11 digits"),
    "phone": Msg("a phone number: digits, spaces, brackets, hyphens, perhaps a leading +"),
    "content_hash": Msg("a content hash: 64 hexadecimal characters"),
}

MISSING_KINDS = frozenset({"Required", "MinItems", "MinLength"})
YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


def schema_problems(doc: Doc) -> Iterator[Problem]:
    index = schemas.field_index(doc.kind)
    for error in schemas.validator(doc.kind).iter_errors(doc.data):
        yield from _schema_problem(doc, index, error)


def _schema_problem(doc: Doc, index: schemas.FieldIndex, error: Any) -> Iterator[Problem]:
    kind = error.kind
    name = type(kind).__name__
    path = tuple(error.instance_path)
    info = index.of(path)
    rule = info.rule if info and info.rule else "schema"
    args: dict[str, Any] = {"field": field_text(path) or Msg("the document")}

    def make(
        message: str,
        at: tuple[str | int, ...] = path,
        rule: str = rule,
        missing: bool = False,
        **extra: Any,
    ) -> Problem:
        return Problem(rule, ERROR, doc.path, message, {**args, **extra}, at, None, missing)

    if name == "Required":
        prop = str(kind.property).strip('"')
        at = (*path, prop)
        field_info = index.of(at)
        rule_of = field_info.rule if field_info and field_info.rule else "schema"
        if field_info and field_info.title and field_info.title_en:
            about = Localised(field_info.title_en, field_info.title)
            if field_info.clause:
                about = Localised(
                    f"{about}, {field_info.clause}", f"{about.et}, {field_info.clause}"
                )
            yield make(
                N_("{field} is missing ({about})"),
                at,
                rule_of,
                missing=True,
                field=field_text(at),
                about=about,
            )
        else:
            yield make(N_("{field} is missing"), at, rule_of, missing=True, field=field_text(at))
    elif name == "AdditionalProperties":
        known = sorted(
            p[-1]
            for p in index.fields
            if len(p) == len(path) + 1 and schemas.to_pattern(path) == p[:-1] and p[-1] != "*"
        )
        for key in kind.unexpected:
            key = str(key)
            close = difflib.get_close_matches(key, known, n=1)
            at = (*path, key)
            if close:
                yield make(
                    N_("{field} is not a field here: did you mean {suggestion}?"),
                    at,
                    "schema",
                    field=field_text(at)[:80],
                    suggestion=close[0],
                )
            else:
                yield make(
                    N_("{field} is not a field here; the fields are: {known}"),
                    at,
                    "schema",
                    field=field_text(at)[:80],
                    known=", ".join(known),
                )
    elif name == "Type":
        expected = [TYPE_NAMES.get(str(t), str(t)) for t in kind.types]
        instance = error.instance
        if (
            "boolean" in kind.types
            and isinstance(instance, str)
            and instance.lower() in YAML_11_BOOLEANS
        ):
            yield make(
                N_("{field} must be true or false (YAML 1.2 reads yes, no, on and off as text)")
            )
        elif (
            "string" in kind.types
            and isinstance(instance, int | float)
            and not isinstance(instance, bool)
        ):
            yield make(N_("{field} must be text: put the value in quotes"))
        else:
            yield make(
                N_("{field} must be {expected}"),
                expected=" / ".join(expected) if len(expected) > 1 else expected[0],
            )
    elif name == "Enum":
        yield make(
            N_("{field} must be one of: {options}"), options=", ".join(str(o) for o in kind.options)
        )
    elif name == "Constant":
        yield make(N_("{field} must be {expected}"), expected=str(kind.expected_value))
    elif name == "Format":
        if kind.format == "date":  # written as a date, but no such day (2026-02-30)
            yield make(
                N_(
                    "{field} is not a real date: that month has no such day (written as "
                    "YYYY-MM-DD, e.g. 2026-03-01)"
                ),
                rule="I14",
            )
        elif kind.format == "email":
            yield make(N_("{field} is not an e-mail address"))
        else:
            yield make(N_("{field} is not in the {format} format"), format=str(kind.format))
    elif name == "Pattern":
        definition = info.definition if info else None
        if definition == "date":
            yield make(
                N_("{field} is not a real date: write it as YYYY-MM-DD, e.g. 2026-03-01"),
                rule="I14",
            )
        elif definition in PATTERN_HINTS:
            yield make(N_("{field} must be {what}"), what=PATTERN_HINTS[definition])
        else:
            yield make(N_("{field} does not have the expected form"))
    elif name == "MinItems":
        yield make(
            N_("{field} needs at least {limit} entries"), missing=True, limit=int(kind.limit)
        )
    elif name == "MinLength":
        yield make(N_("{field} is empty"), missing=True)
    elif name in ("Minimum", "ExclusiveMinimum"):
        yield make(N_("{field} must be at least {limit}"), limit=kind.limit)
    elif name in ("Maximum", "ExclusiveMaximum"):
        yield make(N_("{field} must be at most {limit}"), limit=kind.limit)
    elif name == "MaxItems":
        yield make(N_("{field} may have at most {limit} entries"), limit=kind.limit)
    elif name == "MaxLength":
        yield make(N_("{field} is longer than {limit} characters"), limit=kind.limit)
    elif name == "UniqueItems":
        yield make(N_("{field} lists the same entry twice"))
    else:
        yield make(N_("{field} does not have an allowed value"))


def text_problems(doc: Doc) -> Iterator[Problem]:
    """Control, bidirectional and zero-width characters in any key or value (they can hide
    or rewrite what a reader sees), and required text that is blank once whitespace and
    invisible characters go (``scope: "\\u200b"`` is no scope). Tab and newline belong only
    in free text (the shared ``text`` definition; a name is one line)."""
    from juhtum.output import safe_text

    index = schemas.field_index(doc.kind)

    def bad(char: str, at: tuple[str | int, ...], what: str) -> Problem:
        return Problem(
            "schema",
            ERROR,
            doc.path,
            what,
            {"field": field_text(at) or Msg("the document"), "char": safe_text.describe(char)},
            at,
        )

    found: list[Problem] = []

    def blank(at: tuple[str | int, ...]) -> None:
        found.append(
            Problem(
                "schema",
                ERROR,
                doc.path,
                N_("{field} is empty: it holds only spaces or invisible characters"),
                {"field": field_text(at)},
                at,
                None,
                True,
            )
        )

    # a plain recursion appending to one list: a generator a node cost a third of the time
    def walk(node: Any, at: tuple[str | int, ...], depth: int) -> None:
        if depth > 64:  # the reader limits nesting; this only bounds the walk
            return
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*at, str(key))
                if (
                    isinstance(key, str)
                    and not (key.isascii() and key.isprintable())
                    and (char := safe_text.forbidden(key))
                ):
                    found.append(
                        bad(
                            char,
                            here,
                            N_(
                                "{field}: this key holds the character {char}, which is "
                                "invisible or controls the terminal: type the key again"
                            ),
                        )
                    )
                    continue
                if isinstance(value, dict | list | str):  # numbers, booleans, null: nothing
                    walk(value, here, depth + 1)
        elif isinstance(node, list):
            for n, item in enumerate(node):
                walk(item, (*at, n), depth + 1)
        elif isinstance(node, str):
            if node.isascii() and node.isprintable():
                # the common case: no control, bidirectional or zero-width character, and
                # blank only when all spaces (the only invisible printable ASCII)
                if node and not node.strip(" "):
                    info = index.of(at)
                    if info is not None and info.definition == "text":
                        blank(at)
                return
            char = safe_text.forbidden(node)  # the wider set: tab and newline as well
            # the field is looked up only where it decides: free text may hold tab and
            # newline, and only text can be blank (its first character is invisible)
            info = index.of(at) if char is not None or safe_text.is_blank(node[:1]) else None
            free = info is not None and info.definition == "text" and at[-1:] != ("name",)
            if char is not None and free:
                char = safe_text.forbidden(node, block=True)
            if char is not None:
                found.append(
                    bad(
                        char,
                        at,
                        N_(
                            "{field} holds the character {char}, which is invisible "
                            "or controls the terminal: type the text again"
                        ),
                    )
                )
            elif (
                node
                and info is not None
                and info.definition == "text"
                and (safe_text.is_blank(node))
            ):
                blank(at)

    walk(doc.data, (), 0)
    yield from found


def personal_code_problems(doc: Doc) -> Iterator[Problem]:
    """Checksum and birth date of a personal code held in clear (encrypted values are skipped)."""
    data = doc.fields
    code = data.get("personal_code")
    if not (isinstance(code, str) and len(code) == 11 and code.isdigit()):
        return  # absent, encrypted, or the schema's pattern reports it
    from juhtum.model import personal_code

    reason = personal_code.problem(code)
    if reason is not None:
        yield Problem(
            "schema",
            ERROR,
            doc.path,
            N_(
                "personal_code is not a valid personal code (isikukood): its {reason} does not "
                "check out"
            ),
            {"reason": Msg(reason)},
            ("personal_code",),
        )
        return
    born = data.get("birth_date")
    if isinstance(born, str) and born != personal_code.birth_date(code).isoformat():
        yield Problem(
            "schema",
            ERROR,
            doc.path,
            N_("birth_date does not match the birth date in personal_code"),
            {},
            ("birth_date",),
        )
