"""Named points where a test can kill juhtum, to prove a crash there loses nothing.

``JUHTUM_CRASH_AT=<point>`` (or ``<point>:<n>`` for its n-th hit) makes the
process SIGKILL itself when it reaches that point. ``JUHTUM_FAIL_AT=<point>[:<n>]``
makes it fail there instead, as a full disk would (``OSError(ENOSPC)``): juhtum
must then say so and leave nothing behind. Nothing else reads them; in normal use
every call is two dictionary lookups.
"""

from __future__ import annotations

import errno
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


def _reached(spec: str, name: str, kind: str) -> bool:
    point, _, nth = spec.partition(":")
    if point != name:
        return False
    _hits[kind + name] = _hits.get(kind + name, 0) + 1
    return _hits[kind + name] == int(nth or 1)


def crashpoint(name: str) -> None:
    crash = os.environ.get("JUHTUM_CRASH_AT")
    if crash and _reached(crash, name, "crash:"):
        os.kill(os.getpid(), signal.SIGKILL)
    fail = os.environ.get("JUHTUM_FAIL_AT")
    if fail and _reached(fail, name, "fail:"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
