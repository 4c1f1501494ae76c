"""``juhtum init`` and ``juhtum new``."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from juhtum.cli.app import Lang
from juhtum.cli.shared import Framework, commit_date, echo, echo_json, state
from juhtum.errors import UsageError, UserError
from juhtum.i18n import N_
from juhtum.model.documents import REPOSITORY_FILE

if TYPE_CHECKING:
    from juhtum.storage import Repository, create

commands = typer.Typer()


class CISystem(StrEnum):
    gitlab = "gitlab"
    github = "github"


def echo_ci(written: create.WrittenCI) -> None:
    from juhtum.cli.shared import say as echo  # wrapped to the screen
    from juhtum.i18n import _

    if written.committed:
        echo(_("Wrote the CI configuration {path} and committed it.").format(path=written.path))
    else:
        echo(
            _("Wrote the CI configuration {path}: commit it, and CI checks every push.").format(
                path=written.path
            )
        )


"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def init(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="Where to make the case repository (made if missing).")
    ] = Path(),
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            "-o",
            help="The organising municipality or institution "
            "(määrus nr 10 § 1 (1) 2). Default: the folder's name.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        Lang, typer.Option("--language", help="Language of messages for everyone.")
    ] = Lang.et,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            "--id-prefix", help="Start every new case id with this, e.g. tartu.", show_default=False
        ),
    ] = None,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="A plain folder, without git history.")
    ] = False,
    ci_system: Annotated[
        CISystem | None,
        typer.Option(
            "--ci",
            help="Also write a CI configuration that checks every case on every push: "
            "gitlab (.gitlab-ci.yml, with a code quality report for merge requests) or "
            "github (.github/workflows/juhtum.yml, with annotations). In an existing case "
            "repository, writes just that.",
            show_default=False,
        ),
    ] = None,
    install_from: Annotated[
        str | None,
        typer.Option(
            "--install-from",
            metavar="<spec>",
            help="With --ci: where CI installs juhtum from, as pip takes it, e.g. "
            "git+https://git.example.org/juhtum.git@v0.5.0 or juhtum==0.5.0.",
            show_default=False,
        ),
    ] = None,
    print_only: Annotated[
        bool,
        typer.Option("--print", help="With --ci: print the configuration instead of writing it."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --ci: replace a CI configuration that exists.")
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Your name, to register you as the first specialist (specialists/). "
            "Default: git's user.name.",
            show_default=False,
        ),
    ] = None,
    handle: Annotated[
        str | None,
        typer.Option(
            "--handle",
            help="Your handle, what documents name you by. Default: your initials.",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            metavar='"Name <email>"',
            help="Who commits in this repository, when git does not know you yet "
            "(kept in this repository's git settings only).",
            show_default=False,
        ),
    ] = None,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt case data to the people who work on it (juhtum encrypt --help); "
            "needs --recovery.",
        ),
    ] = False,
    recovery: Annotated[
        list[str] | None,
        typer.Option(
            "--recovery",
            metavar="AGE1…",
            help="With --encrypt: a recovery recipient kept offline; repeat for several.",
            show_default=False,
        ),
    ] = None,
    age_recipient: Annotated[
        str | None,
        typer.Option(
            "--age-recipient",
            metavar="AGE1…",
            help="With --encrypt: your age public key (age-keygen -y KEYFILE prints it).",
            show_default=False,
        ),
    ] = None,
    signing_key: Annotated[
        str | None,
        typer.Option(
            "--signing-key",
            metavar="KEY",
            help="Your SSH public key or its file (~/.ssh/id_ed25519.pub): registered with you, "
            "and this clone's git signs every commit with it (juhtum verify --help).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Make a case repository: juhtum.yaml, cases/, the schemas, and a git repository.

    The schemas are copied to .juhtum/schemas/ with a catalogue (catalog.json),
    and .vscode/settings.json maps each document to its schema, so that editors
    (with the YAML language server) and other validators check documents too;
    `juhtum schemas --update` refreshes them after an upgrade. git is set to
    fsync what it commits and to check what it receives.

    Then fill in the organisation's address, e-mail and phone in juhtum.yaml:
    the regulation on case plans asks for them.

    With --ci, CI runs `juhtum validate --legal` on every push and fails on any
    error; it keeps the validation cache between runs, so only changed cases are
    checked again.

    \b
    Examples:
      juhtum init tartu-cases --organisation "Tartu Linnavalitsus" \\
          --id-prefix tartu
      juhtum init --ci gitlab \\
          --install-from git+https://git.example.org/juhtum.git@v0.5.0
    """
    from juhtum import i18n
    from juhtum.cli.shared import state
    from juhtum.i18n import _
    from juhtum.storage import create

    if state(ctx).lang is None and not os.environ.get("JUHTUM_LANG"):
        i18n.set_language(language.value)  # the new repository's language, from the start
    if ci_system is None:
        if install_from is not None or print_only:
            raise UsageError(N_("--install-from and --print go with --ci gitlab|github"))
    else:
        from juhtum.output import ci

        if install_from is None:
            raise UsageError(
                N_(
                    "--ci needs --install-from SPEC: where CI installs juhtum from, as pip "
                    "takes it (juhtum is not on a package index yet), e.g. "
                    "git+https://git.example.org/juhtum.git@v0.5.0"
                )
            )
        config = ci.render(ci_system.value, install_from)  # refuses a bad SPEC before anything
        if print_only:
            typer.echo(config.text, nl=False)
            return
        if (path / REPOSITORY_FILE).exists():
            written = create.write_ci(path, ci_system.value, install_from, replace=force)
            echo_ci(written)
            return

    if (recovery or age_recipient) and not encrypt:
        raise UsageError(N_("--recovery and --age-recipient go with --encrypt"))
    if encrypt:
        from juhtum.crypto.setup import check_recipients

        check_recipients(recovery or [])  # refused before anything is made
    org_name = organisation or path.resolve().name or "juhtum"
    signing = None
    if signing_key is not None:
        from juhtum.verification import signing_key as read_signing_key

        signing = read_signing_key(signing_key)  # refused before anything is made

    if handle is not None:
        from juhtum.model import ids

        ids.check_handle(handle)
    who = first_specialist(path, name=name, author=author, use_git=not no_git)
    with undo_on_failure(path), author_environment(who if author else None):
        created = create.init_repository(
            path,
            organisation=org_name,
            language=language.value,
            id_prefix=id_prefix,
            use_git=not no_git,
        )
        if author and not no_git:
            from juhtum import history

            history.set_identity(created.root, who.name, who.email)
        if signing is not None and not no_git:
            from juhtum.verification import configure_signing

            configure_signing(created.root, *signing)
        registered = register_first(
            created.root, who, handle, org_name, age_recipient, signing[0] if signing else None
        )
        if encrypt:
            from juhtum.crypto.setup import encrypt_repository
            from juhtum.storage import Repository

            encrypt_repository(Repository(created.root), recovery or [])
    from juhtum.cli.shared import say

    say(_("Made a case repository in {path}.").format(path=created.root))
    if registered is not None:
        say(
            _("Registered you as the specialist {handle} ({path}).").format(
                handle=registered, path=f"specialists/{registered}.yaml"
            )
        )
    if encrypt:
        say(_("Case data is encrypted (juhtum encrypt --help); git diff shows it to key holders."))
    if ci_system is not None and install_from is not None:
        echo_ci(create.write_ci(created.root, ci_system.value, install_from, replace=force))
    say(
        _(
            "Next: fill in the organisation's details in juhtum.yaml, then open a case with "
            "juhtum new --client NAME"
        )
    )


