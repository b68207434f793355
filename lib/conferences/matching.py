"""Who could speak where: conference topics matched to the skill taxonomy (names and aliases
in both languages, typos forgiven, the matched words kept), then to the members who hold those
skills — weighed by level and freshness, with their recent speaking load and, for roles that
may see capacity, their hours — and to the target-profile gaps a talk there would showcase.

A topic matches a skill when the whole topic is the skill's name or alias or close to it
(`find_skills`), or when the name or alias stands inside a longer topic as whole words:
exactly (as written, same case) for names of up to three letters, exactly for names of four
to six, and with typos forgiven (similarity ≥ WORD_CUTOFF) for longer ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd
from rapidfuzz import fuzz, utils

from lib import access
from lib.access import Viewer
from lib.conferences.records import conference_list, open_calls
from lib.expertise.holders import skill_claims
from lib.expertise.search import MAX_QUERY, find_skills, skill_names
from lib.filters import Filters
from lib.recruitment.coverage import coverage_by_skill
from lib.store.db import Database
from lib.vocabulary import ActivityKind, MembershipStatus, SubmissionStatus

TOPIC_CUTOFF = 82.0
WORD_CUTOFF = 92.0
INSIDE_SCORE = 95.0
STALE_FACTOR = 0.5
MIN_LEVEL = 2  # a speaker knows the subject at least as a practitioner
LOAD_DAYS = 365
SPEAKING_STATUSES = (MembershipStatus.ACTIVE,)
BUSY_STATUSES = (SubmissionStatus.REVIEW, SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
TOKEN = re.compile(r"[^\s,;:()/|«»\"']+")
MATCH_COLUMNS = ["topic", "skill_id", "skill", "matched", "score"]
FIT_COLUMNS = [
    "conference_id",
    "person_id",
    "name",
    "department",
    "fit",
    "best_level",
    "fresh",
    "skills",
    "matched",
    "talks_12m",
    "talks_in_pipeline",
    "submitted",
]


def _inside(tokens: set[str], words: list[str], text: str, processed: str) -> float:
    """How well a skill name or alias stands inside a longer topic (0 when it does not)."""
    target = processed.split()
    if not target or len(target) > len(words):
        return 0.0
    if len(processed) <= 3:
        return INSIDE_SCORE if text.strip() in tokens else 0.0
    windows = [" ".join(words[i : i + len(target)]) for i in range(len(words) - len(target) + 1)]
    if processed in windows:
        return INSIDE_SCORE
    if len(processed) < 7:
        return 0.0
    best = max(fuzz.ratio(window, processed) for window in windows)
    return min(best, INSIDE_SCORE - 1) if best >= WORD_CUTOFF else 0.0


def topic_skills(db: Database, topics: Iterable[str]) -> pd.DataFrame:
    """Skills each topic names: topic, skill_id, skill, matched (the name or alias that
    matched) and score (0–100), best first within a topic."""
    names = skill_names(db).dropna(subset=["text"])
    texts = list(zip(names["skill_id"], names["skill"], names["text"], strict=True))
    processed = [utils.default_process(text) for _, _, text in texts]
    rows = []
    for topic in dict.fromkeys(t for t in topics if t and str(t).strip()):
        best: dict[str, tuple[float, str, str]] = {}
        for hit in find_skills(db, topic[:MAX_QUERY], limit=5, cutoff=TOPIC_CUTOFF).itertuples():
            best[hit.skill_id] = (float(hit.score), hit.skill, hit.matched)
        tokens = set(TOKEN.findall(topic))
        words = utils.default_process(topic).split()
        for (skill_id, skill, text), folded in zip(texts, processed, strict=True):
            score = _inside(tokens, words, text, folded)
            if score > best.get(skill_id, (0.0,))[0]:
                best[skill_id] = (score, skill, text)
        rows += [(topic, s, skill, text, score) for s, (score, skill, text) in best.items()]
    frame = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    return frame.sort_values(["topic", "score", "skill"], ascending=[True, False, True])


def conference_skills(db: Database, conferences: pd.DataFrame) -> pd.DataFrame:
    """The skills each conference's topics name: conference_id plus MATCH_COLUMNS."""
    pairs = conferences[["conference_id", "topics"]].explode("topics").dropna()
    pairs = pairs.rename(columns={"topics": "topic"})
    matches = topic_skills(db, pairs["topic"].tolist())
    found = pairs.merge(matches, on="topic")
    found = found.sort_values(["conference_id", "skill_id", "score"], ascending=[True, True, False])
    return found.drop_duplicates(["conference_id", "skill_id"]).reset_index(drop=True)


