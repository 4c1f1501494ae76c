"""The independent SOPS implementation the interop tests drive, and the age command.

``python -m tests.crypto.tools`` (``make crypto-tools``) installs the npm ``sops-age``
package from this folder's lock into the same cache folder as the editor tests' language
server (outside the source tree, one folder per lock; see :mod:`tests.editor.tools`); the
tests call :func:`sops_age_module`, which installs it the same way when it is missing.
Without node, npm or age this fails: the interop tests never skip.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.editor.tools import ToolMissing, cache_root

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
    digest = hashlib.sha256(b"".join((HERE / m).read_bytes() for m in MANIFESTS)).hexdigest()
    target = cache_root() / f"sops-age-{digest[:16]}"
    if (target / "node_modules" / "sops-age" / "package.json").is_file():
        return target
    npm = which("npm", "npm")
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for manifest in MANIFESTS:
        shutil.copyfile(HERE / manifest, staging / manifest)
    proc = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=staging,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise ToolMissing("npm ci of tests/crypto/package-lock.json failed:\n" + proc.stderr)
    try:
        staging.rename(target)
    except OSError:  # another process installed it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return target


if __name__ == "__main__":
    try:
        which("age", "age")
        which("node", "nodejs")
        print(sops_age_module())
    except ToolMissing as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
