"""A case repository's schema copies, their catalogue and editor settings: written by init,
checked by validate, refreshed by ``juhtum schemas --update``; ``--path`` finds them."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from juhtum import drafts
from juhtum.documents import editing_schemas, schema_copies, schemas
from juhtum.model.documents import FOLDERS, SINGLE
from tests.cli.test_examples import completed_documents
from tests.conftest import EXAMPLES, Run, copy_tree, git


def documents(root: Path) -> dict[str, str]:
    """Every document of the repository at ``root`` (relative path) and its kind."""
    found = {"juhtum.yaml": "juhtum"}
    found.update({f"services/{p.name}": "service" for p in (root / "services").glob("*.yaml")})
    for case in (root / "cases").iterdir():
        for name, kind in SINGLE.items():
            if (case / name).is_file():
                found[f"cases/{case.name}/{name}"] = kind
        for folder, kind in FOLDERS.items():
            for path in (case / folder).glob("*.yaml"):
                found[f"cases/{case.name}/{folder}/{path.name}"] = kind
    return found


def test_init_writes_editor_settings_and_a_catalogue_that_map_every_document(
    repo: Path,
) -> None:
    settings = json.loads((repo / ".vscode" / "settings.json").read_text())
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    catalog = json.loads((repo / ".juhtum" / "schemas" / "catalog.json").read_text())
    entries = catalog["schemas"]
    assert len(entries) == len(mapping)
    assert {e["url"] for e in entries if "/" not in e["url"]} == {
        schemas.schema_name(k) for k in schemas.all_kinds()
    }
    for entry in entries:
        copy = repo / ".juhtum" / "schemas" / entry["url"]  # beside the catalogue
        editing = entry["url"].startswith("draft/")
        name = entry["url"].removeprefix("draft/")
        installed = editing_schemas.editing_bytes(name) if editing else schemas.read_bytes(name)
        assert copy.read_bytes() == installed
        assert mapping[f"./.juhtum/schemas/{entry['url']}"] == entry["fileMatch"]
        # a draft in .juhtum/edit/ is checked by the editing copy, a stored document never
        assert editing == all(g.startswith(".juhtum/edit/") for g in entry["fileMatch"])
    for command, kind in schema_copies.DRAFT_COMMANDS.items():
        nested = kind in FOLDERS.values()
        draft = drafts.place(Path(".juhtum"), "kaasiku-1", command, nested=nested)
        matched = [
            s for s, globs in mapping.items() if any(fnmatch.fnmatch(str(draft), g) for g in globs)
        ]
        assert matched == [f"./.juhtum/schemas/draft/{kind}.schema.json"], draft
    for path in mapping:
        assert (repo / path).is_file(), path
    # every document of a full example lands on its own kind's schema, and only there
    for path, kind in documents(EXAMPLES / "kaasiku").items():
        matched = [
            s for s, globs in mapping.items() if any(fnmatch.fnmatch(path, g) for g in globs)
        ]
        assert matched == [f"./.juhtum/schemas/{kind}.schema.json"], path
    tracked = git(repo, "ls-files").split()
    assert ".vscode/settings.json" in tracked and ".juhtum/schemas/catalog.json" in tracked
    assert git(repo, "status", "--porcelain").strip() == ""


def test_validate_warns_of_stale_copies_and_schemas_update_refreshes_them_in_one_commit(
    repo: Path, juhtum: Callable[..., Run]
) -> None:
    assert "are up to date" in juhtum("--repo", repo, "schemas").out
    copy = repo / ".juhtum" / "schemas" / "plan.schema.json"
    copy.write_text(copy.read_text().replace("Juhtumiplaan", "Vana plaan"))  # an older juhtum's
    settings = repo / ".vscode" / "settings.json"
    mine = {**json.loads(settings.read_text()), "editor.tabSize": 2}
    settings.write_text(json.dumps(mine))
    git(repo, "commit", "-qam", "copies of an older juhtum")
    before = git(repo, "rev-parse", "HEAD").strip()

    checked = juhtum("--repo", repo, "validate", "--format", "json")
    assert checked.code == 0, checked.output  # a warning, not an error
    json.loads(checked.out)  # the report itself stays machine-readable
    assert "plan.schema.json" in checked.err
    assert "juhtum schemas --update" in checked.err
    assert "juhtum schemas --update" in juhtum("--repo", repo, "schemas").out

    updated = juhtum("--repo", repo, "schemas", "--update")
    assert updated.code == 0, updated.output
    assert "plan.schema.json" in updated.out and "committed" in updated.out
    assert git(repo, "rev-parse", "HEAD~1").strip() == before  # one commit
    changed = git(repo, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert changed[0] == "juhtum schemas --update"
    assert set(filter(None, changed[1:])) == {
        ".juhtum/schemas/plan.schema.json",
        ".vscode/settings.json",
    }
    assert copy.read_bytes() == schemas.read_bytes("plan.schema.json")
    assert json.loads(settings.read_text())["editor.tabSize"] == 2  # the person's own settings
    assert git(repo, "status", "--porcelain").strip() == ""
    again = juhtum("--repo", repo, "validate")
    assert again.code == 0 and "schemas --update" not in again.err
    assert "were up to date" in juhtum("--repo", repo, "schemas", "--update").out
    assert git(repo, "rev-parse", "HEAD~1").strip() == before  # nothing more to commit


def test_a_repository_without_copies_gets_no_warning(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = copy_tree(EXAMPLES / "kaasiku", tmp_path / "kaasiku")
    run = juhtum("--repo", root, "validate")
    assert run.code == 0, run.output
    assert "schemas" not in run.err
    assert "juhtum schemas --update" in juhtum("--repo", root, "schemas").out  # asked, it says


def test_schemas_path_prints_the_installed_folder(juhtum: Callable[..., Run]) -> None:
    run = juhtum("schemas", "--path")
    assert run.code == 0, run.output
    folder = Path(run.out.strip())
    assert folder == Path(str(schemas.directory()))
    assert sorted(p.name for p in folder.glob("*.schema.json")) == schemas.names()


def test_check_jsonschema_with_the_catalogue_validates_every_completed_document_offline(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    """What another tool does with the catalogue: for each entry, its schema copy checks the
    files its patterns match (check-jsonschema reads no catalogue itself; --base-uri keeps
    the $refs beside the copy). Any attempt to reach the network fails at once."""
    root = copy_tree(EXAMPLES / "kaasiku", tmp_path / "kaasiku")
    assert juhtum("--repo", root, "schemas", "--update").code == 0
    folder = root / ".juhtum" / "schemas"
    catalog = json.loads((folder / "catalog.json").read_text())
    completed = {
        p.relative_to(root).as_posix() for ps in completed_documents(root).values() for p in ps
    }
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    offline = dict.fromkeys(
        ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"), "http://127.0.0.1:9"
    )
    checked = set()
    for entry in catalog["schemas"]:
        files = sorted(
            f for f in completed if any(fnmatch.fnmatch(f, g) for g in entry["fileMatch"])
        )
        if not files:
            continue
        schema = folder / entry["url"]
        proc = subprocess.run(
            [exe, "--base-uri", schema.as_uri(), "--schemafile", str(schema), *files],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, **offline},
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, (entry["url"], proc.stdout + proc.stderr)
        checked.update(files)
    assert checked == completed  # the catalogue's patterns cover every document
    broken = root / "juhtum.yaml"
    broken.write_text(broken.read_text() + "unknown_setting: 1\n")
    proc = subprocess.run(
        [
            exe,
            "--base-uri",
            (folder / "juhtum.schema.json").as_uri(),
            "--schemafile",
            str(folder / "juhtum.schema.json"),
            str(broken),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **offline},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_init_keeps_editor_settings_it_cannot_read(
    tmp_path: Path, juhtum: Callable[..., Run]
) -> None:
    root = tmp_path / "cases"
    (root / ".vscode").mkdir(parents=True)
    own = '{\n  // a comment, as VS Code allows\n  "editor.tabSize": 2\n}\n'
    (root / ".vscode" / "settings.json").write_text(own)
    assert juhtum("init", root).code == 0
    assert (root / ".vscode" / "settings.json").read_text() == own
    assert ".vscode/settings.json" not in git(root, "ls-files").split()
    assert (root / ".juhtum" / "schemas" / "catalog.json").is_file()