def skills_for_conference(db: Database, conference_id: str, as_of: date) -> pd.DataFrame:
    """How one conference's topics were read: conference_id plus MATCH_COLUMNS."""
    conferences = conference_list(db, as_of)
    return conference_skills(db, conferences[conferences["conference_id"] == conference_id])


def speaking_load(db: Database, as_of: date) -> pd.DataFrame:
    """Per member: external talks in the last year and submissions under way (in review,
    submitted or accepted)."""
    return db.df(
        """
        WITH talks AS (
            SELECT person_id, count(*)::INTEGER AS talks_12m FROM activities
            WHERE kind = $talk AND occurred_on > $since AND occurred_on <= $as_of
            GROUP BY person_id
        ),
        busy AS (
            SELECT ss.person_id, count(*)::INTEGER AS talks_in_pipeline
            FROM submission_speakers ss JOIN submissions s USING (submission_id)
            WHERE list_contains($busy::VARCHAR[], s.status) GROUP BY ss.person_id
        )
        SELECT person_id, coalesce(t.talks_12m, 0) AS talks_12m,
               coalesce(b.talks_in_pipeline, 0) AS talks_in_pipeline
        FROM talks t FULL JOIN busy b USING (person_id)
        """,
        {
            "talk": str(ActivityKind.TALK_EXTERNAL),
            "since": as_of - timedelta(days=LOAD_DAYS),
            "as_of": as_of,
            "busy": [str(s) for s in BUSY_STATUSES],
        },
    )


def recent_hours(db: Database, as_of: date) -> pd.DataFrame:
    """Per member: average monthly hours for community work over their last three reported
    months up to `as_of`."""
    return db.df(
        """
        SELECT person_id, round(avg(hours_available), 1) AS hours_available FROM (
            SELECT person_id, hours_available,
                   row_number() OVER (PARTITION BY person_id ORDER BY month DESC) AS latest
            FROM capacity WHERE month <= $as_of AND hours_available IS NOT NULL
        ) WHERE latest <= 3 GROUP BY person_id
        """,
        {"as_of": as_of},
    )


def evidence(topic: str, skill: str, text: str, level: int, stale: bool) -> str:
    """The matched words of one claim: `topic → skill (alias), L4` with `*` when stale; the
    alias is left out when it is the topic or the skill's own name, the topic when it is the
    skill's name."""
    shown = {topic.casefold(), skill.casefold()}
    alias = "" if text.casefold() in shown else f" ({text})"
    named = skill if topic.casefold() == skill.casefold() else f"{topic} → {skill}"
    return f"{named}{alias}, L{level}{' *' if stale else ''}"


def _fits(db: Database, viewer: Viewer, filters: Filters, conferences: pd.DataFrame):
    """(conference, member) pairs with a fit: Σ over matched skills held at MIN_LEVEL or
    above of level/5 × freshness (1 fresh, STALE_FACTOR stale) × match score/100; with the
    matched words, skills and levels."""
    claims = skill_claims(db, filters, statuses=SPEAKING_STATUSES, min_level=MIN_LEVEL)
    matched = conference_skills(db, conferences)
    pairs = matched.merge(claims.drop(columns="skill"), on="skill_id")
    if pairs.empty:
        return pd.DataFrame(columns=FIT_COLUMNS)
    pairs["weight"] = (
        pairs["level"]
        / 5
        * pairs["stale"].map({True: STALE_FACTOR, False: 1.0})
        * pairs["score"]
        / 100
    )
    pairs = pairs.sort_values(["weight", "skill"], ascending=[False, True])
    pairs["evidence"] = [
        evidence(topic, skill, text, level, stale)
        for topic, skill, text, level, stale in zip(
            pairs["topic"],
            pairs["skill"],
            pairs["matched"],
            pairs["level"],
            pairs["stale"],
            strict=True,
        )
    ]
    fits = (
        pairs.groupby(["conference_id", "person_id"], sort=False)
        .agg(
            name=("name", "first"),
            department=("department", "first"),
            fit=("weight", "sum"),
            best_level=("level", "max"),
            fresh=("stale", lambda s: not s.all()),
            skills=("skill", list),
            matched=("evidence", "; ".join),
        )
        .reset_index()
    )
    fits["fit"] = fits["fit"].round(2)
    load = speaking_load(db, filters.as_of)
    fits = fits.merge(load, on="person_id", how="left").fillna(
        {"talks_12m": 0, "talks_in_pipeline": 0}
    )
    fits[["talks_12m", "talks_in_pipeline"]] = fits[["talks_12m", "talks_in_pipeline"]].astype(int)
    if access.can(viewer, "see_person_capacity"):
        fits = fits.merge(recent_hours(db, filters.as_of), on="person_id", how="left")
    taken = _already(db)
    fits["submitted"] = [
        (c, p) in taken for c, p in zip(fits.conference_id, fits.person_id, strict=True)
    ]
    return fits


