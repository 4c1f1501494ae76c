"""The YAML language server the editor tests drive, installed from this folder's npm lock.

``python -m tests.editor.tools`` (``make editor-tools``) installs it; the tests call
:func:`server_command`, which installs it the same way when it is missing. It goes into a
cache folder outside the source tree (``$JUHTUM_TEST_TOOLS``, else
``$XDG_CACHE_HOME/juhtum-tests``, else ``~/.cache/juhtum-tests``), one folder per lock, so a
new lock installs anew. Without node and npm this fails: the editor tests never skip.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFESTS = ("package.json", "package-lock.json")


class ToolMissing(RuntimeError):
    pass


def cache_root() -> Path:
    chosen = os.environ.get("JUHTUM_TEST_TOOLS")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juhtum-tests"


def _which(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise ToolMissing(
            f"{tool} is needed for the editor tests (tests/editor): install Node.js and npm "
            "(Debian: apt-get install nodejs npm)"
        )
    return found


def npm_installed(folder: Path, name: str, npm: str) -> Path:
    """``npm ci`` of the lock in ``folder`` (tests/editor, tests/crypto) into a cache folder of
    its own, named ``name`` and the lock's digest (a new lock installs anew); the folder whose
    ``node_modules`` holds it. Installed beside, then renamed: two processes never meet
    half-way."""
    digest = hashlib.sha256(b"".join((folder / m).read_bytes() for m in MANIFESTS)).hexdigest()
    target = cache_root() / f"{name}-{digest[:16]}"
    if (target / "node_modules" / name / "package.json").is_file():
        return target
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for manifest in MANIFESTS:
        shutil.copyfile(folder / manifest, staging / manifest)
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
        raise ToolMissing(f"npm ci of {folder.name}/package-lock.json failed:\n" + proc.stderr)
    try:
        staging.rename(target)
    except OSError:  # another process installed it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return target


def install() -> Path:
    """The language server's start script, installed with ``npm ci`` if it is not yet."""
    target = npm_installed(HERE, "yaml-language-server", _which("npm"))
    return target / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def server_command() -> list[str]:
    """How to start the server; ``$JUHTUM_YAML_LANGUAGE_SERVER`` (the path of another
    installation's ``bin/yaml-language-server``) tries another version."""
    other = os.environ.get("JUHTUM_YAML_LANGUAGE_SERVER")
    return [_which("node"), other or str(install()), "--stdio"]


if __name__ == "__main__":
    try:
        print(install())
    except ToolMissing as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