@dataclass
class Identity:
    name: str
    email: str


def first_specialist(
    path: Path, *, name: str | None, author: str | None, use_git: bool
) -> Identity:
    """Who runs ``init``, known before anything is made: ``--author``, else git's identity.
    Refuses (with the commands to run) where git cannot commit, so nothing is half-made."""
    from juhtum import history, specialists

    if author is not None:
        author_name, email = specialists.parse_author(author)
    else:
        author_name, email = history.identity(path if path.is_dir() else None)
    if use_git and (not author_name or not email):
        raise UserError(
            N_(
                "git does not know who you are, and every change is committed in your name. "
                'Tell git once: git config --global user.name "Your Name" && '
                "git config --global user.email you@example.org — or give it to this "
                'repository only: juhtum init {path} --author "Your Name <you@example.org>"'
            ),
            path=str(path),
        )
    return Identity((name or author_name or "").strip(), email)


@contextlib.contextmanager
def author_environment(who: Identity | None) -> Iterator[None]:
    """``--author`` as git's identity while ``init`` commits (restored afterwards)."""
    if who is None:
        yield
        return
    keys = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(dict(zip(keys, (who.name, who.email) * 2, strict=True)))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def undo_on_failure(path: Path) -> Iterator[None]:
    """Remove what a failed ``init`` made, so that running it again just works."""
    import shutil

    existed = path.exists()
    before = {p.name for p in path.iterdir()} if existed and path.is_dir() else set()
    try:
        yield
    except BaseException:
        if not existed:
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_dir():
            for entry in path.iterdir():
                if entry.name not in before:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
        raise


