"""The independent SOPS implementation the interop tests drive, and the age command.

``python -m tests.crypto.tools`` (``make crypto-tools``) installs the npm ``sops-age``
package from this folder's lock into the same cache folder as the editor tests' language
server (outside the source tree, one folder per lock; see :mod:`tests.editor.tools`); the
tests call :func:`sops_age_module`, which installs it the same way when it is missing.
Without node, npm or age this fails: the interop tests never skip.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.editor.tools import ToolMissing, npm_installed

HERE = Path(__file__).resolve().parent
MANIFESTS = ("package.json", "package-lock.json")


def which(tool: str, debian: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise ToolMissing(
            f"{tool} is needed for the SOPS interop tests (tests/crypto): "
            f"apt-get install {debian} (make crypto-tools)"
        )
    return found


def sops_age_module() -> Path:
    """The folder whose ``node_modules`` holds sops-age, installed with ``npm ci`` if not yet."""
    return npm_installed(HERE, "sops-age", which("npm", "npm"))


if __name__ == "__main__":
    try:
        which("age", "age")
        which("node", "nodejs")
        print(sops_age_module())
    except ToolMissing as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
