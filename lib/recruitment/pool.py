"""The second-wave candidate pool: who may be proposed, the candidate × skill rows that make
them worth proposing, and the remaining weighted gaps as a wave is assembled (SPEC.md §2).

Set arithmetic runs in DuckDB SQL (`second_wave_pool.sql`); the greedy choice works on a
compact sparse candidate × skill structure in numpy, so a pool of 100,000 employees stays
interactive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.access import Viewer, can, require
from lib.filters import Filters
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.target import NO_DEPARTMENT, target_skills
from lib.settings import current_settings
from lib.store.db import Database, named_sql
from lib.vocabulary import MembershipStatus

UNIQUE_MIN_LEVEL = 3
UNIQUE_BONUS = 0.25


@dataclass(frozen=True)
class PoolRules:
    """Who may be proposed: employed non-members with enough community hours."""

    min_hours: float
    include_alumni: bool = False
    pinned: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


@dataclass
class CandidateMatrix:
    """Candidates × relevant skills as sorted sparse rows (person index, skill index, flags).

    People are ordered by hours available (desc) then id, so argmax breaks ties that way; a
    person's rows by skill id, so the skills a pick closes are always listed alike.
    """

    people: np.ndarray
    department: np.ndarray
    hours: np.ndarray
    eligible: np.ndarray
    skills: np.ndarray
    row_person: np.ndarray
    row_skill: np.ndarray
    row_closes: np.ndarray
    row_unique: np.ndarray
    starts: np.ndarray
    pool_size: int

    def rows_of(self, person: int) -> slice:
        return slice(self.starts[person], self.starts[person + 1])


def pool_rules(
    db: Database,
    *,
    min_hours: float | None = None,
    include_alumni: bool = False,
    pinned: Iterable[str] = (),
    excluded: Iterable[str] = (),
) -> PoolRules:
    """The rules of one request; the hours threshold defaults to `shortlist_min_hours`."""
    if min_hours is None:
        min_hours = current_settings(db)["shortlist_min_hours"]
    return PoolRules(
        min_hours=float(min_hours),
        include_alumni=bool(include_alumni),
        pinned=tuple(dict.fromkeys(pinned)),
        excluded=tuple(dict.fromkeys(excluded)),
    )


def candidate_matrix(db: Database, filters: Filters, rules: PoolRules) -> CandidateMatrix:
    """The candidate × skill rows that matter: target skills held at the required level and
    skills no active member holds (at level ≥ 3), for the eligible pool plus pinned people."""
    frame = db.df(
        named_sql("second_wave_pool"),
        {
            "as_of": filters.as_of,
            "no_department": NO_DEPARTMENT,
            "min_hours": float(rules.min_hours),
            "include_alumni": bool(rules.include_alumni),
            "excluded": list(rules.excluded),
            "pinned": list(rules.pinned),
            "unique_min_level": UNIQUE_MIN_LEVEL,
            **filters.member_params((MembershipStatus.ACTIVE,)),
        },
    )
    pool_size = int(frame["pool_size"].iloc[0])
    frame = frame[frame["person_id"].notna()]
    people = (
        frame[["person_id", "department", "hours_available", "eligible"]]
        .drop_duplicates("person_id")
        .sort_values(["hours_available", "person_id"], ascending=[False, True])
    )
    index = pd.Index(people["person_id"])
    rows = frame[frame["skill_id"].notna()]
    skills, skill_codes = np.unique(rows["skill_id"].to_numpy(dtype=str), return_inverse=True)
    person_codes = index.get_indexer(rows["person_id"])
    order = np.lexsort((skill_codes.reshape(-1), person_codes))
    row_person = person_codes[order]
    return CandidateMatrix(
        people=people["person_id"].to_numpy(dtype=str),
        department=people["department"].to_numpy(dtype=str),
        hours=people["hours_available"].to_numpy(dtype=float),
        eligible=people["eligible"].to_numpy(dtype=bool),
        skills=skills,
        row_person=row_person,
        row_skill=skill_codes.reshape(-1)[order],
        row_closes=rows["closes"].to_numpy(dtype=bool)[order],
        row_unique=rows["unique_skill"].to_numpy(dtype=bool)[order],
        starts=np.searchsorted(row_person, np.arange(len(people) + 1)),
        pool_size=pool_size,
    )


class WaveCoverage:
    """Remaining weighted gaps while a wave is assembled: f(S) = Σ_s w_s·min(gap_s, |S ∩ H_s|)
    + bonus·|skills no member holds that S brings|, and each pick's marginal gain."""

    def __init__(self, matrix: CandidateMatrix, coverage: pd.DataFrame, bonus: float):
        self.m = matrix
        targets = coverage.set_index("skill_id")
        ids = pd.Index(matrix.skills)
        self.remaining = np.array(ids.map(targets["gap"]).fillna(0), dtype=float)
        self.weight = np.array(ids.map(targets["weight"]).fillna(0), dtype=float)
        self.unique_open = np.ones(len(ids), dtype=bool)
        self.bonus = float(bonus)

    def _row_values(self, rows: slice | None = None) -> np.ndarray:
        rows = rows or slice(None)
        skill = self.m.row_skill[rows]
        closing = self.m.row_closes[rows] & (self.remaining[skill] > 0)
        adding = self.m.row_unique[rows] & self.unique_open[skill]
        return np.where(closing, self.weight[skill], 0.0) + np.where(adding, self.bonus, 0.0)

    def gains(self) -> np.ndarray:
        """The marginal gain of every candidate given the picks so far."""
        total = np.bincount(
            self.m.row_person, weights=self._row_values(), minlength=len(self.m.people)
        )
        return np.round(total, 9)

    def take(self, person: int) -> tuple[float, np.ndarray, np.ndarray]:
        """Add a person to the wave: their gain, the skills they close and the unique ones."""
        rows = self.m.rows_of(person)
        skill = self.m.row_skill[rows]
        closing = skill[self.m.row_closes[rows] & (self.remaining[skill] > 0)]
        adding = skill[self.m.row_unique[rows] & self.unique_open[skill]]
        gain = float(self.weight[closing].sum() + self.bonus * len(adding))
        self.remaining[closing] -= 1
        self.unique_open[adding] = False
        return gain, closing, adding


