"""A member's own page: their standing, skills, engagement in their own terms, open onboarding
steps and what is coming up — every read answers for the viewer themselves (a member), or for
the member a curator names (`access.subject`), never for anyone else.

"In their own terms": what counts (the kind weights, reach and decay), their points, the hours
they have for the club and what those hours lead the club to expect, their index and level,
and how their contribution moved month by month. No ranking, percentile or colleague's name.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.engagement.calibration import with_rate
from lib.engagement.scoring import member_scores
from lib.engagement.snapshot import weight_params
from lib.errors import Refusal
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.insights.onboarding import progress_frame
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, values

ALL_STATUSES = values(MembershipStatus)
EVENTS_AHEAD = 10
STEP_COLUMNS = ["step_id", "title", "due_on", "overdue", "days_overdue"]


def own_profile(db: Database, viewer: Viewer, person_id: str | None = None) -> dict[str, Any]:
    """Who the member is in the club: name, department, team, position, wave, status, joined."""
    person = access.subject(viewer, person_id)
    found = db.df(
        "SELECT p.person_id, p.name, p.department, p.team, p.position, m.wave, m.status, "
        "m.joined_on FROM people p LEFT JOIN memberships m USING (person_id) "
        "WHERE p.person_id = $person",
        {"person": person},
    )
    if found.empty:
        raise Refusal("members.err_unknown_person", person=person)
    return found.iloc[0].to_dict()


def own_skills(
    db: Database, viewer: Viewer, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """The member's best claim per skill: skill_id, skill, category, level, source,
    confirmed_on, stale — strongest first."""
    person = access.subject(viewer, person_id)
    claims = skill_claims(db, Filters(as_of=filters.as_of), statuses=ALL_STATUSES)
    mine = claims[claims["person_id"] == person]
    columns = ["skill_id", "skill", "category", "level", "source", "confirmed_on", "stale"]
    mine = mine.assign(confirmed_on=pd.to_datetime(mine["confirmed_on"]).dt.date)
    return (
        mine[columns]
        .sort_values(["level", "skill"], ascending=[False, True])
        .reset_index(drop=True)
    )


def own_score(
    db: Database, viewer: Viewer, filters: Filters, person_id: str | None = None
) -> dict[str, Any] | None:
    """The member's engagement over the scoring window, capacity included (it is their own):
    points, expected, index, level, previous_level, hours_available, capacity_flag,
    last_contribution, activities — or None when they are not scored (not yet or no longer
    a member)."""
    person = access.subject(viewer, person_id)
    scores = member_scores(db, Filters(as_of=filters.as_of))
    mine = scores[scores["person_id"] == person]
    if mine.empty:
        return None
    row = mine.iloc[0]
    keep = ["points", "expected", "index", "level", "previous_level", "hours_available"]
    keep += ["capacity_flag", "last_contribution", "activities"]
    return {key: row[key] for key in keep}


def what_counts(
    db: Database, viewer: Viewer, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """Per activity kind: its weight, and the member's activities and points of that kind in
    the scoring window (decayed, as the index counts them); every kind listed."""
    person = access.subject(viewer, person_id)
    settings = with_rate(db, filters.as_of, current_settings(db))
    return db.df(
        """
        WITH weights AS (
            SELECT unnest($weight_kinds::VARCHAR[]) AS kind,
                   unnest($weight_values::DOUBLE[]) AS weight
        ),
        mine AS (
            SELECT a.kind, count(*)::INTEGER AS activities,
                   sum((1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)
                       * pow(0.5, date_diff('day', a.occurred_on, $as_of) / $half_life))
                       AS reach_decay
            FROM activities a
            WHERE a.person_id = $person AND a.occurred_on > $as_of - $window::INTEGER
              AND a.occurred_on <= $as_of
            GROUP BY a.kind
        )
        SELECT w.kind, w.weight, coalesce(m.activities, 0) AS activities,
               coalesce(w.weight * m.reach_decay, 0) AS points
        FROM weights w LEFT JOIN mine m USING (kind)
        ORDER BY points DESC, w.weight DESC, w.kind
        """,
        {
            **weight_params(settings),
            "person": person,
            "as_of": filters.as_of,
            "window": int(settings["window_days"]),
            "half_life": float(settings["half_life_days"]) or 1e-9,
        },
    )


def own_trend(
    db: Database, viewer: Viewer, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """The member's activities and points (undecayed: as earned that month) per calendar month
    of the period (the current month last), months without any included as zero."""
    person = access.subject(viewer, person_id)
    settings = current_settings(db)
    return db.df(
        """
        WITH weights AS (
            SELECT unnest($weight_kinds::VARCHAR[]) AS kind,
                   unnest($weight_values::DOUBLE[]) AS weight
        ),
        months AS (
            SELECT unnest(generate_series(
                date_trunc('month', $as_of::DATE) - to_months($months::INTEGER - 1),
                date_trunc('month', $as_of::DATE), INTERVAL 1 MONTH))::DATE AS month
        ),
        mine AS (
            SELECT date_trunc('month', a.occurred_on)::DATE AS month, count(*) AS activities,
                   sum(coalesce(w.weight, 0)
                       * (1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)) AS points
            FROM activities a LEFT JOIN weights w USING (kind)
            WHERE a.person_id = $person AND a.occurred_on <= $as_of
              AND a.occurred_on >= (SELECT min(month) FROM months)
            GROUP BY ALL
        )
        SELECT months.month, coalesce(mine.activities, 0)::INTEGER AS activities,
               coalesce(mine.points, 0.0) AS points
        FROM months LEFT JOIN mine USING (month)
        ORDER BY months.month
        """,
        {
            **weight_params(settings),
            "person": person,
            "months": int(filters.period_months),
            "as_of": filters.as_of,
        },
    )


def own_open_steps(
    db: Database, viewer: Viewer, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """The member's onboarding steps not done yet, by due day: STEP_COLUMNS."""
    person = access.subject(viewer, person_id)
    progress = progress_frame(db, Filters(as_of=filters.as_of))
    mine = progress[(progress["person_id"] == person) & ~progress["done"]]
    return mine[STEP_COLUMNS].sort_values("due_on").reset_index(drop=True)


def upcoming_events(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """The club's next events (every member is welcome): event_id, date, kind, title."""
    access.require_page(viewer, "my_page")
    frame = db.df(
        "SELECT event_id, date, kind, title FROM events WHERE date > $as_of "
        "ORDER BY date, event_id LIMIT $limit",
        {"as_of": filters.as_of, "limit": EVENTS_AHEAD},
    )
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame
