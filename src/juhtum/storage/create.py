"""Making case repositories and cases: what ``init`` and ``new`` do, without printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juhtum import history, journal, storage
from juhtum.documents import schema_copies, yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import ids, stages
from juhtum.model.documents import CASE_FILE, CASES_DIR, REPOSITORY_FILE
from juhtum.storage import Repository

GITIGNORE = """\
# juhtum's working files: never part of a case's history
.juhtum/lock
.juhtum/cache/
.juhtum/journal/
.juhtum/rejected/
.juhtum/edit/
.juhtum/sync/
.juhtum/overwritten/
*.juhtum-tmp
"""


@dataclass
class Created:
    root: Path
    git: bool


def init_repository(
    root: Path,
    *,
    organisation: str,
    language: str = "et",
    id_prefix: str | None = None,
    use_git: bool = True,
) -> Created:
    """Make a case repository at ``root``: juhtum.yaml, cases/, the schemas, and git."""
    if (root / REPOSITORY_FILE).exists():
        raise UserError(
            N_("{path} is a case repository already (it has juhtum.yaml)"), path=str(root)
        )
    if id_prefix is not None and not ids.ID_PREFIX.match(id_prefix):
        raise UserError(
            N_(
                "{prefix!r} cannot prefix case ids: use up to 10 lowercase letters "
                "and digits, starting with a letter"
            ),
            prefix=id_prefix,
        )
    storage.make_dirs(root)
    config: dict[str, Any] = {
        "organisation": {"name": organisation},
        "language": language,
        "review_period_months": 3,
    }
    if id_prefix:
        config["id_prefix"] = id_prefix
    repo = Repository(root.resolve())
    if use_git:
        history.init(repo.root)
        history.check_identity(repo.root)
    with storage.Lock(repo):
        storage.make_dirs(repo.cases_dir)
        storage.write_text(repo.cases_dir / ".gitkeep", "")
        installed = schema_copies.install(repo.root)  # the copies, their catalogue, editor settings
        if not (root / ".gitignore").exists():
            storage.write_text(root / ".gitignore", GITIGNORE)
        storage.write_text(repo.config_path, "# juhtum case repository\n" + yamlio.dumps(config))
        if use_git:
            history.commit(
                repo.root,
                [REPOSITORY_FILE, ".gitignore", f"{CASES_DIR}/.gitkeep", *installed],
                case_id=None,
                step="juhtum init: case repository",
            )
            history.write_commit_graph(repo.root)
    return Created(repo.root, use_git)


@dataclass
class WrittenCI:
    path: Path
    committed: bool


def write_ci(root: Path, system: str, spec: str, *, replace: bool = False) -> WrittenCI:
    """Write the CI configuration for ``system`` into the git repository the case repository
    at ``root`` is in (``juhtum init --ci``); commit it when juhtum keeps that history."""
    from juhtum.output import ci

    root = root.resolve()
    repo = Repository(root)
    if history.in_git(root) or (top := history.toplevel(root)) is None:
        top, subdir = root, ""
    else:
        subdir = root.relative_to(top).as_posix()
    config = ci.render(system, spec, subdir)
    target = top / config.path
    if target.exists() and not replace:
        raise UserError(
            N_(
                "{path} exists already: add juhtum's job to it by hand (juhtum init --ci "
                "{system} --install-from SPEC --print shows it), or replace it with --force"
            ),
            path=str(target),
            system=system,
        )
    committed = history.in_git(root)
    with storage.Lock(repo):
        storage.make_dirs(target.parent)
        storage.write_text(target, config.text)
        if committed:
            history.commit(root, [config.path], case_id=None, step=f"juhtum init --ci {system}")
    return WrittenCI(target, committed)


def read_config(repo: Repository) -> dict[str, Any]:
    data = yamlio.load_file(repo.config_path, path=REPOSITORY_FILE).data
    return data if isinstance(data, dict) else {}


def new_case(
    repo: Repository,
    *,
    client_name: str,
    today: dt.date,
    framework: str = "adult",
    case_id: str | None = None,
    commit_date: str | None = None,
    coordinator: str | None = None,
) -> str:
    """Open a case in state ``need`` with the person registered as ``client``; returns its id.
    ``coordinator``: the registered specialist who opens it, until §1.4 assigns someone."""
    if framework not in ("adult", "child"):
        raise UserError(N_("the framework is adult or child"))
    if not client_name.strip():
        raise UserError(N_("give the person's name: --client NAME"))
    config = read_config(repo)
    prefix = config.get("id_prefix") if isinstance(config.get("id_prefix"), str) else None
    with storage.Lock(repo):
        storage.make_dirs(repo.cases_dir)
        existing = set(repo.case_ids())
        if case_id is not None:
            ids.check_case_id(case_id)
            ids.check_case_id_names_no_one(case_id, [client_name])
            if case_id in existing:
                raise UserError(N_("a case {id} exists already"), id=case_id)
        else:
            case_id = ids.new_case_id(prefix, existing)
        folder = repo.case_dir(case_id)
        try:
            folder.mkdir()  # fails if another writer just made it: ids stay unique
        except FileExistsError:
            raise UserError(N_("a case {id} exists already"), id=case_id) from None
        storage.fsync_dir(repo.cases_dir)
        storage.make_dirs(folder / "people")
        client = {"case": case_id, "name": client_name.strip(), "roles": ["client"]}
        case: dict[str, Any] = {
            "id": case_id,
            "stage": stages.NEED,
            "opened": today.isoformat(),
            "framework": framework,
            "client": "client",
            "representatives": [],
            "coordinator": coordinator,
        }
        author = config.get("author") if isinstance(config.get("author"), dict) else None
        prefix = f"{CASES_DIR}/{case_id}"
        journal.apply(
            repo,
            journal.Change(
                case_id,
                "new case",
                stages.NEED,
                [
                    journal.Write(f"{prefix}/people/client.yaml", yamlio.dumps(client).encode()),
                    # case.yaml last: a folder without it is no case yet, and validate says so
                    journal.Write(f"{prefix}/{CASE_FILE}", yamlio.dumps(case).encode()),
                ],
                author=author,
                date=commit_date,
            ),
        )
    return case_id
