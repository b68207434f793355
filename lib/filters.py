"""The global filters every page shares (department, wave, period) and their SQL."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib.errors import Refusal
from lib.store.db import Database

PERIODS = (3, 6, 12, 24)
AS_OF_VAR = "EXPERTISE_AS_OF"


def default_as_of() -> date:
    """The analysis day: today, or $EXPERTISE_AS_OF (ISO date) to replay a past day."""
    fixed = os.environ.get(AS_OF_VAR)
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError as exc:
            raise Refusal("data.err_filters_as_of", variable=AS_OF_VAR, value=fixed) from exc
    return date.today()


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the club to; empty tuples mean 'all'."""

    departments: tuple[str, ...] = ()
    waves: tuple[int, ...] = ()
    period_months: int = 12
    as_of: date = field(default_factory=default_as_of)

    def __post_init__(self):
        if self.period_months not in PERIODS:
            raise Refusal("data.err_filters_period", periods=", ".join(map(str, PERIODS)))

    @property
    def period_start(self) -> date:
        return (pd.Timestamp(self.as_of) - pd.DateOffset(months=self.period_months)).date()

    def member_params(self, statuses: tuple[str, ...] = ()) -> dict[str, list]:
        """Named parameters for the `club_members($statuses, $departments, $waves)` macro."""
        return {
            "statuses": [str(s) for s in statuses],
            "departments": list(self.departments),
            "waves": [int(w) for w in self.waves],
        }

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
