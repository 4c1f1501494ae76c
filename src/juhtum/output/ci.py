"""Ready CI configurations for a case repository (``juhtum init --ci gitlab|github``).

Every push runs ``juhtum validate --legal`` and ``juhtum verify`` (every commit that changed a
case signed by a specialist with access; the whole history is fetched for it): GitLab shows the problems in merge requests
through its code quality report, GitHub as annotations on the changed files. The
validation cache (``.juhtum/cache/``) is kept between runs by the CI's own cache: a case
whose folder git holds as the same tree is not checked again, so a run over thousands of
cases takes seconds (its key holds juhtum's version, the schemas, juhtum.yaml and the
catalogue; a new juhtum or a new day of deadlines checks again what it must).

juhtum is not on a package index yet, so where CI installs it from is a parameter: a pip
requirement such as ``git+https://git.example.org/juhtum.git@v0.5.0``, a wheel's URL, or
``juhtum==0.5.0`` from an organisation's own index.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

from juhtum.errors import DocumentError, UsageError
from juhtum.i18n import N_

FILES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/juhtum.yml"}
"""Where each system reads its configuration, relative to the git repository's root."""

_SPEC = re.compile(r"[^\s#]+(?: [^\s#]+)*")
"""One line: ``juhtum @ git+https://…`` (PEP 508) has spaces, a URL ``:`` and ``@``, a
version ``==`` or ``>=``; the shell gets it quoted, and the written YAML is read back to
prove it says the command meant."""


@dataclass(frozen=True)
class Config:
    path: str
    """Relative to the git repository's root."""
    text: str


def check_spec(spec: str) -> str:
    """A pip requirement, URL or path to install juhtum from: one line, nothing a shell or
    a YAML reader would read otherwise."""
    spec = spec.strip()
    if not spec or not _SPEC.fullmatch(spec) or "${{" in spec:
        raise UsageError(
            N_(
                "{spec!r} cannot be where CI installs juhtum from: give a pip requirement, "
                "e.g. git+https://git.example.org/juhtum.git@v0.5.0 or juhtum==0.5.0"
            ),
            spec=spec,
        )
    return spec


def render(system: str, spec: str, subdir: str = "") -> Config:
    """The configuration for ``system``, installing juhtum from ``spec``; ``subdir`` is the
    case repository's folder inside the git repository ('' when it is the root)."""
    spec = check_spec(spec)
    install = f"python -m pip install {shlex.quote(spec)}"
    repo_option = f" --repo {shlex.quote(subdir)}" if subdir else ""
    cache = str(PurePosixPath(subdir or ".", ".juhtum", "cache"))
    template = {"gitlab": GITLAB, "github": GITHUB}.get(system)
    if template is None:
        raise UsageError(N_("the CI system is gitlab or github"))
    text = template.format(install=install, repo=repo_option, cache=cache)
    _check_rendered(system, text, install)
    return Config(FILES[system], text)


def _check_rendered(system: str, text: str, install: str) -> None:
    """The configuration, read as YAML, must say exactly the install command meant."""
    from juhtum.documents import yamlio

    try:
        data = yamlio.loads(text, path=FILES[system]).data
        if system == "gitlab":
            said = data["juhtum-validate"]["script"][0]
        else:
            steps = data["jobs"]["validate"]["steps"]
            said = next(s["run"] for s in steps if s.get("name") == "Install juhtum")
    except (DocumentError, LookupError, TypeError, AttributeError, StopIteration):
        said = None
    if said != install:
        raise UsageError(
            N_("juhtum could not write a CI configuration that runs {command!r}"),
            command=install,
        )


GITLAB = """\
# juhtum: check every case on every push (written by `juhtum init --ci gitlab`).
#
# The problems found appear in merge requests through GitLab's code quality report,
# and in the job's log in words; the job fails on any error, so a broken case never
# lands unseen. Warnings and to-dos do not fail it.
#
# The validation cache is kept between pipelines: a case whose folder is as git had it
# when the cache was made is not checked again. Remove the `cache:` lines to check every
# case from scratch on every run. A cache is trusted only by the clone that wrote it: give
# the pipelines one key as a masked, protected CI/CD variable JUHTUM_CACHE_KEY (16 or more
# random characters); without it the kept cache is rebuilt on every run, never believed.

juhtum-validate:
  image: python:3.11
  stage: test
  cache:
    key: juhtum-validate
    paths:
      - {cache}/
  script:
    - {install}
    # the report for merge requests (its exit code is left to the next line)
    - juhtum{repo} validate --legal --format gitlab > gl-code-quality-report.json || true
    # the same check in words for the log, failing the job on any error (the cache the
    # line above filled makes it take a moment)
    - juhtum{repo} validate --legal
    # every commit that changed a case signed by a specialist with access (needs the
    # whole history: GIT_DEPTH 0); a repository that began signing later checks from
    # then on: juhtum verify --since <its first signed commit>
    - juhtum{repo} verify
  variables:
    GIT_DEPTH: "0"
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
"""

GITHUB = """\
# juhtum: check every case on every push and pull request (written by
# `juhtum init --ci github`).
#
# Problems appear as annotations on the changed files; the job fails on any error, so a
# broken case never lands unseen. Warnings and to-dos do not fail it.
#
# The validation cache is kept between runs: a case whose folder is as git had it when
# the cache was made is not checked again. Remove the "Keep the validation cache" step
# to check every case from scratch on every run. A cache is trusted only by the clone that
# wrote it: add a repository secret JUHTUM_CACHE_KEY (16 or more random characters);
# without it the kept cache is rebuilt on every run, never believed.

name: juhtum validate

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Keep the validation cache
        uses: actions/cache@v4
        with:
          path: {cache}
          key: juhtum-validate-${{{{ github.sha }}}}
          restore-keys: juhtum-validate-
      - name: Install juhtum
        run: {install}
      - name: Check the cases
        env:
          JUHTUM_CACHE_KEY: ${{{{ secrets.JUHTUM_CACHE_KEY }}}}
        run: juhtum{repo} validate --legal --format github
      # every commit that changed a case signed by a specialist with access; a repository
      # that began signing later checks from then on: verify --since <first signed commit>
      - name: Check who signed each change
        run: juhtum{repo} verify
"""
