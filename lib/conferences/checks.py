"""Typed, bounded values from people's input for the pipeline's writes: text without control
characters and within a length, non-negative numbers, days, topic lists. Each failure is a
Refusal naming the field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from lib.errors import Refusal, Term
from lib.formatting import parse_number

MAX_TEXT = 500
MAX_LONG = 8000
MAX_TOPICS = 30
MAX_TOPIC = 100
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LIST_SPLIT = re.compile(r"\s*[;\n|]\s*")


def _label(field: str) -> Term:
    """A field named in a message by its column header in the reader's language."""
    return Term(f"conferences.col_{field}")


def blank(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and value != value


def clean_text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT):
    """The text trimmed, or None when blank (refused when required, too long or with control
    characters)."""
    if blank(value):
        if required:
            raise Refusal("conferences.err_required", field=_label(field))
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise Refusal("conferences.err_too_long", field=_label(field), limit=limit)
    if CONTROL.search(text):
        raise Refusal("conferences.err_control", field=_label(field))
    return text


def clean_number(value: Any, field: str, *, whole: bool = False) -> float | int | None:
    """A finite number ≥ 0 (rounded when `whole`), or None when blank."""
    if blank(value):
        return None
    number = parse_number(value, "ru")  # "1 500,5", "1,000,000", "150 000 ₽"
    if number is None:
        raise Refusal("conferences.err_number", field=_label(field))
    if not (0 <= number < float("inf")):
        raise Refusal("conferences.err_number", field=_label(field))
    return round(number) if whole else number


def as_day(value: Any) -> date | None:
    """A date from a date, a timestamp or ISO text; None when blank."""
    if blank(value):
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError) as exc:
        raise Refusal("conferences.err_date", value=str(value)[:40]) from exc


def clean_topics(value: Any) -> list[str]:
    """Topics from a list or from text separated by `;`, `|` or new lines; repeats dropped."""
    items = LIST_SPLIT.split(value) if isinstance(value, str) else list(value or [])
    topics = [clean_text(item, "topics", limit=MAX_TOPIC) for item in items]
    topics = list(dict.fromkeys(t for t in topics if t))
    if len(topics) > MAX_TOPICS:
        raise Refusal("conferences.err_too_many_topics", limit=MAX_TOPICS)
    return topics
