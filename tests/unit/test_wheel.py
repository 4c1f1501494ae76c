"""An installed wheel finds every schema (from the top-level schemas/, carried as package data)
and its message catalogue through importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from juhtum.documents import schemas
from tests.conftest import EXAMPLES, ROOT, copy_fixture

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import juhtum, juhtum.documents.schemas as s
from juhtum.model.documents import KINDS
assert juhtum.__file__.startswith(sys.argv[1]), juhtum.__file__
assert str(s.directory()) == sys.argv[1] + "/juhtum/schemas", s.directory()  # package data
for kind in KINDS:
    s.validator(kind)
print(",".join(s.names()))
from juhtum.cli import main
sys.exit(main(["--lang", "et", "--repo", sys.argv[2], "validate"]))
"""


def test_installed_wheel_finds_every_schema(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("juhtum-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert {f"juhtum/schemas/{n}" for n in schemas.names()} <= set(names)
    assert "juhtum/locale/et/LC_MESSAGES/juhtum.mo" in names
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            str(tmp_path / "site"),
            str(copy_fixture(EXAMPLES / "kaasiku", tmp_path)),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].split(",") == schemas.names()
    assert "0 viga" in proc.stdout  # the Estonian catalogue came with the wheel
