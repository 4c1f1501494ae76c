"""The states of a case and the document that records each (juhis §1-§8, domain.md)."""

from __future__ import annotations

from typing import Final

from juhtum.i18n import N_

NEED: Final = "need"
ASSESSMENT: Final = "assessment"
PLANNING: Final = "planning"
PLAN: Final = "plan"
IMPLEMENTATION: Final = "implementation"
EVALUATION: Final = "evaluation"
CLOSED: Final = "closed"
REFERRED: Final = "referred"

STAGES: Final = (NEED, ASSESSMENT, PLANNING, PLAN, IMPLEMENTATION, EVALUATION, CLOSED, REFERRED)
"""Every state, in the order of the process (the two terminal states last)."""

CYCLE: Final = (NEED, ASSESSMENT, PLANNING, PLAN, IMPLEMENTATION, EVALUATION)
TERMINAL: Final = frozenset({CLOSED, REFERRED})
OPEN: Final = frozenset(CYCLE)

CLAUSE: Final = {
    NEED: "§1",
    ASSESSMENT: "§2",
    PLANNING: "§3",
    PLAN: "§4",
    IMPLEMENTATION: "§5",
    EVALUATION: "§6",
    CLOSED: "§7",
    REFERRED: "§1.3 (1)",
}

TITLE: Final = {
    NEED: N_("need for case management"),
    ASSESSMENT: N_("assessment"),
    PLANNING: N_("planning"),
    PLAN: N_("case plan"),
    IMPLEMENTATION: N_("implementation and monitoring"),
    EVALUATION: N_("evaluation of results"),
    CLOSED: N_("closed"),
    REFERRED: N_("referred to a single service"),
}

STAGE_DOCUMENT: Final = {
    NEED: "need.yaml",
    ASSESSMENT: "assessment.yaml",
    PLANNING: "planning.yaml",
    PLAN: "plan.yaml",
}
"""The single document that records each of the first four stages."""


def index(stage: str) -> int:
    """Position in the cycle; terminal states after every open one."""
    return STAGES.index(stage)


def stage_documents_before(stage: str) -> list[str]:
    """The stage documents that must be complete when a case is in ``stage``."""
    if stage not in CYCLE:
        return []
    position = CYCLE.index(stage)
    return [STAGE_DOCUMENT[s] for s in CYCLE[:position] if s in STAGE_DOCUMENT]
