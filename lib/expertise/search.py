""" "Who knows X": find a skill by name or alias despite case, typos, the other alphabet, the
other keyboard layout and Russian word forms, then rank its holders in the club or, for
planners and curators, in the whole employee pool.

Matching uses rapidfuzz over every skill name and alias plus `lib.spelling` (transliteration,
layout, sound-alike key, light stemmer); ranking weighs each holder's level, the freshness of
their claim and (in the club) their recent activities on that skill.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from lib import access, spelling
from lib.access import Viewer
from lib.errors import Refusal
from lib.expertise.counts import query_frames
from lib.expertise.graph import ACTIVE_CLUB, MapView, club_claims
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import ClaimSource

MAX_QUERY = 100
MATCH_CUTOFF = 70.0
SUGGESTION_CUTOFF = 55.0
LAYOUT_PENALTY = 3.0
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


def _similarity(query: str, texts: list[str]) -> np.ndarray:
    if not query or not texts:
        return np.zeros(len(texts))
    plain = process.cdist([query], texts, scorer=fuzz.ratio, processor=None)[0]
    ordered = process.cdist([query], texts, scorer=fuzz.token_sort_ratio, processor=None)[0]
    return np.maximum(plain, ordered).astype(float)


def _candidates(wanted: str, processed: list[str], keys: list[str], stemmed: list[str]):
    """(how, scores) pairs for one reading of the query against every text."""
    key, stem = spelling.sound_key(wanted), spelling.stems(wanted)
    cyrillic = bool(spelling.HAS_CYRILLIC.search(wanted))
    crossed = np.array([bool(spelling.HAS_CYRILLIC.search(t)) != cyrillic for t in processed])
    alike = np.maximum(_similarity(key, keys) - 5, [97.0 if k == key else 0.0 for k in keys])
    short = len(wanted) < 3
    words = stem.split()
    yield "exact", np.array([100.0 if t == wanted else 0.0 for t in processed])
    yield "word_form", np.array([_stem_score(words, s) for s in stemmed])
    yield (
        "contains",
        np.array([0.0 if short or wanted not in t else CONTAINED_SCORE for t in processed]),
    )
    yield "script", np.where(crossed, alike, 0.0)
    yield "typo", np.where(crossed, 0.0, alike)
    yield "typo", _similarity(wanted, processed)


def _stem_score(words: list[str], stemmed: str) -> float:
    """98 when the stems are the same, 90 when each query stem starts a word of the text."""
    if not words:
        return 0.0
    if " ".join(words) == stemmed:
        return 98.0
    text = stemmed.split()
    whole = all(len(w) >= 3 and any(t.startswith(w) for t in text) for w in words)
    return CONTAINED_SCORE if whole else 0.0


def match_scores(query: str, texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """How well each text matches the query (0–100) and how: exact, contains, typo, script
    (the other alphabet, transliterated), word_form (a Russian inflection) or layout (typed on
    the other keyboard layout). Exact is 100, same stems 98, same sound-alike key 97,
    contained 90; a reading through the other layout scores LAYOUT_PENALTY below."""
    processed = [utils.default_process(t) for t in texts]
    keys = [spelling.sound_key(t) for t in processed]
    stemmed = [spelling.stems(t) for t in processed]
    scores = np.zeros(len(processed))
    how = np.full(len(processed), "", dtype=object)
    for reading, read in spelling.readings(query):
        wanted = utils.default_process(reading)
        if not wanted:
            continue
        penalty = LAYOUT_PENALTY if read == "layout" else 0.0
        for kind, candidate in _candidates(wanted, processed, keys, stemmed):
            better = candidate - penalty > scores
            scores[better] = candidate[better] - penalty
            how[better] = "layout" if penalty else kind
    return scores, how


def find_skills(
    db: Database, query: str, *, limit: int = 8, cutoff: float = MATCH_CUTOFF
) -> pd.DataFrame:
    """Skills whose name or alias matches `query`, best first: skill_id, skill, category,
    matched (the name or alias that matched), score (0–100) and how (see `match_scores`).

    "питон", "pyton" and "зутрщт" all find Python; "машинным обучением" finds Machine
    learning through its Russian name or alias."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY:
        raise Refusal("map.err_query_too_long", limit=MAX_QUERY)
    columns = ["skill_id", "skill", "category", "matched", "score", "how"]
    if not utils.default_process(query) and not spelling.fold(query):
        return pd.DataFrame(columns=columns)
    names = skill_names(db).dropna(subset=["text"]).reset_index(drop=True)
    scores, how = match_scores(query, names["text"])
    found = names.assign(score=scores, how=how, length=names["text"].str.len())
    found = found[found["score"] >= cutoff].rename(columns={"text": "matched"})
    found = found.sort_values(["score", "length", "skill"], ascending=[False, True, True])
    found = found.drop_duplicates("skill_id").head(limit)
    return found.assign(score=found["score"].round(1))[columns].reset_index(drop=True)


def did_you_mean(db: Database, query: str, *, limit: int = 3) -> list[str]:
    """Skill names close to a query that found nothing: the best few above a low bar."""
    found = find_skills(db, query, limit=limit, cutoff=SUGGESTION_CUTOFF)
    return list(dict.fromkeys(found["skill"]))


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


def who_knows_in_pool(
    db: Database, filters: Filters, viewer: Viewer | None, skill_id: str
) -> pd.DataFrame:
    """Everyone employed who holds `skill_id`, members or not (the pool planners recruit from),
    most relevant first: relevance = level + 1 when the claim is fresh. `membership` is the
    club status, or "none". The global department filter applies."""
    access.require(viewer, "search_employee_pool")
    stale_days = current_settings(db)["stale_days"]
    return db.df(
        """
        WITH best AS (
            SELECT person_id, max(level) AS level, arg_max(source, level) AS source,
                   max(confirmed_on) AS confirmed_on
            FROM person_skills WHERE skill_id = $skill_id
            GROUP BY person_id
        )
        SELECT p.person_id, p.name, p.department, p.position,
               coalesce(m.status, 'none') AS membership, b.level, b.source,
               b.confirmed_on::DATE AS confirmed_on,
               coalesce(b.confirmed_on < $stale_before, TRUE) AS stale,
               (b.level + CASE WHEN b.confirmed_on >= $stale_before THEN 1 ELSE 0 END)::DOUBLE
                   AS relevance
        FROM best b
        JOIN people p USING (person_id)
        LEFT JOIN memberships m USING (person_id)
        WHERE coalesce(p.employed, TRUE)
          AND (len($departments::VARCHAR[]) = 0
               OR list_contains($departments::VARCHAR[], p.department))
        ORDER BY relevance DESC, b.level DESC, p.name, p.person_id
        """,
        {
            "skill_id": skill_id,
            "stale_before": filters.as_of - timedelta(days=int(stale_days)),
            "departments": list(filters.departments),
        },
    )