def register_first(
    root: Path,
    who: Identity,
    handle: str | None,
    organisation: str,
    age_recipient: str | None = None,
    signing_key: str | None = None,
) -> str | None:
    """Register who made the repository as its first specialist (none without a name)."""
    from juhtum import specialists
    from juhtum.storage import Repository

    if not who.name:
        return None
    repo = Repository(root)
    chosen = handle or specialists.derive_handle(who.name, specialists.handles(root))
    specialists.register(
        repo,
        specialists.Specialist(
            chosen,
            who.name,
            organisation,
            email=who.email or None,
            age_recipient=age_recipient,
            signing_key=signing_key,
        ),
    )
    return chosen


def first_coordinator(repo: Repository, chosen: str | None) -> str | None:
    """``new --coordinator``: a registered specialist, ``-`` for none, else whoever runs it
    when they are a registered specialist."""
    from juhtum import specialists

    if chosen is None:
        return specialists.me(repo)
    if chosen == "-":
        return None
    if chosen not in specialists.handles(repo.root):
        raise UserError(
            N_(
                "{handle} is no registered specialist. Register them first: juhtum "
                'specialists --add {handle} --name "NAME"'
            ),
            handle=chosen,
        )
    return chosen


@commands.command()
def new(
    ctx: typer.Context,
    client: Annotated[
        str,
        typer.Option(
            "--client",
            help="The person's name (the rest of their details go in "
            "through their file, never on the command line).",
        ),
    ],
    framework: Annotated[
        Framework,
        typer.Option(
            "--framework",
            help="adult, or child for child protection (the child wellbeing triangle).",
        ),
    ] = Framework.adult,
    case_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Choose the case id (lowercase letters, digits, single "
            "hyphens). Default: a new random id.",
            show_default=False,
        ),
    ] = None,
    coordinator: Annotated[
        str | None,
        typer.Option(
            "--coordinator",
            metavar="HANDLE",
            help="The case's coordinator until the need stage assigns one (juhis §1.4): a "
            "registered specialist, or - for none. Default: you, when you are one.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id": ...}.')] = False,
) -> None:
    """Open a case in the need stage (juhis §1); print its id as the last line.

    Writes cases/<id>/case.yaml and cases/<id>/people/client.yaml, and commits
    them when the repository is in git. The id is unique without a central
    counter, so specialists working offline never draw the same one.

    \b
    Example:  juhtum new --client "Mari Maasikas"
    """
    from juhtum.storage import create

    st = state(ctx)
    repo = st.repository()
    new_id = create.new_case(
        repo,
        client_name=client,
        today=st.day(),
        framework=framework.value,
        case_id=case_id,
        commit_date=commit_date(st),
        coordinator=first_coordinator(repo, coordinator),
    )
    if as_json:
        echo_json({"id": new_id})
    else:
        echo(new_id)
