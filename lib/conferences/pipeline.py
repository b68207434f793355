"""The pipeline in numbers, for every role that opens the page: submissions by status,
acceptance rate by conference and by skill, talks delivered per quarter, and the target skills
no submission of this year covers. Aggregates only: no drafts' titles, no names."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.conferences.records import skill_labels
from lib.store.db import Database
from lib.vocabulary import SubmissionStatus, values

S = SubmissionStatus
ACCEPTED = (S.ACCEPTED, S.DELIVERED)
DECIDED = (S.ACCEPTED, S.DELIVERED, S.REJECTED)
# A submission that will not present its skills: it was turned down or taken back.
NOT_PRESENTING = (S.REJECTED, S.WITHDRAWN)


def _all(db: Database) -> pd.DataFrame:
    """Every submission with its conference's name, year and first day, and its skills."""
    frame = db.df(
        """
        SELECT s.submission_id, s.conference_id, c.name AS conference, c.starts_on,
               s.status, coalesce(s.skills, []) AS skills, s.delivered_on, s.created_on,
               (SELECT count(*) FROM submission_speakers ss
                WHERE ss.submission_id = s.submission_id)::INTEGER AS speakers
        FROM submissions s JOIN conferences c USING (conference_id)
        """
    )
    frame["skills"] = frame["skills"].map(list)
    return frame


def status_counts(db: Database, viewer: Viewer | None) -> pd.DataFrame:
    """Submissions per status, in the pipeline's order (zeros included)."""
    access.require_page(viewer, "conferences")
    counts = _all(db)["status"].value_counts()
    return pd.DataFrame(
        {"status": values(S), "submissions": [int(counts.get(s, 0)) for s in values(S)]}
    )


def _rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    decided = frame[frame["status"].isin([str(s) for s in DECIDED])]
    grouped = decided.assign(accepted=decided["status"].isin([str(s) for s in ACCEPTED]))
    rates = grouped.groupby(by, dropna=False).agg(
        decided=("submission_id", "nunique"), accepted=("accepted", "sum")
    )
    rates["accepted"] = rates["accepted"].astype(int)
    rates["acceptance_rate"] = (rates["accepted"] / rates["decided"]).round(3)
    return rates.reset_index().sort_values(["decided", "acceptance_rate"], ascending=False)


def acceptance_by_conference(db: Database, viewer: Viewer | None) -> pd.DataFrame:
    """Per conference: decided submissions, accepted ones (delivered included) and the rate."""
    access.require_page(viewer, "conferences")
    return _rates(_all(db), ["conference_id", "conference"]).reset_index(drop=True)


def acceptance_by_skill(db: Database, viewer: Viewer | None) -> pd.DataFrame:
    """Per skill a submission drew on: decided submissions, accepted ones and the rate."""
    access.require_page(viewer, "conferences")
    frame = _all(db).explode("skills").dropna(subset=["skills"])
    rates = _rates(frame.rename(columns={"skills": "skill_id"}), ["skill_id"])
    rates.insert(1, "skill", rates["skill_id"].map(skill_labels(db)))
    return rates.reset_index(drop=True)


def delivered_per_quarter(db: Database, viewer: Viewer | None) -> pd.DataFrame:
    """Talks delivered per calendar quarter (and their speakers), oldest first."""
    access.require_page(viewer, "conferences")
    frame = _all(db)
    frame = frame[frame["status"] == S.DELIVERED]
    day = pd.to_datetime(frame["delivered_on"].fillna(frame["starts_on"]))
    frame = frame.assign(quarter=day.dt.to_period("Q").astype(str))
    per = frame.groupby("quarter").agg(
        talks=("submission_id", "nunique"), speakers=("speakers", "sum")
    )
    return per.reset_index().astype({"talks": int, "speakers": int})


def uncovered_target_skills(db: Database, viewer: Viewer | None, as_of: date) -> pd.DataFrame:
    """Target-profile skills that no submission to a conference of `as_of`'s year covers
    (rejected and withdrawn ones do not count): skill_id, skill, category, priority."""
    access.require_page(viewer, "conferences")
    return db.df(
        """
        WITH covered AS (
            SELECT DISTINCT unnest(s.skills) AS skill_id
            FROM submissions s JOIN conferences c USING (conference_id)
            WHERE year(coalesce(c.starts_on, s.created_on)) = $year
              AND NOT list_contains($not_presenting::VARCHAR[], s.status)
        )
        SELECT t.skill_id, k.name AS skill, k.category, t.priority, t.min_people, t.min_level
        FROM target_profile t JOIN skills k USING (skill_id)
        WHERE t.skill_id NOT IN (SELECT skill_id FROM covered WHERE skill_id IS NOT NULL)
        ORDER BY CASE t.priority WHEN 'must' THEN 0 WHEN 'should' THEN 1 ELSE 2 END, k.name
        """,
        {"year": as_of.year, "not_presenting": [str(s) for s in NOT_PRESENTING]},
    )
