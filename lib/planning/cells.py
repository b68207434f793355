"""Reading the cells of tables curators edit (the catalogue, a plan's tracking), and refusing
an edit with every problem found in it at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lib import i18n
from lib.errors import Refusal, Translatable

PROBLEMS_SHOWN = 10


def blank(value: Any) -> bool:
    """True for an empty cell: None, NA, NaN, NaT or only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def number_within(value: Any, low: float, high: float) -> float | None:
    """The cell as a number from `low` to `high`, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or not low <= number <= high:
        return None
    return number


class Problems(Translatable, ValueError):
    """Every problem of an edited table, one refusal a line (the first `PROBLEMS_SHOWN`, then
    how many more): nothing was written."""

    def __init__(self, refusals: Sequence[Refusal]):
        self.refusals = tuple(refusals)
        self.key, self.params = self.refusals[0].key, self.refusals[0].params
        super().__init__(self.text())

    def text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        lines = [refusal.text(lang) for refusal in self.refusals[:PROBLEMS_SHOWN]]
        more = len(self.refusals) - PROBLEMS_SHOWN
        if more > 0:
            lines.append(Refusal("plan.err_more_problems", count=more).text(lang))
        return "\n".join(lines)
