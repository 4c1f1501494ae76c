"""Named points where a test can kill juhtum, to prove a crash there loses nothing.

``JUHTUM_CRASH_AT=<point>`` (or ``<point>:<n>`` for its n-th hit) makes the
process SIGKILL itself when it reaches that point. Nothing else reads it; in
normal use every call is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "write-temporary",  # a temporary file written, not yet fsynced
    "write-fsync",  # the temporary file fsynced, not yet in place
    "write-replace",  # in place, its folder not yet fsynced
    "journal-content",  # a change's new contents saved in the journal, no manifest yet
    "journal-manifest",  # the journal's manifest written: the change is decided
    "apply-file",  # one file of the change in place
    "git-add",  # the change staged, not committed
    "git-commit",  # committed, the journal not yet removed
    "journal-remove",  # the journal removed
)

_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    spec = os.environ.get("JUHTUM_CRASH_AT")
    if not spec:
        return
    point, _, nth = spec.partition(":")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
