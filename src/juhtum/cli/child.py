"""The commands of a child's case (LasteKS): the child who turns 18."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from juhtum.cli.workflow import CaseId, Force, _report, _session

commands = typer.Typer()
"""This module's commands; juhtum.cli.app loads them when one is run."""


@commands.command()
def adult(
    ctx: typer.Context,
    case_id: CaseId,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The day the adult framework applies from (default: the 18th birthday, "
            "from the personal code or birth date).",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
) -> None:
    """A child who turned 18: the case goes on in the adult framework (LasteKS § 3 (1)).

    Records the change in case.yaml (framework_changes): what was written before
    its date stays valid under the child framework. Why the help goes on can be
    added to the change with juhtum edit ID case.yaml (reason). To end the case
    instead, use juhtum close.
    """
    from juhtum import coming_of_age
    from juhtum.errors import UsageError
    from juhtum.i18n import N_

    day = None
    if start is not None:
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:
            raise UsageError(
                N_("--from {date} is not a real date: write YYYY-MM-DD, a day the month has"),
                date=start,
            ) from None
    with _session(ctx, case_id, force) as s:
        _report(s, coming_of_age.to_adult(s, day=day))
