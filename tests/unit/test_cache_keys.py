"""What every row of the cache is keyed on (issue 9, item 1): juhtum's own code as installed,
its data and its translations among it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from juhtum.check import cache_keys


@pytest.mark.parametrize("name", ["rules.py", "data/kinds.json", "locale/et/juhtum.mo"])
def test_the_code_key_follows_each_module_data_file_and_translation(
    tmp_path: Path, name: str
) -> None:
    package = tmp_path / "juhtum"
    changed = package / name
    changed.parent.mkdir(parents=True)
    changed.write_text("1\n")
    (package / "__init__.py").write_text("")
    first = cache_keys.package_key(package)
    changed.write_text("2\n")  # the same size: the modification time tells
    stamp = changed.stat().st_mtime_ns + 10**9
    os.utime(changed, ns=(stamp, stamp))
    assert cache_keys.package_key(package) != first
