"""The generator of fictional personal codes, against python-stdnum's checker."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ee import ik

from juhtum.model import personal_code


@given(
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2199, 12, 31)),
    st.sampled_from(personal_code.SEXES),
    st.integers(0, 999),
)
def test_generated_codes_are_valid_and_carry_birth_date_and_sex(
    born: dt.date, sex: str, serial: int
) -> None:
    code = personal_code.generate(born, sex, serial)
    assert ik.is_valid(code)
    assert personal_code.problem(code) is None
    assert personal_code.birth_date(code) == born
    assert personal_code.sex(code) == sex


def test_a_wrong_check_digit_is_found() -> None:
    code = personal_code.generate(dt.date(1987, 4, 12), "F", 123)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert personal_code.problem(wrong) == "check digit"
    assert personal_code.problem("49902301234") == "birth date"
    assert personal_code.problem("4870412") == "form"


@pytest.mark.parametrize(
    ("sex", "born", "serial"),
    [
        ("X", dt.date(2000, 1, 1), 1),
        ("M", dt.date(1700, 1, 1), 1),
        ("M", dt.date(2000, 1, 1), 1000),
    ],
)
def test_generator_refuses_what_no_code_can_hold(sex: str, born: dt.date, serial: int) -> None:
    with pytest.raises(ValueError):
        personal_code.generate(born, sex, serial)
