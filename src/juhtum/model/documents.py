"""Which document a file in a case repository is, from its place alone."""

from __future__ import annotations

from typing import Final

REPOSITORY_FILE: Final = "juhtum.yaml"
CASES_DIR: Final = "cases"
SERVICES_DIR: Final = "services"
SPECIALISTS_DIR: Final = "specialists"
"""The organisation's specialists, one file each (``specialists/<handle>.yaml``): registered
once per repository, any case's documents may name them."""
CASE_FILE: Final = "case.yaml"

SINGLE: Final = {
    "case.yaml": "case",
    "need.yaml": "need",
    "assessment.yaml": "assessment",
    "planning.yaml": "planning",
    "plan.yaml": "plan",
    "closing.yaml": "closing",
}
"""Documents a case has at most one of, by file name."""

FOLDERS: Final = {
    "people": "person",
    "monitoring": "monitoring",
    "evaluations": "evaluation",
    "handovers": "handover",
    "meetings": "meeting",
    "followups": "followup",
    "diary": "diary",
}
"""Folders of a case whose every ``*.yaml`` file is one document of a kind.

All but ``people`` are append-only: each entry gets a new, unique file name,
so two specialists who add entries offline never conflict.
"""

KINDS: Final = (
    "juhtum",
    "service",
    "specialist",
    *SINGLE.values(),
    *FOLDERS.values(),
)
"""Every document kind; each has ``<kind>.schema.json``."""

SUFFIX: Final = ".yaml"


def kind_in_case(parts: tuple[str, ...]) -> str | None:
    """The kind of the file at ``parts`` (relative to its case folder), or None if no document."""
    if len(parts) == 1:
        return SINGLE.get(parts[0])
    if len(parts) == 2 and parts[1].endswith(SUFFIX) and not parts[1].startswith("."):
        return FOLDERS.get(parts[0])
    return None
