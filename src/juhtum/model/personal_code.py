"""Estonian personal codes (isikukood): checked by python-stdnum, made up for fiction.

A personal code is GYYMMDDSSSC: G gives sex and century, then the birth date,
a serial number and a check digit. Checking uses ``stdnum.ee.ik``; the
generator exists so that examples, tests and benchmarks carry codes that are
valid but belong to nobody real: fictional people, fictional dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from juhtum.i18n import N_


def _ik() -> Any:
    # python-stdnum costs 27 ms to import (it loads pydoc and ssl): only when a code is checked
    from stdnum.ee import ik

    return ik


SEXES = ("M", "F")


def problem(code: str) -> str | None:
    """None when ``code`` is a valid personal code, else what is wrong with it (a message id)."""
    ik = _ik()
    try:
        ik.validate(code)
    except ik.InvalidChecksum:
        return N_("check digit")
    except ik.InvalidComponent:
        return N_("birth date")
    except ik.ValidationError:
        return N_("form")
    return None


def birth_date(code: str) -> dt.date:
    born: dt.date = _ik().get_birth_date(code)
    return born


def sex(code: str) -> str:
    return str(_ik().get_gender(code))


def generate(born: dt.date, sex: str, serial: int) -> str:
    """The personal code of someone of ``sex`` born on ``born`` with the given serial (0-999)."""
    if sex not in SEXES:
        raise ValueError(f"sex must be one of {SEXES}")
    if not 1800 <= born.year <= 2199:
        raise ValueError("year outside the personal code's range")
    if not 0 <= serial <= 999:
        raise ValueError("serial must be 0-999")
    first = 1 + 2 * ((born.year - 1800) // 100) + (1 if sex == "F" else 0)
    body = f"{first}{born:%y%m%d}{serial:03d}"
    return body + str(_ik().calc_check_digit(body + "0"))
