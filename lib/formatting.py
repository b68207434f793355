"""One formatting layer for every surface: numbers, percentages, money, dates, months, hours.

Tables, charts, exports and messages format through here, so a Russian reader sees "252,9",
"1 000 000 ₽", "нояб. 2026" and "−6 п. п." everywhere, and a blank is always "—".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from lib import i18n

BLANK = "—"
MINUS = "\u2212"
DEFAULT_CURRENCY = "RUB"
CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "KZT": "₸"}


class Format(StrEnum):
    """How a value is shown."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL1 = "decimal1"
    DECIMAL2 = "decimal2"
    SIGNED1 = "signed1"
    SIGNED2 = "signed2"
    PERCENT = "percent"
    POINTS = "points"  # a change of a share, in percentage points
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    MONTH = "month"
    HOURS = "hours"
    LIST = "list"
    YES_NO = "yes_no"


def is_blank(value: Any) -> bool:
    """None, NaN, NaT, pd.NA and empty text are blanks."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


def number(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, digits: int = 0) -> str:
    if is_blank(value):
        return BLANK
    text = format_decimal(float(value), format=_pattern(digits), locale=lang)
    return text.replace("-", MINUS)


def signed(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A change: always with its sign, a real minus."""
    if is_blank(value):
        return BLANK
    text = number(abs(float(value)), lang, digits)
    if round(float(value), digits) > 0:
        return "+" + text
    if round(float(value), digits) < 0:
        return MINUS + text
    return text


def percent(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A share in 0…1 as a percentage."""
    if is_blank(value):
        return BLANK
    return number(float(value) * 100, lang, digits) + ("\u00a0%" if lang == "ru" else "%")


def points(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A change of a share in percentage points (0.06 → "+6 pp")."""
    if is_blank(value):
        return BLANK
    return i18n.t("common.pp_value", lang, value=signed(float(value) * 100, lang, digits))


def currency_sign(currency: str = DEFAULT_CURRENCY) -> str:
    """The sign a currency is written with ("₽"), or its code when it has none."""
    return CURRENCY_SIGNS.get(currency, currency)


def money(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount of money in whole units with the currency sign: "1 000 000 ₽"."""
    if is_blank(value):
        return BLANK
    return f"{number(value, lang)}\u00a0{currency_sign(currency)}"


def _as_date(value: Any) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def day(value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    if is_blank(value):
        return BLANK
    return _babel_date(_as_date(value), format="medium", locale=lang)


def moment(value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A timestamp to the minute: "29 Nov 2026, 15:04"."""
    if is_blank(value):
        return BLANK
    stamp = pd.Timestamp(value)
    return f"{day(stamp, lang)}, {stamp:%H:%M}"


def month(value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A month as the reader names it: "Nov 2026", "нояб. 2026"."""
    if is_blank(value):
        return BLANK
    return _babel_date(_as_date(value), format="LLL yyyy", locale=lang)


def hours(value: Any, lang: str = i18n.DEFAULT_LANGUAGE, digits: int = 1) -> str:
    if is_blank(value):
        return BLANK
    return i18n.t("common.hours_value", lang, value=number(value, lang, digits))


def yes_no(value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A flag as a word ("yes" / "no"), never "True"."""
    if is_blank(value):
        return BLANK
    return i18n.t("common.yes" if bool(value) else "common.no", lang)


def listing(value: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A list cell as "a, b, c"; a scalar as its text (a flag as yes / no)."""
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return BLANK if is_blank(value) else str(value)
    items = [str(v) for v in list(value) if not is_blank(v)]
    return ", ".join(items) if items else BLANK


def cell(
    value: Any,
    kind: Format | str,
    lang: str = i18n.DEFAULT_LANGUAGE,
    currency: str = DEFAULT_CURRENCY,
) -> str:
    """One value as text in a format."""
    kind = Format(kind)
    if kind is Format.LIST:
        return listing(value, lang)
    if is_blank(value):
        return BLANK
    match kind:
        case Format.INTEGER:
            return number(value, lang)
        case Format.DECIMAL1:
            return number(value, lang, 1)
        case Format.DECIMAL2:
            return number(value, lang, 2)
        case Format.SIGNED1:
            return signed(value, lang, 1)
        case Format.SIGNED2:
            return signed(value, lang, 2)
        case Format.PERCENT:
            return percent(value, lang)
        case Format.POINTS:
            return points(value, lang)
        case Format.MONEY:
            return money(value, lang, currency)
        case Format.DATE:
            return day(value, lang)
        case Format.DATETIME:
            return moment(value, lang)
        case Format.MONTH:
            return month(value, lang)
        case Format.HOURS:
            return hours(value, lang)
        case Format.YES_NO:
            return yes_no(value, lang)
    return str(value)


def rounded(value: Any, kind: Format | str) -> Any:
    """The value as shown, for exports that keep numbers numeric: rounded like its text."""
    digits = {
        Format.INTEGER: 0,
        Format.DECIMAL1: 1,
        Format.DECIMAL2: 2,
        Format.SIGNED1: 1,
        Format.SIGNED2: 2,
        Format.HOURS: 1,
        Format.MONEY: 0,
        Format.PERCENT: 4,
        Format.POINTS: 4,
    }.get(Format(kind))
    if digits is None or is_blank(value) or isinstance(value, bool):
        return value
    try:
        return round(float(value), digits) if digits else round(float(value))
    except (TypeError, ValueError):
        return value


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(text: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> float | None:
    """A number typed the way people type them: "1 000 000", "1 000,50" (a comma is the
    decimal mark in Russian, a thousands mark in English), "3 000 000 ₽". None when blank or
    not a number."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    cleaned = _SPACES.sub("", str(text)).replace(MINUS, "-")
    cleaned = cleaned.strip("".join(CURRENCY_SIGNS.values()) + "RUBUSDEUR")
    if not cleaned:
        return None
    if ("," in cleaned and "." in cleaned) or cleaned.count(",") > 1 or lang != "ru":
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` layout value: decimal then thousands mark."""
    return ", " if lang == "ru" else ".,"
