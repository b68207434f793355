"""The action-plan constructor: from the club's situation, goals and budget to a costed plan of
mechanics, tracked after it is saved.

- The catalogue of mechanics (onboarding day, buddy, … offboarding conversation) lives in
  `plan_mechanics`: costs, curator hours, the goals each serves with a strength 0-1, the
  target group rule and a default expected effect. Curators edit it; every save is audited.
- The situation is read from the data (engagement scores, lifecycle funnel, coverage).
- Effects are in one unit everywhere: extra activities per targeted member in the 60 days
  after, against a comparison group (difference in differences, as `rituals`). A mechanic's
  default is replaced by the effect measured in this club's history (recognitions, events,
  and the follow-up of saved plans) when at least `MIN_CASES` cases back it.
- The plan is a knapsack, solved by `knapsack` (see there for the method).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.engagement.lifecycle import funnel
from lib.engagement.rituals import (
    IMPACT_DAYS,
    activity_change_sql,
    impact_by_kind,
    recognition_impact,
)
from lib.engagement.scoring import member_scores, scores_at, snapshot_params
from lib.filters import Filters
from lib.insights.interviews import OTHER, merge_small_segments
from lib.io.reports import report
from lib.recruitment.gaps import coverage_by_skill, single_points
from lib.settings import current_settings
from lib.store.db import Database, named_sql

GOALS = (
    "revive_dormant",
    "onboarding_conversion",
    "skill_growth",
    "external_visibility",
    "retention",
)
TARGET_RULES = (
    "newcomers",
    "dormant_with_capacity",
    "at_risk",
    "not_recognised",
    "sole_holders",
    "with_capacity",
    "active_members",
    "paused",
)
RECOGNITION_KINDS = ("merch", "award", "thanks", "sponsored_conference")
EVENT_KINDS = (
    "meetup",
    "generation_session",
    "demo_day",
    "onboarding_day",
    "offsite",
    "conference",
)
EVIDENCE = tuple(
    [f"recognition:{k}" for k in RECOGNITION_KINDS] + [f"event:{k}" for k in EVENT_KINDS]
)
LINE_STATUSES = ("planned", "done", "cancelled")
MEASURED, DEFAULT = "measured", "default"
MIN_CASES = 20
EFFECT_DAYS = IMPACT_DAYS
EVIDENCE_MONTHS = 24
SIZE_STEPS = (5, 10, 20, 40, 80, 160)
DEFAULT_BUDGET = 3_000_000.0
DEFAULT_HOURS = 160.0
MONEY_STEPS = 2000
HOUR_STEPS = 400
HOUR_RESOLUTION = 0.25
MONEY_RESOLUTION = 1.0
MAX_COST = 1e9
MAX_HOURS = 10_000.0
MAX_EFFECT = 100.0
MAX_NAME = 200
DAYS_PER_MONTH = 30.4375
# Who may see which members a plan targets: the same staff who follow up on people.
TARGETS_PERMISSION = "see_person_capacity"
CURRENT_STATUSES = ("active", "onboarding", "paused")
EVIDENCE_STATUSES = ("onboarding", "active", "paused", "alumni")
SITUATION_SOURCES = {
    "dormant_share": "engagement",
    "at_risk_share": "engagement",
    "not_recognised": "engagement",
    "onboarding_conversion": "engagement",
    "must_below_target": "recruitment_gaps",
    "bus_factor_one": "recruitment_gaps",
    "upcoming_wave": "engagement",
}
CATALOGUE_COLUMNS = (
    "mechanic_id",
    "name",
    "active",
    "target_rule",
    "max_people",
    "fixed_cost",
    "cost_per_person",
    "fixed_hours",
    "hours_per_person",
    "default_effect",
    "evidence",
    *GOALS,
)
_COST_COLUMNS = ("fixed_cost", "cost_per_person", "fixed_hours", "hours_per_person")


# -- the catalogue ------------------------------------------------------------------------------
def catalogue(db: Database) -> pd.DataFrame:
    """Every mechanic of the catalogue, in its order."""
    return db.df(
        f"SELECT mechanic_id, position, seeded, {', '.join(CATALOGUE_COLUMNS[1:])}, "
        "changed_at, changed_by FROM plan_mechanics ORDER BY position, mechanic_id"
    )


def mechanic_name(mechanic_id: str, name: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A curator's own name for a mechanic, else the catalogue's name in the reader's language."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    key = f"plan.mechanic_{mechanic_id}"
    text = i18n.t(key, lang)
    return mechanic_id if text == key else text


def rule_name(rule: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t(f"plan.rule_{rule}", lang)


def goal_name(goal: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t(f"plan.goal_{goal}", lang)


def catalogue_table(db: Database, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The catalogue as curators edit it: names in the reader's language."""
    frame = catalogue(db)
    frame["name"] = [
        mechanic_name(m, n, lang) for m, n in zip(frame["mechanic_id"], frame["name"], strict=True)
    ]
    return frame[list(CATALOGUE_COLUMNS)].reset_index(drop=True)


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(value: Any, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or not low <= number <= high:
        return None
    return number


def _evidence_list(value: Any) -> list[str]:
    if _blank(value):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _seeded_names(mechanic_id: str) -> set[str]:
    return {mechanic_name(mechanic_id, None, lang).lower() for lang in i18n.LANGUAGES}


def validate_catalogue(existing: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Check an edited catalogue against the stored one and return the rows to store; every
    problem is listed in one ValueError, rows counted from 1."""
    missing = [c for c in CATALOGUE_COLUMNS[1:] if c not in frame.columns]
    if missing:
        raise ValueError(f"The catalogue needs the columns: {', '.join(missing)}.")
    if "mechanic_id" not in frame.columns:
        frame = frame.assign(mechanic_id=None)
    stored = existing.set_index("mechanic_id")
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    next_custom = 1 + max(
        [int(m[7:]) for m in stored.index if re.fullmatch(r"custom_\d+", m)] or [0]
    )
    for number, record in enumerate(frame.to_dict("records"), start=1):
        if all(_blank(record.get(c)) for c in CATALOGUE_COLUMNS if c != "active"):
            continue
        mechanic_id = record.get("mechanic_id")
        name = None if _blank(record.get("name")) else str(record["name"]).strip()
        if _blank(mechanic_id):
            mechanic_id = f"custom_{next_custom}"
            next_custom += 1
        elif mechanic_id not in stored.index:
            errors.append(f"Row {number}: unknown mechanic '{mechanic_id}'.")
            continue
        if mechanic_id in seen:
            errors.append(f"Row {number}: '{mechanic_id}' is listed twice.")
            continue
        seen.add(mechanic_id)
        seeded = bool(stored.loc[mechanic_id, "seeded"]) if mechanic_id in stored.index else False
        if seeded and name and name.lower() in _seeded_names(mechanic_id):
            name = None
        if not seeded and not name:
            errors.append(f"Row {number}: a new mechanic needs a name.")
        if name and len(name) > MAX_NAME:
            errors.append(f"Row {number}: the name is longer than {MAX_NAME} characters.")
        rule = record.get("target_rule")
        if rule not in TARGET_RULES:
            errors.append(
                f"Row {number}: the target group must be one of {', '.join(TARGET_RULES)}."
            )
        clean: dict[str, Any] = {"mechanic_id": mechanic_id, "name": name, "seeded": seeded}
        clean["target_rule"] = rule
        clean["active"] = True if _blank(record.get("active")) else bool(record["active"])
        if _blank(record.get("max_people")):
            clean["max_people"] = None
        else:
            people = _number(record.get("max_people"), 1, 100_000)
            if people is None or people != int(people):
                errors.append(f"Row {number}: the group size limit must be a whole number ≥ 1.")
            clean["max_people"] = None if people is None else int(people)
        for column in _COST_COLUMNS:
            high = MAX_COST if column.endswith("cost") or column == "cost_per_person" else MAX_HOURS
            value = 0.0 if _blank(record.get(column)) else _number(record.get(column), 0, high)
            if value is None:
                errors.append(
                    f"Row {number}: {column.replace('_', ' ')} must be from 0 to {high:g}."
                )
            clean[column] = value
        effect = _number(record.get("default_effect"), -MAX_EFFECT, MAX_EFFECT)
        if effect is None:
            errors.append(
                f"Row {number}: the default effect must be a number within ±{MAX_EFFECT:g}."
            )
        clean["default_effect"] = effect
        evidence = _evidence_list(record.get("evidence"))
        unknown = [e for e in evidence if e not in EVIDENCE]
        if unknown:
            errors.append(
                f"Row {number}: unknown evidence {', '.join(unknown)}; use {', '.join(EVIDENCE)}."
            )
        clean["evidence"] = ",".join(evidence) or None
        for goal in GOALS:
            strength = 0.0 if _blank(record.get(goal)) else _number(record.get(goal), 0, 1)
            if strength is None:
                errors.append(f"Row {number}: the strength for {goal} must be from 0 to 1.")
            clean[goal] = strength
        rows.append(clean)
    removed = [m for m in stored.index if m not in seen]
    for mechanic_id in removed:
        if bool(stored.loc[mechanic_id, "seeded"]):
            errors.append(
                f"'{mechanic_id}' is part of the standard catalogue: switch it off instead of "
                "deleting it."
            )
    if errors:
        shown = errors[:10] + ([f"… and {len(errors) - 10} more."] if len(errors) > 10 else [])
        raise ValueError("\n".join(shown))
    return pd.DataFrame(rows)


def save_catalogue(db: Database, viewer: Viewer | None, frame: pd.DataFrame) -> dict[str, int]:
    """Replace the catalogue with an edited one (curators and admins), in one transaction with
    an audit_log row; returns the inserted, updated and deleted counts."""
    access.require(viewer, "edit_plan")
    existing = catalogue(db)
    clean = validate_catalogue(existing, frame)
    old = existing.set_index("mechanic_id")
    compared = ["name", "active", "target_rule", "max_people", *_COST_COLUMNS, "default_effect"]
    compared += ["evidence", *GOALS]
    inserted = updated = 0
    for record in clean.to_dict("records"):
        if record["mechanic_id"] not in old.index:
            inserted += 1
            continue
        prior = old.loc[record["mechanic_id"]]
        updated += any(
            not (_blank(record[c]) and _blank(prior[c])) and record[c] != prior[c] for c in compared
        )
    deleted = int((~old.index.isin(clean["mechanic_id"])).sum())
    positions = {
        m: int(p) for m, p in zip(existing["mechanic_id"], existing["position"], strict=True)
    }
    columns = ["mechanic_id", "position", "seeded", *CATALOGUE_COLUMNS[1:], "changed_by"]
    values = []
    last = max(positions.values(), default=0)
    for record in clean.to_dict("records"):
        if record["mechanic_id"] not in positions:
            last += 1
            positions[record["mechanic_id"]] = last
        record["position"] = positions[record["mechanic_id"]]
        record["changed_by"] = viewer.actor
        if not _blank(record["max_people"]):
            record["max_people"] = int(record["max_people"])
        values.append([None if _blank(record[c]) else record[c] for c in columns])
    with db.transaction() as cur:
        cur.execute("DELETE FROM plan_mechanics")
        cur.executemany(
            f"INSERT INTO plan_mechanics ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            values,
        )
        db.audit(
            "plan_catalogue",
            actor=viewer.actor,
            kind="plan_mechanics",
            detail=f"{len(clean)} mechanics; {deleted} removed",
            inserted=inserted,
            updated=updated,
            cur=cur,
        )
    return {"inserted": inserted, "updated": updated, "deleted": deleted, "mechanics": len(clean)}


# -- the situation ------------------------------------------------------------------------------
def _not_recognised(
    db: Database, scores: pd.DataFrame, as_of: date, settings: dict[str, Any]
) -> pd.DataFrame:
    """Current members not recognised for `recognition_gap_days` (or never), busiest first.

    The same rule as `rituals.recognition_gaps`, which needs a staff viewer; the planner also
    needs the count for leadership, so it reads it here without names leaving the module."""
    last = db.df(
        "SELECT person_id, max(date) AS last_recognised FROM recognitions WHERE date <= ? "
        "GROUP BY ALL",
        [as_of],
    )
    out = scores.merge(last, on="person_id", how="left")
    since = (pd.Timestamp(as_of) - pd.to_datetime(out["last_recognised"])).dt.days
    overdue = out["last_recognised"].isna() | (since >= int(settings["recognition_gap_days"]))
    return (
        out[overdue.to_numpy()]
        .sort_values(["index", "person_id"], ascending=[False, True])
        .reset_index(drop=True)
    )


def _newcomers(db: Database, filters: Filters) -> pd.DataFrame:
    """Candidates and members in onboarding: the wave coming in, onboarding first, longest
    waiting first."""
    where, params = filters.member_clause("p", "m")
    return db.df(
        f"""
        SELECT m.person_id, coalesce(p.name, m.person_id) AS name, p.department, m.wave,
               m.status, m.joined_on
        FROM memberships m JOIN people p USING (person_id)
        WHERE m.status IN ('candidate', 'onboarding') AND {where}
        ORDER BY CASE m.status WHEN 'onboarding' THEN 0 ELSE 1 END, m.joined_on NULLS LAST,
                 m.person_id
        """,
        params,
    )


@dataclass(frozen=True)
class ClubState:
    """What the situation and the target groups are read from, computed once."""

    scores: pd.DataFrame
    not_recognised: pd.DataFrame
    newcomers: pd.DataFrame
    coverage: pd.DataFrame
    sole_holders: pd.DataFrame
    funnel: pd.DataFrame
    min_hours: float
    window_days: int


def club_state(db: Database, filters: Filters, settings: dict[str, Any] | None = None) -> ClubState:
    """Engagement scores, overdue recognitions, newcomers, coverage and the funnel."""
    settings = settings or current_settings(db)
    scores = member_scores(db, filters, settings=settings)
    return ClubState(
        scores=scores,
        not_recognised=_not_recognised(db, scores, filters.as_of, settings),
        newcomers=_newcomers(db, filters),
        coverage=coverage_by_skill(db, filters),
        sole_holders=single_points(db, filters),
        funnel=funnel(db, filters),
        min_hours=float(settings["shortlist_min_hours"]),
        window_days=int(settings["window_days"]),
    )


def situation(db: Database, filters: Filters, *, state: ClubState | None = None) -> pd.DataFrame:
    """The club's situation in seven numbers, each with its count, base and source page:
    dormant and at-risk shares, members not recognised for long, onboarding → active
    conversion, must-have skills below target, bus-factor-1 skills, the upcoming wave."""
    state = state or club_state(db, filters)
    scores, coverage = state.scores, state.coverage
    members = len(scores)
    conversion = state.funnel.set_index("stage")
    onboarded = int(conversion.loc["onboarding", "reached"])
    activated = int(conversion.loc["active", "reached"])
    must = coverage[coverage["priority"] == "must"]
    rows = [
        ("dormant_share", int((scores["level"] == "dormant").sum()), members),
        ("at_risk_share", int(scores["at_risk"].fillna(False).astype(bool).sum()), members),
        ("not_recognised", len(state.not_recognised), members),
        ("onboarding_conversion", activated, onboarded),
        ("must_below_target", int((must["gap"] > 0).sum()), len(must)),
        ("bus_factor_one", int((coverage["coverage"] == 1).sum()), len(coverage)),
        ("upcoming_wave", len(state.newcomers), None),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "count", "base"])
    frame["value"] = [
        c / b if b else (None if b is not None else float(c))
        for c, b in zip(frame["count"], frame["base"], strict=True)
    ]
    frame["source"] = frame["indicator"].map(SITUATION_SOURCES)
    return frame[["indicator", "value", "count", "base", "source"]]


def suggested_weights(situation_frame: pd.DataFrame) -> dict[str, float]:
    """Goal weights the situation suggests: 1 + 2 × severity, rounded to 0.5, where severity
    is the dormant share (revive), the at-risk share (retention), the onboarding drop-off when
    a wave is coming, and the share of must-have skills below target (skill growth); external
    visibility, the club's purpose, stays at 2."""
    values = situation_frame.set_index("indicator")["value"]
    counts = situation_frame.set_index("indicator")["count"]

    def share(indicator: str) -> float:
        value = values.get(indicator)
        return 0.0 if value is None or pd.isna(value) else float(value)

    conversion = values.get("onboarding_conversion")
    drop_off = 0.5 if conversion is None or pd.isna(conversion) else 1 - float(conversion)
    severity = {
        "revive_dormant": share("dormant_share"),
        "onboarding_conversion": drop_off if counts.get("upcoming_wave", 0) else 0.0,
        "skill_growth": share("must_below_target"),
        "external_visibility": 0.5,
        "retention": share("at_risk_share"),
    }
    return {g: round(2 * (1 + 2 * min(max(severity[g], 0.0), 1.0))) / 2 for g in GOALS}


# -- who each mechanic can target ------------------------------------------------------------
def target_groups(state: ClubState) -> pd.DataFrame:
    """Every target group rule with its members in priority order (rank 1 = first to invite).

    newcomers: candidates and members in onboarding · dormant_with_capacity: active members
    who are dormant and have at least the shortlist's hours a month, most hours first ·
    at_risk: biggest index fall first · not_recognised: busiest first · sole_holders: holders
    of a bus-factor-1 target skill, most such skills first · with_capacity: active, not dormant
    members with those hours, most hours first · active_members: active members by index ·
    paused: paused members, most recently active first."""
    scores = state.scores.copy()
    scores["fall"] = scores["previous_index"] - scores["index"]
    monthly_hours = scores["hours_available"].fillna(0) * DAYS_PER_MONTH / state.window_days
    capacity_ok = monthly_hours >= state.min_hours
    dormant = scores["level"] == "dormant"
    active = scores["status"] == "active"
    sole_counts = state.sole_holders.groupby("person_id")["skill_id"].nunique()
    scores["sole_skills"] = scores["person_id"].map(sole_counts).fillna(0).astype(int)
    groups = {
        "newcomers": state.newcomers,
        "dormant_with_capacity": scores[active & dormant & capacity_ok].sort_values(
            ["hours_available", "person_id"], ascending=[False, True]
        ),
        "at_risk": scores[scores["at_risk"].fillna(False).astype(bool)].sort_values(
            ["fall", "person_id"], ascending=[False, True]
        ),
        "not_recognised": state.not_recognised,
        "sole_holders": scores[scores["sole_skills"] > 0].sort_values(
            ["sole_skills", "index", "person_id"], ascending=[False, False, True]
        ),
        "with_capacity": scores[active & ~dormant & capacity_ok].sort_values(
            ["hours_available", "person_id"], ascending=[False, True]
        ),
        "active_members": scores[active].sort_values(
            ["index", "person_id"], ascending=[False, True]
        ),
        "paused": scores[scores["status"] == "paused"].sort_values(
            ["last_contribution", "person_id"], ascending=[False, True], na_position="last"
        ),
    }
    frames = []
    for rule in TARGET_RULES:
        group = groups[rule]
        level = group["level"] if "level" in group else pd.Series(None, index=group.index)
        frames.append(
            pd.DataFrame(
                {
                    "rule": rule,
                    "rank": range(1, len(group) + 1),
                    "person_id": group["person_id"].to_numpy(),
                    "name": group["name"].fillna(group["person_id"]).to_numpy(),
                    "department": group["department"].to_numpy(),
                    "status": group["status"].to_numpy(),
                    "level": level.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# -- measured effects -----------------------------------------------------------------------------
def event_cases(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = EFFECT_DAYS,
) -> pd.DataFrame:
    """Every attendance of an event of the period with complete windows: the member's
    activities in the `days` before and after the event, and the same for their comparison
    group (same wave and level at the end of the month before, in the club throughout, at no
    event of that kind in those days). One row per member × event; the analogue of
    `rituals.recognition_cases` for events."""
    settings = settings or current_settings(db)
    first, last = filters.period_start, filters.as_of - timedelta(days=days - 1)
    columns = ["person_id", "event_id", "held_on", "kind", "wave", "level", "before", "after"]
    columns += ["peers", "peer_before", "peer_after", "effect"]
    level_dates = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT (date_trunc('month', date) - INTERVAL 1 DAY)::DATE FROM events "
            "WHERE date >= ? AND date <= ? ORDER BY 1",
            [first, last],
        )
    ]
    if not level_dates:
        return pd.DataFrame(columns=columns)
    sql = f"""
    WITH levels AS (SELECT taken_on, person_id, level FROM ({named_sql("snapshot_scores")})),
    members AS (
        SELECT person_id, name, department, wave, status
        FROM club_members($statuses, $departments, $waves)
    ),
    spans AS (
        SELECT s.person_id, s.started_on, s.alumni_on
        FROM stage_dates s SEMI JOIN members mb USING (person_id)
    ),
    window_days AS (SELECT $impact_days::INTEGER AS days),
    held AS (SELECT event_id, date, kind FROM events WHERE date >= $first AND date <= $last),
    cases AS (
        SELECT a.person_id, h.event_id, h.date AS held_on, h.kind, mb.wave,
               (date_trunc('month', h.date) - INTERVAL 1 DAY)::DATE AS level_on
        FROM attendance a
        JOIN held h USING (event_id)
        JOIN members mb USING (person_id)
        JOIN spans s USING (person_id)
        CROSS JOIN window_days w
        WHERE s.started_on <= h.date - w.days
          AND (s.alumni_on IS NULL OR s.alumni_on >= h.date + w.days)
    ),
    case_levels AS (
        SELECT c.*, l.level FROM cases c
        JOIN levels l ON l.person_id = c.person_id AND l.taken_on = c.level_on
    ),
    cells AS (SELECT DISTINCT held_on, kind, wave, level_on, level FROM case_levels),
    peers AS (
        SELECT c.held_on, c.kind, c.wave, c.level, l.person_id AS peer_id
        FROM cells c
        CROSS JOIN window_days w
        JOIN levels l ON l.taken_on = c.level_on AND l.level = c.level
        JOIN members pm ON pm.person_id = l.person_id AND pm.wave = c.wave
        JOIN spans s ON s.person_id = l.person_id
        WHERE s.started_on <= c.held_on - w.days
          AND (s.alumni_on IS NULL OR s.alumni_on >= c.held_on + w.days)
          AND NOT EXISTS (
              SELECT 1 FROM attendance a JOIN events e USING (event_id)
              WHERE a.person_id = l.person_id AND e.kind = c.kind
                AND e.date > c.held_on - w.days AND e.date < c.held_on + w.days
          )
    ),
    lookups AS (
        SELECT DISTINCT person_id, held_on FROM case_levels
        UNION
        SELECT DISTINCT peer_id, held_on FROM peers
    ),
    {activity_change_sql("held_on")},
    peer_change AS (
        SELECT p.held_on, p.kind, p.wave, p.level, count(*) AS peers,
               avg(k.before) AS peer_before, avg(k.after) AS peer_after
        FROM peers p
        JOIN counts k ON k.person_id = p.peer_id AND k.held_on = p.held_on
        GROUP BY ALL
    )
    SELECT c.person_id, c.event_id, c.held_on, c.kind, c.wave, c.level, k.before, k.after,
           coalesce(pc.peers, 0) AS peers, pc.peer_before, pc.peer_after,
           (k.after - k.before) - (pc.peer_after - pc.peer_before) AS effect
    FROM case_levels c
    JOIN counts k ON k.person_id = c.person_id AND k.held_on = c.held_on
    LEFT JOIN peer_change pc
      ON pc.held_on = c.held_on AND pc.kind = c.kind AND pc.wave = c.wave AND pc.level = c.level
    ORDER BY c.held_on, c.event_id, c.person_id
    """
    query_params = {
        **snapshot_params(settings, level_dates),
        **filters.member_params(EVIDENCE_STATUSES),
        "impact_days": days,
        "first": first,
        "last": last,
    }
    return db.df(sql, query_params)[columns]


def event_impact(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = EFFECT_DAYS,
) -> pd.DataFrame:
    """Per event kind: matched cases, unmatched cases and the average effect of attending."""
    return impact_by_kind(event_cases(db, filters, settings=settings, days=days))


def follow_up_evidence(db: Database) -> pd.DataFrame:
    """Per mechanic, the measured effects recorded for done lines of saved plans: cases (matched
    targeted members) and their case-weighted effect."""
    return db.df(
        """
        SELECT mechanic_id, sum(measured_cases)::INTEGER AS cases,
               sum(measured_effect * measured_cases) / sum(measured_cases) AS effect
        FROM plan_lines
        WHERE status = 'done' AND measured_cases > 0 AND measured_effect IS NOT NULL
        GROUP BY mechanic_id ORDER BY mechanic_id
        """
    )


def history_evidence(
    db: Database, as_of: date, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Measured effect per evidence kind ('recognition:merch', 'event:demo_day' …) over the
    whole club's last `EVIDENCE_MONTHS` months: cases and effect. Department and wave filters
    do not narrow it: how members respond to a mechanic is learnt from every case there is."""
    wide = Filters(as_of=as_of, period_months=EVIDENCE_MONTHS)
    recognitions = recognition_impact(db, wide, settings=settings)
    recognitions = recognitions[recognitions["kind"].isin(RECOGNITION_KINDS)]
    events = event_impact(db, wide, settings=settings)
    frames = [
        pd.DataFrame(
            {
                "evidence": [f"{prefix}:{k}" for k in frame["kind"]],
                "cases": frame["cases"].astype(int).to_numpy(),
                "effect": frame["effect"].astype(float).to_numpy(),
            }
        )
        for prefix, frame in (("recognition", recognitions), ("event", events))
    ]
    return pd.concat(frames, ignore_index=True)


def _pooled(pairs: Iterable[tuple[int, float]]) -> tuple[int, float | None]:
    """Total cases and the case-weighted mean effect of (cases, effect) pairs."""
    used = [
        (int(n), float(e)) for n, e in pairs if n and n > 0 and e is not None and not pd.isna(e)
    ]
    cases = sum(n for n, _ in used)
    return cases, (sum(n * e for n, e in used) / cases if cases else None)


def mechanic_effects(
    mechanics: pd.DataFrame,
    history: pd.DataFrame,
    follow_up: pd.DataFrame,
    *,
    min_cases: int = MIN_CASES,
) -> pd.DataFrame:
    """Per mechanic: the default effect, what this club's history and followed-up plans
    measured (cases and effect), and the effect used — the measured one only when at least
    `min_cases` cases back it, else the default."""
    by_evidence = history.set_index("evidence")
    by_mechanic = follow_up.set_index("mechanic_id")
    rows = []
    for record in mechanics.to_dict("records"):
        evidence = _evidence_list(record.get("evidence"))
        past = [
            (by_evidence.loc[e, "cases"], by_evidence.loc[e, "effect"])
            for e in evidence
            if e in by_evidence.index
        ]
        history_cases, history_effect = _pooled(past)
        mid = record["mechanic_id"]
        followed = (
            [(by_mechanic.loc[mid, "cases"], by_mechanic.loc[mid, "effect"])]
            if mid in by_mechanic.index
            else []
        )
        follow_cases, follow_effect = _pooled(followed)
        cases, measured = _pooled([(history_cases, history_effect), (follow_cases, follow_effect)])
        source = MEASURED if measured is not None and cases >= min_cases else DEFAULT
        rows.append(
            {
                "mechanic_id": mid,
                "evidence": evidence,
                "default_effect": float(record["default_effect"]),
                "history_cases": history_cases,
                "history_effect": history_effect,
                "follow_up_cases": follow_cases,
                "follow_up_effect": follow_effect,
                "cases": cases,
                "measured_effect": measured,
                "source": source,
                "effect": measured if source == MEASURED else float(record["default_effect"]),
            }
        )
    return pd.DataFrame(rows)


def effects_table(
    db: Database,
    as_of: date,
    *,
    min_cases: int = MIN_CASES,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """`mechanic_effects` for the stored catalogue, the club's history and saved plans."""
    return mechanic_effects(
        catalogue(db),
        history_evidence(db, as_of, settings=settings),
        follow_up_evidence(db),
        min_cases=min_cases,
    )


# -- the knapsack -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One way to run a mechanic: its true cost, curator hours and value."""

    cost: float
    hours: float
    value: float


def _grid_unit(amounts: Iterable[float], limit: float, steps: int, resolution: float) -> float:
    """The grid cell for one resource: the greatest common divisor of every amount (at
    `resolution`) when the limit then fits in `steps` cells — the grid is exact — else
    limit / steps, on which amounts are rounded up."""
    scaled = [round(a / resolution) for a in amounts if a > 0]
    exact = all(abs(a / resolution - round(a / resolution)) < 1e-9 for a in amounts if a > 0)
    divisor = reduce(math.gcd, scaled, 0) if exact and scaled else 0
    if divisor and limit / (divisor * resolution) <= steps:
        return divisor * resolution
    return max(limit / steps, resolution)


def knapsack(
    groups: Sequence[Sequence[Option]], budget: float, hours: float
) -> tuple[list[int | None], bool]:
    """Pick at most one option per group maximising the total value with total cost ≤ budget
    and total hours ≤ hours; returns the chosen option index per group (None: none) and
    whether the answer is proven optimal.

    Method: an exact dynamic programme for the multiple-choice 0/1 knapsack with two
    constraints (money, curator hours) over a grid of at most MONEY_STEPS × HOUR_STEPS cells.
    When every cost is a whole multiple of a cell size that fits the grid (`_grid_unit`),
    the grid is exact and so is the answer. Otherwise costs are rounded *up* to whole cells,
    so the plan can never exceed the real limits, and a final pass spends what the rounding
    left over on the best upgrades that still fit (the answer is then near-optimal: at most
    one cell per line is lost). O(groups × options × cells) time.
    """
    budget, hours = max(float(budget), 0.0), max(float(hours), 0.0)
    every = [o for options in groups for o in options]
    money_unit = _grid_unit([o.cost for o in every], budget, MONEY_STEPS, MONEY_RESOLUTION)
    hour_unit = _grid_unit([o.hours for o in every], hours, HOUR_STEPS, HOUR_RESOLUTION)
    exact = all(
        abs(o.cost / money_unit - round(o.cost / money_unit)) < 1e-9
        and abs(o.hours / hour_unit - round(o.hours / hour_unit)) < 1e-9
        for o in every
    )
    cells_m = math.floor(budget / money_unit + 1e-9) + 1
    cells_h = math.floor(hours / hour_unit + 1e-9) + 1
    best = np.zeros((cells_m, cells_h))
    picks: list[np.ndarray] = []
    sizes: list[list[tuple[int, int]]] = []
    for options in groups:
        pick = np.full((cells_m, cells_h), -1, dtype=np.int16)
        new = best.copy()
        need = []
        for index, option in enumerate(options):
            wm = math.ceil(option.cost / money_unit - 1e-9)
            wh = math.ceil(option.hours / hour_unit - 1e-9)
            need.append((wm, wh))
            if option.value <= 0 or wm >= cells_m or wh >= cells_h:
                continue
            candidate = best[: cells_m - wm, : cells_h - wh] + option.value
            region = new[wm:, wh:]
            better = candidate > region + 1e-9
            region[better] = candidate[better]
            pick[wm:, wh:][better] = index
        best = new
        picks.append(pick)
        sizes.append(need)
    chosen: list[int | None] = [None] * len(groups)
    m, h = cells_m - 1, cells_h - 1
    for g in range(len(groups) - 1, -1, -1):
        index = int(picks[g][m, h])
        if index >= 0:
            chosen[g] = index
            m -= sizes[g][index][0]
            h -= sizes[g][index][1]
    return _spend_leftover(groups, chosen, budget, hours), exact


def _spend_leftover(
    groups: Sequence[Sequence[Option]], chosen: list[int | None], budget: float, hours: float
) -> list[int | None]:
    """Repeatedly take the single upgrade (a new line, or a bigger option of a chosen one)
    that adds the most value and still fits the real limits."""
    chosen = list(chosen)

    def picked(g: int) -> Option:
        return groups[g][chosen[g]] if chosen[g] is not None else Option(0.0, 0.0, 0.0)

    while True:
        spent = sum(picked(g).cost for g in range(len(groups)))
        used = sum(picked(g).hours for g in range(len(groups)))
        best_gain, best_move = 1e-9, None
        for g, options in enumerate(groups):
            now = picked(g)
            for index, option in enumerate(options):
                gain = option.value - now.value
                fits = (
                    spent - now.cost + option.cost <= budget + 1e-9
                    and used - now.hours + option.hours <= hours + 1e-9
                )
                if gain > best_gain and fits:
                    best_gain, best_move = gain, (g, index)
        if best_move is None:
            return chosen
        chosen[best_move[0]] = best_move[1]


# -- the plan -----------------------------------------------------------------------------------
def size_options(available: int, max_people: Any) -> list[int]:
    """How many members a line may target: steps of SIZE_STEPS below the cap, and the cap
    (everyone in the group, or the format's limit)."""
    cap = int(available)
    if not _blank(max_people):
        cap = min(cap, int(max_people))
    if cap <= 0:
        return []
    return [s for s in SIZE_STEPS if s < cap] + [cap]


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(GOALS)
    if unknown:
        raise ValueError(f"Unknown goals: {', '.join(sorted(unknown))}.")
    clean = {}
    for goal in GOALS:
        value = _number(weights.get(goal, 0.0), 0, 10)
        if value is None:
            raise ValueError(f"The weight of {goal} must be from 0 to 10.")
        clean[goal] = value
    if not any(clean.values()):
        raise ValueError("Give at least one goal a weight above 0.")
    return clean


def candidate_lines(
    mechanics: pd.DataFrame,
    effects: pd.DataFrame,
    group_sizes: Mapping[str, int],
    weights: Mapping[str, float],
    *,
    pins: Mapping[str, int] | None = None,
    drops: Iterable[str] = (),
) -> pd.DataFrame:
    """Every way to run every active mechanic that is not dropped: one row per size option
    (a pinned mechanic has exactly its pinned size). Value = people × effect per person ×
    Σ goal weight × the mechanic's strength for that goal."""
    pins = dict(pins or {})
    drops = set(drops)
    weights = _check_weights(weights)
    by_id = mechanics.set_index("mechanic_id")
    clash = sorted(set(pins) & drops)
    if clash:
        raise ValueError(f"A line cannot be both pinned and dropped: {', '.join(clash)}.")
    for mid in pins:
        if mid not in by_id.index or not bool(by_id.loc[mid, "active"]):
            raise ValueError(f"Cannot pin '{mid}': it is not an active mechanic of the catalogue.")
    used = effects.set_index("mechanic_id")
    rows = []
    for record in mechanics.to_dict("records"):
        mid = record["mechanic_id"]
        if not bool(record["active"]) or mid in drops:
            continue
        available = int(group_sizes.get(record["target_rule"], 0))
        options = size_options(available, record["max_people"])
        if mid in pins:
            people = pins[mid]
            cap = options[-1] if options else 0
            if int(people) != people or not 1 <= people <= cap:
                raise ValueError(f"'{mid}' can be pinned for 1 to {cap} members, not {people}.")
            options = [int(people)]
        score = sum(weights[g] * float(record[g]) for g in GOALS)
        effect = float(used.loc[mid, "effect"])
        for people in options:
            value = people * effect * score
            if mid not in pins and value <= 0:
                continue
            rows.append(
                {
                    "mechanic_id": mid,
                    "name": record.get("name"),
                    "target_rule": record["target_rule"],
                    "eligible": available,
                    "people": people,
                    "cost": record["fixed_cost"] + record["cost_per_person"] * people,
                    "hours": record["fixed_hours"] + record["hours_per_person"] * people,
                    "effect_per_person": effect,
                    "effect_source": used.loc[mid, "source"],
                    "cases": int(used.loc[mid, "cases"]),
                    "expected_effect": people * effect,
                    "goal_score": score,
                    "value": value,
                    "pinned": mid in pins,
                }
            )
    columns = ["mechanic_id", "name", "target_rule", "eligible", "people", "cost", "hours"]
    columns += ["effect_per_person", "effect_source", "cases", "expected_effect", "goal_score"]
    return pd.DataFrame(rows, columns=[*columns, "value", "pinned"])


def choose_lines(
    candidates: pd.DataFrame, budget: float, hours: float
) -> tuple[pd.DataFrame, bool]:
    """The candidate lines of the best plan within the budget and curator hours: pinned lines
    always, then the `knapsack` over the rest with what the pinned ones leave."""
    pinned = candidates[candidates["pinned"]]
    pinned_cost, pinned_hours = float(pinned["cost"].sum()), float(pinned["hours"].sum())
    if pinned_cost > budget + 1e-9 or pinned_hours > hours + 1e-9:
        raise ValueError(
            f"The pinned lines alone need {pinned_cost:,.0f} and {pinned_hours:g} curator hours, "
            f"more than the budget of {budget:,.0f} or the {hours:g} hours; unpin some."
        )
    free = candidates[~candidates["pinned"]]
    order = list(dict.fromkeys(free["mechanic_id"]))
    groups = [
        [
            Option(float(r.cost), float(r.hours), float(r.value))
            for r in free[free["mechanic_id"] == mid].itertuples()
        ]
        for mid in order
    ]
    picks, exact = knapsack(groups, budget - pinned_cost, hours - pinned_hours)
    chosen = [
        free[free["mechanic_id"] == mid].index[index]
        for mid, index in zip(order, picks, strict=True)
        if index is not None
    ]
    rows = candidates.loc[sorted([*pinned.index, *chosen])]
    return rows.reset_index(drop=True), exact


def line_reason(
    line: Mapping[str, Any], weights: Mapping[str, float], strengths: Mapping[str, float], lang: str
) -> str:
    """Why a line is in the plan: the goals it serves, whom it targets, what it should bring
    and what it costs."""
    served = sorted(
        ((weights[g] * strengths[g], g) for g in GOALS if weights[g] * strengths[g] > 0),
        reverse=True,
    )
    goals = ", ".join(
        i18n.t(
            "plan.reason_goal",
            lang,
            goal=goal_name(g, lang),
            strength=i18n.fmt_number(strengths[g], lang, 1),
            weight=i18n.fmt_number(weights[g], lang, 1),
        )
        for _, g in served[:3]
    )
    source = (
        i18n.t("plan.reason_measured", lang, cases=i18n.fmt_number(line["cases"], lang))
        if line["effect_source"] == MEASURED
        else i18n.t("plan.reason_default", lang)
    )
    parts = [
        i18n.t("plan.reason_goals", lang, goals=goals),
        i18n.t(
            "plan.reason_targets",
            lang,
            people=i18n.fmt_number(line["people"], lang),
            eligible=i18n.fmt_number(line["eligible"], lang),
            group=rule_name(line["target_rule"], lang),
        ),
        i18n.t(
            "plan.reason_effect",
            lang,
            effect=i18n.fmt_number(line["expected_effect"], lang, 1),
            each=i18n.fmt_number(line["effect_per_person"], lang, 1),
            days=EFFECT_DAYS,
            source=source,
        ),
        i18n.t(
            "plan.reason_cost",
            lang,
            cost=i18n.fmt_number(line["cost"], lang),
            hours=i18n.fmt_number(line["hours"], lang, 1),
        ),
    ]
    if line.get("pinned"):
        parts.insert(0, i18n.t("plan.reason_pinned", lang))
    return " ".join(parts)


@dataclass(frozen=True)
class Plan:
    """A built plan: its lines, the members they target (staff only), the candidates it was
    chosen from, and the totals."""

    lines: pd.DataFrame
    targets: pd.DataFrame
    departments: pd.DataFrame
    candidates: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is assembled from: the situation, the catalogue, the measured history and
    the effects each mechanic is credited with, the target groups (members named only for
    staff) and the smallest department count shown to the viewer."""

    situation: pd.DataFrame
    mechanics: pd.DataFrame
    history: pd.DataFrame
    effects: pd.DataFrame
    groups: pd.DataFrame
    named: bool
    min_department: int


def plan_inputs(
    db: Database, viewer: Viewer | None, filters: Filters, *, min_cases: int = MIN_CASES
) -> PlanInputs:
    """Read everything a plan needs once, so goals, budget, pins and drops can change without
    reading the club again. For viewers who may not follow up on people, target members are
    reduced to anonymous numbers and their departments."""
    access.require_page(viewer, "action_plan")
    settings = current_settings(db)
    state = club_state(db, filters, settings)
    groups = target_groups(state)
    mechanics = catalogue(db)
    history = history_evidence(db, filters.as_of, settings=settings)
    effects = mechanic_effects(mechanics, history, follow_up_evidence(db), min_cases=min_cases)
    named = access.can(viewer, TARGETS_PERMISSION)
    if not named:
        groups = groups.assign(
            person_id=pd.factorize(groups["person_id"])[0].astype(str), name=None
        )
    small = access.can(viewer, "see_small_segments")
    min_department = 1 if small else int(settings["segment_min_interviews"])
    return PlanInputs(
        situation(db, filters, state=state),
        mechanics,
        history,
        effects,
        groups,
        named,
        min_department,
    )


def assemble_plan(
    inputs: PlanInputs,
    *,
    weights: Mapping[str, float],
    budget: float,
    hours: float,
    pins: Mapping[str, int] | None = None,
    drops: Iterable[str] = (),
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Plan:
    """The plan for these goals, budget and curator hours: the mechanics chosen, how many
    members each targets (the first of its target group), why, and what it costs."""
    budget_ok = _number(budget, 0, MAX_COST)
    hours_ok = _number(hours, 0, MAX_HOURS)
    if budget_ok is None or hours_ok is None:
        raise ValueError(
            f"The budget must be 0 to {MAX_COST:,.0f} and hours 0 to {MAX_HOURS:,.0f}."
        )
    weights = _check_weights(weights)
    groups, mechanics = inputs.groups, inputs.mechanics
    sizes = groups.groupby("rule").size().to_dict()
    candidates = candidate_lines(mechanics, inputs.effects, sizes, weights, pins=pins, drops=drops)
    lines, exact = choose_lines(candidates, budget_ok, hours_ok)
    strengths = mechanics.set_index("mechanic_id")[list(GOALS)]
    lines["mechanic"] = [
        mechanic_name(m, n, lang) for m, n in zip(lines["mechanic_id"], lines["name"], strict=True)
    ]
    lines["target_group"] = [rule_name(r, lang) for r in lines["target_rule"]]
    lines["goals"] = [
        [goal_name(g, lang) for g in GOALS if weights[g] * strengths.loc[m, g] > 0]
        for m in lines["mechanic_id"]
    ]
    lines["reason"] = [
        line_reason(line, weights, strengths.loc[line["mechanic_id"]].to_dict(), lang)
        for line in lines.to_dict("records")
    ]
    targets = _line_targets(lines, groups)
    by_goal = {
        g: float(
            sum(
                line["expected_effect"] * weights[g] * strengths.loc[line["mechanic_id"], g]
                for line in lines.to_dict("records")
            )
        )
        for g in GOALS
    }
    summary = {
        "budget": budget_ok,
        "hours_limit": hours_ok,
        "cost": float(lines["cost"].sum()),
        "hours": float(lines["hours"].sum()),
        "expected_effect": float(lines["expected_effect"].sum()),
        "value": float(lines["value"].sum()),
        "lines": len(lines),
        "people": int(targets["person_id"].nunique()),
        "exact": exact,
        "weights": weights,
        "value_by_goal": by_goal,
        "group_sizes": {rule: int(sizes.get(rule, 0)) for rule in TARGET_RULES},
        "measured_lines": int((lines["effect_source"] == MEASURED).sum()),
    }
    departments = targets_by_department(lines, targets, inputs.min_department)
    if inputs.named:
        lines["target_ids"] = [
            targets.loc[targets["mechanic_id"] == m, "person_id"].tolist()
            for m in lines["mechanic_id"]
        ]
    else:
        targets = targets.iloc[0:0]
    return Plan(lines, targets, departments, candidates, summary)


def build_plan(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    min_cases: int = MIN_CASES,
    **choices: Any,
) -> Plan:
    """`assemble_plan` on freshly read `plan_inputs`; `choices` are its keyword arguments."""
    return assemble_plan(plan_inputs(db, viewer, filters, min_cases=min_cases), **choices)


def _line_targets(lines: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The members each line targets: the first `people` of its target group."""
    frames = []
    for line in lines.itertuples():
        chosen = groups[(groups["rule"] == line.target_rule) & (groups["rank"] <= line.people)]
        frames.append(chosen.assign(mechanic_id=line.mechanic_id))
    columns = ["mechanic_id", "rule", "rank", "person_id", "name", "department", "status", "level"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def plan_table(plan: Plan) -> pd.DataFrame:
    """The plan's lines as a table for reading and export."""
    columns = ["mechanic", "target_group", "people", "eligible", "cost", "hours"]
    columns += ["effect_per_person", "effect_source", "cases", "expected_effect", "value"]
    columns += ["pinned", "reason"]
    return plan.lines[columns].copy()


def targets_by_department(
    lines: pd.DataFrame, targets: pd.DataFrame, min_size: int
) -> pd.DataFrame:
    """How many members each line targets per department; departments with fewer than
    `min_size` of a line's targets are merged into 'other' (pass 1 to keep them all)."""
    columns = ["mechanic_id", "mechanic", "department", "people"]
    frames = []
    for line in lines.itertuples():
        chosen = targets.loc[targets["mechanic_id"] == line.mechanic_id, "department"]
        chosen = chosen.fillna(OTHER)
        shown = merge_small_segments(chosen.value_counts().to_dict(), min_size)
        merged = chosen.map(shown).dropna()
        counts = merged.value_counts().rename_axis("department").reset_index(name="people")
        frames.append(counts.assign(mechanic_id=line.mechanic_id, mechanic=line.mechanic))
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


# -- horizons -----------------------------------------------------------------------------------
def quarters(as_of: date, count: int = 4) -> list[tuple[date, date]]:
    """The current quarter and the next ones: (first day, last day)."""
    start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    out = []
    for _ in range(count):
        end = (pd.Timestamp(start) + pd.DateOffset(months=3) - pd.Timedelta(days=1)).date()
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def quarter_label(horizon: tuple[date, date]) -> str:
    start = horizon[0]
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


# -- saved plans and their follow-up ------------------------------------------------------------
def save_plan(
    db: Database,
    viewer: Viewer | None,
    plan: Plan,
    name: str,
    horizon: tuple[date, date],
) -> int:
    """Store a plan with its lines and target members (curators and admins); returns its id."""
    access.require(viewer, "edit_plan")
    name = (name or "").strip()
    if not name:
        raise ValueError("Give the plan a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"The plan name is longer than {MAX_NAME} characters.")
    start, end = horizon
    if end < start:
        raise ValueError("The horizon ends before it starts.")
    if plan.lines.empty:
        raise ValueError("The plan has no lines to save.")
    if "target_ids" not in plan.lines:
        raise ValueError("This plan was built without its target members; build it again.")
    with db.transaction() as cur:
        plan_id = cur.execute(
            "INSERT INTO plans (name, horizon_start, horizon_end, budget, hours_limit, "
            "goal_weights, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING plan_id",
            [
                name,
                start,
                end,
                plan.summary["budget"],
                plan.summary["hours_limit"],
                json.dumps(plan.summary["weights"]),
                viewer.actor,
            ],
        ).fetchone()[0]
        lines, targets = [], []
        for line_no, line in enumerate(plan.lines.to_dict("records"), start=1):
            lines.append(
                [
                    plan_id,
                    line_no,
                    line["mechanic_id"],
                    None if _blank(line["name"]) else line["name"],
                    line["target_rule"],
                    int(line["people"]),
                    float(line["cost"]),
                    float(line["hours"]),
                    float(line["effect_per_person"]),
                    line["effect_source"],
                    float(line["expected_effect"]),
                    float(line["value"]),
                    bool(line["pinned"]),
                ]
            )
            targets += [[plan_id, line_no, pid] for pid in line["target_ids"]]
        cur.executemany(
            "INSERT INTO plan_lines (plan_id, line_no, mechanic_id, mechanic_name, target_rule, "
            "people, planned_cost, planned_hours, effect_per_person, effect_source, "
            "expected_effect, weighted_value, pinned) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            lines,
        )
        if targets:
            cur.executemany(
                "INSERT INTO plan_targets (plan_id, line_no, person_id) VALUES (?, ?, ?)", targets
            )
        db.audit(
            "plan_save",
            actor=viewer.actor,
            kind="plans",
            detail=f"plan {plan_id}: {name}",
            inserted=len(lines),
            cur=cur,
        )
    return int(plan_id)


def saved_plans(db: Database) -> pd.DataFrame:
    """Every saved plan, newest first, with planned and spent money and lines done."""
    return db.df(
        """
        SELECT p.plan_id, p.name, p.horizon_start, p.horizon_end, p.budget, p.hours_limit,
               count(l.line_no) AS lines,
               count(l.line_no) FILTER (WHERE l.status = 'done') AS done,
               coalesce(sum(l.planned_cost), 0) AS planned_cost,
               coalesce(sum(l.cost_spent), 0) AS cost_spent,
               coalesce(sum(l.expected_effect), 0) AS expected_effect,
               p.created_at, p.created_by
        FROM plans p LEFT JOIN plan_lines l USING (plan_id)
        GROUP BY ALL ORDER BY p.created_at DESC, p.plan_id DESC
        """
    )


def _plan_row(db: Database, plan_id: int) -> tuple[date, date]:
    found = db.rows("SELECT horizon_start, horizon_end FROM plans WHERE plan_id = ?", [plan_id])
    if not found:
        raise ValueError(f"There is no saved plan {plan_id}.")
    return found[0]


def plan_lines(db: Database, plan_id: int, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """A saved plan's lines with their tracking: status, done on, cost spent, measured effect."""
    _plan_row(db, plan_id)
    lines = db.df("SELECT * FROM plan_lines WHERE plan_id = ? ORDER BY line_no", [plan_id])
    lines.insert(
        2,
        "mechanic",
        [
            mechanic_name(m, n, lang)
            for m, n in zip(lines["mechanic_id"], lines["mechanic_name"], strict=True)
        ],
    )
    lines["target_group"] = [rule_name(r, lang) for r in lines["target_rule"]]
    return lines


def saved_plan_targets(
    db: Database, viewer: Viewer | None, plan_id: int, lang: str = i18n.DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """The members a saved plan targets, line by line (staff only)."""
    access.require(viewer, TARGETS_PERMISSION)
    _plan_row(db, plan_id)
    frame = db.df(
        """
        SELECT t.line_no, l.mechanic_id, l.mechanic_name, t.person_id,
               coalesce(p.name, t.person_id) AS name, p.department, m.status
        FROM plan_targets t
        JOIN plan_lines l USING (plan_id, line_no)
        LEFT JOIN people p USING (person_id)
        LEFT JOIN memberships m USING (person_id)
        WHERE t.plan_id = ?
        ORDER BY t.line_no, name, t.person_id
        """,
        [plan_id],
    )
    frame.insert(
        1,
        "mechanic",
        [
            mechanic_name(m, n, lang)
            for m, n in zip(frame["mechanic_id"], frame["mechanic_name"], strict=True)
        ],
    )
    return frame.drop(columns=["mechanic_name"])


def update_tracking(db: Database, viewer: Viewer | None, plan_id: int, frame: pd.DataFrame) -> int:
    """Record each line's status, the day it was done and the money spent (curators and
    admins); returns the number of lines changed."""
    access.require(viewer, "edit_plan")
    _plan_row(db, plan_id)
    current = db.df(
        "SELECT line_no, status, done_on, cost_spent FROM plan_lines WHERE plan_id = ?", [plan_id]
    ).set_index("line_no")
    errors, changes = [], []
    for record in frame.to_dict("records"):
        line_no = record.get("line_no")
        if _blank(line_no) or int(line_no) not in current.index:
            errors.append(f"Line {line_no}: not a line of this plan.")
            continue
        line_no = int(line_no)
        status = record.get("status")
        if status not in LINE_STATUSES:
            errors.append(f"Line {line_no}: status must be one of {', '.join(LINE_STATUSES)}.")
            continue
        spent = None
        if not _blank(record.get("cost_spent")):
            spent = _number(record.get("cost_spent"), 0, MAX_COST)
            if spent is None:
                errors.append(f"Line {line_no}: the cost spent must be from 0 to {MAX_COST:,.0f}.")
                continue
        done_on = None if _blank(record.get("done_on")) else pd.Timestamp(record["done_on"]).date()
        if status != "done":
            done_on = None if status == "planned" else done_on
        before = current.loc[line_no]
        old_done = None if _blank(before["done_on"]) else pd.Timestamp(before["done_on"]).date()
        old_spent = None if _blank(before["cost_spent"]) else float(before["cost_spent"])
        if (status, done_on, spent) != (before["status"], old_done, old_spent):
            changes.append([status, done_on, spent, plan_id, line_no])
    if errors:
        raise ValueError("\n".join(errors[:10]))
    if changes:
        with db.transaction() as cur:
            cur.executemany(
                "UPDATE plan_lines SET status = ?, done_on = ?, cost_spent = ? "
                "WHERE plan_id = ? AND line_no = ?",
                changes,
            )
            db.audit(
                "plan_tracking",
                actor=viewer.actor,
                kind="plan_lines",
                detail=f"plan {plan_id}",
                updated=len(changes),
                cur=cur,
            )
    return len(changes)


def measure_plan(
    db: Database,
    plan_id: int,
    as_of: date,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """After the horizon, each done line's measured effect per targeted member: activities in
    the horizon minus the same number of days before it, against members of the same wave and
    level (at the day before the horizon) whom the plan did not target; scaled to 60 days so
    it compares with the expected effect. Columns: line_no, cases, measured_effect,
    expected_per_person; empty before the horizon ends."""
    start, end = _plan_row(db, plan_id)
    columns = ["line_no", "cases", "measured_effect", "expected_per_person"]
    if as_of < end:
        return pd.DataFrame(columns=columns)
    settings = settings or current_settings(db)
    days = (end - start).days + 1
    eve = start - timedelta(days=1)
    levels = scores_at(db, Filters(), [eve], settings=settings, statuses=EVIDENCE_STATUSES)
    levels = levels[["person_id", "wave", "level"]]
    counts = db.df(
        """
        SELECT person_id,
               count(*) FILTER (WHERE occurred_on >= ? AND occurred_on < ?) AS before,
               count(*) FILTER (WHERE occurred_on >= ? AND occurred_on <= ?) AS after
        FROM activities WHERE occurred_on >= ? AND occurred_on <= ?
        GROUP BY ALL
        """,
        [start - timedelta(days=days), start, start, end, start - timedelta(days=days), end],
    )
    people = levels.merge(counts, on="person_id", how="left").fillna({"before": 0, "after": 0})
    people["change"] = people["after"] - people["before"]
    targets = db.df(
        "SELECT t.line_no, t.person_id FROM plan_targets t JOIN plan_lines l "
        "USING (plan_id, line_no) WHERE t.plan_id = ? AND l.status = 'done'",
        [plan_id],
    )
    everyone = {
        r[0] for r in db.rows("SELECT person_id FROM plan_targets WHERE plan_id = ?", [plan_id])
    }
    peers = (
        people[~people["person_id"].isin(everyone)]
        .groupby(["wave", "level"])["change"]
        .mean()
        .rename("peer_change")
        .reset_index()
    )
    cases = targets.merge(people, on="person_id").merge(peers, on=["wave", "level"])
    cases["effect"] = (cases["change"] - cases["peer_change"]) * EFFECT_DAYS / days
    measured = cases.groupby("line_no").agg(
        cases=("effect", "size"), measured_effect=("effect", "mean")
    )
    lines = db.df(
        "SELECT line_no, effect_per_person AS expected_per_person FROM plan_lines "
        "WHERE plan_id = ? AND status = 'done' ORDER BY line_no",
        [plan_id],
    )
    out = lines.merge(measured.reset_index(), on="line_no", how="left")
    out["cases"] = out["cases"].fillna(0).astype(int)
    return out[columns]


def record_measured_effects(db: Database, viewer: Viewer | None, plan_id: int, as_of: date) -> int:
    """Store the measured effect of a plan's done lines once its horizon is over (curators and
    admins), so they count as evidence for the mechanics' effects; returns lines recorded."""
    access.require(viewer, "edit_plan")
    _, end = _plan_row(db, plan_id)
    if as_of < end:
        raise ValueError(f"The plan's horizon ends on {end:%Y-%m-%d}; measure it after that.")
    measured = measure_plan(db, plan_id, as_of)
    values = [
        [
            None if pd.isna(r.measured_effect) else float(r.measured_effect),
            int(r.cases),
            plan_id,
            int(r.line_no),
        ]
        for r in measured.itertuples()
    ]
    with db.transaction() as cur:
        if values:
            cur.executemany(
                "UPDATE plan_lines SET measured_effect = ?, measured_cases = ?, "
                "measured_at = current_timestamp WHERE plan_id = ? AND line_no = ?",
                values,
            )
        db.audit(
            "plan_measure",
            actor=viewer.actor,
            kind="plan_lines",
            detail=f"plan {plan_id}",
            updated=len(values),
            cur=cur,
        )
    return len(values)


# -- command line ---------------------------------------------------------------------------------
@report("plan", "Action plan for the suggested goal weights, default budget and curator hours")
def plan_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The plan for the situation's suggested weights, DEFAULT_BUDGET and DEFAULT_HOURS; target
    members' names only for staff."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    weights = suggested_weights(situation(db, filters))
    plan = build_plan(
        db,
        viewer,
        filters,
        weights=weights,
        budget=options.get("budget") or DEFAULT_BUDGET,
        hours=options.get("hours") or DEFAULT_HOURS,
        lang=lang,
    )
    out = plan_table(plan)
    out["cost"] = out["cost"].round(0)
    for column in ("hours", "effect_per_person", "expected_effect", "value"):
        out[column] = out[column].round(2)
    if access.can(viewer, TARGETS_PERMISSION):
        names = plan.targets.groupby("mechanic_id")["name"].agg("; ".join)
        out["targets"] = plan.lines["mechanic_id"].map(names).fillna("").to_numpy()
    return out
