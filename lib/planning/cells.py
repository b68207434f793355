"""Reading the cells of tables curators edit (the catalogue, a plan's tracking)."""

from __future__ import annotations

import math
from typing import Any


def number_within(value: Any, low: float, high: float) -> float | None:
    """The cell as a number from `low` to `high`, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or not low <= number <= high:
        return None
    return number
