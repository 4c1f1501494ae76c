"""``juhtum export ID --subject-access``: the person's own copy of their case (GDPR art. 15);
the work is :mod:`juhtum.subject_access`'s, this module says what was done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juhtum.cli.shared import echo


def subject_access_export(st: Any, case_id: str, out: str | None) -> None:
    from juhtum import subject_access
    from juhtum.i18n import ngettext

    repo = st.repository()
    target = Path(out) if out else Path.cwd() / f"{case_id}-subject-access"
    done = subject_access.export(repo, case_id, target, st.day().isoformat())
    echo(
        ngettext(
            "Wrote {n} file about the person of case {id} into {path}.",
            "Wrote {n} files about the person of case {id} into {path}.",
            len(done.files),
        ).format(n=len(done.files), id=case_id, path=done.folder)
    )
    echo(
        ngettext(
            "{n} value withheld, and other people's details replaced {m} times in the texts: "
            "README.md says what and why. Read the texts before handing them over.",
            "{n} values withheld, and other people's details replaced {m} times in the texts: "
            "README.md says what and why. Read the texts before handing them over.",
            len(done.withheld),
        ).format(n=len(done.withheld), m=done.replaced_in_text)
    )
