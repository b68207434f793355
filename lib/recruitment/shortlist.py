"""The second-wave shortlist: K people from the pool who close the most priority-weighted gaps,
chosen greedily with a cap per department, then — when no candidate closes a gap any more — the
remaining places from the bench (`lib.recruitment.bench`); each pick with the reason it was
made, beside the naive top K by skills held and the coverage after the wave (SPEC.md §2).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lib.access import Viewer, require
from lib.errors import Problems, Refusal, Term
from lib.filters import Filters
from lib.recruitment.bench import bench_signals, choose_bench, shortfall
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.pool import (
    UNIQUE_BONUS,
    CandidateMatrix,
    PoolRules,
    WaveCoverage,
    candidate_matrix,
    hours_for_viewer,
    pool_rules,
)
from lib.recruitment.target import priority_weights, with_gaps
from lib.store.db import Database
from lib.vocabulary import MembershipStatus

MAX_SHORTLIST = 200

Pick = tuple[int, float, np.ndarray, np.ndarray, bool]


@dataclass(frozen=True)
class Shortlist:
    """The greedy second wave, the naive top-K list, coverage after the wave, headline numbers."""

    picks: pd.DataFrame
    naive: pd.DataFrame
    coverage_after: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def _check_options(size: int, max_per_department: int | None, rules: PoolRules) -> None:
    """Refuse a request the planner cannot mean: nothing is computed."""
    if not 1 <= int(size) <= MAX_SHORTLIST:
        raise Refusal("gaps.err_shortlist_size", high=MAX_SHORTLIST)
    if max_per_department is not None and int(max_per_department) < 0:
        raise Refusal("gaps.err_negative_cap")
    if max_per_department is not None and int(max_per_department) == 0:
        raise Refusal("gaps.err_zero_cap")
    if rules.min_hours < 0:
        raise Refusal("gaps.err_negative_min_hours")
    both = sorted(set(rules.pinned) & set(rules.excluded))
    if both:
        raise Refusal("gaps.err_pinned_and_excluded", people=", ".join(both))
    if len(set(rules.pinned)) > int(size):
        raise Refusal("gaps.err_too_many_pinned", pinned=len(set(rules.pinned)), size=int(size))


def _pin_refusals(db: Database, ids: Sequence[str], include_alumni: bool) -> list[Refusal]:
    """Why each of these pinned people cannot be proposed."""
    found = {
        r[0]: r[1:]
        for r in db.rows(
            "SELECT p.person_id, p.employed, m.status FROM people p "
            "LEFT JOIN memberships m USING (person_id) "
            "WHERE list_contains($ids::VARCHAR[], p.person_id)",
            {"ids": list(ids)},
        )
    }
    refusals = []
    for pid in ids:
        if pid not in found:
            refusals.append(Refusal("gaps.err_pin_unknown", person=pid))
        elif not found[pid][0]:
            refusals.append(Refusal("gaps.err_pin_not_employed", person=pid))
        elif found[pid][1] == MembershipStatus.ALUMNI and not include_alumni:
            refusals.append(Refusal("gaps.err_pin_alumnus", person=pid))
        else:
            status = Term(f"status.{found[pid][1]}")
            refusals.append(Refusal("gaps.err_pin_member", person=pid, status=status))
    return refusals


def _greedy(
    matrix: CandidateMatrix,
    coverage: pd.DataFrame,
    *,
    size: int,
    cap: int | None,
    pinned: Sequence[int],
    bonus: float,
) -> tuple[list[Pick], bool]:
    """Pinned people first, then the best marginal gain until K picks or nothing left to gain."""
    state = WaveCoverage(matrix, coverage, bonus)
    departments, dept_code = np.unique(matrix.department, return_inverse=True)
    per_dept = np.zeros(len(departments), dtype=int)
    taken = ~matrix.eligible.copy()
    picks = []
    for person in pinned:
        picks.append((person, *state.take(person), True))
        taken[person] = True
        per_dept[dept_code[person]] += 1
    stopped = False
    while len(picks) < size:
        gains = state.gains()
        blocked = taken | (per_dept[dept_code] >= cap) if cap else taken
        gains[blocked] = -1.0
        person = int(np.argmax(gains)) if len(gains) else -1
        if person < 0 or gains[person] <= 0:
            stopped = True
            break
        picks.append((person, *state.take(person), False))
        taken[person] = True
        per_dept[dept_code[person]] += 1
    return picks, stopped


def _naive(
    matrix: CandidateMatrix, coverage: pd.DataFrame, *, size: int, cap: int | None
) -> list[Pick]:
    """Top K eligible candidates by the number of target skills held at the required level."""
    held = np.bincount(
        matrix.row_person, weights=matrix.row_closes.astype(float), minlength=len(matrix.people)
    )
    order = np.argsort(-held, kind="stable")
    state = WaveCoverage(matrix, coverage, 0.0)
    counts: dict[str, int] = {}
    chosen = []
    for person in order:
        if len(chosen) >= size or held[person] <= 0:
            break
        dept = matrix.department[person]
        if not matrix.eligible[person] or (cap and counts.get(dept, 0) >= cap):
            continue
        counts[dept] = counts.get(dept, 0) + 1
        chosen.append((int(person), *state.take(int(person)), False))
    return chosen


def _picks_frame(
    db: Database,
    matrix: CandidateMatrix,
    picks: list[Pick],
    names: dict[str, str],
    coverage: pd.DataFrame,
) -> pd.DataFrame:
    """One row per pick with its reason; skill lists are names."""
    ids = [matrix.people[p] for p, *_ in picks]
    people = db.df(
        "SELECT person_id, name, position FROM people "
        "WHERE list_contains($ids::VARCHAR[], person_id)",
        {"ids": ids},
    ).set_index("person_id")
    weight = coverage.set_index("skill_id")["weight"]
    rows = []
    for rank, (person, gain, closing, adding, pinned) in enumerate(picks, start=1):
        pid = matrix.people[person]
        closes = [names[matrix.skills[s]] for s in closing]
        unique = [names[matrix.skills[s]] for s in adding]
        rows.append(
            {
                "rank": rank,
                "person_id": pid,
                "name": people["name"].get(pid) or pid,
                "department": matrix.department[person],
                "position": people["position"].get(pid),
                "hours_available": float(matrix.hours[person]),
                "pinned": pinned,
                "gain": round(gain, 4),
                "gap_closed": float(sum(weight.get(matrix.skills[s], 0.0) for s in closing)),
                "closes": closes,
                "adds_unique": unique,
                "reason": reason_text(closes, unique, pinned),
                "basis": "closes_gap" if closes or unique or not pinned else "pinned",
                "near_gaps": [],
                "rare_skills": [],
                "events_attended": 0,
            }
        )
    return pd.DataFrame(rows, columns=PICK_COLUMNS)


PICK_COLUMNS = [
    "rank",
    "person_id",
    "name",
    "department",
    "position",
    "hours_available",
    "pinned",
    "gain",
    "gap_closed",
    "closes",
    "adds_unique",
    "reason",
    "basis",
    "near_gaps",
    "rare_skills",
    "events_attended",
]


def _bench_frame(
    db: Database, bench: pd.DataFrame, names: dict[str, str], first_rank: int
) -> pd.DataFrame:
    """The bench picks as shortlist rows, skill lists as names."""
    if bench.empty:
        return pd.DataFrame(columns=PICK_COLUMNS)
    people = db.df(
        "SELECT person_id, name, position FROM people "
        "WHERE list_contains($ids::VARCHAR[], person_id)",
        {"ids": bench["person_id"].tolist()},
    ).set_index("person_id")
    rows = []
    for offset, row in enumerate(bench.itertuples(index=False)):
        near = [names.get(s, s) for s in row.near_gaps]
        rare = [names.get(s, s) for s in row.rare_new]
        rows.append(
            {
                "rank": first_rank + offset,
                "person_id": row.person_id,
                "name": people["name"].get(row.person_id) or row.person_id,
                "department": row.department,
                "position": people["position"].get(row.person_id),
                "hours_available": float(row.hours_available),
                "pinned": False,
                "gain": 0.0,
                "gap_closed": 0.0,
                "closes": [],
                "adds_unique": [],
                "reason": bench_reason_text(near, rare, int(row.events)),
                "basis": "bench",
                "near_gaps": near,
                "rare_skills": rare,
                "events_attended": int(row.events),
            }
        )
    return pd.DataFrame(rows, columns=PICK_COLUMNS)


def bench_reason_text(near: Sequence[str], rare: Sequence[str], events: int) -> str:
    """'strengthens the bench: one level below X; rare: Y; 2 club events' (exports, CLI)."""
    parts = []
    if near:
        parts.append("one level below " + ", ".join(near))
    if rare:
        parts.append("rare: " + ", ".join(rare))
    if events:
        parts.append(f"{events} club events attended")
    return "strengthens the bench" + (": " + "; ".join(parts) if parts else ": hours available")


def reason_text(closes: Sequence[str], unique: Sequence[str], pinned: bool = False) -> str:
    """'closes: X, Y; adds unique: Z' — the plain-text reason used in exports and the CLI."""
    parts = ["pinned"] if pinned else []
    if closes:
        parts.append("closes: " + ", ".join(closes))
    if unique:
        parts.append("adds unique: " + ", ".join(unique))
    if not closes and not unique:
        parts.append("closes no open gap")
    return "; ".join(parts)


def _coverage_after(
    matrix: CandidateMatrix, coverage: pd.DataFrame, picks: list, weights: dict[str, float]
) -> pd.DataFrame:
    """Every target skill before and after the wave joins."""
    chosen = np.zeros(len(matrix.people), dtype=bool)
    chosen[[p for p, *_ in picks]] = True
    mask = matrix.row_closes & chosen[matrix.row_person]
    added = pd.Series(matrix.skills[matrix.row_skill[mask]]).value_counts()
    out = coverage.rename(columns={"coverage": "coverage_before", "gap": "gap_before"}).copy()
    out["added"] = out["skill_id"].map(added).fillna(0).astype(int)
    out["coverage_after"] = out["coverage_before"] + out["added"]
    after = with_gaps(out, weights, "coverage_after")
    out["gap_after"] = after["gap"]
    out["weighted_gap_before"] = out["weighted_gap"]
    out["weighted_gap_after"] = after["weighted_gap"]
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "min_level",
        "min_people",
        "coverage_before",
        "added",
        "coverage_after",
        "gap_before",
        "gap_after",
        "weighted_gap_before",
        "weighted_gap_after",
    ]
    return out[columns]


def _summary(
    coverage: pd.DataFrame,
    matrix: CandidateMatrix,
    rules: PoolRules,
    picks: list[Pick],
    stopped: bool,
    after: pd.DataFrame,
    naive_after: pd.DataFrame,
    *,
    size: int,
    cap: int | None,
) -> dict[str, Any]:
    """Headline numbers of a shortlist beside the naive top K."""
    before = float(coverage["weighted_gap"].sum())
    return {
        "pool_size": matrix.pool_size,
        "relevant_candidates": int(np.count_nonzero(matrix.eligible)),
        "size": size,
        "picked": len(picks),
        "pinned": len(rules.pinned),
        "stopped_early": stopped,
        "weighted_gap_before": before,
        "weighted_gap_after": float(after["weighted_gap_after"].sum()),
        "gap_closed": before - float(after["weighted_gap_after"].sum()),
        "naive_gap_closed": before - float(naive_after["weighted_gap_after"].sum()),
        "seats_closed": int((after["gap_before"] - after["gap_after"]).sum()),
        "naive_seats_closed": int((naive_after["gap_before"] - naive_after["gap_after"]).sum()),
        "unique_added": int(sum(len(p[3]) for p in picks)),
        "min_hours": rules.min_hours,
        "max_per_department": cap,
        "include_alumni": rules.include_alumni,
    }


def shortlist_second_wave(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    size: int = 20,
    max_per_department: int | None = None,
    min_hours: float | None = None,
    include_alumni: bool = False,
    pinned: Iterable[str] = (),
    excluded: Iterable[str] = (),
    unique_bonus: float = UNIQUE_BONUS,
) -> Shortlist:
    """Choose up to K people for the second wave who close the most priority-weighted gaps.

    Candidates are employed people who are not current members (alumni only when allowed),
    with latest-month hours available ≥ `min_hours` (setting `shortlist_min_hours`). A candidate
    holding a target skill at its required level closes one seat of that skill's remaining
    gap; skills no active member holds earn a small bonus once. This objective is a monotone
    submodular coverage function, so the greedy choice is within (1 − 1/e) of the best set of K;
    with a cap per department (a partition matroid) greedy still guarantees 1/2. Pinned people
    go in first, excluded ones never. Greedy stops early once no candidate adds anything.
    """
    require(viewer, "see_shortlist")
    started = time.perf_counter()
    rules = pool_rules(
        db,
        min_hours=min_hours,
        include_alumni=include_alumni,
        pinned=pinned,
        excluded=excluded,
    )
    cap = int(max_per_department) if max_per_department else None
    _check_options(size, max_per_department, rules)
    size = int(size)
    coverage = coverage_by_skill(db, filters)
    matrix = candidate_matrix(db, filters, rules)
    picks, stopped = _greedy(
        matrix,
        coverage,
        size=size,
        cap=cap,
        pinned=_pinned_positions(db, matrix, rules),
        bonus=unique_bonus,
    )
    naive = _naive(matrix, coverage, size=size, cap=cap)
    weights = priority_weights(db)
    after = _coverage_after(matrix, coverage, picks, weights)
    naive_after = _coverage_after(matrix, coverage, naive, weights)
    bench, eligible_left = _fill_from_bench(
        db, filters, rules, matrix, coverage, after, picks, size=size, cap=cap
    )
    names = _skill_names(db, [*matrix.skills, *_bench_skills(bench)])
    summary = _summary(
        coverage, matrix, rules, picks, stopped, after, naive_after, size=size, cap=cap
    )
    _count_places(summary, len(picks), len(bench), eligible_left, size=size, cap=cap)
    chosen = pd.concat(
        [
            _picks_frame(db, matrix, picks, names, coverage),
            _bench_frame(db, bench, names, len(picks) + 1),
        ],
        ignore_index=True,
    )
    result = Shortlist(
        picks=hours_for_viewer(chosen, viewer),
        naive=hours_for_viewer(
            _picks_frame(db, matrix, naive, names, coverage).drop(
                columns=["pinned", "adds_unique"]
            ),
            viewer,
        ),
        coverage_after=after.reset_index(drop=True),
        summary=summary,
    )
    summary["seconds"] = time.perf_counter() - started
    return result


def _count_places(
    summary: dict, closing: int, bench: int, left: int, *, size: int, cap: int | None
) -> None:
    """How the places were filled, and why fewer than asked for when they were."""
    summary.update(
        closing_picks=closing,
        bench_picks=bench,
        picked=closing + bench,
        eligible_left=left,
        shortfall=shortfall(left, closing + bench, size, cap),
    )


def _pinned_positions(db: Database, matrix: CandidateMatrix, rules: PoolRules) -> list[int]:
    """The pinned people's rows of the matrix; every pin that cannot be proposed is refused,
    all of them in one message."""
    positions = pd.Index(matrix.people).get_indexer(list(rules.pinned))
    missing = [pid for pid, at in zip(rules.pinned, positions, strict=True) if at < 0]
    if missing:
        refusals = _pin_refusals(db, missing, rules.include_alumni)
        raise Problems(refusals, "gaps.err_cannot_pin", separator="; ")
    return [int(at) for at in positions]


def _fill_from_bench(
    db: Database,
    filters: Filters,
    rules: PoolRules,
    matrix: CandidateMatrix,
    coverage: pd.DataFrame,
    after: pd.DataFrame,
    picks: list[Pick],
    *,
    size: int,
    cap: int | None,
) -> tuple[pd.DataFrame, int]:
    """The bench picks for the places the gap-closing picks left, and how many eligible people
    were still left over after them."""
    if len(picks) >= size:
        return pd.DataFrame(), 0
    weight = coverage.set_index("skill_id")["weight"]
    still_open = after[after["gap_after"] > 0][["skill_id", "min_level"]]
    open_gaps = still_open.assign(weight=still_open["skill_id"].map(weight).fillna(0.0))
    taken = [str(matrix.people[p]) for p, *_ in picks]
    signals = bench_signals(db, filters, rules, open_gaps, taken)
    per_department = Counter(str(matrix.department[p]) for p, *_ in picks)
    picked = np.zeros(len(matrix.people), dtype=bool)
    picked[[p for p, *_ in picks]] = True
    brought = set(matrix.skills[matrix.row_skill[picked[matrix.row_person]]])
    bench = choose_bench(
        signals,
        places=size - len(picks),
        cap=cap,
        per_department=dict(per_department),
        brought=brought,
    )
    return bench, len(signals) - len(bench)


def _bench_skills(bench: pd.DataFrame) -> list[str]:
    if bench.empty:
        return []
    return sorted({s for column in ("near_gaps", "rare_new") for v in bench[column] for s in v})


def _skill_names(db: Database, skill_ids: Sequence[str]) -> dict[str, str]:
    """Skill id → name (the id where the taxonomy has no name)."""
    found = dict(
        db.rows(
            "SELECT skill_id, name FROM skills WHERE list_contains($ids::VARCHAR[], skill_id)",
            {"ids": list(skill_ids)},
        )
    )
    return {sid: found.get(sid) or sid for sid in skill_ids}
