"""The global filters every page shares (department, wave, period) and their SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib.db import Database

PERIODS = (3, 6, 12, 24)


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the club to; empty tuples mean 'all'."""

    departments: tuple[str, ...] = ()
    waves: tuple[int, ...] = ()
    period_months: int = 12
    as_of: date = field(default_factory=date.today)

    def __post_init__(self):
        if self.period_months not in PERIODS:
            raise ValueError(f"Period must be one of {PERIODS} months")

    @property
    def period_start(self) -> date:
        return (pd.Timestamp(self.as_of) - pd.DateOffset(months=self.period_months)).date()

    def member_clause(self, people: str = "p", memberships: str = "m") -> tuple[str, list]:
        """A parameterised SQL condition on people and memberships aliases."""
        parts, params = ["TRUE"], []
        if self.departments:
            parts.append(f"{people}.department IN ({', '.join('?' for _ in self.departments)})")
            params.extend(self.departments)
        if self.waves:
            parts.append(f"{memberships}.wave IN ({', '.join('?' for _ in self.waves)})")
            params.extend(int(w) for w in self.waves)
        return " AND ".join(parts), params


def filter_options(db: Database) -> tuple[list[str], list[int]]:
    """The departments and waves a user can filter by."""
    departments = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT department FROM people WHERE department IS NOT NULL ORDER BY 1"
        )
    ]
    waves = [
        int(r[0])
        for r in db.rows("SELECT DISTINCT wave FROM memberships WHERE wave IS NOT NULL ORDER BY 1")
    ]
    return departments, waves
