"""Interview evidence for the expertise map: skills interviewees named become person_skills
claims (source 'interview'), only from interviews with consent."""

from __future__ import annotations

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.store.db import Database

INTERVIEW_SKILL_LEVEL = 2


def interview_skill_claims(db: Database, viewer: Viewer) -> pd.DataFrame:
    """person_skills rows (source 'interview', level 2) for skills interviewees named, with
    the interviews and codes as evidence; interviews without consent are left out."""
    access.require(viewer, "see_interview_text")
    return db.df(
        """
        WITH named AS (
            SELECT i.person_id, unnest(f.skills) AS skill_id, i.interview_id, f.code,
                   i.conducted_on
            FROM interview_findings f JOIN interviews i USING (interview_id)
            WHERE coalesce(i.consent, FALSE) AND i.person_id IS NOT NULL
              AND f.skills IS NOT NULL
        )
        SELECT n.person_id, n.skill_id, CAST($level AS TINYINT) AS level, 'interview' AS source,
               max(n.conducted_on) AS confirmed_on,
               array_to_string(list_sort(list_distinct(list(n.interview_id || ':' || n.code))),
                               '; ') AS evidence
        FROM named n JOIN skills k USING (skill_id)
        GROUP BY n.person_id, n.skill_id
        ORDER BY n.person_id, n.skill_id
        """,
        {"level": INTERVIEW_SKILL_LEVEL},
    )


def sync_interview_skills(db: Database, viewer: Viewer) -> dict[str, int]:
    """Write `interview_skill_claims` into person_skills (upsert, one transaction, audited):
    an existing interview claim keeps its higher level and latest confirmation."""
    access.require(viewer, "edit_data")
    claims = interview_skill_claims(db, viewer)
    unknown = db.scalar(
        """SELECT count(*) FROM (
            SELECT unnest(f.skills) AS skill_id FROM interview_findings f
            JOIN interviews i USING (interview_id)
            WHERE coalesce(i.consent, FALSE) AND i.person_id IS NOT NULL
        ) n WHERE skill_id NOT IN (SELECT skill_id FROM skills)"""
    )
    with db.transaction() as cur:
        cur.register("claims", claims)
        inserted, updated = cur.execute(
            """SELECT count(*) FILTER (WHERE ps.person_id IS NULL),
                      count(*) FILTER (WHERE ps.person_id IS NOT NULL AND (
                          c.level > ps.level
                          OR ps.confirmed_on IS NULL OR c.confirmed_on > ps.confirmed_on
                          OR ps.evidence IS DISTINCT FROM c.evidence))
               FROM claims c LEFT JOIN person_skills ps
                 ON ps.person_id = c.person_id AND ps.skill_id = c.skill_id
                AND ps.source = 'interview'"""
        ).fetchone()
        cur.execute(
            """INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on,
                                          evidence)
               SELECT person_id, skill_id, level, source, confirmed_on, evidence FROM claims
               ON CONFLICT (person_id, skill_id, source) DO UPDATE SET
                   level = greatest(level, excluded.level),
                   confirmed_on = greatest(confirmed_on, excluded.confirmed_on),
                   evidence = excluded.evidence"""
        )
        cur.unregister("claims")
        db.audit(
            "interview_skills",
            actor=viewer.actor,
            kind="person_skills",
            inserted=inserted,
            updated=updated,
            rejected=unknown,
            cur=cur,
        )
    return {"inserted": int(inserted), "updated": int(updated), "rejected": int(unknown)}
