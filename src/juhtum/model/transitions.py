"""Which state may follow which (domain.md, *The process*), and what moves a case.

Whether a step is *allowed* is this table; whether it may be *taken now* is
decided by checking the case as it would be in the new state: the documents
of the stages behind it must then be complete, so anything missing shows up
as the errors the guideline's invariants name (see :mod:`juhtum.workflow.session`).
"""

from __future__ import annotations

from typing import Final

from juhtum.model.stages import (
    ASSESSMENT,
    CLOSED,
    EVALUATION,
    IMPLEMENTATION,
    NEED,
    PLAN,
    PLANNING,
    REFERRED,
)

NEXT: Final[dict[str, tuple[str, ...]]] = {
    NEED: (ASSESSMENT, REFERRED, CLOSED),
    ASSESSMENT: (PLANNING, CLOSED),  # a referral now is a closing, reason referred (§7)
    PLANNING: (PLAN, ASSESSMENT, CLOSED),
    PLAN: (IMPLEMENTATION, PLANNING, CLOSED),
    IMPLEMENTATION: (EVALUATION, CLOSED),
    EVALUATION: (IMPLEMENTATION, PLANNING, ASSESSMENT, CLOSED),
    CLOSED: (),
    REFERRED: (),
}
"""Every step the guideline allows: forward, the evaluation loop, and the steps back when a
party refuses to sign (plan -> planning) or a provider declines (planning -> assessment)."""

BACK: Final = frozenset({(PLAN, PLANNING), (PLANNING, ASSESSMENT)})

DECISION: Final[dict[str, str]] = {
    "continue": IMPLEMENTATION,  # §6.3 (1)
    "modify": PLANNING,  # §6.3 (2)
    "reassess": ASSESSMENT,  # §6.3 (2), new or unmet needs
    "close": EVALUATION,  # §6.3 (3): closing itself is the next step, juhtum close
}
"""Where an evaluation's decision takes the case."""

COMMAND: Final[dict[str, str]] = {
    NEED: "need",
    ASSESSMENT: "assess",
    PLANNING: "measures",
    PLAN: "plan",
    IMPLEMENTATION: "sign",
    EVALUATION: "evaluate",
    CLOSED: "close",
    REFERRED: "need",
}
"""The command that takes a case into each state."""


def allowed(current: str, target: str) -> bool:
    return target == current or target in NEXT.get(current, ())


def is_back(current: str, target: str) -> bool:
    return (current, target) in BACK