def hours_for_viewer(frame: pd.DataFrame, viewer: Viewer | None) -> pd.DataFrame:
    """A person's hours available stay with the roles that may see capacity."""
    if can(viewer, "see_person_capacity"):
        return frame
    return frame.drop(columns=["hours_available"])


def shortlist_candidates(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    min_hours: float | None = None,
    include_alumni: bool = False,
    limit: int = 500,
) -> pd.DataFrame:
    """The eligible candidates worth pinning or excluding: those holding at least one target
    skill at the required level or a skill no member holds, best first."""
    require(viewer, "see_shortlist")
    rules = pool_rules(db, min_hours=min_hours, include_alumni=include_alumni)
    matrix = candidate_matrix(db, filters, rules)
    coverage = coverage_by_skill(db, filters)
    gains = WaveCoverage(matrix, coverage, UNIQUE_BONUS).gains()
    held = np.bincount(
        matrix.row_person, weights=matrix.row_closes.astype(float), minlength=len(matrix.people)
    )
    order = np.lexsort((np.arange(len(gains)), -gains))[: int(limit)]
    ids = list(matrix.people[order])
    names = db.df(
        "SELECT person_id, name FROM people WHERE list_contains($ids::VARCHAR[], person_id)",
        {"ids": ids},
    ).set_index("person_id")["name"]
    frame = pd.DataFrame(
        {
            "person_id": ids,
            "name": [names.get(pid) or pid for pid in ids],
            "department": matrix.department[order],
            "hours_available": matrix.hours[order],
            "target_skills_held": held[order].astype(int),
            "gain": gains[order],
        }
    )
    return hours_for_viewer(frame, viewer)


def pool_supply(
    db: Database,
    filters: Filters,
    *,
    min_hours: float | None = None,
    include_alumni: bool = False,
) -> pd.Series:
    """Per target skill, how many eligible candidates hold it at the required level."""
    rules = pool_rules(db, min_hours=min_hours, include_alumni=include_alumni)
    matrix = candidate_matrix(db, filters, rules)
    mask = matrix.row_closes & matrix.eligible[matrix.row_person]
    counts = pd.Series(matrix.skills[matrix.row_skill[mask]]).value_counts()
    targets = target_skills(db)["skill_id"]
    return pd.Series(targets.map(counts).fillna(0).astype(int).to_numpy(), index=targets)
