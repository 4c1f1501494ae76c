"""The limits a document must keep, checked before any parser sees it."""

from __future__ import annotations

MAX_BYTES = 1024 * 1024
"""Largest document accepted: our documents are a few kilobytes."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted: our schemas need under ten."""
