"""What the law asks a case plan to hold (määrus nr 10 § 1): I16 with --legal, on the twin in
memory, one edit each."""

from __future__ import annotations

from juhtum.model.invariants.legal import i16_legal
from tests.unit.twin_memory import run, twin


def test_the_twin_holds_what_the_law_asks() -> None:
    assert run(i16_legal, twin()) == []
