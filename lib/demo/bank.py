"""The demo bank being generated: its tier, the seeded random stream every step draws from in a
fixed order, the analysis day and language, and what earlier steps produced for later ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.errors import Refusal
from lib.filters import default_as_of


@dataclass(frozen=True)
class Tier:
    employees: int
    members: int
    skills: int
    activities: int
    interviews: int
    targets: int
    events_per_year_factor: int = 1


TIERS = {
    "tiny": Tier(400, 40, 60, 1_500, 12, 20),
    "demo": Tier(3_000, 180, 120, 12_000, 60, 40),
    "large": Tier(100_000, 2_000, 1_000, 1_000_000, 1_000, 250, 3),
}
SEED = 20230115
MONTHS = 24
FOUNDING = date(2022, 3, 1)

Progress = Callable[[float, str], None]


def month_start(day: date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, 1)


class DemoBank:
    """One tier's bank in the making. Steps run in `tiers.build`'s order, each drawing from
    `rng` and leaving what later steps need (the taxonomy, the pool, the members)."""

    skills: pd.DataFrame  # the taxonomy with its category key and rank
    people: pd.DataFrame
    dept: np.ndarray  # department index of each employee
    grade: np.ndarray  # grade index of each employee
    ids: np.ndarray  # person_id of each employee
    members: pd.DataFrame
    member_idx: np.ndarray  # employee index of each member
    status_log: pd.DataFrame  # membership events, before duplicates are dropped

    def __init__(
        self, tier: str = "demo", *, seed: int = SEED, as_of: date | None = None, lang: str = "en"
    ):
        if tier not in TIERS:
            raise Refusal("data.err_demo_tier", tier=tier, tiers=", ".join(TIERS))
        self.tier_name = tier
        self.tier = TIERS[tier]
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.as_of = as_of or default_as_of()
        self.lang = lang
        self.li = 1 if lang == "ru" else 0
        self.start = (month_start(self.as_of) - pd.DateOffset(months=MONTHS - 1)).date()
