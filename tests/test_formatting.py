"""The formatting layer on known values, in both languages."""

from datetime import date

import pandas as pd
import pytest

from lib import formatting as f
from lib.formatting import Format


@pytest.mark.parametrize(
    "value, kind, en, ru",
    [
        (252.87680729363873, Format.DECIMAL1, "252.9", "252,9"),
        (1234567, Format.INTEGER, "1,234,567", "1\u00a0234\u00a0567"),
        (-6.2, Format.SIGNED1, "\u22126.2", "\u22126,2"),
        (0.5, Format.SIGNED2, "+0.50", "+0,50"),
        (0.843, Format.PERCENT, "84%", "84\u00a0%"),
        (-0.06, Format.POINTS, "\u22126 pp", "\u22126 п. п."),
        (1_000_000, Format.MONEY, "1,000,000\u00a0₽", "1\u00a0000\u00a0000\u00a0₽"),
        (date(2026, 11, 29), Format.DATE, "Nov 29, 2026", "29 нояб. 2026\u202fг."),
        (pd.Timestamp("2027-01-01 00:00:00"), Format.DATETIME, "Jan 1, 2027, 00:00", None),
        (date(2026, 1, 1), Format.MONTH, "Jan 2026", "янв. 2026"),
        (4.0, Format.HOURS, "4.0 h", "4,0 ч"),
        (["Python", "SQL"], Format.LIST, "Python, SQL", "Python, SQL"),
    ],
)
def test_cells(value, kind, en, ru):
    assert f.cell(value, kind, "en") == en
    if ru is not None:
        assert f.cell(value, kind, "ru") == ru


@pytest.mark.parametrize("blank", [None, float("nan"), pd.NA, pd.NaT, "", "  "])
@pytest.mark.parametrize("kind", list(Format))
def test_blanks_are_a_dash_never_none(blank, kind):
    assert f.cell(blank, kind, "ru") == "—"


@pytest.mark.parametrize(
    "text, lang, number",
    [
        ("1 000 000", "ru", 1_000_000.0),
        ("1\u00a0000\u00a0000 ₽", "ru", 1_000_000.0),
        ("1,5", "ru", 1.5),
        ("1 000,50", "ru", 1000.5),
        ("1,000,000", "en", 1_000_000.0),
        ("1,000.5", "en", 1000.5),
        ("\u22122,5", "ru", -2.5),
        ("abc", "ru", None),
        ("", "en", None),
    ],
)
def test_numbers_typed_by_people(text, lang, number):
    assert f.parse_number(text, lang) == number


def test_rounded_as_shown_for_exports():
    assert f.rounded(252.87680729363873, Format.DECIMAL1) == 252.9
    assert f.rounded(3.6, Format.INTEGER) == 4
    assert f.rounded("text", Format.DECIMAL1) == "text"
    assert f.rounded(None, Format.DECIMAL2) is None


def test_flags_read_as_words_in_any_column():
    assert f.cell(True, Format.YES_NO, "ru") == "Да"
    assert f.cell(False, Format.LIST, "en") == "No"