def _already(db: Database) -> set[tuple[str, str]]:
    """(conference, speaker) pairs with a submission that is not withdrawn."""
    return set(
        db.rows(
            "SELECT s.conference_id, ss.person_id FROM submissions s "
            "JOIN submission_speakers ss USING (submission_id) WHERE s.status <> 'withdrawn'"
        )
    )


def speaker_matches(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    conference_ids: Iterable[str] | None = None,
    *,
    per_conference: int = 10,
) -> pd.DataFrame:
    """For each conference (all, or the given ones): the members who fit its topics best —
    highest fit first, then the lighter speaking load — with the matched words."""
    access.require(viewer, "see_cfp_pipeline")
    conferences = conference_list(db, filters.as_of)
    if conference_ids is not None:
        conferences = conferences[conferences["conference_id"].isin(list(conference_ids))]
    fits = _fits(db, viewer, filters, conferences)
    fits = fits.sort_values(
        ["conference_id", "fit", "talks_12m", "name"], ascending=[True, False, True, True]
    )
    fits = fits.groupby("conference_id", sort=False).head(per_conference)
    names = conferences.set_index("conference_id")["name"]
    fits.insert(1, "conference", fits["conference_id"].map(names))
    return fits.reset_index(drop=True)


def member_calls(
    db: Database, viewer: Viewer | None, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """Open calls for papers that fit each member (or one member), best fit first, with the
    deadline and the matched words."""
    access.require(viewer, "see_cfp_pipeline")
    calls = open_calls(db, filters.as_of)
    fits = _fits(db, viewer, filters, calls)
    if person_id is not None:
        fits = fits[fits["person_id"] == person_id]
    details = calls[["conference_id", "name", "city", "starts_on", "cfp_closes", "days_to_close"]]
    details = details.rename(columns={"name": "conference"})
    found = fits.merge(details, on="conference_id")
    found = found.sort_values(["person_id", "fit", "days_to_close"], ascending=[True, False, True])
    return found.reset_index(drop=True)


def calls_for_member(
    db: Database, viewer: Viewer | None, filters: Filters, person_id: str | None = None
) -> pd.DataFrame:
    """Open calls for papers that fit one member's skills (a member's own, or a member a
    curator names), best fit first: conference, city, starts_on, cfp_closes, days_to_close,
    fit, matched, submitted."""
    person = access.subject(viewer, person_id)
    calls = open_calls(db, filters.as_of)
    fits = _fits(db, viewer, filters, calls)
    fits = fits[fits["person_id"] == person]
    details = calls[["conference_id", "name", "city", "starts_on", "cfp_closes", "days_to_close"]]
    found = fits.merge(details.rename(columns={"name": "conference"}), on="conference_id")
    found = found.sort_values(["fit", "days_to_close"], ascending=[False, True])
    columns = ["conference_id", "conference", "city", "starts_on", "cfp_closes", "days_to_close"]
    return found[[*columns, "fit", "matched", "submitted"]].reset_index(drop=True)


def showcased_gaps(
    db: Database, filters: Filters, conference_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """Target skills short of holders (gap > 0) that a conference's topics name: a talk there
    would show the bank's need where the people it lacks listen."""
    conferences = conference_list(db, filters.as_of)
    if conference_ids is not None:
        conferences = conferences[conferences["conference_id"].isin(list(conference_ids))]
    matched = conference_skills(db, conferences)
    gaps = coverage_by_skill(db, filters)
    gaps = gaps[gaps["gap"] > 0][["skill_id", "priority", "coverage", "min_people", "gap"]]
    found = matched.merge(gaps, on="skill_id")
    columns = ["conference_id", "skill_id", "skill", "topic", "matched", "priority"]
    return found[[*columns, "coverage", "min_people", "gap"]].reset_index(drop=True)
