"""The life domains an assessment rates, per framework (domain.md, seed 004)."""

from __future__ import annotations

from typing import Final

from juhtum.i18n import Msg

ADULT: Final = (
    "health",
    "housing",
    "employment",
    "education",
    "income",
    "relationships",
    "social_network",
    "daily_living",
    "safety",
    "legal",
    "other",
)

CHILD: Final = (
    # the child's development
    "health",
    "education",
    "emotional_behavioural",
    "identity",
    "family_social_relationships",
    "social_presentation",
    "self_care",
    # parenting capacity
    "basic_care",
    "safety",
    "emotional_warmth",
    "stimulation",
    "guidance_boundaries",
    "stability",
    # family and environment
    "family_history_functioning",
    "wider_family",
    "housing",
    "employment",
    "income",
    "social_integration",
    "community_resources",
)

BY_FRAMEWORK: Final = {"adult": ADULT, "child": CHILD}

# The need for help a case plan must describe (määrus nr 10 § 1 (2)), and the
# domains of each framework that describe it: one rated domain of each group.
LEGAL_NEED_AREAS: Final = {
    "adult": {
        Msg("social network"): ("social_network", "relationships"),
        Msg("economic situation"): ("income",),
        Msg("housing and living environment"): ("housing",),
        Msg("health and coping"): ("health", "daily_living"),
        Msg("social status (work, study)"): ("employment", "education"),
    },
    "child": {
        Msg("social network"): (
            "family_social_relationships",
            "wider_family",
            "social_integration",
        ),
        Msg("economic situation"): ("income", "employment"),
        Msg("housing and living environment"): ("housing",),
        Msg("health and coping"): ("health", "self_care", "basic_care"),
        Msg("social status (work, study)"): ("education",),
    },
}
