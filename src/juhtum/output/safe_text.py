"""Text from a case repository made safe to show: what a colleague pushed is data, never a
terminal command.

A name, a key, a file name or a commit subject may hold an escape sequence
(``ESC]0;…BEL`` retitles the terminal, ``ESC[2J`` clears it), a carriage return that
overwrites what was printed, a bidirectional override that shows text in another order
than it is, or a zero-width character that hides a difference. :func:`escape` turns
each such character into ``\\uXXXX``: visible, and valid inside a JSON string too, so
the same function guards text, JSON and CI annotations at the one place output leaves
juhtum. :func:`invisible` finds them for ``validate``.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, the C1 controls.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidirectional marks, embeddings, overrides and isolates (the "Trojan Source" characters),
# the Arabic letter mark, and the line and paragraph separators.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
# Zero-width space, non-joiner, joiner, word joiner, and the zero-width no-break space (BOM).
ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"

_UNSAFE_BLOCK = re.compile(f"[{_CONTROL}{_BIDI}{ZERO_WIDTH}]")
_UNSAFE_INLINE = re.compile(f"[\t\n{_CONTROL}{_BIDI}{ZERO_WIDTH}]")
_FORBIDDEN_BLOCK = _UNSAFE_BLOCK
_FORBIDDEN_INLINE = _UNSAFE_INLINE
_INVISIBLE = re.compile(f"[\\s{_BIDI}{ZERO_WIDTH}\u00ad\u180e\u3164\u115f\u1160]+")


def _code(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape(text: str, *, inline: bool = False) -> str:
    """``text`` with every control, bidirectional and zero-width character as ``\\uXXXX``.

    Tab and newline are kept (they lay out the lines juhtum prints) unless ``inline``:
    one value on one line, where a newline could forge another line of output."""
    pattern = _UNSAFE_INLINE if inline else _UNSAFE_BLOCK
    if pattern.search(text) is None:  # the common case costs one scan
        return text
    return pattern.sub(_code, text)


def forbidden(text: str, *, block: bool = False) -> str | None:
    """The first character a document's value must not hold, or None.

    ``block``: text of several lines, where tab and newline belong."""
    found = (_FORBIDDEN_BLOCK if block else _FORBIDDEN_INLINE).search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """How a message names a forbidden character: ``U+001B``."""
    return f"U+{ord(char):04X}"


def is_blank(text: str) -> bool:
    """True when nothing visible is left once whitespace and invisible characters go."""
    return not _INVISIBLE.sub("", text)
