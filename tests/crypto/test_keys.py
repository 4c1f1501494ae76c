"""Where age identities are found: the places SOPS reads them from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from juhtum.crypto import BadIdentity, CryptoError, load_identities, recipient_of
from juhtum.crypto.keys import default_key_files


def keygen_file(identity: Any) -> str:
    return f"# created: 2026-11-29T10:00:00Z\n# public key: {recipient_of(identity)}\n{identity}\n"


def test_identities_come_from_every_sops_place(tmp_path: Path, identity: Any, other: Any) -> None:
    from pyrage import x25519

    third = x25519.Identity.generate()
    named = tmp_path / "named.txt"
    named.write_text(keygen_file(other), encoding="utf-8")
    home = tmp_path / "home"
    (home / ".config" / "sops" / "age").mkdir(parents=True)
    (home / ".config" / "sops" / "age" / "keys.txt").write_text(
        keygen_file(third), encoding="utf-8"
    )
    env = {"HOME": str(home), "SOPS_AGE_KEY": str(identity), "SOPS_AGE_KEY_FILE": str(named)}
    found = [recipient_of(i) for i in load_identities(env)]
    assert found == [recipient_of(identity), recipient_of(other), recipient_of(third)]
    assert [recipient_of(i) for i in load_identities({"HOME": str(home)})] == [recipient_of(third)]
    assert load_identities({"HOME": str(tmp_path / "nobody")}) == []


def test_xdg_config_home_is_where_sops_looks_first(tmp_path: Path) -> None:
    files = default_key_files({"HOME": "/h", "XDG_CONFIG_HOME": str(tmp_path)})
    assert files[0] == tmp_path / "sops" / "age" / "keys.txt"
    assert Path("/h/.config/sops/age/keys.txt") in files


def test_a_line_that_is_no_identity_is_named_without_showing_it(tmp_path: Path) -> None:
    named = tmp_path / "keys.txt"
    named.write_text("# comment\n\nAGE-SECRET-KEY-1NOTAKEY\n", encoding="utf-8")
    with pytest.raises(BadIdentity) as caught:
        load_identities({"HOME": str(tmp_path), "SOPS_AGE_KEY_FILE": str(named)})
    assert "keys.txt, line 3" in caught.value.render()
    assert "NOTAKEY" not in caught.value.render()


def test_a_missing_key_file_named_by_the_variable_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CryptoError, match="SOPS_AGE_KEY_FILE"):
        load_identities({"HOME": str(tmp_path), "SOPS_AGE_KEY_FILE": str(tmp_path / "none")})


def test_importing_juhtum_crypto_loads_no_crypto_library() -> None:
    import subprocess
    import sys

    code = "import sys, juhtum.crypto; print(sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'pyrage')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
