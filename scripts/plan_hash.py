"""Print the content hash of a plan document, as a signature records it.

Usage: python scripts/plan_hash.py cases/<id>/plan.yaml [...]

The hash is SHA-256 of the RFC 8785 canonical JSON of the plan without its
signatures (juhtum.model.hashing): comments, quoting and key order do not
change it. Used to write the examples' and fixtures' signatures by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from juhtum.documents import yamlio
from juhtum.model.hashing import content_hash


def main(args: list[str]) -> int:
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for name in args:
        data = yamlio.load_file(Path(name), path=name).data
        print(f"{content_hash(data)}  {name}" if len(args) > 1 else content_hash(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
