"""Files juhtum encrypted, opened by tools that share no code with it.

- the npm ``sops-age`` package, an independent SOPS implementation (AES-GCM from
  ``@noble/ciphers``, age from ``age-encryption``), decrypts every example document;
- the ``age`` command (Debian's age) unwraps the data key from the ``sops`` block, and
  this test itself, from SOPS's rules alone, decrypts values and checks the MAC with it.

Both tools are installed by ``make crypto-tools`` (and by :mod:`tests.crypto.tools` when
missing); without them these tests fail, never skip.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from juhtum.crypto import encrypt_document, recipient_of, sensitive_paths
from juhtum.documents import yamlio
from tests.crypto import tools
from tests.crypto.conftest import case_documents

DECRYPT_ALL = """
import { readFileSync } from "node:fs";
import { decryptSops } from "sops-age";
// the identity comes in SOPS_AGE_KEY, as sops itself takes it
const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = await decryptSops(readFileSync(file, "utf8"), { fileType: "yaml" });
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="session")
def sops_age() -> Path:
    return tools.sops_age_module()


@pytest.fixture(scope="session")
def age() -> str:
    return tools.which("age", "age")


def run_sops_age(
    sops_age: Path, identity: Any, files: list[str]
) -> subprocess.CompletedProcess[str]:
    """sops-age's decryptSops on ``files``, in node, with the identity where SOPS reads it."""
    digest = hashlib.sha256(DECRYPT_ALL.encode()).hexdigest()[:12]
    script = sops_age / f"decrypt-all-{digest}.mjs"  # beside node_modules, to import from it
    if not script.is_file():
        script.write_text(DECRYPT_ALL, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ["HOME"]}
    env["SOPS_AGE_KEY"] = str(identity)
    return subprocess.run(
        [tools.which("node", "nodejs"), str(script), *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def test_sops_age_decrypts_every_example_document(
    example: Path, identity: Any, sops_age: Path
) -> None:
    originals = {}
    for doc in case_documents(example):
        enc = encrypt_document(doc.data, sensitive_paths(doc.kind), [recipient_of(identity)])
        doc.path.write_text(yamlio.dumps(enc), encoding="utf-8")
        originals[str(doc.path)] = doc.data
    proc = run_sops_age(sops_age, identity, list(originals))
    assert proc.returncode == 0, proc.stderr[-2000:]
    decrypted = json.loads(proc.stdout)
    for path, plain in originals.items():
        assert decrypted[path] == plain, path


def test_sops_age_refuses_a_value_moved_to_another_field(
    tmp_path: Path, identity: Any, sops_age: Path
) -> None:
    person = {"case": "x-1", "name": "Mari Tamm", "roles": ["client"], "address": "Tartu"}
    enc = encrypt_document(person, sensitive_paths("person"), [recipient_of(identity)])
    enc["address"] = enc["name"]
    path = tmp_path / "moved.yaml"
    path.write_text(yamlio.dumps(enc), encoding="utf-8")
    proc = run_sops_age(sops_age, identity, [str(path)])
    assert proc.returncode != 0 and "address" in proc.stderr


ENC = re.compile(r"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]$")


def open_value(enc: str, key: bytes, aad: str) -> tuple[str, str]:
    """One SOPS value, by aes/cipher.go's rules, with cryptography's AES-GCM directly."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    found = ENC.match(enc)
    assert found is not None, enc
    data, iv, tag = (base64.b64decode(found.group(i)) for i in (1, 2, 3))
    assert len(iv) == 32 and len(tag) == 16
    return AESGCM(key).decrypt(iv, data + tag, aad.encode()).decode(), found.group(4)


def test_age_unwraps_the_data_key_which_opens_the_values_and_the_mac(
    example: Path, identity: Any, age: str, tmp_path: Path
) -> None:
    keyfile = tmp_path / "keys.txt"
    keyfile.write_text(f"{identity}\n", encoding="utf-8")
    plain = next(d.data for d in case_documents(example) if d.kind == "person")
    enc = encrypt_document(plain, sensitive_paths("person"), [recipient_of(identity)])
    armored = enc["sops"]["age"][0]["enc"]
    proc = subprocess.run(
        [age, "--decrypt", "--identity", str(keyfile)],
        input=armored.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data_key = proc.stdout
    assert len(data_key) == 32
    # a value: its path's keys, each followed by ":", are the associated data
    text, kind = open_value(enc["name"], data_key, "name:")
    assert (text, kind) == (plain["name"], "str")
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        open_value(enc["name"], data_key, "address:")
    # the MAC: SHA-512 over every value's text in document order, in capitals, encrypted
    # with lastmodified as associated data
    digest = hashlib.sha512()
    for value in plain.values():
        for item in value if isinstance(value, list) else [value]:
            digest.update(str(item).encode())
    mac, _ = open_value(enc["sops"]["mac"], data_key, enc["sops"]["lastmodified"])
    assert mac == digest.hexdigest().upper()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", enc["sops"]["lastmodified"])


def test_sops_age_reads_the_type_of_every_value(
    tmp_path: Path, identity: Any, sops_age: Path
) -> None:
    data = {
        "case": "x-1",
        "notes": {"count": 3, "yes": True, "no": False, "share": 1.5, "text": "Tekst", "none": ""},
        "more": [{"notes": ["üks", "kaks", "üks"]}],
        "date": "2026-01-01",
        "empty": None,
    }
    enc = encrypt_document(data, [("notes",)], [recipient_of(identity)])
    assert enc["date"] == "2026-01-01" and enc["case"] == "x-1"
    assert enc["notes"]["yes"].endswith("type:bool]") and enc["notes"]["count"].endswith(
        "type:int]"
    )
    assert enc["notes"]["share"].endswith("type:float]")
    assert enc["more"][0]["notes"][0] != enc["more"][0]["notes"][2]  # equal values, own IVs
    path = tmp_path / "typed.yaml"
    path.write_text(yamlio.dumps(enc), encoding="utf-8")
    proc = run_sops_age(sops_age, identity, [str(path)])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)[str(path)] == data
