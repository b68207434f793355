"""Reading contributions: a member's own, and what the club already recorded about them that
waits for their confirmation — activities imported or recorded for them, delivered conference
talks, and club events where they spoke or that they organised (those become contributions
only when the member confirms them, exactly once per member and event)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.contributions.checks import reach_metric
from lib.store.db import Database
from lib.vocabulary import ActivityKind, AttendanceRole, ContributionSource, EventKind

LIST_COLUMNS = [
    "contribution_id",
    "person_id",
    "kind",
    "occurred_on",
    "title",
    "reach",
    "reach_metric",
    "evidence_url",
    "skills",
    "visibility",
    "source",
    "status",
    "counted",
    "confirmed_on",
    "verified_by",
    "verified_on",
    "review_note",
]
# Sources the club recorded itself: the member confirms them, nobody types them again.
RECORDED_SOURCES = (ContributionSource.IMPORT, ContributionSource.CFP)
EVENT_KEY = "event:"
CONFIRM_COLUMNS = ["key", "kind", "occurred_on", "title", "reach", "source", "event_id", "role"]


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Days as dates, skills as lists, reach as a nullable whole number, with its metric."""
    for column in ("occurred_on", "confirmed_on", "verified_on"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    if "skills" in frame:
        frame["skills"] = frame["skills"].map(lambda v: list(v) if v is not None else [])
    if "reach" in frame:
        frame["reach"] = frame["reach"].astype("Int64")
    if "kind" in frame:
        frame["reach_metric"] = frame["kind"].map(reach_metric)
    return frame


def person_contributions(db: Database, person_id: str) -> pd.DataFrame:
    """Every contribution of one person, latest first (no access check: callers decide)."""
    frame = db.df(
        "SELECT * FROM contribution_list WHERE person_id = $person "
        "ORDER BY occurred_on DESC, contribution_id DESC",
        {"person": person_id},
    )
    return typed(frame)[LIST_COLUMNS].reset_index(drop=True)


def my_contributions(db: Database, viewer: Viewer, person_id: str | None = None) -> pd.DataFrame:
    """The viewer's own contributions (a member), or a member's (staff), latest first."""
    return person_contributions(db, access.subject(viewer, person_id))


def event_suggestions(db: Database, person_id: str, since: date, as_of: date) -> pd.DataFrame:
    """Club events in (since, as_of] where the person spoke or organised and that are not yet
    one of their contributions: key `event:<id>`, the kind it becomes (organised: event
    hosting; spoke at a conference: external talk, elsewhere internal), day, title, and the
    attendance as its reach."""
    frame = db.df(
        """
        SELECT $prefix || e.event_id AS key,
               CASE WHEN a.role = $organiser THEN $hosting
                    WHEN e.kind = $conference THEN $external ELSE $internal END AS kind,
               e.date AS occurred_on, coalesce(e.title, e.event_id) AS title,
               (SELECT count(*) FROM attendance x WHERE x.event_id = e.event_id)::INTEGER
                   AS reach,
               $event_source AS source, e.event_id, a.role
        FROM attendance a JOIN events e USING (event_id)
        WHERE a.person_id = $person AND list_contains($roles, a.role)
          AND e.date > $since AND e.date <= $as_of
          AND NOT EXISTS (SELECT 1 FROM contributions c
                          WHERE c.person_id = a.person_id AND c.event_id = e.event_id)
        ORDER BY e.date DESC, e.event_id
        """,
        {
            "prefix": EVENT_KEY,
            "organiser": str(AttendanceRole.ORGANISER),
            "hosting": str(ActivityKind.EVENT_HOSTING),
            "conference": str(EventKind.CONFERENCE),
            "external": str(ActivityKind.TALK_EXTERNAL),
            "internal": str(ActivityKind.TALK_INTERNAL),
            "event_source": str(ContributionSource.EVENT),
            "person": person_id,
            "roles": [str(AttendanceRole.SPEAKER), str(AttendanceRole.ORGANISER)],
            "since": since,
            "as_of": as_of,
        },
    )
    return typed(frame)


def recorded_unconfirmed(db: Database, person_id: str, since: date, as_of: date) -> pd.DataFrame:
    """Activities the club recorded for the person in (since, as_of] that they have not
    confirmed yet."""
    frame = db.df(
        "SELECT contribution_id AS key, kind, occurred_on, title, reach, source, "
        "NULL::VARCHAR AS event_id, NULL::VARCHAR AS role FROM contribution_list "
        "WHERE person_id = $person AND confirmed_on IS NULL AND list_contains($sources, source) "
        "AND occurred_on > $since AND occurred_on <= $as_of "
        "ORDER BY occurred_on DESC, contribution_id DESC",
        {
            "person": person_id,
            "sources": [str(s) for s in RECORDED_SOURCES],
            "since": since,
            "as_of": as_of,
        },
    )
    return typed(frame)


def to_confirm(
    db: Database,
    viewer: Viewer,
    as_of: date,
    window_days: int,
    person_id: str | None = None,
) -> pd.DataFrame:
    """What the club recorded about the member over the last `window_days` that waits for
    their confirmation, latest first: recorded activities and club events they spoke at or
    organised. Columns: CONFIRM_COLUMNS plus reach_metric."""
    person = access.subject(viewer, person_id)
    since = as_of - timedelta(days=int(window_days))
    parts = [
        part
        for part in (
            recorded_unconfirmed(db, person, since, as_of),
            event_suggestions(db, person, since, as_of),
        )
        if len(part)
    ]
    if not parts:
        return pd.DataFrame(columns=[*CONFIRM_COLUMNS, "reach_metric"])
    found = pd.concat(parts, ignore_index=True)
    found = found.sort_values(["occurred_on", "key"], ascending=[False, True])
    return found[[*CONFIRM_COLUMNS, "reach_metric"]].reset_index(drop=True)
