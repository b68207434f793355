"""Rituals and motivation: events and who comes, recognitions and whether they change
anything (SPEC.md §2 "Recognition and event impact").

Impact is a difference in differences (`lib.engagement.impact`): a recognised member's
activities in the 60 days after the recognition minus the 60 days before, against the same
change for similar members (same wave, same level at the end of the month before) who got no
recognition in those 120 days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.engagement.impact import IMPACT_DAYS, RECOGNITION, impact_cases
from lib.engagement.scoring import member_scores
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import EVER_MEMBER_STATUSES, SCORED_STATUSES, AttendanceRole

# Who attends and who was recognised, per person, is follow-up material for staff only.
PERSONAL_FOLLOW_UP = "see_member_lists"
ALL_KINDS = "_all"
RECOGNITION_CASE_COLUMNS = [
    "person_id",
    "name",
    "department",
    "wave",
    "recognised_on",
    "kind",
    "level",
    "before",
    "after",
    "peers",
    "peer_before",
    "peer_after",
    "effect",
]


def event_attendance(db: Database, filters: Filters) -> pd.DataFrame:
    """Each event held in the period with the filtered members who came (attendees, speakers,
    organisers), the members in the club that day, and turnout = came ÷ in the club."""
    return db.df(
        """
        WITH members AS (
            SELECT person_id FROM club_members($statuses, $departments, $waves)
        ),
        spans AS (
            SELECT s.person_id, s.started_on, s.alumni_on
            FROM stage_dates s SEMI JOIN members mb USING (person_id)
        ),
        held AS (SELECT * FROM events WHERE date > $period_start AND date <= $as_of),
        came AS (
            SELECT a.event_id, count(*) AS came,
                   count(*) FILTER (WHERE a.role = $attendee) AS attendees,
                   count(*) FILTER (WHERE a.role = $speaker) AS speakers,
                   count(*) FILTER (WHERE a.role = $organiser) AS organisers
            FROM attendance a SEMI JOIN members mb USING (person_id)
            GROUP BY ALL
        ),
        in_club AS (
            SELECT h.event_id, count(*) AS in_club
            FROM held h JOIN spans s
              ON s.started_on <= h.date AND (s.alumni_on IS NULL OR s.alumni_on > h.date)
            GROUP BY ALL
        )
        SELECT h.event_id, h.date, h.kind, h.title, h.budget,
               coalesce(c.came, 0) AS came, coalesce(c.attendees, 0) AS attendees,
               coalesce(c.speakers, 0) AS speakers, coalesce(c.organisers, 0) AS organisers,
               coalesce(i.in_club, 0) AS in_club,
               coalesce(c.came, 0) / nullif(i.in_club, 0) AS turnout
        FROM held h LEFT JOIN came c USING (event_id) LEFT JOIN in_club i USING (event_id)
        ORDER BY h.date, h.event_id
        """,
        {
            **filters.member_params(EVER_MEMBER_STATUSES),
            "period_start": filters.period_start,
            "as_of": filters.as_of,
            "attendee": AttendanceRole.ATTENDEE,
            "speaker": AttendanceRole.SPEAKER,
            "organiser": AttendanceRole.ORGANISER,
        },
    )


def never_attending(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """Current members who were in the club for at least one event of the period and came to
    none of them (staff only), with the last event they ever came to."""
    access.require(viewer, PERSONAL_FOLLOW_UP)
    return db.df(
        """
        WITH members AS (
            SELECT person_id, name, department, wave, status
            FROM club_members($statuses, $departments, $waves)
        ),
        spans AS (
            SELECT s.person_id, s.started_on, s.alumni_on
            FROM stage_dates s SEMI JOIN members mb USING (person_id)
        ),
        held AS (SELECT event_id, date FROM events WHERE date > $period_start AND date <= $as_of),
        chances AS (
            SELECT s.person_id, count(*) AS events_held,
                   count(a.event_id) AS events_attended
            FROM spans s
            JOIN held h ON s.started_on <= h.date AND (s.alumni_on IS NULL OR s.alumni_on > h.date)
            LEFT JOIN attendance a ON a.event_id = h.event_id AND a.person_id = s.person_id
            GROUP BY ALL
        ),
        last_seen AS (
            SELECT a.person_id, max(e.date) AS last_attended
            FROM attendance a JOIN events e USING (event_id)
            WHERE e.date <= $as_of
            GROUP BY ALL
        )
        SELECT mb.person_id, mb.name, mb.department, mb.wave, mb.status, c.events_held,
               l.last_attended
        FROM chances c JOIN members mb USING (person_id)
        LEFT JOIN last_seen l USING (person_id)
        WHERE c.events_attended = 0
        ORDER BY c.events_held DESC, mb.person_id
        """,
        {
            **filters.member_params(SCORED_STATUSES),
            "period_start": filters.period_start,
            "as_of": filters.as_of,
        },
    )


def recognition_cases(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = IMPACT_DAYS,
) -> pd.DataFrame:
    """Every recognition of the period with complete windows: the member's activities in the
    `days` before and after, and the same for their comparison group (same wave and level,
    in the club throughout, not recognised in those days). One row per recognition."""
    cases = impact_cases(db, filters, RECOGNITION, days=days, settings=settings)
    return cases.rename(columns={"treated_on": "recognised_on"})[RECOGNITION_CASE_COLUMNS]


def recognition_impact(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = IMPACT_DAYS,
) -> pd.DataFrame:
    """Average difference-in-differences effect per recognition kind and overall (kind
    `_all`), from the cases that have a comparison group; `unmatched` counts those without."""
    return impact_by_kind(
        recognition_cases(db, filters, settings=settings, days=days), overall=True
    )


def impact_by_kind(cases: pd.DataFrame, *, overall: bool = False) -> pd.DataFrame:
    """Average difference-in-differences effect per kind (and over all kinds, as `_all`, when
    `overall`) from the cases with a comparison group; `unmatched` counts those without."""
    columns = ["kind", "cases", "unmatched", "before", "after", "peer_before", "peer_after"]
    if cases.empty:
        return pd.DataFrame(columns=[*columns, "effect"])
    matched = cases.assign(matched=cases["peers"] > 0)
    groups = [*([(ALL_KINDS, matched)] if overall else []), *matched.groupby("kind", sort=True)]
    rows = []
    for kind, group in groups:
        used = group[group["matched"]]
        rows.append(
            {
                "kind": kind,
                "cases": len(used),
                "unmatched": int((~group["matched"]).sum()),
                "before": used["before"].mean(),
                "after": used["after"].mean(),
                "peer_before": used["peer_before"].mean(),
                "peer_after": used["peer_after"].mean(),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.assign(
        effect=(out["after"] - out["before"]) - (out["peer_after"] - out["peer_before"])
    )


def not_recognised_for_long(
    db: Database, scores: pd.DataFrame, as_of: date, settings: dict[str, Any]
) -> pd.DataFrame:
    """The members of `scores` not recognised for `recognition_gap_days` (or never), busiest
    first, with their last recognition, recognitions so far and days since. No access check:
    `recognition_gaps` shows them to staff, the action plan only counts and targets them."""
    last = db.df(
        "SELECT person_id, max(date) AS last_recognised, count(*) AS recognitions "
        "FROM recognitions WHERE date <= $as_of GROUP BY ALL",
        {"as_of": as_of},
    )
    out = scores.merge(last, on="person_id", how="left")
    out["recognitions"] = out["recognitions"].fillna(0).astype(int)
    out["days_since"] = (pd.Timestamp(as_of) - pd.to_datetime(out["last_recognised"])).dt.days
    gap = int(settings["recognition_gap_days"])
    overdue = out["last_recognised"].isna() | (out["days_since"] >= gap)
    return (
        out[overdue.to_numpy()]
        .sort_values(["index", "person_id"], ascending=[False, True])
        .reset_index(drop=True)
    )


def recognition_gaps(
    db: Database,
    filters: Filters,
    viewer: Viewer | None,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Current members not recognised for `recognition_gap_days` (or never), with their level
    and index so the busiest unthanked come first (staff only)."""
    access.require(viewer, PERSONAL_FOLLOW_UP)
    settings = settings or current_settings(db)
    scores = member_scores(db, filters, settings=settings)
    overdue = not_recognised_for_long(db, scores, filters.as_of, settings)
    columns = ["person_id", "name", "department", "wave", "status", "points", "index", "level"]
    return overdue[[*columns, "last_recognised", "recognitions", "days_since"]]
