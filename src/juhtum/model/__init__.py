"""The pure model of case management: stages, ids, hashes, invariants. No I/O here."""
