""" "Who knows X": find a skill by name or alias despite case and typos, then rank its holders.

Matching uses rapidfuzz over every skill name and alias; ranking weighs each holder's level,
the freshness of their claim and their recent activities on that skill.
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process, utils

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.expertise.counts import query_frames
from lib.expertise.graph import ACTIVE_CLUB, MapView, club_claims
from lib.filters import Filters
from lib.store.db import Database
from lib.vocabulary import ClaimSource

MAX_QUERY = 100
MATCH_CUTOFF = 70.0
CONTAINED_SCORE = 90.0
RECENT_TITLES = 3


def skill_names(db: Database) -> pd.DataFrame:
    """Every way to name a skill: skill_id, skill, category, text (the name or an alias)."""
    return db.df(
        """
        SELECT skill_id, name AS skill, category, name AS text FROM skills
        UNION ALL
        SELECT skill_id, name, category, unnest(aliases) FROM skills
        ORDER BY skill_id
        """
    )


def find_skills(
    db: Database, query: str, *, limit: int = 8, cutoff: float = MATCH_CUTOFF
) -> pd.DataFrame:
    """Skills whose name or alias matches `query`, best first: skill_id, skill, category,
    matched (the name or alias that matched) and score (0–100).

    An exact name or alias (ignoring case) scores 100, a query contained in a name scores 90,
    otherwise the better of the plain and word-order-free similarity ratios counts.
    """
    query = (query or "").strip()
    if len(query) > MAX_QUERY:
        raise Refusal("map.err_query_too_long", limit=MAX_QUERY)
    columns = ["skill_id", "skill", "category", "matched", "score"]
    wanted = utils.default_process(query)
    if not wanted:
        return pd.DataFrame(columns=columns)
    names = skill_names(db).dropna(subset=["text"])
    texts = [utils.default_process(t) for t in names["text"]]
    scores = [0.0] * len(texts)
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for _, score, index in process.extract(
            wanted, texts, scorer=scorer, processor=None, limit=None, score_cutoff=cutoff
        ):
            scores[index] = max(scores[index], score)
    for index, text in enumerate(texts):
        if text == wanted:
            scores[index] = 100.0
        elif len(wanted) >= 3 and wanted in text:
            scores[index] = max(scores[index], CONTAINED_SCORE)
    found = names.assign(score=scores, length=names["text"].str.len())
    found = found[found["score"] >= cutoff].rename(columns={"text": "matched"})
    found = found.sort_values(["score", "length", "skill"], ascending=[False, True, True])
    found = found.drop_duplicates("skill_id").head(limit)
    return found.assign(score=found["score"].round(1))[columns].reset_index(drop=True)


def who_knows(
    db: Database,
    filters: Filters,
    viewer: Viewer | None,
    skill_id: str,
    view: MapView = ACTIVE_CLUB,
) -> pd.DataFrame:
    """Members of the filtered club who hold `skill_id`, most relevant first, with evidence.

    relevance = level + 1 when the claim is fresh + ln(1 + activities on the skill in the
    period). Evidence: the claim's sources and notes (notes from interviews only for roles
    that may read interview text) and the latest activities on the skill.
    """
    access.require_page(viewer, "expertise_map")
    claims = club_claims(db, filters, view)
    holders = claims[claims["skill_id"] == skill_id]
    hidden = [] if access.can(viewer, "see_interview_text") else [ClaimSource.INTERVIEW.value]
    return query_frames(
        db,
        """
        WITH worked AS (
            SELECT a.person_id,
                   count(*) FILTER (
                       WHERE a.occurred_on >= $period_start
                   )::INTEGER AS recent_activities,
                   max(a.occurred_on) AS last_activity,
                   array_to_string(list(strftime(a.occurred_on, '%Y-%m-%d') || ' ' ||
                       coalesce(a.title, a.kind) ORDER BY a.occurred_on DESC, a.activity_id DESC
                   )[1:$recent_titles], '; ') AS recent_work
            FROM activities a
            WHERE list_contains(a.skills, $skill_id) AND a.occurred_on <= $as_of
              AND a.person_id IN (SELECT person_id FROM holders)
            GROUP BY a.person_id
        ),
        noted AS (
            SELECT ps.person_id,
                   string_agg(DISTINCT ps.source, ', ' ORDER BY ps.source) AS sources,
                   string_agg(DISTINCT ps.evidence, '; ' ORDER BY ps.evidence)
                       FILTER (
                       WHERE trim(ps.evidence) <> ''
                         AND NOT list_contains($hidden_sources::VARCHAR[], ps.source)
                   ) AS evidence
            FROM person_skills ps
            WHERE ps.skill_id = $skill_id AND ps.person_id IN (SELECT person_id FROM holders)
            GROUP BY ps.person_id
        )
        SELECT h.person_id, h.name, h.department, h.wave, h.skill, h.level, h.source,
               h.confirmed_on::DATE AS confirmed_on, h.stale,
               coalesce(w.recent_activities, 0) AS recent_activities,
               w.last_activity::DATE AS last_activity,
               round(h.level + CASE WHEN h.stale THEN 0 ELSE 1 END
                     + ln(1 + coalesce(w.recent_activities, 0)), 2) AS relevance,
               n.sources, coalesce(n.evidence, '') AS evidence,
               coalesce(w.recent_work, '') AS recent_work
        FROM holders h
        LEFT JOIN worked w USING (person_id)
        LEFT JOIN noted n USING (person_id)
        ORDER BY relevance DESC, h.level DESC, w.last_activity DESC NULLS LAST, h.person_id
        """,
        {
            "period_start": filters.period_start,
            "recent_titles": RECENT_TITLES,
            "skill_id": skill_id,
            "as_of": filters.as_of,
            "hidden_sources": hidden,
        },
        holders=holders,
    )
