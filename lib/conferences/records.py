"""Conferences and talk submissions as the pipeline shows them, as far as the viewer's role may
see: the whole pipeline for roles with `see_cfp_pipeline`, accepted and delivered talks for
the others. Call-for-papers windows and the deadline window are computed from `as_of`."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.store.db import Database
from lib.vocabulary import SubmissionStatus, values

DEADLINE_DAYS = 30
# Talks the bank will present or did present: what leadership sees by name.
ACCEPTED_TALKS = (SubmissionStatus.ACCEPTED, SubmissionStatus.DELIVERED)
# Submissions still on their way (nothing decided against them).
LIVE_STATUSES = (
    SubmissionStatus.IDEA,
    SubmissionStatus.DRAFT,
    SubmissionStatus.REVIEW,
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.ACCEPTED,
)
# Submissions that still have to reach the organisers before the call closes.
PREPARING = (SubmissionStatus.IDEA, SubmissionStatus.DRAFT, SubmissionStatus.REVIEW)
CFP_STATES = ("not_open", "open", "closed", "unknown")


def in_deadline_window(closes: date | None, as_of: date, days: int = DEADLINE_DAYS) -> bool:
    """A call that closes today or within the next `days` days (both ends included)."""
    if closes is None or pd.isna(closes):
        return False
    return 0 <= (pd.Timestamp(closes) - pd.Timestamp(as_of)).days <= days


def conference_list(db: Database, as_of: date) -> pd.DataFrame:
    """Every conference with its call's state on `as_of` (not_open / open / closed / unknown),
    the days left to its deadline, whether that deadline is in the 30-day window, and how many
    submissions it has. A call with no closing date closes the day before the conference."""
    frame = db.df(
        """
        SELECT c.*, coalesce(c.cfp_closes, c.starts_on - 1) AS closes,
               (SELECT count(*) FROM submissions s
                WHERE s.conference_id = c.conference_id)::INTEGER AS submissions
        FROM conferences c
        ORDER BY c.starts_on NULLS LAST, c.name, c.conference_id
        """
    )
    closes = pd.to_datetime(frame["closes"])
    opens = pd.to_datetime(frame["cfp_opens"])
    today = pd.Timestamp(as_of)
    state = pd.Series("unknown", index=frame.index, dtype=object)
    state[closes.notna() & (closes < today)] = "closed"
    state[closes.notna() & (closes >= today)] = "open"
    state[opens.notna() & (opens > today)] = "not_open"
    days = (closes - today).dt.days
    frame = frame.drop(columns="closes").assign(
        cfp_state=state,
        days_to_close=days.where(state == "open").astype("Int64"),
        closing_soon=(state == "open") & days.between(0, DEADLINE_DAYS),
    )
    for column in ("starts_on", "ends_on", "cfp_opens", "cfp_closes"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    frame["topics"] = frame["topics"].map(lambda v: list(v) if v is not None else [])
    return frame


def open_calls(db: Database, as_of: date) -> pd.DataFrame:
    """Conferences whose call for papers is open on `as_of`, nearest deadline first."""
    frame = conference_list(db, as_of)
    frame = frame[frame["cfp_state"] == "open"]
    return frame.sort_values(["days_to_close", "name"]).reset_index(drop=True)


def submission_list(db: Database, viewer: Viewer | None, as_of: date) -> pd.DataFrame:
    """Submissions with their conference, speakers (names and ids), skills (names and ids),
    dates, linked activities and deadline flags. Roles without `see_cfp_pipeline` get the
    accepted and delivered talks only, without the internal reviewer."""
    access.require_page(viewer, "conferences")
    whole = access.can(viewer, "see_cfp_pipeline")
    statuses = values(SubmissionStatus) if whole else [str(s) for s in ACCEPTED_TALKS]
    frame = db.df(
        """
        WITH speakers AS (
            SELECT ss.submission_id,
                   list(ss.person_id ORDER BY coalesce(p.name, ss.person_id)) AS speaker_ids,
                   list(coalesce(p.name, ss.person_id) ORDER BY coalesce(p.name, ss.person_id))
                       AS speakers,
                   list(ss.activity_id ORDER BY ss.activity_id)
                       FILTER (WHERE ss.activity_id IS NOT NULL) AS activity_ids
            FROM submission_speakers ss LEFT JOIN people p USING (person_id)
            GROUP BY ss.submission_id
        )
        SELECT s.submission_id, s.conference_id, c.name AS conference, c.starts_on, c.ends_on,
               c.cfp_closes, s.title, s.abstract, s.status,
               coalesce(sp.speakers, []) AS speakers,
               coalesce(sp.speaker_ids, []) AS speaker_ids,
               coalesce(s.skills, []) AS skills, s.reviewer, s.created_on, s.submitted_on,
               s.decided_on, s.delivered_on, coalesce(sp.activity_ids, []) AS activity_ids
        FROM submissions s
        JOIN conferences c USING (conference_id)
        LEFT JOIN speakers sp USING (submission_id)
        WHERE list_contains($statuses::VARCHAR[], s.status)
        ORDER BY c.starts_on NULLS LAST, s.submission_id
        """,
        {"statuses": list(statuses)},
    )
    names = skill_labels(db)
    frame["skill_names"] = [[names.get(s, s) for s in ids] for ids in frame["skills"]]
    for column in ("starts_on", "ends_on", "cfp_closes", *DATE_COLUMNS):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    for column in ("speakers", "speaker_ids", "skills", "activity_ids"):
        frame[column] = frame[column].map(list)
    waiting = frame["status"].isin([str(s) for s in PREPARING])
    window = frame["cfp_closes"].map(lambda closes: in_deadline_window(closes, as_of))
    frame["closing_soon"] = waiting & window.astype(bool)
    if not whole:
        frame = frame.drop(columns=["reviewer"])
    return frame.reset_index(drop=True)


DATE_COLUMNS = ("created_on", "submitted_on", "decided_on", "delivered_on")


def skill_labels(db: Database) -> dict[str, str]:
    """Skill id → name."""
    return dict(db.rows("SELECT skill_id, name FROM skills"))


def member_options(db: Database, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Members who may speak for the club: person_id, name, department, email."""
    return db.df(
        """
        SELECT m.person_id, coalesce(p.name, m.person_id) AS name, p.department, p.email
        FROM memberships m JOIN people p USING (person_id)
        WHERE list_contains($statuses::VARCHAR[], m.status)
        ORDER BY name, m.person_id
        """,
        {"statuses": [str(s) for s in statuses]},
    )
